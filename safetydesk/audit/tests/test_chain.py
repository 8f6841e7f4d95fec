"""The audit chain: appends link up, and edits made behind the app's back are found."""

import datetime as dt
import itertools
import json
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from safetydesk.audit.log import ChainBreak, record_audit, verify_chain
from safetydesk.audit.models import AuditEvent, AuditEventType, AuditHead
from safetydesk.lib.testing import PersonaTestCase

TABLE = connection.ops.quote_name(AuditEvent._meta.db_table)


def raw_sql(sql: str, params: list[Any] | None = None) -> None:
    """Change the table directly, as someone with database access but not the app would."""
    with connection.cursor() as cursor:
        cursor.execute(sql.format(table=TABLE), params or [])


class ChainTestCase(PersonaTestCase):
    def append(self, count: int) -> list[AuditEvent]:
        events = []
        for i in range(count):
            events.append(
                record_audit(
                    event_type=AuditEventType.CASE_NOTE_ADDED,
                    actor=self.specialist if i % 2 else None,
                    subject=self.manager,
                    data={"note": i, "words": ["café", "日本"], "nested": {"b": 2, "a": [1, None]}},
                    ip_address="203.0.113.7" if i % 3 else None,
                )
            )
        return events


class AppendTests(ChainTestCase):
    def test_it_keeps_the_chain_intact_over_many_appends(self) -> None:
        events = self.append(60)

        assert verify_chain() is None
        rows = list(AuditEvent.objects.all())
        assert [r.seq for r in rows] == list(range(1, 61))
        assert rows[0].prev_hash == "0" * 64
        for before, after in itertools.pairwise(rows):
            assert after.prev_hash == before.hash
        head = AuditHead.objects.get(pk=1)
        assert (head.seq, head.hash) == (60, events[-1].hash)

    def test_it_verifies_in_small_batches(self) -> None:
        self.append(11)

        assert verify_chain(batch_size=3) is None

    def test_it_hashes_what_the_database_stores_for_ip_addresses(self) -> None:
        # The column compresses IPv6 and stores "" as NULL; the hash must be of the stored form.
        record_audit(event_type=AuditEventType.LOGIN_FAILED, ip_address="2001:0DB8:0000:0000:0000:0000:0000:0001")
        record_audit(event_type=AuditEventType.LOGIN_FAILED, ip_address="")
        record_audit(event_type=AuditEventType.LOGIN_FAILED, ip_address="::ffff:198.51.100.1")

        assert verify_chain() is None
        assert list(AuditEvent.objects.values_list("ip_address", flat=True)) == [
            "2001:db8::1", None, "::ffff:198.51.100.1",
        ]

    def test_it_keeps_the_actor_label_and_subject(self) -> None:
        event = record_audit(event_type=AuditEventType.CASE_ASSIGNED, actor=self.manager, subject=self.specialist)

        stored = AuditEvent.objects.get(pk=event.pk)
        assert stored.actor_label == "mia"
        assert (stored.subject_type, stored.subject_id) == ("accounts.user", str(self.specialist.pk))

    def test_an_empty_chain_is_intact(self) -> None:
        assert verify_chain() is None


