"""Intake over HTTP (issue 3, part 4): POST /api/v1/reports and POST /api/v1/reportincident.

Mounted at /api/v1 by safetydesk/api/urls.py. Both endpoints commit an intake item before they
answer (pipeline.receive_submission), so an accepted report is never lost even when processing
fails (it is quarantined, not dropped). `/reportincident` then processes it before answering (it
only takes emergencies); `/reports` does so only for what looks urgent, and leaves the rest to
the task worker: a partner system may file reports by the thousand, and answering each one
after its full triage would make the API as slow as triage (benchmarks/intake.py).

- `/reports` is public, the programmatic twin of the form at /report/: no token needed, rate
  limited per client IP and per contact email (staff token holders are exempt).
- `/reportincident` takes the ReportIncident extension's payload from a wiki, authenticated by
  that wiki's token (intake.wiki_tokens).

Bodies are read by hand rather than by ninja, so that the size limit (413) and the rate limit
(429) are decided before a byte of JSON is parsed; the request schemas are still published in
the OpenAPI document.
"""

import copy
import dataclasses
import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import EmailValidator
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from ninja import Router, Schema, Status
from ninja.errors import HttpError, ValidationError
from pydantic import BaseModel, Field, field_validator
from pydantic import ValidationError as PydanticValidationError

from safetydesk.accounts.models import User
from safetydesk.api.auth import TokenAuth
from safetydesk.api.errors import ApiError, IdempotencyKeyReused, MalformedJSON, error_body
from safetydesk.api.idempotency import MAX_KEY_LENGTH
from safetydesk.api.schemas import ErrorOut, InputSchema
from safetydesk.intake import limits, reportincident
from safetydesk.intake.models import IntakeIdempotencyKey, IntakeItem, IntakeStatus, WikiIntakeToken
from safetydesk.intake.pipeline import (
    IntakeResult,
    looks_urgent,
    process_item,
    receive_submission,
    sender_key,
)
from safetydesk.intake.reportincident import (
    PHYSICAL_HARM_TYPES,
    ReportCategory,
    field_problem,
    parse_report_incident,
    single_line,
)
from safetydesk.intake.submission import Submission
from safetydesk.intake.wiki_tokens import WikiTokenAuth
from safetydesk.intake.wikis import check_permalink
from safetydesk.lib.http import client_ip

router = Router(tags=["intake"])

MAX_REPORT_CHARS = 10_000  # what_happened and dsa_explanation; the form's limit too
MAX_NOTICE_URLS = 50
IP_WINDOW_SECONDS = 60
EMAIL_WINDOW_SECONDS = 3600
_email = EmailValidator()

# Labels for staff-facing text (the case title and body): ReportIncident's names for its types.
CATEGORY_LABELS = {
    "threats-physical-harm": "A threat to hurt or kill someone",
    "threats-self-harm": "Someone may harm themselves",
    "threats-public-harm": "A threat to the public or to a place",
    "doxing": "Sharing private information (doxing)",
    "hate-or-discrimination": "Hate speech or discrimination",
    "intimidation": "Harassment or intimidation",
    "sexual-harassment": "Sexual harassment",
    "spam": "Spam",
    "trolling": "Trolling",
    "something-else": "Something else",
    "sockpuppetry": "Sockpuppetry",
    "vandalism": "Vandalism",
    "userdispute": "User dispute",
    "disruptiveediting": "Disruptive editing",
    "other": "Other",
}


class PayloadTooLarge(ApiError):
    code = "payload_too_large"
    http_status = 413


# --- What the endpoints answer -----------------------------------------------------------------


class IntakeOut(Schema):
    intake_item: int = Field(description="The id of the intake item the report was committed as.")
    reference: str | None = Field(description="The case reference, once the report opened or joined a case.")
    status: str = Field(description="accepted | threaded | quarantined | dismissed | received")
    kind: str | None = Field(description="The case kind (emergency, general, …).")
    priority: str | None = Field(description="P0 (imminent harm) … P3.")
    language: str | None = Field(description="ISO 639-1 code of the report's language, if known.")


