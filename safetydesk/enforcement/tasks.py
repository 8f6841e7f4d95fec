"""Sending executions to the wikis in the task worker (tasks carry ids only).

An execution is claimed by a conditional UPDATE (pending → running: exactly one worker wins),
carried out by enforcement.operations, then recorded done with the wiki's log id. A transient
error (wiki down, lagged, slow) puts it back with the next wait of
settings.ENFORCEMENT_RETRY_SECONDS; a permanent one, or the last attempt, marks it failed and the
action as needing attention. A worker killed mid-way leaves it "running": the sweep puts it back
after settings.ENFORCEMENT_RUNNING_TIMEOUT_SECONDS, and the retry reads the wiki first.
"""

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.tasks import default_task_backend, task
from django.utils import timezone

from safetydesk.audit.log import record_audit
from safetydesk.audit.models import AuditEventType
from safetydesk.enforcement import operations
from safetydesk.enforcement.actions import SYSTEM_ACTOR, finish_if_complete, office_action_reason
from safetydesk.enforcement.models import ActionExecution, ActionStatus, ExecutionStatus, OfficeAction, Operation
from safetydesk.lib import outbox
from safetydesk.wiki.actions import logged_in_client
from safetydesk.wiki.errors import TransientWikiError, WikiError

logger = logging.getLogger("safetydesk.enforcement")

# A pending execution due this long ago whose task never ran (lost between commit and enqueue).
ENQUEUE_GRACE = dt.timedelta(seconds=60)


def max_attempts() -> int:
    return len(settings.ENFORCEMENT_RETRY_SECONDS) + 1


@task(priority=50)
def execute(execution_id: int) -> str:
    """Try one execution once. Returns done, retry, failed, or skipped (not pending, not yet due,
    or in another worker's hands)."""
    now = timezone.now()
    claimed = ActionExecution.objects.filter(
        pk=execution_id, status=ExecutionStatus.PENDING, next_attempt_at__lte=now
    ).update(status=ExecutionStatus.RUNNING, claimed_at=now, attempts=F("attempts") + 1)
    if claimed != 1:
        return "skipped"
    execution = ActionExecution.objects.select_related("office_action", "wiki").get(pk=execution_id)
    try:
        log_id = _on_wiki(execution)
    except WikiError as error:
        return _record_failure(execution, error)
    except (KeyError, TypeError) as error:  # an answer without what every answer of its kind has
        answer = TransientWikiError("bad-response", f"unexpected answer from the wiki ({error!r})")
        return _record_failure(execution, answer)
    _record_done(execution, log_id)
    return "done"


def _on_wiki(execution: ActionExecution) -> int | None:
    assert execution.wiki is not None, "only executions with a wiki are sent"
    action = execution.office_action
    client = logged_in_client(execution.wiki)
    reason = office_action_reason(action)
    match execution.operation:
        case Operation.GLOBAL_LOCK:
            return operations.global_lock(client, action.target, reason=reason)
        case Operation.UNBLOCK:
            return operations.unblock(client, action.target, reason=reason)
        case Operation.GLOBAL_UNLOCK:
            return operations.global_unlock(client, action.target, reason=reason)
        case Operation.DELETE_PAGE:
            return operations.delete_page(client, action.details["page"], reason=reason)
        case Operation.UNDELETE_PAGE:
            return operations.undelete_page(client, action.details["page"], reason=reason)
        case Operation.SUPPRESS_REVISIONS:
            return operations.suppress_revisions(
                client, action.details["page"], action.details["revisions"], hide=settings.OFFICE_SUPPRESS_HIDE,
                reason=reason,
            )  # fmt: skip
        case Operation.PROTECT_PAGE:
            return operations.protect_page(
                client, action.details["page"], protections=settings.OFFICE_PROTECTION, expiry=action.expiry,
                reason=reason,
            )  # fmt: skip
        case Operation.EDIT_PAGE:
            return operations.edit_page(client, action.details["page"], text=settings.OFFICE_EDIT_TEXT, reason=reason)
        case Operation.ANNOUNCEMENT:
            return operations.new_section_once(
                client, execution.content["page"], heading=execution.content["heading"],
                text=execution.content["text"], marker=f"<!-- safetydesk {execution.idempotency_key} -->",
                summary=reason,
            )  # fmt: skip
        case Operation.TALK_PAGE_NOTICE:
            return operations.talk_page_notice(
                client, action.target, heading=execution.content["heading"], text=execution.content["text"],
                marker=f"<!-- safetydesk notice {execution.idempotency_key} -->", summary=reason,
            )  # fmt: skip
    return operations.block(client, action.target, expiry=action.expiry, reason=reason)


