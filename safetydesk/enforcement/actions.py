"""Carrying out a decided office action: planning its executions, confirming those done by hand,
and closing the action once every execution is confirmed.

Planning a Foundation global ban, or a global lock (of an account evading a ban, DOMAIN §7,
INTEROP §4.1): a global lock on the first wiki of the farm that runs CentralAuth, which locks the
account everywhere; else an indefinite block on every wiki of the farm; with no wiki registered,
one execution a staff member carries out by hand and confirms. The executions are committed with
the action's new status, then sent by the task worker (enforcement.tasks), so nothing decided is
lost to a crash. An event ban has no execution: it is carried out by listing it (event_bans).
"""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safetydesk.accounts.permissions import can_work_case
from safetydesk.audit.log import record_audit
from safetydesk.audit.models import AuditEventType
from safetydesk.enforcement.models import (
    FINISHED,
    ActionExecution,
    ActionStatus,
    ActionType,
    ExecutionStatus,
    OfficeAction,
    Operation,
)
from safetydesk.lib.errors import Refusal
from safetydesk.wiki.models import Wiki

SYSTEM_ACTOR = "enforcement"


class EnforcementRefusal(Refusal):
    code = "enforcement_refused"
    http_status = 422


class EnforcementNotPermitted(EnforcementRefusal):
    code = "enforcement_not_permitted"
    http_status = 403


def office_action_reason(action: "OfficeAction | None" = None) -> str:
    """The log reason of an office action on a wiki: "Office action" and the policy, never a
    fact of the case (DOMAIN §3.4); a DMCA takedown or restoration cites the DMCA instead."""
    if action is not None and action.action_type in DMCA_TYPES:
        return str(settings.DMCA_LOG_REASON)
    return str(settings.OFFICE_ACTION_REASON)


# Per action type on the wikis: the operation where the farm runs CentralAuth (on that wiki
# only), and the one on every wiki of a farm without it.
ON_WIKI_OPERATIONS: dict[str, tuple[str, str]] = {
    ActionType.FOUNDATION_GLOBAL_BAN: (Operation.GLOBAL_LOCK, Operation.BLOCK),
    ActionType.GLOBAL_LOCK: (Operation.GLOBAL_LOCK, Operation.BLOCK),
    ActionType.BAN_LIFT: (Operation.GLOBAL_UNLOCK, Operation.UNBLOCK),
}


# Actions on content: one operation on the one wiki the action names.
CONTENT_OPERATIONS: dict[str, str] = {
    ActionType.PAGE_DELETION: Operation.DELETE_PAGE,
    ActionType.REVISION_SUPPRESSION: Operation.SUPPRESS_REVISIONS,
    ActionType.PAGE_PROTECTION: Operation.PROTECT_PAGE,
    ActionType.PAGE_BLANKING: Operation.EDIT_PAGE,
    # DMCA (legal.dmca): the page (a file's page takes the file with it) is deleted, and undeleted
    # once a valid counter-notice's window has passed.
    ActionType.DMCA_TAKEDOWN: Operation.DELETE_PAGE,
    ActionType.DMCA_RESTORE: Operation.UNDELETE_PAGE,
    # A foreign legal demand (legal.demands): the page removed as an office action.
    ActionType.LEGAL_CONTENT_REMOVAL: Operation.DELETE_PAGE,
}
DMCA_TYPES = frozenset({ActionType.DMCA_TAKEDOWN, ActionType.DMCA_RESTORE})
# What a clock, not a person, sets off: the restoration a valid counter-notice makes due on
# business day 10 (legal.jobs), carried out by Safetydesk itself (acting_user a "part:" string).
CARRIED_OUT_BY_SAFETYDESK = frozenset({ActionType.DMCA_RESTORE})


def plan(action: OfficeAction) -> list[tuple[Wiki | None, str]]:
    """(wiki, operation) for each execution the action needs on the farm as it is now."""
    if action.action_type == ActionType.FOUNDATION_EVENT_BAN:
        return []  # carried out by listing it (enforcement.event_bans), not on a wiki
    if action.action_type in CONTENT_OPERATIONS:
        wiki = action.wiki
        return [(wiki, CONTENT_OPERATIONS[action.action_type])] if wiki else [(None, Operation.BY_HAND)]
    operations = ON_WIKI_OPERATIONS.get(action.action_type)
    wikis = list(Wiki.objects.order_by("name"))
    if operations is None or not wikis:
        return [(None, Operation.BY_HAND)]
    central = next((wiki for wiki in wikis if wiki.has_centralauth), None)
    if central is not None:
        return [(central, operations[0])]
    return [(wiki, operations[1]) for wiki in wikis]