class CountedOut(Schema):
    recorded: str = Field(description='Always "count": only the category was counted; nothing else is kept.')


def intake_out(result: IntakeResult) -> IntakeOut:
    data = result.as_json()
    return IntakeOut(
        intake_item=data["intake_item"],
        reference=data["reference"],
        status=data["status"],
        kind=data["kind"],
        priority=data["priority"],
        language=data["language"],
    )


# --- What POST /reports takes ------------------------------------------------------------------


class ReportIn(InputSchema):
    """A report, with the fields of the public form at /report/."""

    what_happened: str = Field(max_length=MAX_REPORT_CHARS, description="In the reporter's words, any language.")
    where: str = Field("", max_length=1000, description="A link to the page or diff, on a configured wiki.")
    who: str = Field("", max_length=255, description="The user name (or IP address) being reported.")
    category: ReportCategory | None = Field(
        None, description="A ReportIncident behaviour type, or a threat type (those go to the emergency track)."
    )
    contact_email: str = Field("", max_length=254, description="Where to reply; required with `wants_reply`.")
    contact_name: str = Field("", max_length=200, description="The reporter's name (required for a DSA notice).")
    wants_reply: bool = False
    language: str = Field(
        "", max_length=16, description="ISO 639-1 code of the report's language; detected when not given."
    )
    illegal_content: bool = Field(False, description="This is a notice of illegal content (EU DSA Art. 16).")
    dsa_explanation: str = Field("", max_length=MAX_REPORT_CHARS, description="Why the content is illegal.")
    dsa_urls: list[str] = Field(
        default_factory=list, max_length=MAX_NOTICE_URLS, description="The exact links to the content."
    )
    dsa_csam: bool = Field(False, description="The notice concerns child sexual abuse material.")
    dsa_good_faith: bool = Field(False, description="The notifier confirms the notice is accurate and complete.")

    @field_validator("what_happened", "dsa_explanation")
    @classmethod
    def _text(cls, value: str) -> str:
        return value.replace("\r\n", "\n").replace("\r", "\n").strip()

    @field_validator("what_happened")
    @classmethod
    def _required_text(cls, value: str) -> str:
        if not value:
            raise ValueError("describe what happened")
        return value

    @field_validator("who", "contact_email", "contact_name", "where")
    @classmethod
    def _one_line(cls, value: str) -> str:
        return single_line(value)

    @field_validator("language")
    @classmethod
    def _language(cls, value: str) -> str:
        primary = value.strip().replace("_", "-").split("-", 1)[0].lower()
        if value.strip() and not (primary.isascii() and primary.isalpha() and 2 <= len(primary) <= 3):
            raise ValueError("an ISO 639-1 language code, such as es")
        return primary


def check_report(report: ReportIn) -> tuple[ReportIn, list[dict[str, Any]]]:
    """The rules the form applies (intake.forms.ReportForm), with links normalised; returns the
    cleaned report and a problem per field (ninja's error shape)."""
    problems: list[dict[str, Any]] = []
    changes: dict[str, Any] = {}
    if report.where:
        try:
            changes["where"] = check_permalink(report.where)
        except DjangoValidationError as exc:
            problems.append(field_problem("where", " ".join(exc.messages), exc.code or "invalid"))
    if report.contact_email:
        try:
            _email(report.contact_email)
        except DjangoValidationError:
            problems.append(field_problem("contact_email", "not a valid email address", "invalid"))
    if report.wants_reply and not report.contact_email:
        problems.append(field_problem("contact_email", "required to get a reply (wants_reply)", "missing"))
    urls: list[str] = []
    for index, url in enumerate(report.dsa_urls):
        try:
            normalised = check_permalink(url)
        except DjangoValidationError as exc:
            problems.append(field_problem(f"dsa_urls.{index}", " ".join(exc.messages), exc.code or "invalid"))
            continue
        if normalised not in urls:
            urls.append(normalised)
    changes["dsa_urls"] = urls
    if report.illegal_content:
        if not report.dsa_explanation:
            problems.append(field_problem("dsa_explanation", "explain why the content is illegal", "missing"))
        if not report.dsa_urls:
            problems.append(field_problem("dsa_urls", "give at least one link to the content", "missing"))
        if not report.dsa_good_faith:
            problems.append(field_problem("dsa_good_faith", "a notice needs the good-faith statement", "missing"))
        if not report.dsa_csam:
            # DSA Art. 16(2)(c): name and email, except for child sexual abuse material.
            if not report.contact_name:
                problems.append(field_problem("contact_name", "a notice of illegal content needs a name", "missing"))
            if not report.contact_email:
                problems.append(
                    field_problem("contact_email", "a notice of illegal content needs an email address", "missing")
                )
    elif report.dsa_explanation or report.dsa_urls or report.dsa_csam or report.dsa_good_faith:
        problems.append(field_problem("illegal_content", "set it to true to send the notice fields (dsa_…)", "missing"))
    return report.model_copy(update=changes), problems


