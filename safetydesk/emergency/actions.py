"""Every change the emergency track makes (ARCHITECTURE §6): one transaction each, with the
case's timeline row and the audit row; refused input raises a CaseError and writes nothing.

Actions that carry a workflow step (triage, location trace, referral, acknowledgement) write
their record and then take the step through cases.actions.do_transition inside the same
transaction, so the step's guards see the record and a refused step undoes the record too.
"""

import datetime as dt
import logging
import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from safetydesk.accounts.permissions import (
    can_confirm_disclosure,
    can_record_disclosure,
    can_record_functionary_report,
    can_work_emergency,
)
from safetydesk.accounts.roles import Role
from safetydesk.audit.log import record_audit
from safetydesk.audit.models import AuditEventType
from safetydesk.cases.actions import do_create_case, do_transition, lock_case
from safetydesk.cases.errors import InvalidData, RoleNotPermitted, TransitionNotAvailable
from safetydesk.cases.models import AgeFlag, Case, CaseEvent, CaseKind, Priority
from safetydesk.emergency import conf
from safetydesk.emergency.models import (
    CASE_EVENT_EMERGENCY,
    EMERGENCY_DISCLOSURE_KINDS,
    Confidence,
    DataElement,
    Disclosure,
    DisclosureException,
    DisclosureKind,
    FollowUp,
    FunctionaryDisclosureReport,
    FunctionaryRole,
    InvestigationLink,
    LegalBasis,
    Referral,
    ReferralMethod,
    ThreatTarget,
    ThreatType,
    TriageDecision,
    TriageRecord,
)
from safetydesk.emergency.workflows import (
    FOLLOW_UP_STATES,
    LE_REFERRED,
    LOCATION_TRACED,
    REFER_SOURCES,
    TRIAGE_SOURCES,
    TRIAGED,
)

logger = logging.getLogger("safetydesk.emergency")

SYSTEM_ACTOR = "emergency"
TEXT_MAX = 10_000
_COUNTRY = re.compile(r"^[A-Z]{2}$")
# Clocks drift; a time a few minutes ahead of ours is still "now".
FUTURE_TOLERANCE = dt.timedelta(minutes=5)


# --- Input ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class TriageData:
    threat_text: str
    threat_type: str
    target: str
    decision: str
    decision_rationale: str
    permalink: str = ""
    target_detail: str = ""
    specificity_time: str = ""
    specificity_place: str = ""
    specificity_means: str = ""
    capability: str = ""
    location_country: str = ""
    location_region: str = ""
    location_city: str = ""
    location_confidence: str = Confidence.UNKNOWN
    subject_age_flag: str = AgeFlag.UNKNOWN


@dataclass(frozen=True)
class LocationData:
    confidence: str
    country: str = ""
    region: str = ""
    city: str = ""
    source: str = ""


@dataclass(frozen=True)
class ReferralData:
    agency: str
    jurisdiction: str
    method: str
    referred_at: dt.datetime | None = None  # None: now
    country: str = ""
    reference_number: str = ""
    note: str = ""


@dataclass(frozen=True)
class DisclosureData:
    kind: str
    recipient_agency: str
    legal_basis: str
    data_elements: tuple[str, ...] = ()
    produced: bool = True
    jurisdiction: str = ""
    country: str = ""
    request_reference: str = ""
    detail: str = ""
    threat_type: str = ""
    disclosed_at: dt.datetime | None = None  # None: now


@dataclass(frozen=True)
class FunctionaryReportData:
    functionary: str
    functionary_role: str
    disclosed_to: str
    disclosed_on: dt.date
    exception: str
    data_disclosed: str
    reported_on: dt.date | None = None  # None: the day the report arrived (the case opened)
    related_case: Case | None = None


