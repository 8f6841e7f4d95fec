"""The case page's Intake panel: the items of the case, why its priority (the rules that fired
and on what words), the mass-report count, and the messages sent."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from safetydesk.console.tests.base import ConsoleTestCase
from safetydesk.intake.models import IntakeItem, IntakeStatus
from safetydesk.intake.tests.helpers import IntakeMixin

MASS_REPORT = "User:Vandal99 keeps blanking the article about the town hall and adding insults to it."


class CaseIntakeSectionTests(IntakeMixin, ConsoleTestCase):
    def case_page(self, item: IntakeItem) -> str:
        response = self.client.get(reverse("console:case", args=[item.case.reference]))
        assert response.status_code == 200
        return self.section(response, "intake-h")

    def mass_report(self, sender: str) -> IntakeItem:
        return self.submit(sender=sender, body=MASS_REPORT, language="en", meta={"reported_user": "Vandal99"})

    def test_it_explains_the_priority_with_the_rules_that_fired(self) -> None:
        item = self.submit(
            sender="friend@example.org", subject="Worried",
            body="He wrote on his user page: I'm going to kill myself tonight.", language="en",
        )
        self.login(self.oncall)
        section = self.case_page(item)
        assert "Why this priority" in section
        for rule in item.classification["urgency"]["rules"]:
            assert f"<code>{rule['id']}</code>" in section
            assert f'dir="auto">{escape(rule["matched"])}</mark>' in section
        assert "threat: self-harm" in section
        assert reverse("intake_console:item", args=[item.pk]) in section
        assert "Public report form" in section
        # The acknowledgement, in the table of messages sent.
        assert "Acknowledgement: emergency (threat of harm)" in section
        assert "Sent" in section

    def test_it_shows_how_many_times_a_mass_reported_case_was_reported(self) -> None:
        first = self.mass_report("a@example.org")
        second = self.mass_report("b@example.org")
        third = self.mass_report("c@example.org")
        assert (second.status, third.status) == (IntakeStatus.THREADED, IntakeStatus.THREADED)
        assert second.case == first.case
        assert "mass_report" in third.flags
        self.login(self.specialist)
        section = self.case_page(first)
        assert "Reported 3 times (mass report)" in section
        assert "mass report · 3 reports" in section
        for item in (first, second, third):
            assert reverse("intake_console:item", args=[item.pk]) in section

    def test_a_case_opened_by_staff_says_it_has_no_intake_item(self) -> None:
        case = self.open_case("Opened by hand")
        self.login(self.specialist)
        response = self.client.get(reverse("console:case", args=[case.reference]))
        section = self.section(response, "intake-h")
        assert "Opened by staff: no intake item." in section
        assert "Nothing sent yet." in section

    def test_it_runs_the_same_queries_for_one_and_many_items(self) -> None:
        self.login(self.specialist)
        single = self.submit(sender="x@example.org", body="A single report about a page.", language="en")
        grouped = self.mass_report("first@example.org")
        for n in range(24):
            self.mass_report(f"reporter{n}@example.org")

        def queries(item: IntakeItem) -> int:
            with CaptureQueriesContext(connection) as captured:
                self.case_page(item)
            return len(captured)

        assert queries(single) == queries(grouped)
        section = self.case_page(grouped)
        assert "And 5 earlier items." in section
