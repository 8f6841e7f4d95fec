"""A token's `last_used_at` is kept to the minute without a write on every request."""

import datetime as dt

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from safetydesk.accounts.models import ApiToken
from safetydesk.api.auth import record_token_use
from safetydesk.api.tests.base import ApiTestCase

NOON = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)


class LastUsedTests(ApiTestCase):
    def token(self) -> ApiToken:
        return ApiToken.objects.get(user=self.specialist)

    def writes_in(self, context: CaptureQueriesContext) -> list[str]:
        return [q["sql"] for q in context.captured_queries if q["sql"].startswith("UPDATE")]

    def test_it_records_the_first_use(self) -> None:
        assert self.token().last_used_at is None

        with time_machine.travel(NOON, tick=False):
            assert self.get("/cases", self.specialist).status_code == 200

        assert self.token().last_used_at == NOON

    def test_it_writes_at_most_once_a_minute(self) -> None:
        with time_machine.travel(NOON, tick=False):
            self.get("/cases", self.specialist)

        with time_machine.travel(NOON + dt.timedelta(seconds=59), tick=False):
            with CaptureQueriesContext(connection) as queries:
                assert self.get("/cases", self.specialist).status_code == 200
            assert self.writes_in(queries) == []
        assert self.token().last_used_at == NOON

        later = NOON + dt.timedelta(minutes=1, seconds=1)
        with time_machine.travel(later, tick=False):
            with CaptureQueriesContext(connection) as queries:
                self.get("/cases", self.specialist)
            assert len(self.writes_in(queries)) == 1
        assert self.token().last_used_at == later

    def test_it_also_records_use_by_a_refused_role(self) -> None:
        # The owner should see that the token is in use even though the API refuses its role.
        with time_machine.travel(NOON, tick=False):
            self.assert_error(self.get("/cases", self.crc), 403, "role_not_permitted")

        assert ApiToken.objects.get(user=self.crc).last_used_at == NOON

    def test_it_leaves_a_newer_stamp_from_a_concurrent_request_alone(self) -> None:
        stale = self.token()  # read before the other request stamped it
        ApiToken.objects.filter(pk=stale.pk).update(last_used_at=NOON + dt.timedelta(seconds=30))

        assert record_token_use(stale, now=NOON + dt.timedelta(seconds=40)) is False
        assert self.token().last_used_at == NOON + dt.timedelta(seconds=30)

        assert record_token_use(self.token(), now=NOON + dt.timedelta(seconds=95)) is True
        assert self.token().last_used_at == NOON + dt.timedelta(seconds=95)