class _Errors:
    """Collects every problem with the input, so one refusal names them all."""

    def __init__(self) -> None:
        self.fields: dict[str, str] = {}

    def add(self, name: str, message: str) -> None:
        self.fields.setdefault(name, message)

    def text(self, name: str, value: str, label: str, *, required: bool = False, max_length: int = TEXT_MAX) -> str:
        value = (value or "").strip()
        if required and not value:
            self.add(name, _("%(label)s is required.") % {"label": label})
        elif len(value) > max_length:
            self.add(
                name, _("%(label)s is too long (%(max)s characters at most).") % {"label": label, "max": max_length}
            )
        return value

    def choice(self, name: str, value: str, choices: Any, label: str) -> str:
        if value not in set(choices):
            self.add(name, _("%(label)s: choose one of the options.") % {"label": label})
        return value

    def country(self, name: str, value: str) -> str:
        value = (value or "").strip().upper()
        if value and not _COUNTRY.match(value):
            self.add(name, _("The country is a two-letter code (ISO 3166-1), for example US or DE."))
        return value

    def url(self, name: str, value: str, label: str) -> str:
        value = (value or "").strip()
        if value:
            if len(value) > 1000:
                self.add(name, _("%(label)s is too long (1,000 characters at most).") % {"label": label})
            else:
                try:
                    URLValidator(schemes=["http", "https"])(value)
                except ValidationError:
                    self.add(name, _("%(label)s must be an http(s) link.") % {"label": label})
        return value

    def moment(self, name: str, value: dt.datetime | None, label: str, now: dt.datetime) -> dt.datetime:
        if value is None:
            return now
        if timezone.is_naive(value):
            self.add(name, _("%(label)s needs a time zone.") % {"label": label})
            return now
        if value > now + FUTURE_TOLERANCE:
            self.add(name, _("%(label)s cannot be in the future.") % {"label": label})
        return value

    def raise_if_any(self) -> None:
        if self.fields:
            raise InvalidData(" ".join(self.fields.values()), details={"fields": dict(self.fields)})


def check_triage(data: TriageData) -> TriageData:
    e = _Errors()
    cleaned = TriageData(
        threat_text=e.text("threat_text", data.threat_text, _("The threat as written"), required=True),
        threat_type=e.choice("threat_type", data.threat_type, ThreatType.values, _("Threat type")),
        target=e.choice("target", data.target, ThreatTarget.values, _("Target")),
        decision=e.choice("decision", data.decision, TriageDecision.values, _("Decision")),
        decision_rationale=e.text("decision_rationale", data.decision_rationale, _("Rationale"), required=True),
        permalink=e.url("permalink", data.permalink, _("Permalink")),
        target_detail=e.text("target_detail", data.target_detail, _("Who or what is threatened")),
        specificity_time=e.text("specificity_time", data.specificity_time, _("When")),
        specificity_place=e.text("specificity_place", data.specificity_place, _("Where")),
        specificity_means=e.text("specificity_means", data.specificity_means, _("By what means")),
        capability=e.text("capability", data.capability, _("Capability indicators")),
        location_country=e.country("location_country", data.location_country),
        location_region=e.text("location_region", data.location_region, _("Region"), max_length=200),
        location_city=e.text("location_city", data.location_city, _("City"), max_length=200),
        location_confidence=e.choice(
            "location_confidence", data.location_confidence, Confidence.values, _("Location confidence")
        ),
        subject_age_flag=e.choice("subject_age_flag", data.subject_age_flag, AgeFlag.values, _("Age")),
    )
    e.raise_if_any()
    return cleaned


def check_location(data: LocationData) -> LocationData:
    e = _Errors()
    cleaned = LocationData(
        confidence=e.choice("confidence", data.confidence, Confidence.values, _("Confidence")),
        country=e.country("country", data.country),
        region=e.text("region", data.region, _("Region"), max_length=200),
        city=e.text("city", data.city, _("City"), max_length=200),
        source=e.text("source", data.source, _("How it was found")),
    )
    if cleaned.confidence != Confidence.UNKNOWN and not (cleaned.country or cleaned.region or cleaned.city):
        e.add("country", _("Say where (country, region or city), or set the confidence to “Not determined”."))
    e.raise_if_any()
    return cleaned


