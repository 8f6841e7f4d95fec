import datetime as dt
import re

from django.urls import reverse
from django.utils import timezone

from safetydesk.cases.actions import PartyData, do_add_note, do_assign_case, do_capture_evidence
from safetydesk.cases.models import Case, Confidentiality, Evidence, Priority
from safetydesk.console.tests.base import ConsoleTestCase


class CasePageTests(ConsoleTestCase):
    case: Case
    evidence: Evidence

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.case = cls.open_case(
            "Harassment of a steward",
            summary="Repeated threats on talk pages.",
            priority=Priority.P1,
            language="de",
            parties=[PartyData(role="reporter", wiki_username="Reporter1", language="de")],
            opened_at=timezone.now() - dt.timedelta(days=10),
        )
        do_assign_case(case=cls.case, acting_user=cls.specialist, lead=cls.specialist, assistants=[cls.oncall])
        cls.evidence = do_capture_evidence(
            case=cls.case, acting_user=cls.specialist, kind="diff",
            permalink="https://de.wikipedia.org/w/index.php?oldid=123", content="the diff",
        )
        do_add_note(case=cls.case, acting_user=cls.specialist, body="Checked the reporter's history.")

    def get(self) -> str:
        self.login(self.specialist)
        response = self.client.get(reverse("console:case", args=[self.case.reference]))
        assert response.status_code == 200
        return self.html(response)

    def test_it_shows_the_header(self) -> None:
        html = self.get()
        assert f'<span class="ref">{self.case.reference}</span>' in html
        assert "Harassment of a steward" in html
        assert '<span class="badge prio prio-p1">P1 — urgent</span>' in html
        assert "Received</span>" in html
        assert '<span class="badge conf conf-internal">T&amp;S internal</span>' in html

    def test_it_flags_the_overdue_acknowledgement_clock(self) -> None:
        html = self.get()
        start = html.index("<dt>Acknowledge by</dt>")
        clock = html[html.rindex("<div", 0, start) : html.index("</div>", start)]
        assert "is-overdue" in clock
        assert "Overdue</span>" in clock

    def test_it_shows_lead_assistants_summary_parties_and_notes(self) -> None:
        html = self.get()
        assert "<dt>Lead</dt><dd>Sam Specialist</dd>" in html
        assert "Oli Oncall" in html
        assert "Repeated threats on talk pages." in html
        assert '<th scope="row">Reporter</th><td>Reporter1</td><td>de</td>' in html
        assert "Checked the reporter&#x27;s history." in html

    def test_it_shows_evidence_with_its_hash_and_integrity(self) -> None:
        html = self.get()
        sha = self.evidence.sha256
        assert f'<code class="hash" title="{sha}">{sha[:12]}…</code>' in html
        assert 'href="https://de.wikipedia.org/w/index.php?oldid=123"' in html
        assert "Intact" in html

        Evidence.objects.filter(pk=self.evidence.pk).update(sha256="0" * 64)
        assert "Changed since capture" in self.get()

    def test_it_never_links_evidence_of_a_child_safety_case(self) -> None:
        case = self.open_case("Reported image", confidentiality=Confidentiality.CHILD_SAFETY)
        do_capture_evidence(
            case=case, acting_user=self.specialist, kind="file", permalink="https://commons.example.org/f.jpg"
        )
        self.login(self.specialist)
        response = self.client.get(reverse("console:case", args=[case.reference]))
        self.assertContains(response, '<code class="url">https://commons.example.org/f.jpg</code>')
        self.assertNotContains(response, 'href="https://commons.example.org/f.jpg"')

    def test_it_shows_the_timeline_newest_first_with_readable_data(self) -> None:
        html = self.get()
        timeline = html[html.index('id="timeline-h"') :]
        titles = ["Note added", "Evidence captured", "Assignment changed", "Case opened"]
        positions = [timeline.index(f'<strong class="tl-title">{title}</strong>') for title in titles]
        assert positions == sorted(positions)
        assert "<dt>Lead</dt><dd>Sam Specialist</dd>" in timeline
        assert "<dt>Assistants</dt><dd>Oli Oncall</dd>" in timeline
        assert f'href="#evidence-{self.evidence.pk}"' in timeline

    def test_it_carries_the_case_version_in_every_form(self) -> None:
        html = self.get()
        version = self.fresh(self.case).version
        forms = re.findall(r'<form[^>]*action="([^"]*)"[^>]*>(.*?)</form>', html, re.S)
        changing = [(action, body) for action, body in forms if action.startswith("/cases/")]
        assert len(changing) == 3  # acknowledge, note, assignment
        for _action, body in changing:
            assert re.search(rf'name="version" value="{version}"', body)
