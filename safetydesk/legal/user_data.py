"""Requests for user data (DOMAIN §11): subpoenas, court orders, warrants, informal and
emergency requests.

Logged with the requester, the instrument, the accounts and the data asked for; legal counsel
decide legal sufficiency. Defective or overbroad requests get a pushback letter (and may come
back narrowed); those not enforceable in the US, or for data the Foundation does not hold, are
declined. A valid request is produced only after the user is told and their objection window
has passed (10 days [P], shortened by a court's return date), unless a non-disclosure order
forbids the notice: then the notice is deferred, and legal counsel are reminded to send it when
the order lapses (legal.jobs). Emergency requests (the ECPA expedited process) skip the notice.
Each production records what was found, a manifest hash, and the accounts counted for the
transparency report.
"""

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from safetydesk.accounts.roles import Role
from safetydesk.audit.log import record_audit
from safetydesk.audit.models import AuditEventType
from safetydesk.cases.actions import do_transition, lock_case
from safetydesk.cases.models import Case, CaseKind, PartyRole
from safetydesk.legal.dmca import require_counsel, require_worker, timeline
from safetydesk.legal.errors import LegalRefusal
from safetydesk.legal.letters import send_letter
from safetydesk.legal.models import DataElement, RequestType, Sufficiency, UserDataRequest
from safetydesk.legal.workflows import LOGGED, NOTICE_DEFERRED, OBJECTION_WINDOW, SUFFICIENCY_REVIEW, VALID
from safetydesk.notify.actions import notify_role

SYSTEM_ACTOR = "legal:user-data"
SHA256 = re.compile(r"^[0-9a-f]{64}$")


def _locked(request: UserDataRequest) -> UserDataRequest:
    return UserDataRequest.objects.select_for_update().select_related("case").get(pk=request.pk)


@transaction.atomic
def do_log_request(
    *,
    case: Case,
    acting_user: Any,
    request_type: str,
    requester_name: str,
    accounts_named: Sequence[str],
    data_elements: Sequence[str],
    requester_agency: str = "",
    requester_country: str = "",
    requester_contact: str = "",
    requester_email: str = "",
    court: str = "",
    docket: str = "",
    issued_on: dt.date | None = None,
    return_date: dt.date | None = None,
    emergency: bool = False,
    nondisclosure: bool = False,
    nondisclosure_until: dt.date | None = None,
) -> UserDataRequest:
    case = lock_case(case, None)
    require_worker(case, acting_user)
    if case.kind != CaseKind.LEGAL_REQUEST or case.state != LOGGED:
        raise LegalRefusal(_("Requests are logged on an acknowledged legal-request case."))
    if request_type not in RequestType.values:
        raise LegalRefusal(_("Choose the request type."), details={"field": "request_type"})
    accounts = [a.strip()[:255] for a in accounts_named if a.strip()]
    elements = list(dict.fromkeys(e for e in data_elements if e))
    if not requester_name.strip() or not accounts or not elements:
        raise LegalRefusal(_("Name the requester, the accounts named and the data asked for."),
                           details={"field": "accounts_named"})  # fmt: skip
    if set(elements) - set(DataElement.values):
        raise LegalRefusal(_("Choose the data asked for from the list."), details={"field": "data_elements"})
    today = timezone.localdate()
    if nondisclosure and nondisclosure_until is not None and nondisclosure_until < today:
        raise LegalRefusal(
            _(
                "The non-disclosure order expired on %(date)s: it no longer stops the user notice. "
                "Log it without the order, or correct the date."
            )
            % {"date": nondisclosure_until.isoformat()},
            details={"field": "nondisclosure_until"},
        )
    request = UserDataRequest.objects.create(
        case=case, request_type=request_type, emergency=emergency, requester_name=requester_name.strip()[:300],
        requester_agency=requester_agency.strip()[:200], requester_country=requester_country.strip().upper()[:2],
        requester_contact=requester_contact.strip()[:2000], requester_email=requester_email.strip()[:254],
        court=court.strip()[:200], docket=docket.strip()[:100], issued_on=issued_on, return_date=return_date,
        accounts_named=accounts, data_elements=elements, nondisclosure=nondisclosure,
        nondisclosure_until=nondisclosure_until if nondisclosure else None,
        accounts_potentially_affected=len(accounts),
    )  # fmt: skip
    do_transition(case=case, transition="log_user_data", acting_user=acting_user)
    record_audit(event_type=AuditEventType.USER_DATA_REQUEST_LOGGED, actor=acting_user, subject=request,
                 data={"type": request_type, "emergency": emergency, "accounts": len(accounts)})  # fmt: skip
    timeline(case, acting_user, record="user_data_logged")
    return request


