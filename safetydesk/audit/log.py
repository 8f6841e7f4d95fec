"""Writing to and checking the audit chain."""

import json
from collections.abc import Iterator
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
    """Append one row. Call it inside the transaction of the change it records."""
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
        event = AuditEvent(
            seq=head.seq + 1,
            created_at=timezone.now(),
            actor=actor if getattr(actor, "pk", None) else None,
            actor_label=getattr(actor, "username", "") or "",
            event_type=int(event_type),
            subject_type=subject._meta.label_lower if subject is not None else "",
            subject_id=str(subject.pk) if subject is not None else "",
            data=data or {},
            ip_address=ip_address,
            prev_hash=head.hash,
        )
        # Normalise through JSON so the hash is of what the database will give back.
        event.data = _roundtrip(event.data)
        event.hash = event.compute_hash()
        event.save()
        AuditHead.objects.filter(pk=1).update(seq=event.seq, hash=event.hash)
    return event


def _roundtrip(data: dict[str, Any]) -> dict[str, Any]:
    return json.loads(json.dumps(data, default=str))


@dataclass(frozen=True)
class ChainBreak:
    seq: int | None
    reason: str


def verify_chain(batch_size: int = 5000) -> ChainBreak | None:
    """The first place the chain is broken, or None if it is intact."""
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
    head = AuditHead.objects.filter(pk=1).first()
    last_seq = expected_seq - 1
    if head is not None and (head.seq != last_seq or head.hash != prev_hash):
        return ChainBreak(
            last_seq + 1 if head.seq > last_seq else head.seq,
            f"the chain ends at row #{last_seq} but the head says #{head.seq}: rows were deleted from the end",
        )
    return None


def _iter_events(batch_size: int) -> Iterator[AuditEvent]:
    last = 0
    while True:
        batch = list(AuditEvent.objects.filter(seq__gt=last).order_by("seq")[:batch_size])
        if not batch:
            return
        yield from batch
        last = batch[-1].seq
