"""GET /cases costs the same number of queries for 5 cases as for 30."""

import datetime as dt

from django.utils import timezone

from safetydesk.accounts.models import ApiToken
from safetydesk.api.tests.base import ApiTestCase
from safetydesk.cases.actions import do_assign_case
from safetydesk.cases.models import Confidentiality, Priority

# The token with its user and the user's roles, one page of cases with their leads.
QUERIES = 2


class ListCasesQueryCountTests(ApiTestCase):
    def open_cases(self, count: int) -> None:
        leads = [self.specialist, self.manager, self.oncall, None]
        for i in range(count):
            confidentiality = Confidentiality.RESTRICTED if i % 5 == 0 else Confidentiality.INTERNAL
            case = self.open_case(f"Case {i}", priority=Priority.values[i % 4], confidentiality=confidentiality)
            if leads[i % 4] is not None:
                do_assign_case(case=case, acting_user=self.specialist, lead=leads[i % 4])

    def listed(self) -> int:
        with self.assertNumQueries(QUERIES):
            response = self.get("/cases?status=all", self.manager)
        assert response.status_code == 200
        items = response.json()["items"]
        assert all(i["lead"] is None or i["lead"]["username"] for i in items)
        return len(items)

    def test_it_does_not_grow_with_the_number_of_cases(self) -> None:
        # Stamped just now, so no request here writes last_used_at.
        ApiToken.objects.filter(user=self.manager).update(last_used_at=timezone.now() + dt.timedelta(hours=1))
        self.open_cases(5)
        few = self.listed()

        self.open_cases(25)
        many = self.listed()

        assert 0 < few < many
