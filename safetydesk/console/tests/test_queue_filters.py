import datetime as dt

from django.urls import reverse
from django.utils import timezone

from safetydesk.cases.actions import do_assign_case
from safetydesk.cases.models import Case, CaseKind, Priority
from safetydesk.console.tests.base import ConsoleTestCase


class QueueFilterTests(ConsoleTestCase):
    german: Case
    dmca: Case
    stale: Case
    acked: Case
    closed: Case

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.german = cls.open_case("Harassment on dewiki", language="de", priority=Priority.P1)
        do_assign_case(case=cls.german, acting_user=cls.specialist, lead=cls.specialist)
        cls.dmca = cls.open_case("Takedown of a photo", kind=CaseKind.DMCA, priority=Priority.P3)
        do_assign_case(case=cls.dmca, acting_user=cls.specialist, lead=cls.manager)
        cls.stale = cls.open_case("Old unacknowledged report", opened_at=timezone.now() - dt.timedelta(days=20))
        cls.acked = cls.take(cls.open_case("Acknowledged report"), "acknowledge")
        cls.closed = cls.open_case("Closed report")
        cls.take(cls.closed, "acknowledge")
        cls.take(cls.closed, "triage")
        cls.take(cls.closed, "decline", closure_reason="Out of scope.")

    def get(self, **params: str) -> list[str]:
        self.login(self.specialist)
        response = self.client.get(reverse("console:queue"), params)
        assert response.status_code == 200
        return self.listed(response)

    def test_it_lists_open_cases_by_default(self) -> None:
        expected = [self.german, self.dmca, self.stale, self.acked]
        assert sorted(self.get()) == sorted(case.reference for case in expected)

    def test_it_filters_by_kind(self) -> None:
        assert self.get(kind=CaseKind.DMCA) == [self.dmca.reference]

    def test_it_filters_by_state(self) -> None:
        assert self.get(state="ACKNOWLEDGED") == [self.acked.reference]

    def test_it_filters_by_priority(self) -> None:
        assert self.get(priority="P1") == [self.german.reference]

    def test_it_filters_by_language(self) -> None:
        assert self.get(language="de") == [self.german.reference]

    def test_it_filters_by_assignee_me_unassigned_and_person(self) -> None:
        assert self.get(assignee="me") == [self.german.reference]
        assert sorted(self.get(assignee="none")) == sorted([self.stale.reference, self.acked.reference])
        assert self.get(assignee=str(self.manager.pk)) == [self.dmca.reference]

    def test_it_filters_overdue(self) -> None:
        assert self.get(overdue="on") == [self.stale.reference]

    def test_it_filters_by_status(self) -> None:
        assert self.get(status="closed") == [self.closed.reference]
        assert len(self.get(status="all")) == 5

    def test_it_ignores_a_bad_filter_value_and_says_so(self) -> None:
        self.login(self.specialist)
        response = self.client.get(reverse("console:queue"), {"priority": "P9", "language": "de"})
        assert self.listed(response) == [self.german.reference]
        self.assertContains(response, "Select a valid choice")

    def test_it_keeps_the_chosen_filters_in_the_form(self) -> None:
        self.login(self.specialist)
        response = self.client.get(reverse("console:queue"), {"kind": CaseKind.DMCA, "overdue": "on"})
        self.assertContains(response, f'<option value="{CaseKind.DMCA}" selected>')
        self.assertContains(response, 'name="overdue" id="id_overdue" checked')

    def test_it_marks_overdue_rows_with_text(self) -> None:
        self.login(self.specialist)
        response = self.client.get(reverse("console:queue"), {"overdue": "on"})
        self.assertContains(response, 'class="case-row is-overdue"')
        self.assertContains(response, "Overdue</span>")
