"""Cases over HTTP: the queue, a case file, and every change the console can make.

Mounted at /api/v1/cases by safetydesk/api/urls.py. Reads go through access_case() and the
selectors, writes through the action functions, so who may see and change what is decided in
the same places as for the console; refusals become the API's error envelope
(safetydesk/api/errors.py).
"""

import datetime as dt
from typing import Any, Literal

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from ninja import P, Query, Router, Schema, Status
from ninja.params import HeaderEx, QueryEx
from pydantic import Field

from safetydesk.accounts.models import User
from safetydesk.accounts.permissions import access_case
from safetydesk.api.auth import acting_user
from safetydesk.api.errors import ReauthenticationRequired
from safetydesk.api.idempotency import MAX_KEY_LENGTH, request_fingerprint, run_once
from safetydesk.api.schemas import InputSchema, UserRef, errors
from safetydesk.cases.actions import (
    PartyData,
    do_add_case_member,
    do_add_note,
    do_add_party,
    do_assign_case,
    do_capture_evidence,
    do_create_case,
    do_transition,
)
from safetydesk.cases.errors import InvalidData
from safetydesk.cases.models import (
    Case,
    CaseEvent,
    CaseKind,
    Confidentiality,
    Evidence,
    EvidenceKind,
    Note,
    Party,
    PartyRole,
    Priority,
)
from safetydesk.cases.selectors import QueueFilters, case_detail, page_of, queue, search
from safetydesk.cases.workflow import Field as WorkflowField
from safetydesk.cases.workflow import evaluate, workflow_for
from safetydesk.lib.http import client_ip
from safetydesk.wiki.evidence import do_capture_from_wiki

router = Router(tags=["cases"])

# Sensitive transitions ask for a fresh password + TOTP in the console (accounts/sudo.py). A
# standing bearer token cannot give that proof, so the API does not take them.
NEEDS_CONSOLE = "This step needs re-authentication in the console (sudo mode); an API token cannot take it."


# --- What the API returns -------------------------------------------------------------------


class CaseSummaryOut(Schema):
    reference: str
    kind: str
    state: str
    state_label: str
    priority: str
    confidentiality: str
    title: str
    language: str
    lead: UserRef | None
    opened_at: dt.datetime
    sla_due_at: dt.datetime | None
    overdue: bool
    version: int = Field(description="Send it back as `expected_version` when changing the case.")


class CasePageOut(Schema):
    items: list[CaseSummaryOut]
    next_page: int | None = Field(description="The `page` to ask for next; null on the last page.")


class CaseListOut(Schema):
    items: list[CaseSummaryOut]


class PartyOut(Schema):
    id: int
    role: str
    display_name: str
    language: str
    added_at: dt.datetime


class EvidenceOut(Schema):
    id: int
    kind: str
    permalink: str
    description: str
    sha256: str = Field(description="Of the permalink and content as captured; fixed from then on.")
    captured_at: dt.datetime
    captured_by: UserRef | None


class NoteOut(Schema):
    id: int
    author: UserRef | None
    body: str
    created_at: dt.datetime


class EventOut(Schema):
    kind: str
    created_at: dt.datetime
    actor: UserRef | None
    transition: str
    from_state: str
    to_state: str
    data: dict[str, Any]


class ChoiceOut(Schema):
    value: str
    label: str


class TransitionFieldOut(Schema):
    name: str
    label: str
    kind: str = Field(description="text | textarea | choice | url")
    required: bool
    choices: list[ChoiceOut]


class TransitionOut(Schema):
    name: str
    label: str
    allowed: bool
    blocked_by: str | None = Field(description="Why this user cannot take it now, if they cannot.")
    fields: list[TransitionFieldOut] = Field(description="What to send in `data`.")


class CaseDetailOut(CaseSummaryOut):
    summary: str
    projects: list[str]
    languages: list[str]
    eu_nexus: bool
    legal_hold: bool
    acknowledged_at: dt.datetime | None
    closed_at: dt.datetime | None
    ack_due_at: dt.datetime | None
    target_due_at: dt.datetime | None
    routed_to: str
    routed_url: str
    reply_template: str
    closure_reason: str
    created_by: UserRef | None
    assistants: list[UserRef]
    parties: list[PartyOut]
    evidence: list[EvidenceOut]
    notes: list[NoteOut]
    timeline: list[EventOut]
    transitions: list[TransitionOut] = Field(description="Every step out of the current state.")


