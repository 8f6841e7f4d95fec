"""Writing to and checking the audit chain."""

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from safetydesk.audit.models import AuditEvent, AuditEventType, AuditHead


def record_audit(
    *,
    event_type: AuditEventType,
    actor: Any = None,
    subject: models.Model | None = None,
    data: dict[str, Any] | None = None,
    ip_address: str | None = None,
) -> AuditEvent:
    """Append one row. Call it inside the transaction of the change it records.

    `actor` is a user, or a string naming a part of the system ("intake:email") for changes
    no person made. Inside `audit_batch()` the row is appended when the batch ends."""
    event = AuditEvent(
        created_at=timezone.now(),
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=actor if isinstance(actor, str) else (getattr(actor, "username", "") or ""),
        event_type=int(event_type),
        subject_type=subject._meta.label_lower if subject is not None else "",
        subject_id=str(subject.pk) if subject is not None else "",
        # Normalise through JSON so the hash is of what the database will give back.
        data=_roundtrip(data or {}),
        ip_address=_stored_ip(ip_address),
    )
    batch: list[AuditEvent] | None = getattr(_local, "batch", None)
    if batch is not None:
        batch.append(event)
    else:
        # No savepoint: if the append fails, so does the change it records.
        with transaction.atomic(savepoint=False):
            _append([event])
    return event


_local = threading.local()


@contextmanager
def audit_batch() -> Iterator[None]:
    """Append the rows recorded inside together when the block ends: one lock of the chain's
    head, held only until the surrounding transaction commits, instead of one lock taken early
    per row. (The head serialises every writer, so how long it is held bounds the write rate.)

    Use it inside the atomic block whose changes the rows record, around no savepoint that is
    rolled back and caught within: the rows of such a savepoint would be appended all the same.
    A batch inside a batch joins the outer one. An exception discards the rows with the change."""
    if getattr(_local, "batch", None) is not None:
        yield
        return
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_batch() must run inside the transaction of the changes it records")
    _local.batch = []
    try:
        yield
        events, _local.batch = _local.batch, None
        if events:
            _append(events)
    finally:
        _local.batch = None


@contextmanager
def audit_savepoint() -> Iterator[None]:
    """A savepoint inside audit_batch() whose failure may be caught: the rows recorded in the
    block are dropped from the batch with the changes they record, and the exception goes on.
    (A plain savepoint there would keep its rows; see audit_batch.)"""
    batch: list[AuditEvent] | None = getattr(_local, "batch", None)
    mark = len(batch) if batch is not None else 0
    try:
        with transaction.atomic():
            yield
    except BaseException:
        if batch is not None:
            del batch[mark:]
        raise


def _append(events: list[AuditEvent]) -> None:
    head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
    seq, prev_hash = head.seq, head.hash
    for event in events:
        seq += 1
        event.seq, event.prev_hash = seq, prev_hash
        event.hash = prev_hash = event.compute_hash()
    AuditEvent.objects.bulk_create(events)
    AuditHead.objects.filter(pk=1).update(seq=seq, hash=prev_hash)


def _roundtrip(data: dict[str, Any]) -> dict[str, Any]:
    return json.loads(json.dumps(data, default=str))


def _stored_ip(ip_address: str | None) -> str | None:
    # The column stores "" as NULL and IPv6 in compressed lower case; hash what it will hold.
    if not ip_address:
        return None
    return AuditEvent._meta.get_field("ip_address").get_prep_value(ip_address)


@dataclass(frozen=True)
class ChainBreak:
    seq: int | None
    reason: str


def verify_chain(batch_size: int = 5000) -> ChainBreak | None:
    """The first place the chain is broken, or None if it is intact."""
    head_before = AuditHead.objects.filter(pk=1).first()
    head_seq_before = head_before.seq if head_before is not None else 0
    prev_hash = "0" * 64
    expected_seq = 1
    for event in _iter_events(batch_size):
        if event.seq != expected_seq:
            return ChainBreak(
                event.seq,
                f"row #{expected_seq} is missing (next row is #{event.seq}): a row was deleted or inserted",
            )
        if event.prev_hash != prev_hash:
            return ChainBreak(event.seq, f"row #{event.seq} does not link to row #{event.seq - 1}")
        if event.compute_hash() != event.hash:
            return ChainBreak(event.seq, f"row #{event.seq} was changed after it was written")
        prev_hash = event.hash
        expected_seq += 1
    last_seq = expected_seq - 1
    # Read the head after the walk: rows appended meanwhile move it past the last row we saw,
    # which is not a break. Rows past the head were not written by record_audit.
    head = AuditHead.objects.filter(pk=1).first()
    head_seq = head.seq if head is not None else 0
    if head is None and last_seq > 0:
        return ChainBreak(None, f"the chain has {last_seq} rows but its head row is missing")
    if last_seq > head_seq:
        return ChainBreak(
            head_seq + 1,
            f"row #{head_seq + 1} is past the head (#{head_seq}): rows were added behind the app's back",
        )
    if head_seq_before > last_seq:
        return ChainBreak(
            last_seq + 1,
            f"the chain ends at row #{last_seq} but the head says #{head_seq_before}: "
            "rows were deleted from the end",
        )
    if head is not None and head_seq == last_seq and head.hash != prev_hash:
        return ChainBreak(last_seq, f"row #{last_seq} does not match the head: it was changed or replaced")
    return None


def _iter_events(batch_size: int) -> Iterator[AuditEvent]:
    # No lower bound on the first batch: a row inserted with seq <= 0 must be seen too.
    qs = AuditEvent.objects.order_by("seq")
    last: int | None = None
    while True:
        batch = list((qs if last is None else qs.filter(seq__gt=last))[:batch_size])
        if not batch:
            return
        yield from batch
        last = batch[-1].seq