def check_referral(data: ReferralData, now: dt.datetime) -> ReferralData:
    e = _Errors()
    cleaned = ReferralData(
        agency=e.text("agency", data.agency, _("Agency"), required=True, max_length=200),
        jurisdiction=e.text("jurisdiction", data.jurisdiction, _("Jurisdiction"), required=True, max_length=200),
        method=e.choice("method", data.method, ReferralMethod.values, _("How")),
        referred_at=e.moment("referred_at", data.referred_at, _("Referred at"), now),
        country=e.country("country", data.country),
        reference_number=e.text("reference_number", data.reference_number, _("Their reference"), max_length=100),
        note=e.text("note", data.note, _("Note")),
    )
    e.raise_if_any()
    return cleaned


def check_disclosure(data: DisclosureData, now: dt.datetime) -> DisclosureData:
    e = _Errors()
    kind = e.choice("kind", data.kind, EMERGENCY_DISCLOSURE_KINDS, _("Kind of disclosure"))
    basis = e.choice("legal_basis", data.legal_basis, LegalBasis.values, _("Legal basis"))
    elements = tuple(dict.fromkeys(data.data_elements))
    if set(elements) - set(DataElement.values):
        e.add("data_elements", _("Data disclosed: choose among the listed kinds of data."))
    if data.produced and not elements:
        e.add("data_elements", _("Say which data was disclosed."))
    if not data.produced:
        if kind != DisclosureKind.EMERGENCY_REQUEST:
            e.add("produced", _("Only an answer to an emergency request can disclose nothing."))
        elif elements:
            e.add("data_elements", _("An answer that disclosed nothing lists no data."))
    if kind == DisclosureKind.EMERGENCY_REQUEST and basis and basis != LegalBasis.EMERGENCY_REQUEST:
        e.add("legal_basis", _("An answer to an emergency request rests on the emergency request."))
    if kind == DisclosureKind.VOLUNTARY_DISCLOSURE and basis == LegalBasis.EMERGENCY_REQUEST:
        e.add("legal_basis", _("A voluntary disclosure does not answer a request: choose its own basis."))
    threat_type = data.threat_type
    if threat_type:
        e.choice("threat_type", threat_type, ThreatType.values, _("Threat type"))
    cleaned = DisclosureData(
        kind=kind,
        recipient_agency=e.text(
            "recipient_agency", data.recipient_agency, _("Recipient agency"), required=True, max_length=200
        ),
        legal_basis=basis,
        data_elements=elements,
        produced=data.produced,
        jurisdiction=e.text("jurisdiction", data.jurisdiction, _("Jurisdiction"), max_length=200),
        country=e.country("country", data.country),
        request_reference=e.text("request_reference", data.request_reference, _("Their reference"), max_length=100),
        detail=e.text("detail", data.detail, _("Detail")),
        threat_type=threat_type,
        disclosed_at=e.moment("disclosed_at", data.disclosed_at, _("Disclosed at"), now),
    )
    e.raise_if_any()
    return cleaned


def check_functionary_report(data: FunctionaryReportData, today: dt.date) -> FunctionaryReportData:
    e = _Errors()
    disclosed_on = data.disclosed_on
    reported_on = data.reported_on or today
    if disclosed_on > today:
        e.add("disclosed_on", _("The date of disclosure cannot be in the future."))
    if reported_on < disclosed_on:
        e.add("reported_on", _("The report cannot come before the disclosure."))
    if data.related_case is not None and data.related_case.kind != CaseKind.EMERGENCY:
        e.add("related_case", _("Link the report to an emergency case."))
    cleaned = FunctionaryReportData(
        functionary=e.text("functionary", data.functionary, _("Functionary"), required=True, max_length=255),
        functionary_role=e.choice("functionary_role", data.functionary_role, FunctionaryRole.values, _("Role")),
        disclosed_to=e.text("disclosed_to", data.disclosed_to, _("Disclosed to"), required=True, max_length=500),
        disclosed_on=disclosed_on,
        exception=e.choice("exception", data.exception, DisclosureException.values, _("Exception relied on")),
        data_disclosed=e.text("data_disclosed", data.data_disclosed, _("Data disclosed"), required=True),
        reported_on=reported_on,
        related_case=data.related_case,
    )
    e.raise_if_any()
    return cleaned