class TamperTests(ChainTestCase):
    def setUp(self) -> None:
        self.events = self.append(10)

    def test_it_finds_a_row_edited_in_the_database(self) -> None:
        raw_sql("UPDATE {table} SET data = %s WHERE seq = 7", [json.dumps({"note": "rewritten"})])

        broken = verify_chain()

        assert broken is not None
        assert broken.seq == 7
        assert "changed" in broken.reason

    def test_it_finds_an_edit_whose_hash_was_recomputed(self) -> None:
        # Whoever knows the algorithm can fix up the row's own hash; the next row still points
        # at the old one.
        raw_sql("UPDATE {table} SET event_type = %s WHERE seq = 4", [int(AuditEventType.LOGOUT)])
        row = AuditEvent.objects.get(seq=4)
        raw_sql("UPDATE {table} SET hash = %s WHERE seq = 4", [row.compute_hash()])

        assert verify_chain() == ChainBreak(5, "row #5 does not link to row #4")

    def test_it_finds_an_edited_last_row_whose_hash_was_recomputed(self) -> None:
        raw_sql("UPDATE {table} SET actor_label = %s WHERE seq = 10", ["someone-else"])
        row = AuditEvent.objects.get(seq=10)
        raw_sql("UPDATE {table} SET hash = %s WHERE seq = 10", [row.compute_hash()])

        broken = verify_chain()

        assert broken is not None
        assert broken.seq == 10
        assert "head" in broken.reason

    def test_it_finds_a_row_deleted_in_the_middle(self) -> None:
        raw_sql("DELETE FROM {table} WHERE seq = 5")

        broken = verify_chain()

        assert broken is not None
        assert broken.seq == 6
        assert "#5 is missing" in broken.reason

    def test_it_finds_the_first_row_deleted(self) -> None:
        raw_sql("DELETE FROM {table} WHERE seq = 1")

        broken = verify_chain()

        assert broken is not None
        assert broken.seq == 2
        assert "#1 is missing" in broken.reason

    def test_it_finds_the_tail_deleted(self) -> None:
        raw_sql("DELETE FROM {table} WHERE seq > 8")

        broken = verify_chain()

        assert broken is not None
        assert broken.seq == 9
        assert "deleted from the end" in broken.reason

    def test_it_finds_a_forged_row_inserted_at_the_end(self) -> None:
        # A well-formed row: right seq, linked to the last one, with a correct hash of its own.
        forged = AuditEvent(
            seq=11, created_at=timezone.now(), actor_label="", event_type=int(AuditEventType.ROLES_CHANGED),
            subject_type="accounts.user", subject_id=str(self.outsider.pk), data={"roles": ["director"]},
            prev_hash=self.events[-1].hash,
        )
        forged.hash = forged.compute_hash()
        self.insert_raw(forged)

        broken = verify_chain()

        assert broken is not None
        assert broken.seq == 11
        assert "past the head" in broken.reason

    def test_it_finds_a_row_inserted_with_a_made_up_hash(self) -> None:
        forged = AuditEvent(
            seq=11, created_at=timezone.now(), event_type=int(AuditEventType.LOGOUT),
            prev_hash="f" * 64, hash="e" * 64,
        )
        self.insert_raw(forged)

        assert verify_chain() == ChainBreak(11, "row #11 does not link to row #10")

    def test_it_finds_a_row_inserted_before_the_first(self) -> None:
        forged = AuditEvent(seq=0, created_at=timezone.now(), event_type=101, prev_hash="0" * 64, hash="0" * 64)
        self.insert_raw(forged)

        broken = verify_chain()

        assert broken is not None
        assert broken.seq == 0

    def test_it_finds_the_head_row_deleted(self) -> None:
        AuditHead.objects.filter(pk=1).delete()

        broken = verify_chain()

        assert broken is not None
        assert "head row is missing" in broken.reason

    def test_it_accepts_rows_appended_while_it_walks(self) -> None:
        # The web processes keep writing while `audit verify` runs: a row committed after the
        # walk read the end moves the head past the last row seen, which is not a break.
        from safetydesk.audit import log

        walk = log._iter_events

        def walk_then_append(batch_size: int) -> Any:
            yield from walk(batch_size)
            record_audit(event_type=AuditEventType.LOGOUT)

        original = log._iter_events
        log._iter_events = walk_then_append
        try:
            assert verify_chain() is None
        finally:
            log._iter_events = original
        assert AuditEvent.objects.count() == 11

    def insert_raw(self, event: AuditEvent) -> None:
        raw_sql(
            "INSERT INTO {table} (seq, created_at, actor_id, actor_label, event_type, subject_type, subject_id, "
            "data, ip_address, prev_hash, hash) VALUES (%s, %s, NULL, %s, %s, %s, %s, %s, NULL, %s, %s)",
            [
                event.seq, connection.ops.adapt_datetimefield_value(event.created_at), event.actor_label,
                event.event_type, event.subject_type, event.subject_id, json.dumps(event.data),
                event.prev_hash, event.hash,
            ],
        )


class AppendOnlyTests(ChainTestCase):
    def test_it_refuses_to_save_an_existing_row(self) -> None:
        event = self.append(1)[0]
        event.data = {"note": "changed"}

        with pytest.raises(ValueError, match="append-only"):
            event.save()
        assert AuditEvent.objects.get(pk=event.pk).data["note"] == 0

    def test_it_refuses_to_save_a_row_fetched_from_the_database(self) -> None:
        self.append(1)
        event = AuditEvent.objects.get(seq=1)
        event.created_at -= dt.timedelta(days=1)

        with pytest.raises(ValueError, match="append-only"):
            event.save(update_fields=["created_at"])
        assert verify_chain() is None

    def test_it_refuses_to_delete_a_row(self) -> None:
        event = self.append(1)[0]

        with pytest.raises(ValueError, match="append-only"):
            event.delete()
        assert AuditEvent.objects.filter(pk=event.pk).exists()
