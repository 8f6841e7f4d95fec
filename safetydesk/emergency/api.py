"""The emergency track over HTTP, mounted at /api/v1/emergency (safetydesk/api/urls.py).

Reads go through access_case() and emergency.selectors, writes through emergency.actions, so
who may see and do what is decided where the console decides it.
"""

import datetime as dt

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from safetydesk.accounts.permissions import access_case, can_see_emergency_counts
from safetydesk.api.auth import acting_user
from safetydesk.api.errors import RoleNotPermitted
from safetydesk.api.schemas import InputSchema, UserRef, errors
from safetydesk.cases.errors import InvalidData
from safetydesk.cases.models import AgeFlag, Case, CaseKind
from safetydesk.emergency import actions, selectors
from safetydesk.emergency.models import (
    Confidence,
    DataElement,
    Disclosure,
    DisclosureKind,
    LegalBasis,
    ReferralMethod,
    ThreatTarget,
    ThreatType,
    TriageDecision,
)
from safetydesk.lib.http import client_ip

router = Router(tags=["emergency"])

VERSION = "The case `version` you saw; a newer one refuses the change."


# --- What the API returns -------------------------------------------------------------------


class TriageOut(Schema):
    threat_text: str
    permalink: str
    threat_type: str
    target: str
    target_detail: str
    specificity_time: str
    specificity_place: str
    specificity_means: str
    capability: str
    location_country: str
    location_region: str
    location_city: str
    location_confidence: str
    location_traced_at: dt.datetime | None
    subject_age_flag: str
    decision: str
    decision_rationale: str
    decided_by: UserRef | None
    decided_at: dt.datetime


class ReferralOut(Schema):
    id: int
    agency: str
    jurisdiction: str
    country: str
    reference_number: str
    method: str
    referred_at: dt.datetime
    acknowledged_at: dt.datetime | None


class DisclosureOut(Schema):
    id: int
    kind: str
    produced: bool
    data_elements: list[str]
    recipient_agency: str
    jurisdiction: str
    country: str
    legal_basis: str
    request_reference: str
    threat_type: str
    disclosed_by: UserRef
    disclosed_at: dt.datetime
    legal_due_at: dt.datetime
    legal_confirmed_at: dt.datetime | None
    legal_confirmed_by: UserRef | None


class EmergencyOut(Schema):
    reference: str
    state: str
    version: int
    triage: TriageOut | None
    referrals: list[ReferralOut]
    disclosures: list[DisclosureOut]
    follow_ups: int = Field(description="How many follow-up notes there are (read them in the console).")
    investigations: list[str] = Field(description="References of office-action investigations opened from it.")


class CountsRowOut(Schema):
    key: str
    label: str
    emergency_requests: int
    requests_produced: int
    voluntary_disclosures: int
    total_disclosures: int


class CountsOut(Schema):
    start: dt.date
    end: dt.date
    total: CountsRowOut
    by_type: list[CountsRowOut]
    by_country: list[CountsRowOut]


class InvestigationOut(Schema):
    reference: str


def _ref(user: object) -> UserRef | None:
    pk = getattr(user, "pk", None)
    return None if pk is None else UserRef(id=pk, username=getattr(user, "username", ""))


def _disclosure_out(d: Disclosure) -> DisclosureOut:
    disclosed_by = _ref(d.disclosed_by)
    assert disclosed_by is not None
    return DisclosureOut(
        id=d.pk,
        kind=d.kind,
        produced=d.produced,
        data_elements=list(d.data_elements),
        recipient_agency=d.recipient_agency,
        jurisdiction=d.jurisdiction,
        country=d.country,
        legal_basis=d.legal_basis,
        request_reference=d.request_reference,
        threat_type=d.threat_type,
        disclosed_by=disclosed_by,
        disclosed_at=d.disclosed_at,
        legal_due_at=d.legal_due_at,
        legal_confirmed_at=d.legal_confirmed_at,
        legal_confirmed_by=_ref(d.legal_confirmed_by),
    )


