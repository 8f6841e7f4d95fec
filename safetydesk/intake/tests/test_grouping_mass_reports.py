"""Mass reports (issue 3, part 8): near-identical reports about one target within the window
join the case the first one opened, flagged mass_report, and the case shows how many it stands
for. Other targets, other words, later reports and threats each get a case of their own."""

import datetime as dt
from typing import Any

import time_machine
from django.test import override_settings

from safetydesk.cases.actions import do_transition
from safetydesk.cases.models import Case, CaseEvent, CaseEventKind, CaseKind
from safetydesk.intake import grouping
from safetydesk.intake.grouping import grouped_count, grouped_counts
from safetydesk.intake.models import IntakeItem, IntakeStatus
from safetydesk.intake.pipeline import IntakeResult, process_item, receive_submission
from safetydesk.intake.submission import Submission
from safetydesk.lib.testing import PersonaTestCase

START = dt.datetime(2026, 3, 2, 14, 0, tzinfo=dt.UTC)
CAMPAIGN = (
    "The user Lighthouse Keeper has been vandalising the article about the harbour for days, replacing the "
    "history section with insults and fake facts, and the admins on the wiki have done nothing about it."
)
# How the copies of one campaign text differ: case, spacing, punctuation, one word.
VARIANTS = (
    CAMPAIGN,
    CAMPAIGN.upper(),
    CAMPAIGN.replace(",", ""),
    CAMPAIGN.replace("for days", "for weeks"),
    "  " + CAMPAIGN.replace(" ", "\n", 3) + "!!",
)


def report(body: str = CAMPAIGN, sender: str = "", **meta: Any) -> Submission:
    meta.setdefault("reported_user", "Lighthouse Keeper")
    return Submission(sender=sender, body=body, language="en", meta=meta)


class MassReportTests(PersonaTestCase):
    def send(self, submission: Submission, at: dt.datetime, channel: str = "api") -> IntakeResult:
        with time_machine.travel(at, tick=False):
            return process_item(receive_submission(channel, submission))

    def campaign(self, minutes: list[int], **meta: Any) -> list[IntakeResult]:
        return [
            self.send(
                report(VARIANTS[n % len(VARIANTS)], sender=f"sender{n}@example.org", **meta),
                START + dt.timedelta(minutes=m),
            )
            for n, m in enumerate(minutes)
        ]

    def test_it_groups_five_near_identical_reports_in_ten_minutes_into_one_case(self) -> None:
        results = self.campaign([0, 2, 5, 7, 10])

        case = Case.objects.get()
        first, *others = (IntakeItem.objects.get(pk=r.item.pk) for r in results)
        assert (first.status, first.case, "mass_report" in first.flags) == (IntakeStatus.ACCEPTED, case, False)
        for item in others:
            assert (item.status, item.case) == (IntakeStatus.THREADED, case)
            assert "mass_report" in item.flags
        assert len({item.target_key for item in (first, *others)}) == 1
        events = CaseEvent.objects.filter(case=case, kind=CaseEventKind.MESSAGE_IN)
        assert sorted(e.data["intake_item"] for e in events if e.data["mass_report"]) == [i.pk for i in others]
        assert grouped_count(case) == 5
        assert [r.as_json()["reference"] for r in results] == [case.reference] * 5

    def test_it_groups_by_the_page_when_no_user_is_named(self) -> None:
        links = (
            "https://en.wikipedia.org/wiki/Harbour",
            "https://en.wikipedia.org/w/index.php?title=Harbour&action=history",
        )
        for n, link in enumerate(links):
            self.send(report(reported_user="", permalink=link), START + dt.timedelta(minutes=n))

        assert Case.objects.count() == 1
        assert grouped_count(Case.objects.get()) == 2

    def test_it_keeps_other_targets_apart(self) -> None:
        self.send(report(), START)
        self.send(report(reported_user="Another Keeper"), START + dt.timedelta(minutes=1))
        self.send(report(reported_user="", permalink="https://en.wikipedia.org/wiki/Harbour"), START)
        self.send(report(reported_user=""), START + dt.timedelta(minutes=2))  # about nobody in particular

        assert Case.objects.count() == 4
        assert not IntakeItem.objects.filter(status=IntakeStatus.THREADED).exists()

    def test_it_keeps_different_reports_about_one_target_apart(self) -> None:
        self.send(report(), START)
        self.send(
            report("Lighthouse Keeper sent me threatening emails after I reverted his edit to the harbour article."),
            START + dt.timedelta(minutes=3),
        )

        assert Case.objects.count() == 2
        assert [grouped_count(c) for c in Case.objects.order_by("pk")] == [1, 1]

    def test_it_opens_a_new_case_after_the_window(self) -> None:
        self.campaign([0, 30])
        late = self.send(report(), START + dt.timedelta(minutes=61))

        assert Case.objects.count() == 2
        assert late.item.status == IntakeStatus.ACCEPTED
        counts = grouped_counts(Case.objects.order_by("pk"))
        assert list(counts.values()) == [2, 1]

    @override_settings(INTAKE_MASS_REPORT_WINDOW_SECONDS=600, INTAKE_MASS_REPORT_SIMILARITY=0.99)
    def test_it_takes_the_window_and_threshold_from_settings(self) -> None:
        self.send(report(), START)
        self.send(report(CAMPAIGN.replace("for days", "for weeks")), START + dt.timedelta(minutes=1))
        self.send(report(), START + dt.timedelta(minutes=11))

        assert Case.objects.count() == 3

    def test_it_never_groups_threats(self) -> None:
        # The same threat reported three times to the emergency address: three cases.
        threat = "Lighthouse Keeper wrote that he will kill the harbour master with a knife tomorrow."
        results = [self.send(report(threat), START + dt.timedelta(minutes=n), "emergency") for n in range(3)]

        assert [r.item.status for r in results] == [IntakeStatus.ACCEPTED] * 3
        assert Case.objects.filter(kind=CaseKind.EMERGENCY, priority="P0").count() == 3

    def test_it_never_groups_emergency_or_child_protection_items(self) -> None:
        self.send(report(), START)
        item = IntakeItem.objects.get()

        for kind in (CaseKind.EMERGENCY, CaseKind.CHILD_PROTECTION):
            assert grouping.group_case_for(item, report(), kind) is None

    def test_it_does_not_add_to_a_closed_case(self) -> None:
        first = self.send(report(), START)
        case = Case.objects.get()
        for name, data in (("acknowledge", {}), ("triage", {}), ("decline", {"closure_reason": "Handled on-wiki."})):
            case = do_transition(case=case, transition=name, acting_user=self.specialist, data=data)
        assert case.closed_at is not None

        later = self.send(report(), START + dt.timedelta(minutes=5))

        assert later.item.case != first.item.case
        assert Case.objects.count() == 2

    def test_it_counts_many_cases_in_one_query(self) -> None:
        self.campaign([0, 1, 2])
        self.send(report(reported_user="Another Keeper"), START)
        cases = list(Case.objects.order_by("pk"))

        with self.assertNumQueries(1):
            counts = grouped_counts(cases)

        assert counts == {cases[0].pk: 3, cases[1].pk: 1}
        assert grouped_counts([]) == {}
