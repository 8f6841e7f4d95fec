"""Every change to a case goes through these functions (ARCHITECTURE §6).

Each runs in one transaction that also writes the case's timeline row (CaseEvent) and the
audit row; side effects are enqueued only after commit. A refused change raises a CaseError
subclass and writes nothing.
"""

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from safetydesk.accounts.permissions import can_work_case
from safetydesk.accounts.roles import MEMBERSHIP_GRANTORS
from safetydesk.audit.log import record_audit
from safetydesk.audit.models import AuditEventType
from safetydesk.cases.errors import (
    CaseError,
    GuardFailed,
    InvalidData,
    RoleNotPermitted,
    StaleCase,
    TransitionNotAvailable,
    UnknownTransition,
)
from safetydesk.cases.models import (
    Case,
    CaseEvent,
    CaseEventKind,
    CaseKind,
    Confidentiality,
    Evidence,
    EvidenceKind,
    Note,
    Party,
    PartyRole,
    Priority,
)
from safetydesk.cases.workflow import guard_block, role_block, workflow_for
from safetydesk.lib.calendar import add_business_days


@dataclass(frozen=True)
class PartyData:
    role: str
    wiki_username: str = ""
    real_name: str = ""
    email: str = ""
    language: str = ""
    global_user_id: str = ""
    ip_or_range: str = ""


def check_choice(value: str, choices: Iterable[str], field: str, label: str | Promise) -> str:
    """`field` names the value in the error details (stable); `label` names it to a person."""
    if value not in set(choices):
        raise InvalidData(
            _("%(label)s: “%(value)s” is not a valid choice.") % {"label": label, "value": value},
            details={"field": field},
        )
    return value


def check_party(party: PartyData) -> PartyData:
    """A known role, and an email address canned replies can actually be sent to."""
    check_choice(party.role, PartyRole.values, "party role", _("party role"))
    if party.email:
        try:
            validate_email(party.email)
        except ValidationError:
            raise InvalidData(_("The email address is not valid."), details={"field": "email"}) from None
    return party


PERMALINK_MAX_LENGTH = 1000  # Evidence.permalink's max_length


def check_permalink(permalink: str) -> str:
    """An http(s) link that fits the column: the case file renders it as a link."""
    if len(permalink) > PERMALINK_MAX_LENGTH:
        raise InvalidData(
            _("The permalink is too long (1,000 characters at most)."), details={"field": "permalink"}
        )
    try:
        URLValidator(schemes=["http", "https"])(permalink)
    except ValidationError:
        raise InvalidData(_("The permalink must be an http(s) link."), details={"field": "permalink"}) from None
    return permalink


def start_clocks(case: Case, opened_at: dt.datetime) -> None:
    case.opened_at = opened_at
    case.ack_due_at = add_business_days(opened_at, settings.SLA_ACK_BUSINESS_DAYS)
    case.aging_alert_at = opened_at + dt.timedelta(days=settings.SLA_AGING_DAYS)
    case.target_due_at = opened_at + dt.timedelta(days=settings.SLA_TARGET_DAYS)
    case.sla_due_at = case.next_sla_due()


def _event(case: Case, actor: Any, kind: str, **fields: Any) -> CaseEvent:
    return CaseEvent.objects.create(case=case, actor=actor, kind=kind, **fields)


def timeline_row(case: Case, actor: Any, kind: str, data: dict[str, Any]) -> CaseEvent:
    """A row of an app's own kind on the case's timeline (registered with the console's
    presenters). Safetydesk itself acting (None, or a string naming the part) shows no person."""
    return _event(case, actor if getattr(actor, "pk", None) else None, kind, data=data)


def lock_case(case: Case, expected_version: int | None) -> Case:
    """The case, locked for this transaction; StaleCase if it changed since `expected_version`
    (the version the person saw). Every action that changes a case starts here."""
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleCase(
            _(
                "%(reference)s was changed by someone else since you opened it "
                "(you saw version %(seen)s, it is now %(current)s). Reload and try again."
            )
            % {"reference": locked.reference, "seen": expected_version, "current": locked.version},
            details={"current_version": locked.version},
        )
    return locked