# --- Shared steps ----------------------------------------------------------------------------


def _require_kind(case: Case, kind: str) -> None:
    if case.kind != kind:
        raise InvalidData(
            _("%(reference)s is not a case of kind “%(kind)s”.") % {"reference": case.reference, "kind": kind},
            details={"kind": case.kind},
        )


def _require_state(case: Case, states: frozenset[str], message: str) -> None:
    if case.state not in states:
        raise TransitionNotAvailable(message, details={"state": case.state})


def _record(case: Case, acting_user: Any, record: str, event_type: AuditEventType, **data: Any) -> None:
    """The version bump, timeline row and audit row every change here writes. `data` holds ids,
    choices and field names only: never what a person wrote."""
    case.version += 1
    case.save(update_fields=["version", "updated_at"])
    actor = acting_user if getattr(acting_user, "pk", None) else None
    CaseEvent.objects.create(case=case, actor=actor, kind=CASE_EVENT_EMERGENCY, data={"record": record, **data})
    record_audit(event_type=event_type, actor=actor or SYSTEM_ACTOR, subject=case, data={"record": record, **data})


def _require_responder(acting_user: Any, case: Case) -> None:
    if not can_work_emergency(acting_user, case):
        raise RoleNotPermitted(_("Only on-call responders, specialists and managers work emergencies."))


# --- Triage, location, referral, follow-up ---------------------------------------------------


@transaction.atomic
def do_record_triage(
    *, case: Case, acting_user: Any, triage: TriageData, expected_version: int | None = None
) -> TriageRecord:
    """Record the triage assessment and decision (DOMAIN §5.4) and, from a state before triage,
    take the triage step. While the case is still TRIAGED, recording again amends it."""
    triage = check_triage(triage)
    case = lock_case(case, expected_version)
    _require_kind(case, CaseKind.EMERGENCY)
    _require_responder(acting_user, case)
    _require_state(
        case,
        TRIAGE_SOURCES | {TRIAGED},
        _("The triage can be recorded until the threat is traced, referred or closed."),
    )
    now = timezone.now()
    values = {**triage.__dict__, "decided_by": acting_user, "decided_at": now}
    record, created = TriageRecord.objects.update_or_create(case=case, defaults=values)
    _record(
        case,
        acting_user,
        "triage",
        AuditEventType.EMERGENCY_TRIAGE_RECORDED,
        triage=record.pk,
        decision=record.decision,
        threat_type=record.threat_type,
        amended=not created,
    )
    if case.state in TRIAGE_SOURCES:
        do_transition(case=case, transition="triage", acting_user=acting_user)
    return record


@transaction.atomic
def do_trace_location(
    *, case: Case, acting_user: Any, location: LocationData, expected_version: int | None = None
) -> TriageRecord:
    """Record where the person who made a credible threat probably is, and take the step to
    LOCATION_TRACED (from TRIAGED; once traced, recording again corrects it)."""
    location = check_location(location)
    case = lock_case(case, expected_version)
    _require_kind(case, CaseKind.EMERGENCY)
    _require_responder(acting_user, case)
    _require_state(
        case, frozenset({TRIAGED, LOCATION_TRACED}), _("The location is traced after triage, before the referral.")
    )
    record = TriageRecord.objects.filter(case=case).first()
    if record is None:
        raise TransitionNotAvailable(_("Record the triage first."), details={"state": case.state})
    record.location_confidence = location.confidence
    record.location_country = location.country
    record.location_region = location.region
    record.location_city = location.city
    record.location_source = location.source
    record.location_traced_at = timezone.now()
    record.location_traced_by = acting_user
    record.save()
    _record(
        case,
        acting_user,
        "location",
        AuditEventType.EMERGENCY_LOCATION_TRACED,
        triage=record.pk,
        confidence=location.confidence,
        country=location.country,
    )
    if case.state == TRIAGED:
        do_transition(case=case, transition="trace_location", acting_user=acting_user)
    return record


