"""Periodic on-call work (lib.periodic, run from every task worker's clock; each run is claimed
by exactly one worker)."""

import datetime as dt

from django.tasks import task

from safetydesk.lib.periodic import every
from safetydesk.oncall.actions import do_check_rota_gaps
from safetydesk.oncall.paging import escalate_due
from safetydesk.oncall.tasks import sweep_deliveries


@every(dt.timedelta(minutes=1))
@task()
def escalate_unacknowledged_pages() -> int:
    """Page again, one level further, every emergency nobody acknowledged in time."""
    return escalate_due()


@every(dt.timedelta(seconds=30))
@task()
def sweep_page_deliveries() -> int:
    """Deliveries a dead worker left "sending", retries that are due, tasks that were lost."""
    return sweep_deliveries()


@every(dt.timedelta(minutes=15))
@task()
def check_rota_gaps() -> int:
    """Alert managers to rota gaps in the next settings.ONCALL_GAP_LOOKAHEAD_HOURS."""
    return len(do_check_rota_gaps())
