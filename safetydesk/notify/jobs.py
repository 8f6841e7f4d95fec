"""Periodic notify work (lib.periodic): notices whose send is due but never ran."""

import datetime as dt

from django.tasks import task

from safetydesk.lib.periodic import every
from safetydesk.notify.tasks import send_due_notices


@every(dt.timedelta(minutes=1))
@task()
def send_overdue_notices() -> int:
    """Retries after a transient failure (where the task backend cannot defer) and sends
    whose task was lost between commit and enqueue."""
    return send_due_notices()
