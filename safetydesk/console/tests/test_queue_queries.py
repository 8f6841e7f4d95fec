from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safetydesk.cases.actions import do_assign_case
from safetydesk.cases.models import Priority
from safetydesk.console.tests.base import ConsoleTestCase

PRIORITIES = [Priority.P0, Priority.P1, Priority.P2, Priority.P3]


class QueueQueryCountTests(ConsoleTestCase):
    def make_cases(self, count: int) -> None:
        leads = [self.specialist, self.manager, None]
        for i in range(count):
            case = self.open_case(f"Report {i}", priority=PRIORITIES[i % 4], language=["en", "de", "ja"][i % 3])
            if leads[i % 3] is not None:
                do_assign_case(case=case, acting_user=self.specialist, lead=leads[i % 3], assistants=[self.oncall])

    def queries_and_rows(self, **params: str) -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(reverse("console:queue"), params)
        assert response.status_code == 200
        return len(queries), len(self.listed(response))

    def test_it_runs_the_same_queries_for_5_and_40_cases(self) -> None:
        self.login(self.specialist)
        self.make_cases(5)
        with_5, rows = self.queries_and_rows()
        assert rows == 5
        self.make_cases(35)
        assert self.queries_and_rows() == (with_5, 40)
        # Session, user, OTP device, roles, the people for the lead filter, one page of cases.
        assert with_5 == 6

    def test_it_runs_the_same_queries_with_filters(self) -> None:
        self.login(self.specialist)
        self.make_cases(5)
        params = {"priority": "P2", "language": "en", "status": "all", "assignee": str(self.specialist.pk)}
        with_5, rows = self.queries_and_rows(**params)
        self.make_cases(35)
        with_40, more_rows = self.queries_and_rows(**params)
        assert with_40 == with_5
        assert more_rows > rows
