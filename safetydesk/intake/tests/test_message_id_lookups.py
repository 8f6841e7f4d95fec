"""Look-ups by Message-ID (duplicates, threading) use the partial index on it, so their cost does
not grow with the number of items. On SQLite the query must repeat the index's condition
(message_id <> ''); without it every message read the whole table (benchmarks/intake.py)."""

from django.db import connection
from django.test import TestCase, skipUnlessDBFeature
from django.test.utils import CaptureQueriesContext

from safetydesk.intake.models import IntakeItem
from safetydesk.intake.pipeline import EarlierCopies, find_thread_case
from safetydesk.intake.submission import Submission


def sqlite_plan(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        return " | ".join(str(row[-1]) for row in cursor.fetchall())


@skipUnlessDBFeature("supports_partial_indexes")
class MessageIdLookupTests(TestCase):
    def setUp(self) -> None:
        if connection.vendor != "sqlite":
            self.skipTest("the plan is read with SQLite's EXPLAIN QUERY PLAN")
        # Half of them without a Message-ID (form and API items without a key have none).
        ids = [f"<{n}@example.net>" if n % 2 else "" for n in range(50)]
        IntakeItem.objects.bulk_create(IntakeItem(channel="general", status="accepted", message_id=m) for m in ids)

    def plans_of(self, lookup: object) -> list[str]:
        with CaptureQueriesContext(connection) as captured:
            lookup()  # type: ignore[operator]
        intake_queries = [q["sql"] for q in captured.captured_queries if '"intake_intakeitem"' in q["sql"]]
        assert intake_queries
        return [sqlite_plan(sql) for sql in intake_queries]

    def test_the_duplicate_check_searches_the_message_id_index(self) -> None:
        item = IntakeItem.objects.create(channel="general", message_id="<7@example.net>")
        keys = [(item.message_id, item.channel), ("<9@example.net>", "general")]
        for plan in self.plans_of(lambda: EarlierCopies(keys)):
            assert "USING INDEX intake_item_message_id" in plan, plan
        first = IntakeItem.objects.filter(message_id="<7@example.net>").order_by("pk").first()
        assert first is not None
        assert EarlierCopies(keys).first_of(item) == (first.pk, None)

    def test_threading_searches_the_message_id_index(self) -> None:
        reply = Submission(subject="Re: report", in_reply_to="<9@example.net>", references=("<3@example.net>",))
        for plan in self.plans_of(lambda: find_thread_case(reply)):
            assert "USING INDEX intake_item_message_id" in plan, plan