def system_actor_label(acting_user: Any) -> str | None:
    """None when a person acts. Otherwise Safetydesk itself acts, and this is the name the audit
    trail gives it: `acting_user=None` is "system"; a string names the part ("oncall:paging")."""
    if acting_user is None:
        return "system"
    if isinstance(acting_user, str):
        return acting_user.strip() or "system"
    return None


def _require_worker(acting_user: Any, case: Case) -> None:
    if not can_work_case(acting_user, case):
        raise RoleNotPermitted(_("You may read this case but not change it."))


def _bump(case: Case, *fields: str) -> None:
    case.version += 1
    case.save(update_fields=[*fields, "version", "updated_at"])


@transaction.atomic
def do_create_case(
    *,
    acting_user: Any,
    title: str,
    kind: str = CaseKind.GENERAL,
    summary: str = "",
    priority: str = Priority.P2,
    confidentiality: str = Confidentiality.INTERNAL,
    language: str = "en",
    projects: list[str] | None = None,
    intake_channel: str = "",
    eu_nexus: bool = False,
    parties: Iterable[PartyData] = (),
    opened_at: dt.datetime | None = None,
) -> Case:
    """Open a case in its workflow's initial state with its SLA clocks running."""
    title = title.strip()
    if not title:
        raise InvalidData(_("A case needs a title."), details={"field": "title"})
    if len(title) > 200:
        raise InvalidData(_("The title is too long (200 characters at most)."), details={"field": "title"})
    check_choice(kind, CaseKind.values, "kind", _("kind"))
    check_choice(priority, Priority.values, "priority", _("priority"))
    check_choice(confidentiality, Confidentiality.values, "confidentiality", _("confidentiality"))
    parties = list(parties)
    for party in parties:
        check_party(party)
    if acting_user is not None and getattr(acting_user, "pk", None) and not acting_user.is_casework_staff:
        raise RoleNotPermitted(_("Only case-work staff may open cases."))

    workflow = workflow_for(kind)
    language = (language or "en").lower()[:8]
    case = Case(
        kind=kind,
        state=workflow.initial,
        title=title,
        summary=summary,
        priority=priority,
        confidentiality=confidentiality,
        language=language,
        languages=[language],
        projects=list(projects or []),
        intake_channel=intake_channel,
        eu_nexus=eu_nexus,
        created_by=acting_user if getattr(acting_user, "pk", None) else None,
    )
    start_clocks(case, opened_at or timezone.now())
    # Unique until replaced once the id is known; fits the 32-character column.
    case.reference = f"pending-{uuid.uuid4().hex[:24]}"
    case.save()
    case.reference = f"{settings.CASE_REFERENCE_PREFIX}-{case.opened_at:%Y}-{case.pk:06d}"
    case.save(update_fields=["reference"])
    if case.confidentiality != Confidentiality.INTERNAL and getattr(acting_user, "pk", None):
        # Whoever opens a restricted case must be able to see it.
        case.members.add(acting_user)
    actor = acting_user if getattr(acting_user, "pk", None) else None
    _event(case, actor, CaseEventKind.CREATED, to_state=case.state, data={"channel": intake_channel})
    for party in parties:
        _add_party(case, party)
    record_audit(event_type=AuditEventType.CASE_CREATED, actor=actor, subject=case, data={"kind": kind})
    for effect in workflow.on_create:
        effect(case)
    return case


def _add_party(case: Case, party: PartyData) -> Party:
    return Party.objects.create(case=case, **party.__dict__)