def emergency_out(case: Case) -> EmergencyOut:
    case = Case.objects.get(pk=case.pk)
    record = selectors.emergency_record(case)
    t = record.triage
    triage = None
    if t is not None:
        triage = TriageOut(
            **{name: getattr(t, name) for name in TriageOut.model_fields if name != "decided_by"},
            decided_by=_ref(t.decided_by),
        )
    return EmergencyOut(
        reference=case.reference,
        state=case.state,
        version=case.version,
        triage=triage,
        referrals=[
            ReferralOut(
                id=r.pk,
                agency=r.agency,
                jurisdiction=r.jurisdiction,
                country=r.country,
                reference_number=r.reference_number,
                method=r.method,
                referred_at=r.referred_at,
                acknowledged_at=r.acknowledged_at,
            )
            for r in record.referrals
        ],
        disclosures=[_disclosure_out(d) for d in record.disclosures],
        follow_ups=len(record.follow_ups),
        investigations=[link.investigation.reference for link in record.investigations],
    )


def _emergency_case(request: HttpRequest, reference: str) -> Case:
    case = access_case(acting_user(request), reference, ip_address=client_ip(request))
    if case.kind != CaseKind.EMERGENCY:
        raise InvalidData(f"{case.reference} is not an emergency case.", details={"kind": case.kind})
    return case


# --- What the API accepts -------------------------------------------------------------------


class TriageIn(InputSchema):
    threat_text: str = Field(max_length=10_000)
    threat_type: ThreatType
    target: ThreatTarget
    decision: TriageDecision
    decision_rationale: str = Field(max_length=10_000)
    permalink: str = Field("", max_length=1000)
    target_detail: str = Field("", max_length=10_000)
    specificity_time: str = Field("", max_length=10_000)
    specificity_place: str = Field("", max_length=10_000)
    specificity_means: str = Field("", max_length=10_000)
    capability: str = Field("", max_length=10_000)
    location_country: str = Field("", max_length=2, description="ISO 3166-1 alpha-2.")
    location_region: str = Field("", max_length=200)
    location_city: str = Field("", max_length=200)
    location_confidence: Confidence = Confidence.UNKNOWN
    subject_age_flag: AgeFlag = AgeFlag.UNKNOWN
    expected_version: int = Field(ge=1, description=VERSION)


class ReferralIn(InputSchema):
    agency: str = Field(max_length=200)
    jurisdiction: str = Field(max_length=200)
    method: ReferralMethod
    referred_at: dt.datetime | None = Field(None, description="With a time zone; omitted: now.")
    country: str = Field("", max_length=2)
    reference_number: str = Field("", max_length=100)
    note: str = Field("", max_length=10_000)
    expected_version: int = Field(ge=1, description=VERSION)


class DisclosureIn(InputSchema):
    kind: DisclosureKind
    recipient_agency: str = Field(max_length=200)
    legal_basis: LegalBasis
    data_elements: list[DataElement] = Field(default_factory=list, max_length=20)
    produced: bool = True
    jurisdiction: str = Field("", max_length=200)
    country: str = Field("", max_length=2)
    request_reference: str = Field("", max_length=100)
    detail: str = Field("", max_length=10_000)
    threat_type: ThreatType | None = None
    disclosed_at: dt.datetime | None = Field(None, description="With a time zone; omitted: now.")
    expected_version: int = Field(ge=1, description=VERSION)


class ConfirmIn(InputSchema):
    note: str = Field("", max_length=10_000)


class InvestigationIn(InputSchema):
    title: str = Field(max_length=200)
    reason: str = Field("", max_length=100_000)


class PeriodParams(Schema):
    start: dt.date
    end: dt.date


# --- Operations -----------------------------------------------------------------------------


@router.get(
    "/counts",
    response={200: CountsOut, **errors(422)},
    operation_id="emergencyCounts",
    summary="Emergency disclosure counts for the transparency report",
    description="Emergency requests and voluntary disclosures between `start` and `end` (inclusive, UTC dates).",
)
def counts(request: HttpRequest, period: Query[PeriodParams]) -> CountsOut:
    user = acting_user(request)
    if not can_see_emergency_counts(user):
        raise RoleNotPermitted("Your roles do not allow reading these counts.")
    if period.end < period.start:
        raise InvalidData("`end` comes before `start`.", details={"field": "end"})
    result = selectors.emergency_counts(period.start, period.end)

    def row(r: selectors.Row) -> CountsRowOut:
        return CountsRowOut(
            key=r.key,
            label=r.label,
            emergency_requests=r.emergency_requests,
            requests_produced=r.requests_produced,
            voluntary_disclosures=r.voluntary_disclosures,
            total_disclosures=r.total_disclosures,
        )

    return CountsOut(
        start=result.start,
        end=result.end,
        total=row(result.total),
        by_type=[row(r) for r in result.by_type],
        by_country=[row(r) for r in result.by_country],
    )