class NoteCreatedOut(Schema):
    note: NoteOut
    case_version: int


class PartyCreatedOut(Schema):
    party: PartyOut
    case_version: int


class EvidenceCreatedOut(Schema):
    evidence: EvidenceOut
    case_version: int


def ref(user: User) -> UserRef:
    return UserRef(id=user.pk, username=user.username)


def user_ref(user: User | None) -> UserRef | None:
    return None if user is None else ref(user)


def state_label(case: Case) -> str:
    states = {s.name: s.label for s in workflow_for(case.kind).states}
    return str(states.get(case.state, case.state))


def summary_fields(case: Case) -> dict[str, Any]:
    return {
        "reference": case.reference,
        "kind": case.kind,
        "state": case.state,
        "state_label": state_label(case),
        "priority": case.priority,
        "confidentiality": case.confidentiality,
        "title": case.title,
        "language": case.language,
        "lead": user_ref(case.lead),
        "opened_at": case.opened_at,
        "sla_due_at": case.sla_due_at,
        "overdue": case.is_overdue,
        "version": case.version,
    }


def party_out(party: Party) -> PartyOut:
    return PartyOut(
        id=party.pk, role=party.role, display_name=party.display_name, language=party.language, added_at=party.added_at
    )


def evidence_out(evidence: Evidence) -> EvidenceOut:
    return EvidenceOut(
        id=evidence.pk, kind=evidence.kind, permalink=evidence.permalink, description=evidence.description,
        sha256=evidence.sha256, captured_at=evidence.captured_at, captured_by=user_ref(evidence.captured_by),
    )


def note_out(note: Note) -> NoteOut:
    return NoteOut(id=note.pk, author=user_ref(note.author), body=note.body, created_at=note.created_at)


def event_out(event: CaseEvent) -> EventOut:
    return EventOut(
        kind=event.kind, created_at=event.created_at, actor=user_ref(event.actor), transition=event.transition,
        from_state=event.from_state, to_state=event.to_state,
        data=event.data if isinstance(event.data, dict) else {},
    )


def field_out(field: WorkflowField) -> TransitionFieldOut:
    return TransitionFieldOut(
        name=field.name, label=str(field.label), kind=field.kind, required=field.required,
        choices=[ChoiceOut(value=value, label=str(label)) for value, label in field.choices],
    )


def transitions_out(case: Case, user: User) -> list[TransitionOut]:
    options = []
    for option in evaluate(case, user):
        step = option.transition
        blocked_by = option.blocked_by or (NEEDS_CONSOLE if step.sensitive else None)
        options.append(
            TransitionOut(
                name=step.name, label=str(step.label), allowed=blocked_by is None, blocked_by=blocked_by,
                fields=[field_out(f) for f in step.fields],
            )
        )
    return options


def detail_out(case: Case, user: User) -> CaseDetailOut:
    """The whole case file as this user may see it, loaded in a fixed number of queries."""
    case = case_detail(case)
    return CaseDetailOut(
        **summary_fields(case),
        summary=case.summary,
        projects=list(case.projects),
        languages=list(case.languages),
        eu_nexus=case.eu_nexus,
        legal_hold=case.legal_hold,
        acknowledged_at=case.acknowledged_at,
        closed_at=case.closed_at,
        ack_due_at=case.ack_due_at,
        target_due_at=case.target_due_at,
        routed_to=case.routed_to,
        routed_url=case.routed_url,
        reply_template=case.reply_template,
        closure_reason=case.closure_reason,
        created_by=user_ref(case.created_by),
        assistants=[ref(a) for a in case.assistants.all()],
        parties=[party_out(p) for p in case.parties.all()],
        evidence=[evidence_out(e) for e in case.evidence.all()],
        notes=[note_out(n) for n in case.notes.all()],
        timeline=[event_out(e) for e in case.events.all()],
        transitions=transitions_out(case, user),
    )