@transaction.atomic
def do_review_sufficiency(
    *, request: UserDataRequest, acting_user: Any, outcome: str, note: str = ""
) -> UserDataRequest:
    """Legal counsel's review (DOMAIN §11.3). Defective or overbroad: a pushback letter to the
    requester. Not enforceable in the US, or no data held: declined, with the same letter."""
    request = _locked(request)
    require_counsel(request.case, acting_user)
    if request.case.state != SUFFICIENCY_REVIEW:
        raise LegalRefusal(_("The request is not waiting for its sufficiency review."))
    if outcome not in Sufficiency.values:
        raise LegalRefusal(_("Choose the outcome of the review."), details={"field": "outcome"})
    transitions: dict[str, str] = {
        Sufficiency.VALID: "find_valid", Sufficiency.DEFECTIVE: "push_back", Sufficiency.OVERBROAD: "push_back",
    }  # fmt: skip
    transition = transitions.get(outcome, "decline")
    do_transition(case=request.case, transition=transition, acting_user=acting_user)
    now = timezone.now()
    request.outcome, request.outcome_note, request.reviewed_by, request.reviewed_at = (
        outcome,
        note.strip(),
        acting_user,
        now,
    )
    if outcome != Sufficiency.VALID and request.requester_email:
        language = request.case.language or "en"  # the request's own language, as intake detected it
        with translation.override(language):
            label = str(dict(Sufficiency.choices)[outcome])
        send_letter(case=request.case, key="legal_pushback", recipient=request.requester_email, language=language,
                    context={"review_outcome": label, "review_note": request.outcome_note},
                    acting_user=acting_user)  # fmt: skip
        request.pushback_sent_at = now
    request.save()
    record_audit(event_type=AuditEventType.USER_DATA_REQUEST_REVIEWED, actor=acting_user, subject=request,
                 data={"outcome": outcome})  # fmt: skip
    timeline(request.case, acting_user, record="sufficiency", outcome=outcome)
    return request


@transaction.atomic
def do_narrowed(*, request: UserDataRequest, acting_user: Any, data_elements: Sequence[str],
                accounts_named: Sequence[str]) -> UserDataRequest:  # fmt: skip
    """The requester answered the pushback with a narrower request: reviewed again."""
    request = _locked(request)
    require_counsel(request.case, acting_user)
    accounts = [a.strip() for a in accounts_named if a.strip()]
    if not accounts or not data_elements:
        raise LegalRefusal(_("Give the narrowed accounts and data."), details={"field": "accounts_named"})
    do_transition(case=request.case, transition="narrowed", acting_user=acting_user)
    request.accounts_named, request.data_elements, request.outcome = accounts, list(data_elements), ""
    request.accounts_potentially_affected = len(accounts)
    request.save()
    timeline(request.case, acting_user, record="narrowed")
    return request


def notice_forbidden(request: UserDataRequest, today: dt.date | None = None) -> bool:
    """A non-disclosure order in force today forbids telling the user."""
    today = today or timezone.localdate()
    return request.nondisclosure and (request.nondisclosure_until is None or request.nondisclosure_until >= today)


def objection_deadline(notified_at: dt.datetime, return_date: dt.date | None) -> dt.datetime:
    """DOMAIN §11.3 [P]: notice + 10 days, or earlier when the court's return date comes first
    (less a buffer of settings.USER_DATA_RETURN_BUFFER_DAYS to produce in time)."""
    deadline = notified_at + dt.timedelta(days=settings.USER_DATA_OBJECTION_DAYS)
    if return_date is not None:
        court = dt.datetime.combine(return_date - dt.timedelta(days=settings.USER_DATA_RETURN_BUFFER_DAYS),
                                    dt.time(0, 0), tzinfo=dt.UTC)  # fmt: skip
        deadline = min(deadline, max(court, notified_at))
    return deadline


def _subjects(case: Case) -> list[Any]:
    return [p for p in case.parties.filter(role=PartyRole.SUBJECT) if p.email]