def report_channel(report: ReportIn) -> str:
    """A notice about child sexual abuse material goes through the child-protection channel (a
    restricted case from the start), as from the form; anything else through the API channel."""
    return "child_protection" if report.illegal_content and report.dsa_csam else "api"


def report_submission(report: ReportIn, *, language: str) -> Submission:
    """The submission the form would make of the same report (intake.forms.ReportForm.submission)."""
    category = report.category or ""
    threat = category in PHYSICAL_HARM_TYPES
    notice = _notice(report)
    label = CATEGORY_LABELS.get(category, "")
    return Submission(
        sender=report.contact_email,
        sender_name=report.contact_name,
        subject=f"API report: {label}" if label else "API report",
        body=_body(report, notice),
        language=language,
        language_sample=report.what_happened,
        meta={
            "source": "api",
            "category": category,
            "incident_type": reportincident.EMERGENCY if threat else reportincident.UNACCEPTABLE_BEHAVIOR,
            "permalink": report.where,
            "reported_user": report.who,
            "eu_nexus": notice is not None,
            "dsa_notice": notice,
            "wants_reply": report.wants_reply,
        },
        # Reporters must not have to triage a threat (DOMAIN §5.1): one they name goes to the
        # emergency track whatever the urgency rules make of the words.
        kind="emergency" if threat else "",
        priority="P0" if threat else "",
        flags=("dsa_notice",) if notice is not None else (),
    )


def _notice(report: ReportIn) -> dict[str, Any] | None:
    if not report.illegal_content:
        return None
    present = {
        "explanation": bool(report.dsa_explanation),
        "urls": bool(report.dsa_urls),
        "name": bool(report.contact_name),
        "email": bool(report.contact_email),
        "good_faith": report.dsa_good_faith,
    }
    identified = report.dsa_csam or (present["name"] and present["email"])
    return {
        "explanation": report.dsa_explanation,
        "urls": list(report.dsa_urls),
        "notifier_name": report.contact_name,
        "notifier_email": report.contact_email,
        "child_sexual_abuse": report.dsa_csam,
        "good_faith": report.dsa_good_faith,
        # Art. 16(3): a notice with every element gives actual knowledge.
        "completeness": {
            **present,
            "identity_exempt": report.dsa_csam,
            "complete": present["explanation"] and present["urls"] and present["good_faith"] and identified,
        },
    }


def _body(report: ReportIn, notice: dict[str, Any] | None) -> str:
    """What staff read on the case: the reporter's words, then the facts given (as the form)."""
    lines = [report.what_happened, ""]
    if report.category:
        lines.append(f"Category: {CATEGORY_LABELS[report.category]}")
    lines.append(f"Where: {report.where or '(not given)'}")
    lines.append(f"Who: {report.who or '(not given)'}")
    if report.wants_reply:
        lines.append("The reporter asked for a reply.")
    if notice is not None:
        lines += ["", "Notice of illegal content (EU DSA Art. 16)"]
        if notice["child_sexual_abuse"]:
            lines.append("Concerns child sexual abuse material.")
        lines += ["Why illegal:", notice["explanation"], "Exact locations:", *notice["urls"]]
        lines.append(
            f"Notifier: {notice['notifier_name'] or '(not given)'} <{notice['notifier_email'] or 'not given'}>"
        )
        lines.append(f"Good-faith statement: {'confirmed' if notice['good_faith'] else 'missing'}")
    return "\n".join(lines)