# --- What the API accepts -------------------------------------------------------------------


class QueueParams(Schema):
    kind: CaseKind | None = None
    state: str | None = Field(None, max_length=48)
    priority: Priority | None = None
    language: str | None = Field(None, max_length=8)
    assignee: str | None = Field(
        None, pattern=r"^(\d{1,12}|me|none)$", description="A user id, `me`, or `none` for unassigned cases."
    )
    overdue: bool = False
    status: Literal["open", "closed", "all"] = "open"
    page: int = Field(1, ge=1, le=100_000)

    def to_filters(self) -> QueueFilters:
        return QueueFilters(
            kind=self.kind or "",
            state=self.state or "",
            priority=self.priority or "",
            language=self.language or "",
            assignee=self.assignee or "",
            overdue=self.overdue,
            status=self.status,
        )


class PartyIn(InputSchema):
    role: PartyRole
    wiki_username: str = Field("", max_length=255)
    real_name: str = Field("", max_length=255)
    email: str = Field("", max_length=254)
    language: str = Field("", max_length=8)
    global_user_id: str = Field("", max_length=32)
    ip_or_range: str = Field("", max_length=64)

    def to_data(self) -> PartyData:
        return PartyData(
            role=self.role.value, wiki_username=self.wiki_username, real_name=self.real_name, email=self.email,
            language=self.language, global_user_id=self.global_user_id, ip_or_range=self.ip_or_range,
        )


class CaseIn(InputSchema):
    title: str = Field(max_length=200)
    summary: str = Field("", max_length=100_000)
    kind: CaseKind = CaseKind.GENERAL
    priority: Priority = Priority.P2
    confidentiality: Confidentiality = Confidentiality.INTERNAL
    language: str = Field("en", min_length=2, max_length=8, description="ISO 639-1 code of the report.")
    projects: list[str] = Field(default_factory=list, max_length=50)
    eu_nexus: bool = False
    parties: list[PartyIn] = Field(default_factory=list, max_length=100)


class TransitionIn(InputSchema):
    transition: str = Field(max_length=48, description="The `name` of one of the case's `transitions`.")
    data: dict[str, str] = Field(default_factory=dict, description="Values for the transition's `fields`.")
    expected_version: int = Field(ge=1, description="The case `version` you saw; a newer one refuses the change.")


class NoteIn(InputSchema):
    body: str = Field(max_length=50_000)


class AssignIn(InputSchema):
    lead: int | None = Field(description="The lead's user id, or null to leave the case without a lead.")
    assistants: list[int] = Field(default_factory=list, max_length=50)
    expected_version: int = Field(ge=1, description="The case `version` you saw; a newer one refuses the change.")


class MemberIn(InputSchema):
    member: int = Field(description="The user id of the staff member to name on the case.")
    expected_version: int = Field(ge=1, description="The case `version` you saw; a newer one refuses the change.")


class EvidenceIn(InputSchema):
    kind: EvidenceKind
    permalink: str = Field("", max_length=1000)
    content: str = Field("", max_length=1_000_000)
    description: str = Field("", max_length=300)


class WikiEvidenceIn(InputSchema):
    permalink: str = Field(..., max_length=1000)
    description: str = Field("", max_length=300)



def users_by_id(lead: int | None, assistants: list[int]) -> dict[int, User]:
    """The people an assignment names; InvalidData naming the field of any id that is unknown."""
    wanted = {*assistants, *([lead] if lead is not None else [])}
    found = {u.pk: u for u in User.objects.filter(pk__in=wanted)}
    missing = sorted(wanted - found.keys())
    if missing:
        field = "lead" if lead in missing else "assistants"
        raise InvalidData(
            f"No user with id {', '.join(map(str, missing))}.", details={"field": field, "unknown": missing}
        )
    return found


# --- Operations -----------------------------------------------------------------------------