@transaction.atomic
def do_refer_to_law_enforcement(
    *, case: Case, acting_user: Any, referral: ReferralData, expected_version: int | None = None
) -> Referral:
    """Record a referral to a law-enforcement agency and take the step to LE_REFERRED. Once
    referred, further referrals (another agency) are recorded without a step."""
    now = timezone.now()
    referral = check_referral(referral, now)
    case = lock_case(case, expected_version)
    _require_kind(case, CaseKind.EMERGENCY)
    _require_responder(acting_user, case)
    _require_state(
        case,
        REFER_SOURCES | FOLLOW_UP_STATES,
        _("A referral follows a triage that found the threat credible and imminent."),
    )
    row = Referral.objects.create(case=case, referred_by=acting_user, **referral.__dict__)
    _record(case, acting_user, "referral", AuditEventType.EMERGENCY_REFERRED, referral=row.pk, country=row.country)
    if case.state in REFER_SOURCES:
        do_transition(case=case, transition="refer", acting_user=acting_user)
    return row


@transaction.atomic
def do_record_le_acknowledgement(
    *,
    referral: Referral,
    acting_user: Any,
    acknowledged_at: dt.datetime | None = None,
    contact: str = "",
    note: str = "",
    expected_version: int | None = None,
) -> Referral:
    """Record that the agency acknowledged a referral; the first one takes the case to
    LE_ACKNOWLEDGED."""
    now = timezone.now()
    e = _Errors()
    when = e.moment("acknowledged_at", acknowledged_at, _("Acknowledged at"), now)
    if when < referral.referred_at:
        e.add("acknowledged_at", _("The acknowledgement cannot come before the referral."))
    contact = e.text("acknowledged_contact", contact, _("Who acknowledged"), max_length=500)
    note = e.text("acknowledgement_note", note, _("What they said"))
    e.raise_if_any()
    case = lock_case(referral.case, expected_version)
    _require_responder(acting_user, case)
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.acknowledged_at is not None:
        raise InvalidData(_("This referral's acknowledgement is already recorded."), details={"referral": referral.pk})
    _require_state(case, FOLLOW_UP_STATES, _("Acknowledgements are recorded after a referral."))
    referral.acknowledged_at = when
    referral.acknowledged_contact = contact
    referral.acknowledgement_note = note
    referral.acknowledgement_recorded_by = acting_user
    referral.save()
    _record(case, acting_user, "le_acknowledgement", AuditEventType.EMERGENCY_LE_ACKNOWLEDGED, referral=referral.pk)
    if case.state == LE_REFERRED:
        do_transition(case=case, transition="le_acknowledge", acting_user=acting_user)
    return referral


@transaction.atomic
def do_add_follow_up(*, case: Case, acting_user: Any, body: str, expected_version: int | None = None) -> FollowUp:
    """Record what happened after a referral (what the police did, a welfare check's result)."""
    e = _Errors()
    body = e.text("body", body, _("Follow-up"), required=True)
    e.raise_if_any()
    case = lock_case(case, expected_version)
    _require_kind(case, CaseKind.EMERGENCY)
    _require_responder(acting_user, case)
    _require_state(case, FOLLOW_UP_STATES, _("Follow-up notes are recorded once the threat is referred."))
    row = FollowUp.objects.create(case=case, author=acting_user, body=body)
    _record(case, acting_user, "follow_up", AuditEventType.EMERGENCY_FOLLOW_UP_ADDED, follow_up=row.pk)
    return row


