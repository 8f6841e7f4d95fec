"""audit_savepoint: inside a batch, a failed block's rows go with its changes."""

import pytest
from django.db import transaction
from django.test import TestCase

from safetydesk.audit.log import audit_batch, audit_savepoint, record_audit, verify_chain
from safetydesk.audit.models import AuditEvent, AuditEventType


class ChangeFailed(Exception):
    pass


def record_then_fail(actor: str) -> None:
    with audit_savepoint():
        record_audit(event_type=AuditEventType.CASE_NOTE_ADDED, actor=actor)
        raise ChangeFailed(actor)


class AuditSavepointTests(TestCase):
    def test_rows_of_a_failed_savepoint_are_dropped_and_the_rest_appended(self) -> None:
        with transaction.atomic(), audit_batch():
            record_audit(event_type=AuditEventType.CASE_NOTE_ADDED, actor="kept-1")
            with pytest.raises(ChangeFailed):
                record_then_fail("dropped")
            with audit_savepoint():
                record_audit(event_type=AuditEventType.CASE_NOTE_ADDED, actor="kept-2")

        assert list(AuditEvent.objects.order_by("seq").values_list("actor_label", flat=True)) == ["kept-1", "kept-2"]
        assert verify_chain() is None

    def test_outside_a_batch_it_is_a_plain_savepoint(self) -> None:
        with transaction.atomic(), pytest.raises(ChangeFailed):
            record_then_fail("rolled back")
        assert not AuditEvent.objects.exists()
