"""The short cache of looked-up API tokens (api.auth.recent_token, API_TOKEN_CACHE_SECONDS): a
second request within the time reads no token row; a revocation in this process is at once;
after the time the token is read again (a role change shows)."""

import datetime as dt

import time_machine
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from safetydesk.accounts.actions import do_change_roles, do_revoke_api_token
from safetydesk.accounts.models import ApiToken, hash_token
from safetydesk.accounts.roles import Role
from safetydesk.api.auth import _RECENT
from safetydesk.lib.testing import PersonaTestCase

NOON = dt.datetime(2027, 2, 1, 12, 0, tzinfo=dt.UTC)


@override_settings(API_TOKEN_CACHE_SECONDS=5)
class TokenCacheTests(PersonaTestCase):
    def setUp(self) -> None:
        _RECENT.clear()
        self.addCleanup(_RECENT.clear)
        self.raw = ApiToken.generate()
        self.row = ApiToken.objects.create(user=self.specialist, name="t", hint=self.raw[:8],
                                           token_hash=hash_token(self.raw))  # fmt: skip

    def get(self) -> int:
        return self.client.get("/api/v1/cases", HTTP_AUTHORIZATION=f"Bearer {self.raw}").status_code

    def token_reads(self) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert self.get() == 200
        return sum('FROM "accounts_apitoken"' in q["sql"] for q in queries.captured_queries)

    def test_a_second_request_within_the_time_reads_no_token_row(self) -> None:
        with time_machine.travel(NOON, tick=False):
            assert self.token_reads() == 1
            assert self.token_reads() == 0
        with time_machine.travel(NOON + dt.timedelta(seconds=6), tick=False):
            assert self.token_reads() == 1

    def test_a_revocation_in_this_process_is_at_once(self) -> None:
        assert self.get() == 200
        do_revoke_api_token(acting_user=self.specialist, token=self.row)
        assert self.get() == 401

    def test_a_role_change_reaches_the_api_once_the_time_is_up(self) -> None:
        with time_machine.travel(NOON, tick=False):
            assert self.get() == 200
            do_change_roles(acting_user=None, user=self.specialist, roles=[Role.CRC_MEMBER], via="test")
            assert self.get() == 200  # within the time: the roles read a moment ago
        with time_machine.travel(NOON + dt.timedelta(seconds=6), tick=False):
            assert self.get() == 403