@transaction.atomic
def do_carry_out(*, office_action: OfficeAction, acting_user: Any) -> list[ActionExecution]:
    """Start carrying out a decided action: its executions are committed and queued."""
    action = OfficeAction.objects.select_for_update().select_related("case").get(pk=office_action.pk)
    scheduled = isinstance(acting_user, str) and action.action_type in CARRIED_OUT_BY_SAFETYDESK
    if not scheduled and not can_work_case(acting_user, action.case):
        raise EnforcementNotPermitted(_("You may not carry out office actions on this case."))
    if action.status != ActionStatus.APPROVED:
        raise EnforcementRefusal(
            _("This office action is already %(status)s; it is carried out only once.")
            % {"status": action.get_status_display().lower()},
            details={"status": action.status},
        )
    executions = []
    for wiki, operation in plan(action):
        manual = operation == Operation.BY_HAND
        executions.append(
            ActionExecution.objects.create(
                office_action=action,
                wiki=wiki,
                operation=operation,
                idempotency_key=f"{action.pk}:{wiki.name if wiki else '-'}:{operation}",
                status=ExecutionStatus.AWAITING_STAFF if manual else ExecutionStatus.PENDING,
            )
        )
    action.status, action.enforcing_since = ActionStatus.ENFORCING, timezone.now()
    action.save(update_fields=["status", "enforcing_since"])
    record_audit(
        event_type=AuditEventType.OFFICE_ACTION_CARRIED_OUT,
        actor=acting_user,
        subject=action,
        data={"case": action.case_id, "executions": [[e.pk, e.wiki_id, e.operation] for e in executions]},
    )
    if action.action_type == ActionType.FOUNDATION_EVENT_BAN:
        from safetydesk.enforcement.event_bans import list_event_ban

        list_event_ban(action)
    pending = [e.pk for e in executions if e.status == ExecutionStatus.PENDING]
    transaction.on_commit(lambda: enqueue_executions(pending))
    finish_if_complete(action.pk)  # nothing left to wait for (an event ban) finishes it now
    return executions


def enqueue_executions(execution_ids: list[int]) -> None:
    from safetydesk.enforcement.tasks import execute

    for execution_id in execution_ids:
        execute.enqueue(execution_id)


# What a person may take over: a step with no wiki to go to, and one the wiki refused for good.
BY_A_PERSON = frozenset({ExecutionStatus.AWAITING_STAFF, ExecutionStatus.FAILED})


def _lock_execution(execution: ActionExecution, acting_user: Any) -> ActionExecution:
    execution = ActionExecution.objects.select_for_update().select_related("office_action__case").get(pk=execution.pk)
    if not can_work_case(acting_user, execution.office_action.case):
        raise EnforcementNotPermitted(_("You may not carry out office actions on this case."))
    return execution


@transaction.atomic
def do_confirm_by_hand(*, execution: ActionExecution, acting_user: Any, note: str) -> ActionExecution:
    """A staff member says they carried out a step themselves: one that had no wiki to go to, or
    one the wiki refused for good (done on the wiki by hand after all)."""
    execution = _lock_execution(execution, acting_user)
    if execution.status not in BY_A_PERSON:
        raise EnforcementRefusal(
            _("This step is not waiting for a person (it is %(status)s).")
            % {"status": execution.get_status_display().lower()}
        )
    if not note.strip():
        raise EnforcementRefusal(_("Say what you did and where (a log link or id)."), details={"field": "note"})
    failed_before = execution.status == ExecutionStatus.FAILED
    execution.status, execution.done_at = ExecutionStatus.CONFIRMED_BY_STAFF, timezone.now()
    execution.confirmed_by, execution.note = acting_user, note.strip()[:2000]
    execution.save()
    record_audit(
        event_type=AuditEventType.OFFICE_ACTION_EXECUTED,
        actor=acting_user,
        subject=execution,
        data={"action": execution.office_action_id, "by_hand": True, "after_failure": failed_before},
    )
    _back_to_enforcing_if_nothing_failed(execution.office_action_id)
    finish_if_complete(execution.office_action_id)
    return execution


