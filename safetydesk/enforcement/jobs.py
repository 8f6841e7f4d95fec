"""Periodic enforcement work (lib.periodic, run from the task workers' clock)."""

import datetime as dt

from django.tasks import task

from safetydesk.enforcement.tasks import sweep_executions
from safetydesk.lib.periodic import every


@every(dt.timedelta(minutes=1))
@task()
def sweep_office_action_executions() -> int:
    """Executions a dead worker left running, retries that are due, tasks that were lost."""
    return sweep_executions()


@every(dt.timedelta(minutes=15))
@task()
def close_ended_event_bans() -> list[int]:
    """Shares of the event-ban list whose access ran out, and event bans whose time is up, are
    recorded as ended (access itself never waits for this job)."""
    from safetydesk.enforcement.event_bans import close_ended

    return list(close_ended())


@every(dt.timedelta(hours=6))
@task()
def open_ban_reviews() -> int:
    """Bans in force whose yearly review has come due get it (enforcement.maintenance)."""
    from safetydesk.enforcement.maintenance import open_due_reviews

    return open_due_reviews()


@every(dt.timedelta(hours=1))
@task()
def publish_ban_list_hourly() -> dict[str, object]:
    """The public ban list on its wiki page, if one is configured (enforcement.publishing)."""
    from safetydesk.enforcement.publishing import publish_ban_list

    return publish_ban_list()
