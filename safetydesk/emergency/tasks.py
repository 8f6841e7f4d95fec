"""Side effects of the emergency actions, run by the task worker after commit (ids only)."""

from django.tasks import task

from safetydesk.emergency.actions import do_remind_legal_of_disclosure


@task()
def notify_legal_of_disclosure(disclosure_id: int) -> int:
    """Tell legal counsel of a new disclosure to law enforcement (the first round of notices)."""
    return do_remind_legal_of_disclosure(disclosure_id=disclosure_id)