# --- Reading a request -------------------------------------------------------------------------


def check_body_size(request: HttpRequest) -> None:
    """413 for a body over settings.INTAKE_API_MAX_BODY_BYTES, by its Content-Length, before
    anything reads it."""
    limit = settings.INTAKE_API_MAX_BODY_BYTES
    declared = request.META.get("CONTENT_LENGTH") or "0"
    try:
        length = int(declared)
    except ValueError:
        length = 0
    if length > limit:
        raise PayloadTooLarge(
            f"The request body is larger than {limit} bytes.", details={"limit_bytes": limit, "size_bytes": length}
        )


def read_json(request: HttpRequest) -> Any:
    """The body as JSON; 400 malformed_json (the API's code) when it is not."""
    body = request.body
    if len(body) > settings.INTAKE_API_MAX_BODY_BYTES:  # sent without a Content-Length
        raise PayloadTooLarge(
            f"The request body is larger than {settings.INTAKE_API_MAX_BODY_BYTES} bytes.",
            details={"limit_bytes": settings.INTAKE_API_MAX_BODY_BYTES},
        )
    try:
        return json.loads(body)
    except (ValueError, RecursionError) as exc:  # JSONDecodeError, UnicodeDecodeError, deep nesting
        raise HttpError(400, "The request body is not valid JSON.") from MalformedJSON(
            str(exc) if not isinstance(exc, RecursionError) else "nested too deeply"
        )


def parse(model: type[InputSchema], data: Any) -> Any:
    try:
        return model.model_validate(data)
    except PydanticValidationError as exc:
        raise ValidationError(
            [{**error, "loc": ("body", "payload", *error["loc"])} for error in exc.errors(include_url=False)]
        ) from None


def idempotency_key(request: HttpRequest) -> str | None:
    key = request.headers.get("Idempotency-Key")
    if key is None:
        return None
    if not 1 <= len(key) <= MAX_KEY_LENGTH:
        raise ValidationError(
            [
                {
                    "loc": ("header", "Idempotency-Key"),
                    "msg": f"between 1 and {MAX_KEY_LENGTH} characters",
                    "type": "string_length",
                }
            ]
        )
    return key


def optional_staff_user(request: HttpRequest) -> User | None:
    """The staff user of a token, if one was sent (a wrong one is refused, not ignored)."""
    if not request.headers.get("Authorization"):
        return None
    user = TokenAuth()(request)
    request.auth = user  # type: ignore[attr-defined]  # where api.auth.acting_user looks
    return user


def rate_limited(key: str, *, limit: int, window_seconds: int, what: str) -> HttpResponse | None:
    """None while `key` is within its limit; else the 429 answer, with Retry-After."""
    if limits.hit(key, limit=limit, window_seconds=window_seconds):
        return None
    retry_after = window_seconds - int(timezone.now().timestamp()) % window_seconds
    response = JsonResponse(
        error_body(
            "rate_limited",
            f"Too many reports {what}; try again in {retry_after} seconds.",
            {"retry_after_seconds": retry_after, "limit": limit, "window_seconds": window_seconds},
        ),
        status=429,
    )
    response["Retry-After"] = str(retry_after)
    return response


# --- Idempotency ------------------------------------------------------------------------------


def fingerprint(data: Any) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, separators=(",", ":"), default=str).encode()).hexdigest()


def run_once(
    *, scope: str, key: str, request_hash: str, run: Callable[[], IntakeItem | None]
) -> tuple[IntakeItem | None, bool]:
    """Call `run` (which commits an item, or only counts) unless this key was already used in
    this scope; returns (the first request's item, whether this is a replay).

    `run` and the key row commit together: a failed `run` leaves the key free for a retry; a
    replay, like the loser of two concurrent requests with one key, has its item rolled back on
    the unique constraint and answers with the first one's.
    """
    key_hash = hashlib.sha256(key.encode()).hexdigest()
    # No look-up first: almost every key is new, and a replay costs only a rolled-back insert.
    try:
        with transaction.atomic():
            item = run()
            IntakeIdempotencyKey.objects.create(scope=scope, key_hash=key_hash, request_hash=request_hash, item=item)
    except IntegrityError:
        earlier = _earlier(scope, key_hash, request_hash)
        if earlier is None:
            raise
        return earlier.item, True
    return item, False


