"""Sending queued notices (run by the task worker after commit; tasks carry ids only).

A notice is claimed with a conditional update before it is sent, so two workers never send it
twice. A transient failure (the server said "try later", the connection broke) leaves it pending
with a later `next_attempt_at`; a permanent one, or the last allowed attempt, marks it failed.
The retry runs as a deferred task where the task backend can defer, and `send_due_notices`
(a periodic job) picks up any due notice whose task never ran.
"""

import datetime as dt
import logging

from django.db import transaction
from django.db.models import F, Q
from django.tasks import default_task_backend, task
from django.utils import timezone

from safetydesk.audit.log import record_audit
from safetydesk.audit.models import AuditEventType
from safetydesk.notify.delivery import DeliveryError, deliver
from safetydesk.notify.models import Notice, NoticeStatus

logger = logging.getLogger("safetydesk.notify")

SYSTEM_ACTOR = "notify"
# Waits after the 1st, 2nd, … failed attempt; after the last one the notice is marked failed.
BACKOFF = (
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=20),
    dt.timedelta(hours=1),
    dt.timedelta(hours=3),
)
MAX_ATTEMPTS = len(BACKOFF) + 1
# Longer than the SMTP timeout: a claim this old belongs to a worker that died mid-send.
CLAIM_FOR = dt.timedelta(minutes=5)
# A due notice left this long was not picked up by its own task (lost or never enqueued).
SWEEP_AFTER = dt.timedelta(minutes=2)


def _claim(notice_id: int, now: dt.datetime) -> bool:
    claimed = (
        Notice.objects.filter(pk=notice_id, status=NoticeStatus.PENDING, next_attempt_at__lte=now)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .update(claimed_until=now + CLAIM_FOR, attempts=F("attempts") + 1)
    )
    return claimed == 1


@task()
def send_notice(notice_id: int) -> str:
    """Try to send one notice. Returns what happened: sent, retry, failed, or skipped (not
    pending, not yet due, or in another worker's hands)."""
    now = timezone.now()
    if not _claim(notice_id, now):
        return "skipped"
    notice = Notice.objects.get(pk=notice_id)
    try:
        deliver(notice)
    except DeliveryError as error:
        return _record_failure(notice, error)
    with transaction.atomic():
        Notice.objects.filter(pk=notice.pk).update(
            status=NoticeStatus.SENT, sent_at=timezone.now(), claimed_until=None, error=""
        )
        record_audit(
            event_type=AuditEventType.NOTICE_SENT, actor=SYSTEM_ACTOR, subject=notice,
            data={"attempts": notice.attempts},
        )
    return "sent"


def _record_failure(notice: Notice, error: DeliveryError) -> str:
    final = error.permanent or notice.attempts >= MAX_ATTEMPTS
    now = timezone.now()
    retry_at = None if final else now + BACKOFF[notice.attempts - 1]
    with transaction.atomic():
        notice.error = error.reason[:1000]
        notice.claimed_until = None
        if final:
            notice.status = NoticeStatus.FAILED
        else:
            assert retry_at is not None
            notice.next_attempt_at = retry_at
        notice.save(update_fields=["error", "claimed_until", "status", "next_attempt_at"])
        record_audit(
            event_type=AuditEventType.NOTICE_FAILED, actor=SYSTEM_ACTOR, subject=notice,
            data={
                "attempts": notice.attempts,
                "smtp_code": error.smtp_code,
                "permanent": error.permanent,
                "final": final,
                "retry_at": retry_at.isoformat() if retry_at else None,
            },
        )
    if final:
        logger.warning("notice %s failed for good after %s attempt(s): %s", notice.pk, notice.attempts, error.reason)
        return "failed"
    logger.info("notice %s: attempt %s failed (%s); next at %s", notice.pk, notice.attempts, error.reason, retry_at)
    if default_task_backend.supports_defer:
        transaction.on_commit(lambda: send_notice.using(run_after=retry_at).enqueue(notice.pk))
    return "retry"


def send_due_notices(now: dt.datetime | None = None) -> int:
    """Enqueue the send of every pending notice that is overdue by SWEEP_AFTER and not in a
    worker's hands. Returns how many. Safe to run anywhere, any time: the claim decides."""
    now = now or timezone.now()
    due = (
        Notice.objects.filter(status=NoticeStatus.PENDING, next_attempt_at__lte=now - SWEEP_AFTER)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:500]
    )
    ids = list(due)
    for notice_id in ids:
        send_notice.enqueue(notice_id)
    return len(ids)