@transaction.atomic
def do_notify_user(*, request: UserDataRequest, acting_user: Any) -> UserDataRequest:
    """A valid request: tell each named user who can be reached, before anything is produced,
    unless an order forbids it (then the notice is deferred to the order's end)."""
    request = _locked(request)
    require_counsel(request.case, acting_user)
    if request.case.state != VALID:
        raise LegalRefusal(_("Only a request found valid leads to a user notice."))
    if request.emergency:
        raise LegalRefusal(_("An emergency request is produced without a user notice (ECPA expedited process)."))
    now = timezone.now()
    if notice_forbidden(request):
        do_transition(case=request.case, transition="defer_notice", acting_user=acting_user)
        timeline(request.case, acting_user, record="notice_deferred",
                 until=request.nondisclosure_until.isoformat() if request.nondisclosure_until else "")  # fmt: skip
        return request
    users = _subjects(request.case)
    if not users:
        raise LegalRefusal(
            _(
                "No named user has an email address on the case: add it as a subject party, "
                "or produce without notice and record why."
            )
        )
    do_transition(case=request.case, transition="notify_user", acting_user=acting_user)
    request.objection_until = objection_deadline(now, request.return_date)
    for party in users:
        send_letter(case=request.case, key="legal_user_notice", recipient=party.email,
                    language=party.language or "en", acting_user=acting_user,
                    context={"objection_until": request.objection_until.date().isoformat()})  # fmt: skip
    request.user_notice_sent_at, request.accounts_notified = now, len(users)
    request.save()
    timeline(request.case, acting_user, record="user_notified", until=request.objection_until.date().isoformat())
    return request


@transaction.atomic
def do_record_production(
    *,
    request: UserDataRequest,
    acting_user: Any,
    data_found: dict[str, bool],
    manifest_sha256: str,
    accounts_affected: int,
) -> UserDataRequest:
    """What was produced: per element whether data was found, the SHA-256 of the production's
    manifest, and how many accounts were actually affected."""
    request = _locked(request)
    require_counsel(request.case, acting_user)
    if not SHA256.match(manifest_sha256.strip().lower()):
        raise LegalRefusal(_("Give the SHA-256 of the production's manifest (64 hex characters)."),
                           details={"field": "manifest_sha256"})  # fmt: skip
    if not 0 <= accounts_affected <= len(request.accounts_named):
        raise LegalRefusal(_("The accounts affected are between none and those named."), details={"field": "accounts"})
    state = request.case.state
    if state == OBJECTION_WINDOW and request.objection_until and timezone.now() < request.objection_until:
        raise LegalRefusal(
            _("The user's objection window is open until %(date)s: nothing is produced before.")
            % {"date": request.objection_until.date().isoformat()}
        )
    if state == VALID and not request.emergency and not notice_forbidden(request) and _subjects(request.case):
        raise LegalRefusal(_("Tell the user first: they may object before anything is produced."))
    transition = "produce_deferred" if state == NOTICE_DEFERRED else "produce"
    do_transition(case=request.case, transition=transition, acting_user=acting_user)
    request.produced_at = timezone.now()
    request.production_manifest_sha256 = manifest_sha256.strip().lower()
    request.data_found = {key: bool(data_found.get(key)) for key in request.data_elements}
    request.accounts_actually_affected = accounts_affected
    request.save()
    record_audit(event_type=AuditEventType.USER_DATA_PRODUCED, actor=acting_user, subject=request,
                 data={"manifest": request.production_manifest_sha256, "accounts": accounts_affected})  # fmt: skip
    timeline(request.case, acting_user, record="produced")
    return request


@transaction.atomic
def do_send_deferred_notice(*, request: UserDataRequest, acting_user: Any) -> UserDataRequest:
    request = _locked(request)
    require_counsel(request.case, acting_user)
    if notice_forbidden(request):
        raise LegalRefusal(_("The non-disclosure order is still in force until %(date)s.")
                           % {"date": str(request.nondisclosure_until or "—")})  # fmt: skip
    users = _subjects(request.case)
    do_transition(case=request.case, transition="send_deferred_notice", acting_user=acting_user)
    for party in users:
        send_letter(case=request.case, key="legal_user_notice", recipient=party.email,
                    language=party.language or "en", acting_user=acting_user, context={"deferred": True})  # fmt: skip
    request.deferred_notice_sent_at, request.accounts_notified = timezone.now(), len(users)
    request.save()
    timeline(request.case, acting_user, record="deferred_notice_sent")
    return request


def remind_lapsed_orders(today: dt.date | None = None) -> list[int]:
    """Productions whose non-disclosure order has lapsed and whose user was never told: legal
    counsel are reminded, once (legal.jobs)."""
    today = today or timezone.localdate()
    due = UserDataRequest.objects.filter(
        case__state="DEFERRED_NOTICE_DUE", deferred_notice_sent_at__isnull=True,
        deferred_notice_reminded_at__isnull=True, nondisclosure_until__lt=today,
    )  # fmt: skip
    reminded = []
    for request in due.select_related("case"):
        with transaction.atomic():
            notify_role(case=request.case, role=Role.LEGAL_COUNSEL, key="legal_deferred_notice_due", context={})
            request.deferred_notice_reminded_at = timezone.now()
            request.save(update_fields=["deferred_notice_reminded_at"])
        reminded.append(request.pk)
    return reminded