def _earlier(scope: str, key_hash: str, request_hash: str) -> IntakeIdempotencyKey | None:
    row = IntakeIdempotencyKey.objects.filter(scope=scope, key_hash=key_hash).select_related("item").first()
    if row is None:
        return None
    if row.request_hash != request_hash:
        raise IdempotencyKeyReused("This Idempotency-Key was already used for a different request; use a new key.")
    return row


def submit(
    *, channel: str, submission: Submission, scope: str, key: str | None, request_hash: str, answer_first: bool = False
) -> tuple[IntakeResult, bool]:
    """Commit the submission as an item (once per key), then process it: at once, or with
    `answer_first` later (intake.triage) unless it looks urgent; a threat is always processed
    before the answer, so its case and page exist when the caller hears back."""
    deferred = answer_first and not looks_urgent(channel, submission)

    if key is None:
        item = receive_submission(channel, submission)
        replayed = False
    else:
        # The pipeline's duplicate check matches on message_id; the key row is what makes it
        # race-free.
        message_id = "idem:" + hashlib.sha256(f"{scope}\n{key}".encode()).hexdigest()
        keyed = dataclasses.replace(submission, message_id=message_id)
        found, replayed = run_once(
            scope=scope, key=key, request_hash=request_hash, run=lambda: receive_submission(channel, keyed)
        )
        if found is None:
            raise IdempotencyKeyReused("This Idempotency-Key was already used for a different request; use a new key.")
        item = found
    if item.status != IntakeStatus.RECEIVED or (deferred and not replayed):
        return IntakeResult(item), replayed
    # A replay whose first request died between commit and processing finishes the job.
    return process_item(item), replayed


def _detect_language(text: str) -> str:
    from safetydesk.intake import language

    return language.detect(text)


# --- OpenAPI: the request bodies read by hand --------------------------------------------------


def json_body(model: type[BaseModel]) -> dict[str, Any]:
    """openapi_extra documenting `model` as the JSON request body (nested models inlined)."""
    schema = model.model_json_schema()
    definitions = schema.pop("$defs", {})

    def inline(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref", "")
            if ref.startswith("#/$defs/"):
                return inline(copy.deepcopy(definitions[ref.removeprefix("#/$defs/")]))
            return {name: inline(value) for name, value in node.items()}
        if isinstance(node, list):
            return [inline(value) for value in node]
        return node

    return {"requestBody": {"required": True, "content": {"application/json": {"schema": inline(schema)}}}}


IDEMPOTENCY_HEADER = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH},
    "description": "Any unique string (a UUID). A retry with the same key returns the first result.",
}


def responses(*statuses: int, **ok: Any) -> dict[int, Any]:
    return {**{int(code): model for code, model in ok.items()}, **dict.fromkeys(statuses, ErrorOut)}


# --- Operations -------------------------------------------------------------------------------


