"""A non-emergency ReportIncident report is only counted (DOMAIN §16.4): one more for its wiki,
behaviour type and day; no item, no case, and none of its content anywhere in the database."""

import datetime as dt
import json
from typing import Any
from unittest import mock

import time_machine
from django.db import connection
from django.db.models import QuerySet
from django.test import TestCase

from safetydesk.audit.models import AuditEvent
from safetydesk.cases.models import Case
from safetydesk.intake.models import IntakeIdempotencyKey, IntakeItem, ReportIncidentCount
from safetydesk.intake.reportincident import record_incident_count
from safetydesk.intake.wiki_tokens import do_create_wiki_token

URL = "/api/v1/reportincident"
SECRET_WORDS = "Quillfeather-Marmalade"
REPORT = {
    "revisionId": 987654,
    "page": "Talk:Example",
    "reportedUser": f"{SECRET_WORDS} User",
    "incidentType": "unacceptable-user-behavior",
    "behaviorType": "hate-or-discrimination",
    "details": f"{SECRET_WORDS} wrote slurs in the edit summary.",
    "somethingElseDetails": f"{SECRET_WORDS} again",
    "threadId": "c-Someone-20260301120000-Topic",
    "directReport": f"Please block {SECRET_WORDS}.",
    "reporter": {"username": f"{SECRET_WORDS} Reporter", "email": "quill@example.org"},
}
MONDAY = dt.datetime(2026, 3, 2, 23, 59, 30, tzinfo=dt.UTC)


class ReportIncidentCountTests(TestCase):
    tokens: dict[str, str]

    @classmethod
    def setUpTestData(cls) -> None:
        # Two wikis, to see that counts are kept per wiki.
        cls.tokens = {
            wiki: do_create_wiki_token(acting_user="tests", wiki=wiki)[1]
            for wiki in ("en.wikipedia.org", "ja.wikipedia.org")
        }

    def post(self, payload: dict[str, Any], wiki: str = "en.wikipedia.org", **extra: str) -> Any:
        return self.client.post(
            URL,
            json.dumps(payload),
            content_type="application/json",
            headers={"Authorization": f"Bearer {self.tokens[wiki]}"},
            **extra,
        )

    def counts(self) -> dict[tuple[str, str, dt.date], int]:
        return {(r.wiki, r.behavior_type, r.day): r.count for r in ReportIncidentCount.objects.all()}

    def test_it_answers_202_and_counts(self) -> None:
        audit_rows = AuditEvent.objects.count()
        with time_machine.travel(MONDAY, tick=False):
            first = self.post(REPORT)
            second = self.post(REPORT)

        assert (first.status_code, second.status_code) == (202, 202)
        assert first.json() == second.json() == {"recorded": "count"}
        assert self.counts() == {("en.wikipedia.org", "hate-or-discrimination", MONDAY.date()): 2}
        assert not IntakeItem.objects.exists()
        assert not Case.objects.exists()
        assert AuditEvent.objects.count() == audit_rows

    def test_it_keeps_none_of_the_content(self) -> None:
        self.post(REPORT, HTTP_IDEMPOTENCY_KEY="c7d1")

        # Every text column of every table, searched for the report's words.
        found = []
        with connection.cursor() as cursor:
            for table in connection.introspection.table_names():
                columns = [c.name for c in connection.introspection.get_table_description(cursor, table)]
                for column in columns:
                    cursor.execute(
                        f'SELECT COUNT(*) FROM "{table}" WHERE CAST("{column}" AS TEXT) LIKE %s',  # noqa: S608
                        [f"%{SECRET_WORDS}%"],
                    )
                    if cursor.fetchone()[0]:
                        found.append(f"{table}.{column}")
        assert found == []
        assert self.counts() != {}

    def test_it_counts_per_wiki_type_and_day(self) -> None:
        with time_machine.travel(MONDAY, tick=False):
            self.post(REPORT)
            self.post({**REPORT, "behaviorType": "spam"})
            self.post(REPORT, wiki="ja.wikipedia.org")
        with time_machine.travel(MONDAY + dt.timedelta(minutes=1), tick=False):  # Tuesday, UTC
            self.post(REPORT)

        tuesday = MONDAY.date() + dt.timedelta(days=1)
        assert self.counts() == {
            ("en.wikipedia.org", "hate-or-discrimination", MONDAY.date()): 1,
            ("en.wikipedia.org", "spam", MONDAY.date()): 1,
            ("ja.wikipedia.org", "hate-or-discrimination", MONDAY.date()): 1,
            ("en.wikipedia.org", "hate-or-discrimination", tuesday): 1,
        }

    def test_it_counts_a_retry_with_the_same_key_once(self) -> None:
        first = self.post(REPORT, HTTP_IDEMPOTENCY_KEY="retry-1")
        again = self.post(REPORT, HTTP_IDEMPOTENCY_KEY="retry-1")

        assert (first["Idempotent-Replayed"], again["Idempotent-Replayed"]) == ("false", "true")
        assert list(self.counts().values()) == [1]
        key = IntakeIdempotencyKey.objects.get()
        assert (key.scope, key.item) == ("wiki:en.wikipedia.org", None)

    def test_it_refuses_a_key_reused_for_another_category(self) -> None:
        self.post(REPORT, HTTP_IDEMPOTENCY_KEY="retry-2")

        response = self.post({**REPORT, "behaviorType": "spam"}, HTTP_IDEMPOTENCY_KEY="retry-2")

        assert response.status_code == 422
        assert response.json()["error"]["code"] == "idempotency_key_reused"
        assert list(self.counts().values()) == [1]

    def test_it_keeps_keys_of_each_wiki_apart(self) -> None:
        self.post(REPORT, HTTP_IDEMPOTENCY_KEY="same")
        self.post(REPORT, wiki="ja.wikipedia.org", HTTP_IDEMPOTENCY_KEY="same")

        assert sorted(self.counts().values()) == [1, 1]

    def test_it_adds_to_the_row_a_concurrent_first_report_created(self) -> None:
        day = dt.date(2026, 3, 2)
        # Another process counted the day's first report between our UPDATE and our INSERT.
        ReportIncidentCount.objects.create(wiki="en.wikipedia.org", behavior_type="spam", day=day, count=1)
        original = QuerySet.update
        calls: list[dict[str, Any]] = []

        def first_update_misses(queryset: QuerySet, **changes: Any) -> int:
            calls.append(changes)
            return 0 if len(calls) == 1 else original(queryset, **changes)

        with mock.patch.object(QuerySet, "update", first_update_misses):
            assert record_incident_count(wiki="en.wikipedia.org", behavior_type="spam", day=day) == 2

        assert len(calls) == 2
        assert ReportIncidentCount.objects.get().count == 2
