"""Periodic intake work (lib.periodic): recovery of items a crash left unprocessed, purges."""

import datetime as dt

from django.tasks import task
from django.utils import timezone

from safetydesk.intake.limits import purge_rate_counters
from safetydesk.intake.models import IntakeItem, IntakeStatus
from safetydesk.lib.periodic import every

# An item is committed before it is processed; if the process died in between, the item is
# still "received". Younger items may simply be in hand right now, so leave them alone.
STUCK_AFTER = dt.timedelta(minutes=2)


@every(dt.timedelta(minutes=2))
@task()
def process_stuck_items() -> int:
    """Process every item that was received but never processed. Returns how many."""
    from safetydesk.intake.pipeline import process_item

    cutoff = timezone.now() - STUCK_AFTER
    stuck = IntakeItem.objects.filter(status=IntakeStatus.RECEIVED, received_at__lt=cutoff).order_by("received_at")
    count = 0
    for item in stuck[:500]:
        process_item(item)
        count += 1
    return count


@every(dt.timedelta(hours=6))
@task()
def purge_old_rate_counters() -> int:
    return purge_rate_counters()