@transaction.atomic
def do_transition(
    *,
    case: Case,
    transition: str,
    acting_user: Any,
    data: dict[str, Any] | None = None,
    expected_version: int | None = None,
) -> Case:
    """Move the case along its workflow. Guarantees: the user's role allows it, the case was not
    changed since `expected_version`, every field the transition asks for is valid and every
    guard passes; then state, clocks, timeline and audit change together, or nothing does.

    `acting_user` None (or a string naming the part of Safetydesk that acts, "oncall:paging")
    is the system itself: it may take only the transitions declared `system=True`, and the
    timeline shows no person."""
    data = dict(data or {})
    system = system_actor_label(acting_user)
    workflow = workflow_for(case.kind)
    step = workflow.transition(transition)
    if step is None:
        known = ", ".join(t.name for t in workflow.transitions)
        raise UnknownTransition(
            _("“%(transition)s” is not a transition of the %(kind)s workflow (known: %(known)s).")
            % {"transition": transition, "kind": case.kind, "known": known},
            details={"transition": transition},
        )
    case = lock_case(case, expected_version)
    if system is None:
        _require_worker(acting_user, case)
    if case.state not in step.sources:
        raise TransitionNotAvailable(
            _("“%(step)s” cannot be taken from %(state)s.")
            % {"step": step.label, "state": workflow.state(case.state).label},
            details={"state": case.state, "transition": transition},
        )
    if system is not None and not step.system:
        raise RoleNotPermitted(
            _("“%(step)s” needs a person: Safetydesk does not take it by itself.") % {"step": step.label},
            details={"transition": transition},
        )
    blocked = None if system is not None else role_block(step, acting_user)
    if blocked:
        raise RoleNotPermitted(blocked, details={"transition": transition})

    cleaned: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for field in step.fields:
        value, error = field.clean(data.get(field.name))
        if error:
            errors[field.name] = error
        cleaned[field.name] = value
    if errors:
        raise InvalidData(" ".join(errors.values()), details={"fields": errors})
    blocked = guard_block(step, case, acting_user, cleaned)
    if blocked:
        raise GuardFailed(blocked, details={"transition": transition})

    now = timezone.now()
    from_state = case.state
    changed = ["state", "sla_due_at", "closed_at", "acknowledged_at"]
    case.state = step.target
    if step.acknowledges and case.acknowledged_at is None:
        case.acknowledged_at = now
    closed_states = workflow.closed_states()
    if step.target in closed_states:
        case.closed_at = now
    elif from_state in closed_states:
        case.closed_at = None
        case.routed_to = case.routed_url = case.reply_template = case.closure_reason = ""
        changed += ["routed_to", "routed_url", "reply_template", "closure_reason"]
    for field in step.fields:
        if field.on_case:
            setattr(case, field.name, cleaned[field.name])
            changed.append(field.name)
    case.sla_due_at = case.next_sla_due()
    _bump(case, *dict.fromkeys(changed))
    _event(
        case, None if system else acting_user, CaseEventKind.TRANSITION,
        transition=step.name, from_state=from_state, to_state=step.target, data=cleaned,
    )
    record_audit(
        event_type=AuditEventType.CASE_TRANSITIONED, actor=system or acting_user, subject=case,
        data={"transition": step.name, "from": from_state, "to": step.target},
    )
    for effect in step.on_commit:
        transaction.on_commit(partial(effect, case.pk, cleaned))
    return case


@transaction.atomic
def do_assign_case(
    *,
    case: Case,
    acting_user: Any,
    lead: Any,
    assistants: Iterable[Any] = (),
    expected_version: int | None = None,
) -> Case:
    """Set the lead and assistants; they become named members of the case."""
    case = lock_case(case, expected_version)
    _require_worker(acting_user, case)
    assistants = [a for a in assistants if a is not None and a != lead]
    for person in [lead, *assistants]:
        if person is not None and not person.is_casework_staff:
            raise InvalidData(
                _("%(person)s does not work cases and cannot be assigned.") % {"person": person},
                details={"field": "lead"},
            )
    case.lead = lead
    _bump(case, "lead")
    case.assistants.set(assistants)
    case.members.add(*[p for p in [lead, *assistants] if p is not None])
    data = {"lead": getattr(lead, "pk", None), "assistants": [a.pk for a in assistants]}
    _event(case, acting_user, CaseEventKind.ASSIGNED, data=data)
    record_audit(event_type=AuditEventType.CASE_ASSIGNED, actor=acting_user, subject=case, data=data)
    if lead is not None and lead != acting_user:
        from safetydesk.cases.tasks import notify_assignment

        transaction.on_commit(lambda: notify_assignment.enqueue(case.pk, lead.pk))
    return case