@transaction.atomic
def do_retry_execution(*, execution: ActionExecution, acting_user: Any) -> ActionExecution:
    """Send a step that failed for good once more (after the cause was fixed: a bot password
    renewed, a wiki back up). It reads the wiki first, as every attempt does, so it never acts
    twice."""
    execution = _lock_execution(execution, acting_user)
    if execution.status != ExecutionStatus.FAILED:
        raise EnforcementRefusal(_("Only a step that failed can be tried again."))
    execution.status, execution.attempts, execution.next_attempt_at = ExecutionStatus.PENDING, 0, timezone.now()
    execution.save(update_fields=["status", "attempts", "next_attempt_at"])
    record_audit(
        event_type=AuditEventType.OFFICE_ACTION_EXECUTION_RETRIED,
        actor=acting_user,
        subject=execution,
        data={"action": execution.office_action_id, "last_error": execution.last_error[:200]},
    )
    _back_to_enforcing_if_nothing_failed(execution.office_action_id)
    transaction.on_commit(lambda: enqueue_executions([execution.pk]))
    return execution


def _back_to_enforcing_if_nothing_failed(action_id: int) -> None:
    OfficeAction.objects.filter(pk=action_id, status=ActionStatus.NEEDS_ATTENTION).exclude(
        executions__status=ExecutionStatus.FAILED
    ).update(status=ActionStatus.ENFORCING)


def finish_if_complete(action_id: int) -> bool:
    """Mark the action carried out once every execution is confirmed. Call inside the
    transaction that finished an execution. True if it did."""
    action = OfficeAction.objects.select_for_update().get(pk=action_id)
    if action.status != ActionStatus.ENFORCING:
        return False
    if action.executions.exclude(status__in=FINISHED).exists():
        return False
    action.status, action.enforced_at = ActionStatus.ENFORCED, timezone.now()
    action.save(update_fields=["status", "enforced_at"])
    record_audit(
        event_type=AuditEventType.OFFICE_ACTION_ENFORCED,
        actor=SYSTEM_ACTOR,
        subject=action,
        data={"log_ids": list(action.executions.values_list("wiki__name", "log_id"))},
    )
    if action.lifts_id is not None:
        _mark_lifted(action)
    if action.action_type in {ActionType.FOUNDATION_GLOBAL_BAN, ActionType.BAN_LIFT}:
        from safetydesk.enforcement.publishing import publish_on_commit

        publish_on_commit()
    from safetydesk.enforcement.notices import notify_other_parties, notify_subject

    notify_subject(action)
    notify_other_parties(action)
    for hook in AFTER_ENFORCED:
        hook(action)
    return True


# What other apps do, in the same transaction, once an action is carried out everywhere (a DMCA
# restoration closes its case: legal.dmca.on_restoration_done). Registered in AppConfig.ready().
AFTER_ENFORCED: list[Callable[[OfficeAction], None]] = []


def _mark_lifted(lifting: OfficeAction) -> None:
    """The lifted ban leaves the wikis' state and the public list (enforcement.public)."""
    assert lifting.lifts_id is not None
    OfficeAction.objects.filter(pk=lifting.lifts_id).update(status=ActionStatus.LIFTED, lifted_at=lifting.enforced_at)
    record_audit(
        event_type=AuditEventType.OFFICE_ACTION_LIFTED, actor=SYSTEM_ACTOR, subject=lifting,
        data={"lifted": lifting.lifts_id},
    )  # fmt: skip


def ban_in_force(account: str) -> OfficeAction | None:
    """The Foundation global ban in force against `account`, if any. The account is encrypted
    in the table, so the few bans in force are read and compared here."""
    from safetydesk.intake.grouping import normalize_username

    key = normalize_username(account)
    bans = OfficeAction.objects.filter(
        action_type=ActionType.FOUNDATION_GLOBAL_BAN, status__in=[ActionStatus.ENFORCED, ActionStatus.NEEDS_ATTENTION]
    ).order_by("-enforced_at", "-id")
    return next((ban for ban in bans if normalize_username(ban.target) == key), None)
