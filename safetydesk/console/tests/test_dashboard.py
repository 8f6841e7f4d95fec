import datetime as dt

from django.urls import reverse
from django.utils import timezone

from safetydesk.cases.actions import do_assign_case
from safetydesk.cases.models import Case
from safetydesk.console.tests.base import ConsoleTestCase


class DashboardTests(ConsoleTestCase):
    mine: Case
    theirs: Case
    late: Case
    closed: Case

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.mine = cls.open_case("Doxxing on dewiki")
        do_assign_case(case=cls.mine, acting_user=cls.specialist, lead=cls.specialist)
        cls.theirs = cls.open_case("Sockpuppet ring")
        do_assign_case(case=cls.theirs, acting_user=cls.specialist, lead=cls.manager)
        # Opened two weeks ago and never acknowledged: its acknowledgement clock has run out.
        cls.late = cls.open_case("Threat against an admin", opened_at=timezone.now() - dt.timedelta(days=14))
        cls.closed = cls.open_case("Spam report")
        cls.take(cls.closed, "acknowledge")
        cls.take(cls.closed, "triage")
        cls.take(cls.closed, "decline", closure_reason="Spam.")

    def test_it_shows_my_cases_overdue_and_unassigned_with_counts(self) -> None:
        self.login(self.specialist)
        response = self.client.get(reverse("console:dashboard"))
        assert response.status_code == 200

        mine = self.section(response, "mine-h")
        assert self.mine.reference in mine
        assert self.theirs.reference not in mine
        assert '<span class="count">1</span>' in mine

        overdue = self.section(response, "overdue-h")
        assert self.late.reference in overdue
        assert self.mine.reference not in overdue
        assert "Overdue" in overdue

        unassigned = self.section(response, "unassigned-h")
        assert self.late.reference in unassigned
        assert self.mine.reference not in unassigned
        assert self.closed.reference not in unassigned  # closed cases are not work
        assert '<span class="count">1</span>' in unassigned

        self.assertContains(response, "3 open cases you can see.")

    def test_it_links_each_row_to_its_case(self) -> None:
        self.login(self.specialist)
        response = self.client.get(reverse("console:dashboard"))
        self.assertContains(response, f'href="{reverse("console:case", args=[self.mine.reference])}"')
        self.assertContains(response, f'href="{reverse("console:case", args=[self.late.reference])}"')

    def test_it_marks_the_dashboard_as_the_current_page(self) -> None:
        self.login(self.specialist)
        response = self.client.get(reverse("console:dashboard"))
        dashboard = reverse("console:dashboard")
        self.assertContains(response, f'<a href="{dashboard}" data-shortcut="g d" aria-current="page">')
