"""Timeline rows other apps write (CaseEvent kinds "emergency", "paging") read in words."""

from typing import Any

import pytest

from safetydesk.cases.actions import do_create_case
from safetydesk.cases.models import Case, CaseEvent, CaseKind, Priority
from safetydesk.console.presenters import TIMELINE_KINDS, Detail, TimelineEntry, register_timeline_kind, timeline
from safetydesk.console.tests.base import ConsoleTestCase
from safetydesk.emergency.actions import TriageData, do_record_triage
from safetydesk.oncall.actions import do_acknowledge_page
from safetydesk.oncall.models import Page

TRIAGE = TriageData(
    threat_text="I will hurt myself tonight",
    threat_type="self_harm",
    target="self",
    decision="credible_imminent",
    decision_rationale="Specific time.",
)


class TimelineKindsTests(ConsoleTestCase):
    def emergency(self) -> Case:
        # Opening it pages on-call (the emergency workflow's on_create): the first "paging" row.
        return do_create_case(
            acting_user=self.oncall, title="Threat on a talk page", kind=CaseKind.EMERGENCY, priority=Priority.P0
        )

    def test_it_describes_paging_and_emergency_rows_from_their_data(self) -> None:
        case = self.emergency()
        pages = list(Page.objects.filter(case=case).select_related("recipient"))
        do_acknowledge_page(acting_user=self.oncall, page=pages[0])
        do_record_triage(case=case, acting_user=self.oncall, triage=TRIAGE)

        entries = {e.event.kind + ":" + e.title: e for e in timeline(case, case.events.order_by("id"))}

        paged = entries["paging:On-call paged"]
        (paged_to,) = [d.value for d in paged.details if d.label == "Paged"]
        # Nobody is on call in these tests: the fallback list (managers and directors) is paged.
        assert paged_to == ", ".join(str(p.recipient) for p in pages)
        assert "paging:Page acknowledged" in entries
        triage = entries["emergency:Triage recorded"]
        assert Detail("Decision", "Credible and imminent") in triage.details
        assert Detail("Threat type", "Self-harm") in triage.details
        assert triage.anchor == "triage-h"

    def test_the_case_page_shows_the_words_not_the_raw_kinds(self) -> None:
        case = self.emergency()
        do_record_triage(case=case, acting_user=self.oncall, triage=TRIAGE)
        self.login(self.oncall)

        html = self.section(self.client.get(f"/cases/{case.reference}/"), "timeline-h")

        assert "On-call paged" in html
        assert "Triage recorded" in html
        assert "Credible and imminent" in html
        assert '<strong class="tl-title">paging</strong>' not in html
        assert '<strong class="tl-title">emergency</strong>' not in html

    def test_an_app_registers_how_its_rows_read(self) -> None:
        case = self.open_case()
        CaseEvent.objects.create(case=case, kind="example", data={"widgets": 3})
        CaseEvent.objects.create(case=case, kind="unknown_kind", data={})

        def describe(event: CaseEvent, data: dict[str, Any], name: Any) -> TimelineEntry:
            return TimelineEntry(event, title="Widgets counted", details=[Detail("Widgets", str(data["widgets"]))])

        register_timeline_kind("example", describe)
        self.addCleanup(TIMELINE_KINDS.pop, "example", None)
        titles = [e.title for e in timeline(case, case.events.order_by("id"))]

        assert "Widgets counted" in titles
        assert "unknown_kind" in titles  # nobody registered it: its raw name

    def test_the_case_s_own_kinds_cannot_be_taken_over(self) -> None:
        with pytest.raises(ValueError, match="own event kinds"):
            register_timeline_kind("note", lambda event, data, name: TimelineEntry(event, title="x"))
