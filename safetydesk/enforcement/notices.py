"""The private notice to the person an office action was taken against (DOMAIN §4.4, matrix
step 10): what was done, its scope and duration, the policy, how to appeal and by when, and no
evidence. Sent by email (notify, with delivery tracking) in the person's language, English
when the template has none in it; without an email address, left on their user talk page."""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import translation

from safetydesk.audit.log import record_audit
from safetydesk.audit.models import AuditEventType
from safetydesk.cases.models import Party, PartyRole
from safetydesk.enforcement.actions import SYSTEM_ACTOR, enqueue_executions
from safetydesk.enforcement.models import ActionExecution, ActionType, EventBanScope, OfficeAction, Operation
from safetydesk.intake.grouping import normalize_username
from safetydesk.notify.actions import do_queue_notice
from safetydesk.notify.models import Notice
from safetydesk.notify.rendering import render_notice, team_context
from safetydesk.wiki.models import Wiki

# The notify template of each action type that has a notice of its own so far.
TEMPLATES: dict[str, str] = {
    ActionType.FOUNDATION_GLOBAL_BAN: "office_action_global_ban",
    # DOMAIN §8.2: in writing, by email where possible, in advance of an event. The notice goes
    # when the ban is listed, so before any event it covers.
    ActionType.FOUNDATION_EVENT_BAN: "office_action_event_ban",
}


def subject_of(action: OfficeAction) -> Party | None:
    """The case's subject whose account the action names (else its only subject)."""
    subjects = list(action.case.parties.filter(role=PartyRole.SUBJECT))
    named = [p for p in subjects if _same_account(p.wiki_username, action.target)]
    if named:
        return named[0]
    return subjects[0] if len(subjects) == 1 else None


def _same_account(a: str, b: str) -> bool:
    return bool(a) and normalize_username(a) == normalize_username(b)


def notify_subject(action: OfficeAction) -> Notice | ActionExecution | None:
    """Queue the notice (inside the transaction that carried the action out; it is sent after
    commit): by email when the person's address is known, else on their talk page on the farm's
    notice wiki (notice_wiki), through the outbox like any act on a wiki. With neither, the
    audit trail says so and the team leaves the notice by hand."""
    key = TEMPLATES.get(action.action_type)
    if key is None:
        return None
    party = subject_of(action)
    language = (party.language if party else "") or "en"
    enforced_at = action.enforced_at or action.decided_at
    appeal_until = (enforced_at + dt.timedelta(days=settings.APPEAL_WINDOW_DAYS)).astimezone(dt.UTC).date()
    context = {
        "account": action.target,
        "appeal_until": appeal_until.isoformat(),
        "event_scope": _event_scope(action, language),
    }
    if party is not None:
        from safetydesk.appeals.actions import issue_appeal_link

        context["appeal_url"] = issue_appeal_link(action, party)
    if party is not None and party.email:
        return do_queue_notice(
            case=action.case, item=None, recipient=party.email, key=key, language=language, context=context
        )
    wiki = notice_wiki()
    record_audit(
        event_type=AuditEventType.OFFICE_ACTION_SUBJECT_NOT_EMAILED,
        actor=SYSTEM_ACTOR,
        subject=action,
        data={
            "reason": "no subject" if party is None else "no email address",
            "talk_page": wiki.name if wiki else None,
        },
    )
    if wiki is None:
        return None
    rendered = render_notice(key, language, {**team_context(), **context, "reference": action.case.reference})
    execution = ActionExecution.objects.create(
        office_action=action, wiki=wiki, operation=Operation.TALK_PAGE_NOTICE,
        idempotency_key=f"{action.pk}:{wiki.name}:{Operation.TALK_PAGE_NOTICE}",
        content={"heading": rendered.subject, "text": rendered.body},
    )  # fmt: skip
    transaction.on_commit(lambda: enqueue_executions([execution.pk]))
    return execution


def notice_wiki() -> Wiki | None:
    """Where a talk-page notice goes: the wiki that runs CentralAuth (Meta, in the Foundation's
    farm), else the first wiki of the farm."""
    wikis = list(Wiki.objects.order_by("name"))
    return next((w for w in wikis if w.has_centralauth), wikis[0] if wikis else None)


def _event_scope(action: OfficeAction, language: str) -> str:
    """What an event ban covers, in the notice's language ("" for other actions)."""
    if action.action_type != ActionType.FOUNDATION_EVENT_BAN:
        return ""
    with translation.override(language):
        return str(dict(EventBanScope.choices).get(action.scope, action.scope))


REPORTER_OUTCOME = "office_action_reporter_outcome"


def notify_other_parties(action: OfficeAction) -> list[Notice]:
    """Review matrix row 11: for the action types it names, each reporter with an email address
    is told the Foundation acted (never what or why), once per case, in their language."""
    from safetydesk.reviews.matrix import matrix

    if action.action_type not in matrix().notify_other_parties:
        return []
    if Notice.objects.filter(case=action.case, key=REPORTER_OUTCOME).exists():
        return []  # told already, after an earlier action on the same case
    reporters = action.case.parties.filter(role=PartyRole.REPORTER).order_by("pk")
    return [
        do_queue_notice(
            case=action.case, item=None, recipient=party.email, key=REPORTER_OUTCOME,
            language=party.language or "en", context={},
        )
        for party in reporters
        if party.email
    ]  # fmt: skip