@transaction.atomic
def do_add_case_member(*, case: Case, acting_user: Any, member: Any, expected_version: int | None = None) -> Case:
    """Name `member` on the case, so they may open it however confidential it is.

    Managers, directors and the case's lead may name members; members must be case-work staff.
    Naming someone already named changes nothing (and writes nothing)."""
    case = lock_case(case, expected_version)
    _require_worker(acting_user, case)
    if not (acting_user.roles & MEMBERSHIP_GRANTORS or case.lead_id == acting_user.pk):
        raise RoleNotPermitted(_("Only managers, directors and the case's lead may name members."))
    if member is None or not member.is_casework_staff:
        raise InvalidData(
            _("%(person)s does not work cases and cannot be named on one.") % {"person": member},
            details={"field": "member"},
        )
    if case.members.filter(pk=member.pk).exists():
        return case
    case.members.add(member)
    _bump(case)
    _event(case, acting_user, CaseEventKind.MEMBER, data={"member": member.pk})
    record_audit(
        event_type=AuditEventType.CASE_MEMBER_ADDED, actor=acting_user, subject=case, data={"member": member.pk}
    )
    return case


@transaction.atomic
def do_add_note(*, case: Case, acting_user: Any, body: str, expected_version: int | None = None) -> Note:
    """Add an internal note. With `expected_version` (the console's note form), a note written
    on a page someone else has since changed is refused like any stale form."""
    body = (body or "").strip()
    if not body:
        raise InvalidData(_("A note cannot be empty."), details={"field": "body"})
    if len(body) > 50_000:
        raise InvalidData(_("The note is too long (50,000 characters at most)."), details={"field": "body"})
    case = lock_case(case, expected_version)
    _require_worker(acting_user, case)
    note = Note.objects.create(case=case, author=acting_user, body=body)
    _bump(case)
    _event(case, acting_user, CaseEventKind.NOTE, data={"note": note.pk})
    record_audit(event_type=AuditEventType.CASE_NOTE_ADDED, actor=acting_user, subject=case, data={"note": note.pk})
    return note


@transaction.atomic
def do_add_party(*, case: Case, acting_user: Any, party: PartyData) -> Party:
    check_party(party)
    case = lock_case(case, None)
    _require_worker(acting_user, case)
    created = _add_party(case, party)
    _bump(case)
    _event(case, acting_user, CaseEventKind.PARTY, data={"party": created.pk, "role": party.role})
    record_audit(
        event_type=AuditEventType.CASE_PARTY_ADDED, actor=acting_user, subject=case,
        data={"party": created.pk, "role": party.role},
    )
    return created


@transaction.atomic
def do_capture_evidence(
    *, case: Case, acting_user: Any, kind: str, permalink: str = "", content: str = "", description: str = ""
) -> Evidence:
    """Store a piece of evidence with the SHA-256 of what was captured, fixed from now on."""
    check_choice(kind, EvidenceKind.values, "evidence kind", _("evidence kind"))
    if not permalink and not content:
        raise InvalidData(_("Evidence needs a permalink or content."), details={"field": "permalink"})
    if permalink:
        check_permalink(permalink)
    case = lock_case(case, None)
    _require_worker(acting_user, case)
    evidence = Evidence.objects.create(
        case=case, kind=kind, permalink=permalink, content=content, description=description[:300],
        sha256=Evidence.digest(permalink, content), captured_by=acting_user,
    )
    _bump(case)
    _event(case, acting_user, CaseEventKind.EVIDENCE, data={"evidence": evidence.pk, "sha256": evidence.sha256})
    record_audit(
        event_type=AuditEventType.CASE_EVIDENCE_ADDED, actor=acting_user, subject=case,
        data={"evidence": evidence.pk, "sha256": evidence.sha256},
    )
    return evidence


__all__ = [
    "CaseError",
    "PartyData",
    "do_add_case_member",
    "do_add_note",
    "do_add_party",
    "do_assign_case",
    "do_capture_evidence",
    "do_create_case",
    "do_transition",
    "system_actor_label",
]