@router.post(
    "/reports",
    auth=None,
    response=responses(400, 401, 403, 413, 422, 429, **{"201": IntakeOut}),
    operation_id="submitReport",
    summary="Send a report",
    description=(
        "The programmatic twin of the public report form: no token needed. The report is committed "
        "before the answer. A threat of harm (by its category or its words) or a child-safety report is "
        "processed before the answer too and comes back with its case (a threat: a P0 emergency case, "
        "its responder already paged). Any other report comes back `received`, with no reference yet: "
        "the task worker triages it moments later, and the reporter's acknowledgement carries the case "
        "reference. "
        "Send an `Idempotency-Key` header to make retries safe: a retry with the same key and body "
        "returns the first result (`Idempotent-Replayed: true`) and never makes a second case; the "
        "same key with a different body is refused (422 `idempotency_key_reused`). Anonymous callers "
        "are rate limited per address and per contact email (429 `rate_limited`, with Retry-After); "
        "callers with a staff API token are not. Bodies over 1 MB answer 413 `payload_too_large`."
    ),
    # Public, with a staff token optional (it lifts the rate limit).
    openapi_extra={**json_body(ReportIn), "parameters": [IDEMPOTENCY_HEADER], "security": [{}, {"TokenAuth": []}]},
)
def submit_report(request: HttpRequest, response: HttpResponse) -> Status | HttpResponse:
    check_body_size(request)
    user = optional_staff_user(request)
    if user is None:
        limited = rate_limited(
            f"intake-api:ip:{client_ip(request) or 'unknown'}",
            limit=settings.INTAKE_API_RATE_PER_IP,
            window_seconds=IP_WINDOW_SECONDS,
            what="from your address",
        )
        if limited is not None:
            return limited
    key = idempotency_key(request)
    report, problems = check_report(parse(ReportIn, read_json(request)))
    if problems:
        raise ValidationError(problems)
    if user is None and report.contact_email:
        limited = rate_limited(
            f"intake-api:email:{sender_key(report.contact_email)}",
            limit=settings.INTAKE_API_RATE_PER_EMAIL,
            window_seconds=EMAIL_WINDOW_SECONDS,
            what="for this email",
        )
        if limited is not None:
            return limited
    result, replayed = submit(
        channel=report_channel(report),
        # Unless given, the language is detected when the report is processed (from the
        # reporter's own words: intake.submission.Submission.language_sample).
        submission=report_submission(report, language=report.language),
        scope=f"user:{user.pk}" if user is not None else "anon",
        key=key,
        request_hash=fingerprint(report.model_dump(mode="json")),
        answer_first=True,
    )
    if key is not None:
        response["Idempotent-Replayed"] = "true" if replayed else "false"
    return Status(201, intake_out(result))


@router.post(
    "/reportincident",
    auth=WikiTokenAuth(),
    response=responses(400, 401, 413, 422, **{"201": IntakeOut, "202": CountedOut}),
    operation_id="reportIncident",
    summary="File a ReportIncident report from a wiki",
    description=(
        "The payload of the ReportIncident extension (`revisionId`, `page`, `reportedUser`, "
        "`incidentType`, `physicalHarmType`, `behaviorType`, `details`, `somethingElseDetails`, "
        "`threadId`, `directReport`) plus `reporter` {username, email}, sent with the wiki's token. "
        "An `immediate-threat-physical-harm` report opens a P0 emergency case (201). Any other report "
        'is only counted per wiki, behaviour type and day, and its content is not kept (202 `{"recorded": '
        '"count"}`). `Idempotency-Key` is honoured as on /reports.'
    ),
    openapi_extra={**json_body(reportincident.ReportIncidentIn), "parameters": [IDEMPOTENCY_HEADER]},
)
def report_incident(request: HttpRequest, response: HttpResponse) -> Status:
    token: WikiIntakeToken = request.auth  # type: ignore[attr-defined]  # set by WikiTokenAuth
    check_body_size(request)
    key = idempotency_key(request)
    report = parse_report_incident(read_json(request))
    scope = f"wiki:{token.wiki}"
    if report.is_emergency:
        submission = reportincident.emergency_submission(
            token.wiki, report, language=_detect_language(report.details or "")
        )
        result, replayed = submit(
            channel="reportincident",
            submission=submission,
            scope=scope,
            key=key,
            request_hash=fingerprint(report.model_dump(mode="json")),
        )
        if key is not None:
            response["Idempotent-Replayed"] = "true" if replayed else "false"
        return Status(201, intake_out(result))

    behavior_type = str(report.behaviorType)

    def count() -> None:
        reportincident.record_incident_count(wiki=token.wiki, behavior_type=behavior_type)

    if key is None:
        count()
    else:
        # Only the category is kept, so only the category is fingerprinted: the key row holds
        # nothing from which the report could be told.
        _, replayed = run_once(
            scope=scope,
            key=key,
            request_hash=fingerprint([report.incidentType, behavior_type]),
            run=count,
        )
        response["Idempotent-Replayed"] = "true" if replayed else "false"
    return Status(202, CountedOut(recorded="count"))