@transaction.atomic
def do_spawn_investigation(*, case: Case, acting_user: Any, title: str, reason: str = "") -> Case:
    """Open an office-action investigation from an emergency case (e.g. a ban after a threat),
    linked both ways, with the emergency's confidentiality, language and projects."""
    case = lock_case(case, None)
    _require_kind(case, CaseKind.EMERGENCY)
    _require_responder(acting_user, case)
    investigation = do_create_case(
        acting_user=acting_user,
        title=title,
        kind=CaseKind.OFFICE_ACTION,
        summary=reason.strip(),
        priority=Priority.P1,
        confidentiality=case.confidentiality,
        language=case.language,
        projects=list(case.projects),
        intake_channel="",
    )
    link = InvestigationLink.objects.create(emergency=case, investigation=investigation, created_by=acting_user)
    _record(
        case,
        acting_user,
        "investigation",
        AuditEventType.EMERGENCY_INVESTIGATION_SPAWNED,
        investigation=investigation.pk,
        link=link.pk,
    )
    CaseEvent.objects.create(
        case=investigation,
        actor=acting_user,
        kind=CASE_EVENT_EMERGENCY,
        data={"record": "spawned_from", "emergency": case.pk, "link": link.pk},
    )
    return investigation


# --- Disclosures to law enforcement (DOMAIN §5.4, §5.5, §11.4) --------------------------------


@transaction.atomic
def do_record_disclosure(
    *, case: Case, acting_user: Any, disclosure: DisclosureData, expected_version: int | None = None
) -> Disclosure:
    """Record user data given to law enforcement, without the review chain (DOMAIN §5.4). Legal
    is told after commit and must confirm within the configured window; they are reminded
    until they do (emergency.tasks)."""
    now = timezone.now()
    disclosure = check_disclosure(disclosure, now)
    case = lock_case(case, expected_version)
    _require_kind(case, CaseKind.EMERGENCY)
    if not can_record_disclosure(acting_user, case):
        raise RoleNotPermitted(_("Only on-call responders, managers and legal counsel record disclosures."))
    triage = TriageRecord.objects.filter(case=case).only("threat_type").first()
    disclosed_at = disclosure.disclosed_at or now
    row = Disclosure.objects.create(
        case=case,
        kind=disclosure.kind,
        produced=disclosure.produced,
        data_elements=list(disclosure.data_elements),
        detail=disclosure.detail,
        recipient_agency=disclosure.recipient_agency,
        jurisdiction=disclosure.jurisdiction,
        country=disclosure.country,
        legal_basis=disclosure.legal_basis,
        request_reference=disclosure.request_reference,
        threat_type=disclosure.threat_type or (triage.threat_type if triage else ""),
        disclosed_by=acting_user,
        disclosed_at=disclosed_at,
        legal_due_at=disclosed_at + conf.legal_confirm_within(),
    )
    _record(
        case,
        acting_user,
        "disclosure",
        AuditEventType.DISCLOSURE_RECORDED,
        disclosure=row.pk,
        kind=row.kind,
        data_elements=row.data_elements,
        country=row.country,
    )
    transaction.on_commit(lambda: _notify_legal_task(row.pk))
    return row


def _notify_legal_task(disclosure_id: int) -> None:
    from safetydesk.emergency.tasks import notify_legal_of_disclosure

    notify_legal_of_disclosure.enqueue(disclosure_id)


@transaction.atomic
def do_confirm_disclosure(*, disclosure: Disclosure, acting_user: Any, note: str = "") -> Disclosure:
    """Legal counsel confirms a disclosure after the fact; the reminders stop."""
    e = _Errors()
    note = e.text("legal_note", note, _("Note"))
    e.raise_if_any()
    case = lock_case(disclosure.case, None)
    if not can_confirm_disclosure(acting_user, case):
        raise RoleNotPermitted(_("Only legal counsel confirm disclosures."))
    disclosure = Disclosure.objects.select_for_update().get(pk=disclosure.pk)
    if disclosure.legal_confirmed_at is not None:
        raise InvalidData(_("Legal has already confirmed this disclosure."), details={"disclosure": disclosure.pk})
    disclosure.legal_confirmed_at = timezone.now()
    disclosure.legal_confirmed_by = acting_user
    disclosure.legal_note = note
    disclosure.save(update_fields=["legal_confirmed_at", "legal_confirmed_by", "legal_note"])
    _record(
        case,
        acting_user,
        "disclosure_confirmed",
        AuditEventType.DISCLOSURE_CONFIRMED,
        disclosure=disclosure.pk,
        overdue=disclosure.legal_confirmed_at > disclosure.legal_due_at,
    )
    return disclosure


