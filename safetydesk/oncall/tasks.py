"""Delivering pages in the task worker (tasks carry ids only).

A delivery is claimed by a conditional UPDATE (pending → sending, exactly one worker wins), sent,
then marked delivered. A worker killed between the claim and the mark leaves it "sending"; the
sweep puts such rows back after settings.ONCALL_SENDING_TIMEOUT_SECONDS and sends them again.
A delivered row is never sent again. Transient failures wait settings.ONCALL_RETRY_SECONDS;
a permanent failure, or the last attempt, marks the delivery failed and raises a
channel-failing alert for the board.
"""

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.tasks import default_task_backend, task
from django.utils import timezone

from safetydesk.audit.log import record_audit
from safetydesk.audit.models import AuditEventType
from safetydesk.lib import outbox
from safetydesk.notify.delivery import DeliveryError
from safetydesk.oncall.delivery import send
from safetydesk.oncall.models import AlertKind, DeliveryStatus, OncallAlert, PageDelivery, Paging

logger = logging.getLogger("safetydesk.oncall")

SYSTEM_ACTOR = "oncall"
# A pending delivery due this long ago whose task never ran (lost between commit and enqueue).
ENQUEUE_GRACE = dt.timedelta(seconds=30)


def max_attempts() -> int:
    return len(settings.ONCALL_RETRY_SECONDS) + 1


def _claim(delivery_id: int, now: dt.datetime) -> bool:
    claimed = PageDelivery.objects.filter(
        pk=delivery_id, status=DeliveryStatus.PENDING, next_attempt_at__lte=now
    ).update(status=DeliveryStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    return claimed == 1


# Pages have a queue of their own, which `safetydesk serve` gives a worker of its own: a worker
# busy with a long task in hand (an mbox import, a burst of reports) cannot hold a page back.
# Any worker taking every queue (the default) sends them too, highest priority first.
PAGING_QUEUE = "paging"
PAGE_PRIORITY = 90


@task(priority=PAGE_PRIORITY, queue_name=PAGING_QUEUE)
def deliver(delivery_id: int) -> str:
    """Try one delivery once. Returns delivered, retry, failed, or skipped (not pending, not yet
    due, or in another worker's hands)."""
    now = timezone.now()
    if not _claim(delivery_id, now):
        return "skipped"
    delivery = PageDelivery.objects.select_related("page__case", "page__paging", "alert").get(pk=delivery_id)
    try:
        send(delivery)
    except DeliveryError as error:
        return _record_failure(delivery, error)
    _record_delivered(delivery)
    return "delivered"


def _record_delivered(delivery: PageDelivery) -> None:
    now = timezone.now()
    with transaction.atomic():
        marked = PageDelivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.SENDING).update(
            status=DeliveryStatus.DELIVERED, delivered_at=now, last_error=""
        )
        if not marked:
            return  # the sweep took it back meanwhile; whoever re-sends it marks it
        record_audit(
            event_type=AuditEventType.PAGE_DELIVERED,
            actor=SYSTEM_ACTOR,
            subject=delivery,
            data={"channel": delivery.channel, "attempts": delivery.attempts, "page": delivery.page_id},
        )
        if delivery.page is not None:
            Paging.objects.filter(pk=delivery.page.paging_id, first_delivered_at__isnull=True).update(
                first_delivered_at=now
            )
    if delivery.page is not None:
        from safetydesk.oncall.actions import mark_case_paged

        transaction.on_commit(lambda: mark_case_paged(delivery.page.case_id))  # type: ignore[union-attr]


def _record_failure(delivery: PageDelivery, error: DeliveryError) -> str:
    final = error.permanent or delivery.attempts >= max_attempts()
    now = timezone.now()
    retry_at = None if final else now + dt.timedelta(seconds=settings.ONCALL_RETRY_SECONDS[delivery.attempts - 1])
    with transaction.atomic():
        updates: dict[str, object] = {"last_error": error.reason[:1000], "claimed_at": None}
        if final:
            updates["status"] = DeliveryStatus.FAILED
        else:
            updates["status"] = DeliveryStatus.PENDING
            updates["next_attempt_at"] = retry_at
        if not PageDelivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.SENDING).update(**updates):
            return "skipped"
        record_audit(
            event_type=AuditEventType.PAGE_DELIVERY_FAILED,
            actor=SYSTEM_ACTOR,
            subject=delivery,
            data={
                "channel": delivery.channel,
                "attempts": delivery.attempts,
                "permanent": error.permanent,
                "final": final,
                "retry_at": retry_at.isoformat() if retry_at else None,
            },
        )
        if final:
            alert = OncallAlert.objects.create(kind=AlertKind.CHANNEL_FAILED, delivery=delivery, starts_at=now)
            record_audit(
                event_type=AuditEventType.ONCALL_ALERT_RAISED,
                actor=SYSTEM_ACTOR,
                subject=alert,
                data={"kind": alert.kind, "delivery": delivery.pk, "channel": delivery.channel},
            )
    if final:
        logger.warning(
            "%s delivery %s failed for good after %s attempt(s): %s",
            delivery.channel,
            delivery.pk,
            delivery.attempts,
            error.reason,
        )
        return "failed"
    logger.info(
        "%s delivery %s: attempt %s failed (%s); next at %s",
        delivery.channel,
        delivery.pk,
        delivery.attempts,
        error.reason,
        retry_at,
    )
    if default_task_backend.supports_defer:
        transaction.on_commit(lambda: deliver.using(run_after=retry_at).enqueue(delivery.pk))
    return "retry"


def sweep_deliveries(now: dt.datetime | None = None) -> int:
    """Put back deliveries a dead worker left "sending", and enqueue every pending delivery that
    is due and whose task seems lost (lib.outbox.sweep). Returns how many were enqueued."""
    now = now or timezone.now()
    return outbox.sweep(
        PageDelivery,
        pending=DeliveryStatus.PENDING,
        in_flight=DeliveryStatus.SENDING,
        now=now,
        stale_before=now - dt.timedelta(seconds=settings.ONCALL_SENDING_TIMEOUT_SECONDS),
        due_before=now - ENQUEUE_GRACE,
        reason="the worker sending it stopped before it finished",
        enqueue=deliver.enqueue,
    )