def _record_done(execution: ActionExecution, log_id: int | None) -> None:
    with transaction.atomic():
        marked = ActionExecution.objects.filter(pk=execution.pk, status=ExecutionStatus.RUNNING).update(
            status=ExecutionStatus.DONE, log_id=log_id, done_at=timezone.now(), last_error=""
        )
        if not marked:
            return  # the sweep took it back meanwhile; its retry reads the wiki and records it
        record_audit(
            event_type=AuditEventType.OFFICE_ACTION_EXECUTED,
            actor=SYSTEM_ACTOR,
            subject=execution,
            data={"action": execution.office_action_id, "wiki": execution.wiki_id, "log_id": log_id,
                  "attempts": execution.attempts},
        )  # fmt: skip
        finish_if_complete(execution.office_action_id)


def _record_failure(execution: ActionExecution, error: WikiError) -> str:
    final = not isinstance(error, TransientWikiError) or execution.attempts >= max_attempts()
    retry_at = None
    if not final:
        wait = settings.ENFORCEMENT_RETRY_SECONDS[execution.attempts - 1]
        retry_at = timezone.now() + dt.timedelta(seconds=max(wait, getattr(error, "retry_after", None) or 0))
    reason = f"{error.code}: {error.info}"[:1000]
    with transaction.atomic():
        updates: dict[str, object] = {"last_error": reason, "claimed_at": None}
        if final:
            updates["status"] = ExecutionStatus.FAILED
        else:
            updates.update(status=ExecutionStatus.PENDING, next_attempt_at=retry_at)
        if not ActionExecution.objects.filter(pk=execution.pk, status=ExecutionStatus.RUNNING).update(**updates):
            return "skipped"
        record_audit(
            event_type=AuditEventType.OFFICE_ACTION_EXECUTION_FAILED if final
            else AuditEventType.OFFICE_ACTION_EXECUTION_DEFERRED,
            actor=SYSTEM_ACTOR,
            subject=execution,
            data={"action": execution.office_action_id, "wiki": execution.wiki_id, "error": reason[:200],
                  "transient": error.transient, "attempts": execution.attempts,
                  "retry_at": retry_at.isoformat() if retry_at else None},
        )  # fmt: skip
        if final:
            OfficeAction.objects.filter(pk=execution.office_action_id).update(status=ActionStatus.NEEDS_ATTENTION)
    if final:
        # Loud on purpose: the log is how operations hear of it until the console shows it.
        logger.error("office action %s could not be carried out on %s: %s", execution.office_action_id,
                     execution.wiki, reason)  # fmt: skip
        return "failed"
    logger.warning("execution %s on %s: %s; trying again at %s", execution.pk, execution.wiki, reason, retry_at)
    if default_task_backend.supports_defer:
        transaction.on_commit(lambda: execute.using(run_after=retry_at).enqueue(execution.pk))
    return "retry"


def sweep_executions(now: dt.datetime | None = None) -> int:
    """Put back executions a dead worker left "running", and enqueue every pending one that is
    due and whose task seems lost (lib.outbox.sweep); a retry reads the wiki before acting.
    Returns how many were enqueued."""
    now = now or timezone.now()
    return outbox.sweep(
        ActionExecution,
        pending=ExecutionStatus.PENDING,
        in_flight=ExecutionStatus.RUNNING,
        now=now,
        stale_before=now - dt.timedelta(seconds=settings.ENFORCEMENT_RUNNING_TIMEOUT_SECONDS),
        due_before=now - ENQUEUE_GRACE,
        reason="the worker carrying it out stopped before it finished",
        enqueue=execute.enqueue,
    )