@transaction.atomic
def do_remind_legal_of_disclosure(*, disclosure_id: int, now: dt.datetime | None = None) -> int:
    """Tell legal counsel (by email, through notify) that a disclosure awaits their confirmation:
    the first time when it is recorded, then every configured interval until confirmed.

    Safe to call from several workers: the disclosure is claimed with a conditional update, so
    one round goes out per interval. Returns how many notices were queued (0: not due, already
    confirmed, or nobody to tell). A system action: no person acts."""
    now = now or timezone.now()
    due = Q(legal_notified_at__isnull=True) | Q(legal_notified_at__lte=now - conf.legal_remind_every())
    claimed = Disclosure.objects.filter(due, pk=disclosure_id, legal_confirmed_at__isnull=True).update(
        legal_notified_at=now, legal_reminders=F("legal_reminders") + 1
    )
    if claimed != 1:
        return 0
    from safetydesk.notify.actions import notify_role

    disclosure = Disclosure.objects.select_related("case").get(pk=disclosure_id)
    recipients = notify_role(case=disclosure.case, role=Role.LEGAL_COUNSEL, key=LEGAL_NOTICE_KEY, context={})
    if not recipients:
        logger.warning("disclosure %s awaits legal confirmation but no legal counsel has an email", disclosure_id)
    record_audit(
        event_type=AuditEventType.DISCLOSURE_LEGAL_REMINDED,
        actor=SYSTEM_ACTOR,
        subject=disclosure,
        data={"round": disclosure.legal_reminders, "recipients": [p.pk for p in recipients]},
    )
    return len(recipients)


# The notify template Legal's notices use (notify/templates/notify/<key>/<language>.txt).
LEGAL_NOTICE_KEY = "disclosure_legal_review"


# --- Functionary disclosure reports (DOMAIN §13.3) -------------------------------------------


@transaction.atomic
def do_record_functionary_report(
    *, case: Case, acting_user: Any, report: FunctionaryReportData, expected_version: int | None = None
) -> FunctionaryDisclosureReport:
    """Record what a functionary's report to check-disclosure@ says, on the case it opened, and
    flag it late when it came more than the allowed days after the disclosure. Recording again
    corrects it."""
    case = lock_case(case, expected_version)
    _require_kind(case, CaseKind.DISCLOSURE_REPORT)
    if not can_record_functionary_report(acting_user, case):
        raise RoleNotPermitted(_("You may read this case but not change it."))
    report = check_functionary_report(report, timezone.localdate(case.opened_at, dt.UTC))
    reported_on = report.reported_on or report.disclosed_on
    values = {
        **{k: v for k, v in report.__dict__.items() if k != "reported_on"},
        "reported_on": reported_on,
        "late": (reported_on - report.disclosed_on).days > conf.functionary_report_days(),
        "recorded_by": acting_user,
        "recorded_at": timezone.now(),
    }
    row, created = FunctionaryDisclosureReport.objects.update_or_create(case=case, defaults=values)
    _record(
        case,
        acting_user,
        "functionary_report",
        AuditEventType.FUNCTIONARY_REPORT_RECORDED,
        report=row.pk,
        exception=row.exception,
        late=row.late,
        amended=not created,
        related_case=row.related_case_id,
    )
    return row


__all__ = [
    "DisclosureData",
    "FunctionaryReportData",
    "LocationData",
    "ReferralData",
    "TriageData",
    "do_add_follow_up",
    "do_confirm_disclosure",
    "do_record_disclosure",
    "do_record_functionary_report",
    "do_record_le_acknowledgement",
    "do_refer_to_law_enforcement",
    "do_remind_legal_of_disclosure",
    "do_spawn_investigation",
    "do_trace_location",
]