@router.get(
    "/cases/{reference}",
    response={200: EmergencyOut, **errors(404, 422)},
    operation_id="getEmergency",
    summary="An emergency case's triage, referrals and disclosures",
)
def get_emergency(request: HttpRequest, reference: str) -> EmergencyOut:
    return emergency_out(_emergency_case(request, reference))


@router.post(
    "/cases/{reference}/triage",
    response={200: EmergencyOut, **errors(404, 409, 422)},
    operation_id="recordTriage",
    summary="Record the triage (and take the triage step)",
)
def record_triage(request: HttpRequest, reference: str, payload: TriageIn) -> EmergencyOut:
    case = _emergency_case(request, reference)
    data = payload.model_dump(exclude={"expected_version"}, mode="json")
    actions.do_record_triage(
        case=case,
        acting_user=acting_user(request),
        triage=actions.TriageData(**data),
        expected_version=payload.expected_version,
    )
    return emergency_out(case)


@router.post(
    "/cases/{reference}/referrals",
    response={200: EmergencyOut, **errors(404, 409, 422)},
    operation_id="referToLawEnforcement",
    summary="Record a referral to law enforcement",
)
def refer(request: HttpRequest, reference: str, payload: ReferralIn) -> EmergencyOut:
    case = _emergency_case(request, reference)
    data = payload.model_dump(exclude={"expected_version"})
    data["method"] = payload.method.value
    actions.do_refer_to_law_enforcement(
        case=case,
        acting_user=acting_user(request),
        referral=actions.ReferralData(**data),
        expected_version=payload.expected_version,
    )
    return emergency_out(case)


@router.post(
    "/cases/{reference}/disclosures",
    response={201: EmergencyOut, **errors(404, 409, 422)},
    operation_id="recordDisclosure",
    summary="Record a disclosure to law enforcement",
    description="Allowed without the review chain; Legal is told at once and must confirm it.",
)
def record_disclosure(request: HttpRequest, reference: str, payload: DisclosureIn) -> Status:
    case = _emergency_case(request, reference)
    data = actions.DisclosureData(
        kind=payload.kind.value,
        recipient_agency=payload.recipient_agency,
        legal_basis=payload.legal_basis.value,
        data_elements=tuple(e.value for e in payload.data_elements),
        produced=payload.produced,
        jurisdiction=payload.jurisdiction,
        country=payload.country,
        request_reference=payload.request_reference,
        detail=payload.detail,
        threat_type=payload.threat_type.value if payload.threat_type else "",
        disclosed_at=payload.disclosed_at,
    )
    actions.do_record_disclosure(
        case=case, acting_user=acting_user(request), disclosure=data, expected_version=payload.expected_version
    )
    return Status(201, emergency_out(case))


@router.post(
    "/cases/{reference}/disclosures/{disclosure_id}/confirm",
    response={200: EmergencyOut, **errors(404, 422)},
    operation_id="confirmDisclosure",
    summary="Legal confirms a disclosure",
)
def confirm_disclosure(request: HttpRequest, reference: str, disclosure_id: int, payload: ConfirmIn) -> EmergencyOut:
    case = _emergency_case(request, reference)
    disclosure = Disclosure.objects.filter(case=case, pk=disclosure_id).first()
    if disclosure is None:
        raise InvalidData(f"{case.reference} has no disclosure {disclosure_id}.", details={"field": "disclosure"})
    actions.do_confirm_disclosure(disclosure=disclosure, acting_user=acting_user(request), note=payload.note)
    return emergency_out(case)


@router.post(
    "/cases/{reference}/investigations",
    response={201: InvestigationOut, **errors(404, 422)},
    operation_id="spawnInvestigation",
    summary="Open an office-action investigation linked to the emergency",
)
def spawn_investigation(request: HttpRequest, reference: str, payload: InvestigationIn) -> Status:
    case = _emergency_case(request, reference)
    investigation = actions.do_spawn_investigation(
        case=case, acting_user=acting_user(request), title=payload.title, reason=payload.reason
    )
    return Status(201, InvestigationOut(reference=investigation.reference))
