"""How the client meets a wiki that lags, fails, hangs or talks nonsense (wiki.tests.scripted)."""

from typing import Any

import pytest
from django.test import SimpleTestCase, override_settings

from safetydesk.wiki.client import WikiClient
from safetydesk.wiki.errors import PermanentWikiError, TransientWikiError, WikiLoginFailed
from safetydesk.wiki.tests.scripted import MAXLAG, TOKENS, scripted_wiki


@override_settings(
    WIKI_MAXLAG=5,
    WIKI_MAXLAG_RETRIES=2,
    WIKI_MAXLAG_WAIT_SECONDS=5.0,
    WIKI_USER_AGENT="Safetydesk-test (ts@example.org)",
)
class ClientFaultTests(SimpleTestCase):
    def client_for(self, url: str, **kwargs: Any) -> tuple[WikiClient, list[float]]:
        waits: list[float] = []
        return WikiClient(url, name="scripted", sleep=waits.append, **kwargs), waits

    def test_maxlag_is_waited_out_for_its_retry_after_then_the_request_goes_through(self) -> None:
        with scripted_wiki(
            MAXLAG, (200, {"Retry-After": "2"}, MAXLAG[2]), (200, {}, {"query": {"userinfo": {"name": "X"}}})
        ) as (url, seen):
            client, waits = self.client_for(url)
            assert client.me()["name"] == "X"
        assert waits == [7.0, 5.0]  # Retry-After, but never under the 5 s Wikimedia asks for
        assert [r["maxlag"] for r in seen] == ["5", "5", "5"]
        assert {r["_agent"] for r in seen} == {"Safetydesk-test (ts@example.org)"}

    def test_maxlag_that_does_not_clear_is_a_transient_error_with_its_retry_after(self) -> None:
        with scripted_wiki(MAXLAG, MAXLAG, MAXLAG) as (url, seen):
            client, waits = self.client_for(url)
            with pytest.raises(TransientWikiError) as failure:
                client.me()
        assert (failure.value.code, failure.value.retry_after) == ("maxlag", 7.0)
        assert len(seen) == 3
        assert len(waits) == 2

    def test_a_server_error_or_a_rate_limit_is_transient_and_not_retried_here(self) -> None:
        for status in (500, 502, 503, 429):
            with self.subTest(status=status), scripted_wiki((status, {}, b"<html>oops</html>")) as (url, seen):
                client, waits = self.client_for(url)
                with pytest.raises(TransientWikiError) as failure:
                    client.site()
                assert failure.value.code == f"http-{status}"
                assert len(seen) == 1
                assert waits == []

    def test_a_wiki_that_does_not_answer_in_time_is_transient(self) -> None:
        with scripted_wiki((200, {}, 2.0)) as (url, _seen):
            client, _waits = self.client_for(url, timeout=0.3)
            with pytest.raises(TransientWikiError) as failure:
                client.site()
        assert failure.value.code == "unreachable"

    def test_an_answer_that_is_not_json_is_transient(self) -> None:
        with scripted_wiki((200, {}, b"<!DOCTYPE html><p>Maintenance</p>")) as (url, _seen):
            client, _waits = self.client_for(url)
            with pytest.raises(TransientWikiError, match="not JSON"):
                client.site()

    def test_an_api_error_such_as_permission_denied_is_permanent(self) -> None:
        denied = (200, {}, {"error": {"code": "permissiondenied", "info": "You don't have permission to block."}})
        with scripted_wiki(TOKENS, denied) as (url, seen):
            client, _waits = self.client_for(url)
            with pytest.raises(PermanentWikiError) as failure:
                client.block("Vandal", expiry="infinite", reason="Office action")
        assert failure.value.code == "permissiondenied"
        block = seen[1]
        assert (block["_method"], block["action"], block["token"], block["nocreate"]) == (
            "POST",
            "block",
            "abc+\\",
            "1",
        )

    def test_a_bad_token_is_fetched_again_once_then_given_up(self) -> None:
        bad = (200, {}, {"error": {"code": "badtoken", "info": "Invalid CSRF token."}})
        with scripted_wiki(TOKENS, bad, TOKENS, bad) as (url, seen):
            client, _waits = self.client_for(url)
            with pytest.raises(PermanentWikiError, match="badtoken"):
                client.unblock("Vandal", reason="Office action")
        assert [r.get("meta", r.get("action")) for r in seen] == ["tokens", "unblock", "tokens", "unblock"]

    def test_a_refused_login_says_why(self) -> None:
        refused = (200, {}, {"login": {"result": "Failed", "reason": "Incorrect username or password entered."}})
        with scripted_wiki(TOKENS, refused) as (url, seen):
            client, _waits = self.client_for(url)
            with pytest.raises(WikiLoginFailed, match="Incorrect username or password"):
                client.login("TSOffice@safetydesk", "secret")
        assert seen[1]["lgpassword"] == "secret"
        assert seen[1]["_method"] == "POST"
