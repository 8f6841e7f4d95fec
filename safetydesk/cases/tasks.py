"""Side effects of case actions, run by the task worker after commit. They carry ids only."""

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task

from safetydesk.cases.models import Case, PartyRole


@task()
def send_canned_reply(case_id: int, template: str) -> int:
    """Write to the case's reporters with the canned reply chosen at closure, in their language
    (notify: the administrators' wording or the shipped default, English as the fallback).

    Returns how many reporters were written to (reporters without an email are skipped)."""
    from safetydesk.notify.actions import do_queue_notice

    case = Case.objects.get(pk=case_id)
    sent = 0
    for reporter in case.parties.filter(role=PartyRole.REPORTER):
        if not reporter.email:
            continue
        do_queue_notice(
            case=case,
            item=None,
            recipient=reporter.email,
            key=template,
            language=reporter.language or case.language or "en",
            context={"venue_url": case.routed_url},
        )
        sent += 1
    return sent


@task()
def notify_assignment(case_id: int, user_id: int) -> bool:
    """Tell a staff member they now lead a case. The email names the case, never its content."""
    case = Case.objects.select_related("lead").get(pk=case_id)
    if case.lead_id != user_id or not case.lead or not case.lead.email:
        return False
    send_mail(
        f"[{case.reference}] You are now the lead",
        f"You were assigned as lead of {case.reference} ({case.get_priority_display()}).\n\n"
        f"{settings.SITE_URL}/cases/{case.reference}/\n",
        settings.DEFAULT_FROM_EMAIL,
        [case.lead.email],
    )
    return True
