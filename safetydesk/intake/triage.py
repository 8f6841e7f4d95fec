"""Triage of reports that were answered before they were processed.

The API answers an ordinary report as soon as its item is committed (see intake.pipeline); the
item stays "received" until this loop processes it. The intake table is the queue: nothing is
enqueued in the request, and nothing is lost if a process dies, since an item is "received"
until the transaction that processes it commits. `safetydesk triage` runs the loop; `safetydesk
serve` starts one at a lower CPU priority than the web processes, so that a burst of reports
slows triage rather than the answers (threats never wait here: they are processed before the
answer). The periodic sweep (intake.jobs.process_stuck_items) is the safety net where no loop
runs.
"""

import datetime as dt
import logging
import threading
import time

from django.conf import settings
from django.db import close_old_connections
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from safetydesk.intake.models import IntakeItem, IntakeStatus
from safetydesk.intake.pipeline import process_items

logger = logging.getLogger("safetydesk.intake.triage")

# Items taken per look at the table; they are processed settings.INTAKE_BATCH_ITEMS to a
# transaction (intake.pipeline.process_items).
BATCH = 100
# Pages waiting in their queue (oncall.tasks.PAGING_QUEUE) go before triage: before each batch
# the loop waits, up to URGENT_WAIT_SECONDS, until none is waiting. On SQLite, where every
# write takes the one lock, a busy triage loop otherwise starved the pager under load.
URGENT_WAIT_SECONDS = 5.0


def triage_pending(*, grace: dt.timedelta | None = None, limit: int = BATCH, yield_to_pages: bool = True) -> int:
    """Process the oldest received items, at most `limit`; returns how many were taken.

    Items younger than `grace` (settings.INTAKE_TRIAGE_GRACE_SECONDS) are left to the channel
    that received them: the form, email and urgent API reports are processed right after their
    commit, and taking one of those here would make it wait for this (low-priority) process.
    Two loops, or a loop and a channel, never process one item twice: each item is locked and
    checked to be still received. `yield_to_pages` is for the loop; a task worker sweeping
    stuck items must not wait for pages, which it may be the one to send."""
    if grace is None:
        grace = dt.timedelta(seconds=settings.INTAKE_TRIAGE_GRACE_SECONDS)
    pending = IntakeItem.objects.filter(status=IntakeStatus.RECEIVED, received_at__lte=timezone.now() - grace)
    items = list(pending.order_by("received_at", "pk")[:limit])
    size = settings.INTAKE_BATCH_ITEMS
    for start in range(0, len(items), size):
        if yield_to_pages:
            wait_for_urgent_tasks()
        process_items(items[start : start + size])  # quarantines what fails; never leaves an item half done
    return len(items)


def wait_for_urgent_tasks() -> None:
    """Let urgent tasks (pages) run first; never longer than URGENT_WAIT_SECONDS at a time."""
    deadline = time.monotonic() + URGENT_WAIT_SECONDS
    from safetydesk.oncall.tasks import PAGING_QUEUE

    urgent = DBTaskResult.objects.ready().filter(queue_name=PAGING_QUEUE)
    while urgent.exists() and time.monotonic() < deadline:
        time.sleep(0.05)


def run(stop: threading.Event, *, idle_seconds: float) -> None:
    """Triage until `stop` is set: batch after batch while there is work, else a look every
    `idle_seconds`. A failure (the database gone) is logged and retried after the pause."""
    while not stop.is_set():
        taken = 0
        try:
            taken = triage_pending()
        except Exception:
            logger.exception("triage failed; trying again in %ss", idle_seconds)
        finally:
            close_old_connections()
        if not taken:
            stop.wait(idle_seconds)
