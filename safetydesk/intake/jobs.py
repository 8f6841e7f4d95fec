"""Periodic intake work (lib.periodic): recovery of items a crash left unprocessed, purges."""

import datetime as dt

from django.tasks import task

from safetydesk.intake.limits import purge_rate_counters
from safetydesk.lib.periodic import every

# An item is committed before it is processed; if the process died in between, the item is
# still "received". Younger items may simply be in hand right now (a channel's own processing,
# or `safetydesk triage`), so leave them alone.
STUCK_AFTER = dt.timedelta(minutes=2)


@every(dt.timedelta(minutes=2))
@task()
def process_stuck_items() -> int:
    """Process items received but never processed (at most 500 a run). Returns how many."""
    from safetydesk.intake.triage import triage_pending

    return triage_pending(grace=STUCK_AFTER, limit=500, yield_to_pages=False)


@every(dt.timedelta(hours=6))
@task()
def purge_old_rate_counters() -> int:
    return purge_rate_counters()
