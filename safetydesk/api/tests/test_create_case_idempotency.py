"""POST /cases with an Idempotency-Key: a retry returns the first case instead of opening another."""

from typing import Any
from unittest import mock

from safetydesk.api import idempotency
from safetydesk.api.models import ApiIdempotencyKey
from safetydesk.api.tests.base import ApiTestCase
from safetydesk.audit.models import AuditEvent
from safetydesk.cases.models import Case, CaseEvent

REPORT = {
    "title": "Threat in an edit summary",
    "priority": "P0",
    "parties": [{"role": "reporter", "wiki_username": "A"}],
}


class IdempotentCreateTests(ApiTestCase):
    def create(self, key: str, payload: dict[str, Any] = REPORT, user: Any = None) -> Any:
        return self.post("/cases", payload, user or self.specialist, HTTP_IDEMPOTENCY_KEY=key)

    def test_it_returns_the_first_case_to_a_retry(self) -> None:
        first = self.create("3f1c-retry")
        again = self.create("3f1c-retry")

        assert (first.status_code, again.status_code) == (201, 201)
        assert (first["Idempotent-Replayed"], again["Idempotent-Replayed"]) == ("false", "true")
        assert again.json()["reference"] == first.json()["reference"]
        assert Case.objects.count() == 1
        assert CaseEvent.objects.count() == 1
        key = ApiIdempotencyKey.objects.get()
        assert (key.user, key.key, key.response_reference) == (self.specialist, "3f1c-retry", first.json()["reference"])

    def test_it_keeps_each_users_keys_apart(self) -> None:
        mine = self.create("same-key").json()["reference"]
        theirs = self.create("same-key", user=self.manager).json()["reference"]

        assert mine != theirs
        assert Case.objects.count() == 2

    def test_it_opens_a_new_case_for_a_new_key(self) -> None:
        self.create("key-1")
        self.create("key-2")

        assert Case.objects.count() == 2

    def test_it_refuses_a_key_reused_for_a_different_request(self) -> None:
        self.create("reused")

        self.assert_error(self.create("reused", {**REPORT, "priority": "P3"}), 422, "idempotency_key_reused")

        assert Case.objects.count() == 1

    def test_it_does_not_spend_a_key_on_a_refused_request(self) -> None:
        self.assert_error(self.create("first-try", {"title": "  "}), 422, "invalid_data")
        assert not ApiIdempotencyKey.objects.exists()

        assert self.create("first-try").status_code == 201
        assert Case.objects.count() == 1

    def test_it_rolls_back_the_loser_of_a_race(self) -> None:
        winner = self.create("raced").json()["reference"]
        audit_rows = AuditEvent.objects.count()
        # The loser looked for the key before the winner committed, so it saw nothing and went
        # on to create; only the unique constraint stops it.
        with mock.patch.object(idempotency, "_earlier", side_effect=first_sees_nothing(idempotency._earlier)):
            loser = self.create("raced")

        assert loser.status_code == 201, loser.content
        assert (loser.json()["reference"], loser["Idempotent-Replayed"]) == (winner, "true")
        assert Case.objects.count() == 1
        assert CaseEvent.objects.count() == 1
        assert AuditEvent.objects.count() == audit_rows

    def test_it_refuses_an_overlong_key(self) -> None:
        error = self.assert_error(self.create("k" * 256), 422, "invalid_request")

        assert error["details"]["fields"][0]["location"] == "header"
        assert not Case.objects.exists()


def first_sees_nothing(real: Any) -> Any:
    calls = []

    def lookup(*args: Any) -> Any:
        calls.append(args)
        return None if len(calls) == 1 else real(*args)

    return lookup