@router.get(
    "",
    response={200: CasePageOut, **errors(422)},
    operation_id="listCases",
    summary="The case queue",
    description="Cases you may see, in working order (priority, then the next deadline), one page at a time.",
)
def list_cases(request: HttpRequest, params: Query[QueueParams]) -> CasePageOut:
    user = acting_user(request)
    rows, has_more = page_of(queue(user, params.to_filters()), params.page, settings.QUEUE_PAGE_SIZE)
    return CasePageOut(
        items=[CaseSummaryOut(**summary_fields(c)) for c in rows],
        next_page=params.page + 1 if has_more else None,
    )


@router.get(
    "/search",
    response={200: CaseListOut, **errors(422)},
    operation_id="searchCases",
    summary="Find cases by reference or title words",
)
def search_cases(request: HttpRequest, q: QueryEx[str, P(min_length=1, max_length=200)]) -> CaseListOut:
    user = acting_user(request)
    return CaseListOut(items=[CaseSummaryOut(**summary_fields(c)) for c in search(user, q)])


@router.post(
    "",
    response={201: CaseDetailOut, **errors(400, 422)},
    operation_id="createCase",
    summary="Open a case",
    description=(
        "Send an `Idempotency-Key` header to make retries safe: the same key from the same user "
        "returns the case the first request opened (with `Idempotent-Replayed: true`) instead of "
        "opening another. Reusing a key for a different request is refused."
    ),
)
def create_case(
    request: HttpRequest,
    response: HttpResponse,
    payload: CaseIn,
    idempotency_key: HeaderEx[
        str | None,
        P(alias="Idempotency-Key", min_length=1, max_length=MAX_KEY_LENGTH, description="Any unique string (a UUID)."),
    ] = None,
) -> Status:
    user = acting_user(request)

    def create() -> str:
        case = do_create_case(
            acting_user=user,
            title=payload.title,
            kind=payload.kind,
            summary=payload.summary,
            priority=payload.priority,
            confidentiality=payload.confidentiality,
            language=payload.language,
            projects=payload.projects,
            intake_channel="api",
            eu_nexus=payload.eu_nexus,
            parties=[p.to_data() for p in payload.parties],
        )
        return case.reference

    if idempotency_key is None:
        reference = create()
    else:
        outcome = run_once(
            user=user, key=idempotency_key, fingerprint=request_fingerprint(payload.model_dump(mode="json")), run=create
        )
        reference = outcome.reference
        response["Idempotent-Replayed"] = "true" if outcome.replayed else "false"
    case = access_case(user, reference, ip_address=client_ip(request))
    return Status(201, detail_out(case, user))


@router.get(
    "/{reference}",
    response={200: CaseDetailOut, **errors(404)},
    operation_id="getCase",
    summary="A case file",
    description=(
        "Everything on the case you may see, and `transitions`: each step out of the current state with "
        "whether you may take it, why not, and the `data` fields it asks for. A case you may not see "
        "answers 404, exactly like one that does not exist."
    ),
)
def get_case(request: HttpRequest, reference: str) -> CaseDetailOut:
    user = acting_user(request)
    case = access_case(user, reference, ip_address=client_ip(request))
    return detail_out(case, user)


@router.post(
    "/{reference}/transitions",
    response={200: CaseDetailOut, **errors(400, 404, 409, 422)},
    operation_id="transitionCase",
    summary="Move a case along its workflow",
    description="Returns the case as it now is. 409 `stale_case` means someone changed it since `expected_version`.",
)
def transition_case(request: HttpRequest, reference: str, payload: TransitionIn) -> CaseDetailOut:
    user = acting_user(request)
    case = access_case(user, reference, ip_address=client_ip(request))
    step = workflow_for(case.kind).transition(payload.transition)
    if step is not None and step.sensitive:
        raise ReauthenticationRequired(NEEDS_CONSOLE, details={"transition": step.name})
    case = do_transition(
        case=case, transition=payload.transition, acting_user=user, data=payload.data,
        expected_version=payload.expected_version,
    )
    return detail_out(case, user)


