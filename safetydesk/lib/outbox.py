"""What every outbox of rows-sent-by-tasks shares (oncall page deliveries, enforcement
executions): a row is "pending" with a `next_attempt_at`, claimed by a conditional UPDATE that
sets its in-flight status and `claimed_at`, and either finished or put back for a retry.

`sweep` repairs the two ways such a row can be stranded: a worker that died holding it (in
flight since before `stale_before`) and a task that never reached the queue (pending and due
since before `due_before`). It puts the first back and enqueues both. Safe anywhere, any time:
the claim decides who sends."""

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import models

# How many stranded rows one sweep re-enqueues at most (the next sweep takes the rest).
SWEEP_BATCH = 500


def sweep(
    model: type[models.Model],
    *,
    pending: str,
    in_flight: str,
    now: dt.datetime,
    stale_before: dt.datetime,
    due_before: dt.datetime,
    reason: str,
    enqueue: Callable[[Any], object],
) -> int:
    """Returns how many rows were enqueued."""
    rows = model._default_manager
    stranded = rows.filter(status=in_flight, claimed_at__lt=stale_before)
    reclaimed = list(stranded.values_list("pk", flat=True))
    rows.filter(pk__in=reclaimed, status=in_flight, claimed_at__lt=stale_before).update(
        status=pending, claimed_at=None, next_attempt_at=now, last_error=reason
    )
    due = list(
        rows.filter(status=pending, next_attempt_at__lte=due_before)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    ids = list(dict.fromkeys([*reclaimed, *due]))
    for pk in ids:
        enqueue(pk)
    return len(ids)
