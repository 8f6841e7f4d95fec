"""POST /api/v1/reports with an Idempotency-Key: a retry gets the first request's item back (as it
stands now: processed meanwhile, with its case) and never makes a second item or case; the same
key with another body is refused."""

import datetime as dt
import json
from typing import Any

from safetydesk.api.tests.base import ApiTestCase
from safetydesk.audit.models import AuditEvent
from safetydesk.cases.models import Case
from safetydesk.intake import api
from safetydesk.intake.models import IntakeIdempotencyKey, IntakeItem, IntakeStatus
from safetydesk.intake.pipeline import receive_submission
from safetydesk.intake.triage import triage_pending

URL = "/api/v1/reports"
REPORT = {
    "what_happened": "An account keeps reverting my edits and calling me names in the summaries.",
    "where": "https://en.wikipedia.org/wiki/Talk:Lighthouse",
    "who": "Reverting account",
    "category": "intimidation",
}


class ReportIdempotencyTests(ApiTestCase):
    def send(self, key: str | None, body: dict[str, Any] = REPORT, **extra: Any) -> Any:
        if key is not None:
            extra["HTTP_IDEMPOTENCY_KEY"] = key
        response = self.client.post(URL, json.dumps(body), content_type="application/json", **extra)
        triage_pending(grace=dt.timedelta(0))  # as `safetydesk triage` would, moments later
        return response

    def test_it_returns_the_first_result_to_a_retry(self) -> None:
        first = self.send("5b0e-retry")
        again = self.send("5b0e-retry")

        assert (first.status_code, again.status_code) == (201, 201)
        assert (first["Idempotent-Replayed"], again["Idempotent-Replayed"]) == ("false", "true")
        item = IntakeItem.objects.get()
        assert first.json()["intake_item"] == again.json()["intake_item"] == item.pk
        assert first.json()["status"] == "received"
        assert item.status == IntakeStatus.ACCEPTED
        assert Case.objects.count() == 1
        assert again.json()["status"] == "accepted"
        assert again.json()["reference"] == item.case.reference
        key = IntakeIdempotencyKey.objects.get()
        assert (key.scope, key.item) == ("anon", item)
        assert "5b0e-retry" not in (key.key_hash, item.message_id)
        assert item.message_id.startswith("idem:")

    def test_it_ignores_formatting_differences_of_the_same_body(self) -> None:
        first = self.send("same-body")
        again = self.client.post(
            URL,
            json.dumps(dict(reversed(list(REPORT.items()))), indent=4),
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY="same-body",
        )

        assert again.json()["intake_item"] == first.json()["intake_item"]
        assert IntakeItem.objects.count() == 1

    def test_it_refuses_a_key_reused_with_another_body(self) -> None:
        self.send("reused")

        response = self.send("reused", {**REPORT, "what_happened": "Something else entirely."})

        self.assert_error(response, 422, "idempotency_key_reused")
        assert IntakeItem.objects.count() == 1

    def test_it_makes_a_new_item_for_a_new_key_or_no_key(self) -> None:
        self.send("key-1")
        self.send("key-2")
        self.send(None)
        self.send(None)

        assert IntakeItem.objects.count() == 4
        keyed = IntakeItem.objects.exclude(message_id="").values_list("message_id", flat=True)
        assert len(set(keyed)) == 2

    def test_it_keeps_each_token_users_keys_apart(self) -> None:
        mine = self.send("shared-key", headers=self.auth(self.specialist)).json()
        theirs = self.send("shared-key", headers=self.auth(self.manager)).json()
        anonymous = self.send("shared-key").json()

        assert len({mine["intake_item"], theirs["intake_item"], anonymous["intake_item"]}) == 3
        scopes = set(IntakeIdempotencyKey.objects.values_list("scope", flat=True))
        assert scopes == {f"user:{self.specialist.pk}", f"user:{self.manager.pk}", "anon"}
        # And no item was dismissed as a duplicate of another's.
        assert not IntakeItem.objects.filter(status=IntakeStatus.DISMISSED).exists()

    def test_it_does_not_spend_a_key_on_a_refused_request(self) -> None:
        self.assert_error(self.send("first-try", {"where": REPORT["where"]}), 422, "invalid_request")
        assert not IntakeIdempotencyKey.objects.exists()

        assert self.send("first-try").status_code == 201
        assert IntakeItem.objects.count() == 1

    def test_it_rolls_back_the_second_item_of_a_replay_or_a_race(self) -> None:
        # A key is not looked up first: a replay (or the loser of two concurrent requests)
        # commits nothing of its own, because the unique constraint on the key rolls back its
        # item and that item's audit row.
        winner = self.send("raced").json()
        audit_rows = AuditEvent.objects.count()

        loser = self.send("raced")

        assert loser.status_code == 201, loser.content
        assert loser.json()["intake_item"] == winner["intake_item"]
        assert loser["Idempotent-Replayed"] == "true"
        assert IntakeItem.objects.count() == 1
        assert Case.objects.count() == 1
        assert AuditEvent.objects.count() == audit_rows

    def test_it_finishes_an_item_whose_first_request_died_before_processing(self) -> None:
        # The first request committed its item and key, then its process was killed.
        report, _ = api.check_report(api.ReportIn.model_validate(REPORT))
        digest = api.fingerprint(report.model_dump(mode="json"))
        item, replayed = api.run_once(
            scope="anon",
            key="crashed",
            request_hash=digest,
            run=lambda: receive_submission("api", api.report_submission(report, language="en")),
        )
        assert item is not None
        assert (item.status, replayed) == (IntakeStatus.RECEIVED, False)

        retry = self.send("crashed")

        assert retry.status_code == 201
        assert retry.json()["intake_item"] == item.pk
        item.refresh_from_db()
        assert item.status == IntakeStatus.ACCEPTED
        assert retry.json()["status"] == "accepted"
        assert retry.json()["reference"] == Case.objects.get().reference
        assert IntakeItem.objects.count() == 1