@router.post(
    "/{reference}/members",
    response={200: CaseDetailOut, **errors(403, 404, 409, 422)},
    operation_id="addCaseMember",
    summary="Name a member of the case",
    description="Members may open the case however confidential it is. Managers, directors and the lead may name them.",
)
def add_case_member(request: HttpRequest, reference: str, payload: MemberIn) -> CaseDetailOut:
    user = acting_user(request)
    case = access_case(user, reference, ip_address=client_ip(request))
    member = User.objects.filter(pk=payload.member).first()
    if member is None:
        raise InvalidData(f"No user with id {payload.member}.", details={"field": "member"})
    case = do_add_case_member(case=case, acting_user=user, member=member, expected_version=payload.expected_version)
    return detail_out(case, user)


@router.post(
    "/{reference}/assign",
    response={200: CaseDetailOut, **errors(404, 409, 422)},
    operation_id="assignCase",
    summary="Set the lead and assistants",
    description="They become named members of the case. Returns the case as it now is.",
)
def assign_case(request: HttpRequest, reference: str, payload: AssignIn) -> CaseDetailOut:
    user = acting_user(request)
    case = access_case(user, reference, ip_address=client_ip(request))
    people = users_by_id(payload.lead, payload.assistants)
    case = do_assign_case(
        case=case,
        acting_user=user,
        lead=people[payload.lead] if payload.lead is not None else None,
        assistants=[people[i] for i in dict.fromkeys(payload.assistants)],
        expected_version=payload.expected_version,
    )
    return detail_out(case, user)


@router.post(
    "/{reference}/notes",
    response={201: NoteCreatedOut, **errors(404, 422)},
    operation_id="addNote",
    summary="Add an internal note",
    description="Staff-only; never shown to reporters or subjects.",
)
def add_note(request: HttpRequest, reference: str, payload: NoteIn) -> Status:
    user = acting_user(request)
    case = access_case(user, reference, ip_address=client_ip(request))
    note = do_add_note(case=case, acting_user=user, body=payload.body)
    return Status(201, NoteCreatedOut(note=note_out(note), case_version=note.case.version))


@router.post(
    "/{reference}/parties",
    response={201: PartyCreatedOut, **errors(404, 422)},
    operation_id="addParty",
    summary="Add a person to a case",
)
def add_party(request: HttpRequest, reference: str, payload: PartyIn) -> Status:
    user = acting_user(request)
    case = access_case(user, reference, ip_address=client_ip(request))
    party = do_add_party(case=case, acting_user=user, party=payload.to_data())
    return Status(201, PartyCreatedOut(party=party_out(party), case_version=party.case.version))


@router.post(
    "/{reference}/evidence",
    response={201: EvidenceCreatedOut, **errors(404, 422)},
    operation_id="captureEvidence",
    summary="Capture a piece of evidence",
    description="Its SHA-256 is taken now and fixed; the content itself is stored encrypted and not returned.",
)
def capture_evidence(request: HttpRequest, reference: str, payload: EvidenceIn) -> Status:
    user = acting_user(request)
    case = access_case(user, reference, ip_address=client_ip(request))
    evidence = do_capture_evidence(
        case=case, acting_user=user, kind=payload.kind, permalink=payload.permalink, content=payload.content,
        description=payload.description,
    )
    return Status(201, EvidenceCreatedOut(evidence=evidence_out(evidence), case_version=evidence.case.version))


@router.post(
    "/{reference}/evidence/from-wiki",
    response={201: EvidenceCreatedOut, **errors(404, 422)},
    operation_id="captureEvidenceFromWiki",
    summary="Capture a revision from a registered wiki by its permalink",
    description=(
        "The revision a permanent link or diff names is read from its wiki through the Action API "
        "(text, author, time, comment) and kept with its SHA-256, so a later deletion on the wiki loses "
        "nothing. 422 when the link names no revision, no registered wiki serves it, or the wiki cannot be "
        "read now (details.transient: try again)."
    ),
)
def capture_evidence_from_wiki(request: HttpRequest, reference: str, payload: WikiEvidenceIn) -> Status:
    user = acting_user(request)
    case = access_case(user, reference, ip_address=client_ip(request))
    evidence = do_capture_from_wiki(
        case=case, acting_user=user, permalink=payload.permalink, description=payload.description
    )
    return Status(201, EvidenceCreatedOut(evidence=evidence_out(evidence), case_version=evidence.case.version))

