"""The ReportIncident payload (DOMAIN §16.4): validation, and what each kind of report becomes.

A wiki running the ReportIncident extension sends the same JSON its REST handler takes
(`POST /reportincident/v0/report`), plus `reporter` {username, email}: what the extension puts
in the Zendesk request as the requester. The wiki itself is known from its token.

- An **emergency** (`immediate-threat-physical-harm`) becomes an intake item shaped like the
  Zendesk request the extension would have created: subject `Incident Reporting System
  emergency report` (teams route on it; never change it), a comment body with the reporting
  user, the reported user, a link to the page at that revision, the threat type and the
  details. It opens an emergency case at P0.
- A **non-emergency** report (`unacceptable-user-behavior`) is counted and nothing else: the
  extension sends no content to the Foundation for these (it shows community help instead),
  so only the category count per wiki and day is kept (`ReportIncidentCount`). `directReport`
  text goes to community addresses, never to us, so it is accepted and not stored either.
"""

import datetime as dt
import re
from typing import Any, Literal, get_args
from urllib.parse import quote

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import EmailValidator
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from ninja.errors import ValidationError
from pydantic import Field, field_validator
from pydantic import ValidationError as PydanticValidationError

from safetydesk.api.schemas import InputSchema
from safetydesk.cases.models import CaseKind, Priority
from safetydesk.intake.models import ReportIncidentCount
from safetydesk.intake.submission import Submission

# The subject line the extension gives every emergency request. Teams route on it; do not
# change it without the Trust and Safety team (DOMAIN §5.2).
EMERGENCY_SUBJECT = "Incident Reporting System emergency report"

EMERGENCY = "immediate-threat-physical-harm"
UNACCEPTABLE_BEHAVIOR = "unacceptable-user-behavior"

IncidentType = Literal["unacceptable-user-behavior", "immediate-threat-physical-harm"]
PhysicalHarmType = Literal["threats-physical-harm", "threats-self-harm", "threats-public-harm"]
BehaviorType = Literal[
    "doxing",
    "hate-or-discrimination",
    "intimidation",
    "sexual-harassment",
    "spam",
    "trolling",
    "something-else",
    "sockpuppetry",
    "vandalism",
    "userdispute",
    "disruptiveediting",
    "other",
]

# What a reporter may give as the category of a report sent to POST /api/v1/reports.
ReportCategory = Literal[BehaviorType, PhysicalHarmType]

PHYSICAL_HARM_TYPES: tuple[str, ...] = get_args(PhysicalHarmType)
BEHAVIOR_TYPES: tuple[str, ...] = get_args(BehaviorType)

# The threat types as the Zendesk comment names them.
THREAT_LABELS = {
    "threats-physical-harm": "Threats of physical harm",
    "threats-self-harm": "Threats of self-harm",
    "threats-public-harm": "Threats of public harm",
}

MAX_TEXT = 1000  # details, somethingElseDetails, directReport: code points, as the extension counts
_email = EmailValidator()


_LINE_BREAKING = re.compile("[\x00-\x1f\x7f\x85\u2028\u2029]")


def single_line(value: str) -> str:
    """Names, titles and addresses are one line: a line break would forge a line of the report
    body ("Threat type: …") or start a new mail header. Stripped of surrounding spaces."""
    if _LINE_BREAKING.search(value):
        raise ValueError("must be a single line without control characters")
    return value.strip()


class ReporterIn(InputSchema):
    """The reporting user, as the extension sends them to Zendesk as the requester."""

    username: str = Field(min_length=1, max_length=255)
    email: str = Field(min_length=3, max_length=254, description="The user's confirmed email address.")

    @field_validator("username")
    @classmethod
    def _username(cls, value: str) -> str:
        value = single_line(value)
        if not value:
            raise ValueError("a user name is required")
        return value

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        value = value.strip()
        try:
            _email(value)
        except DjangoValidationError:
            raise ValueError("not a valid email address") from None
        return value


class ReportIncidentIn(InputSchema):
    """The ReportIncident REST payload (DOMAIN §16.4), field for field, plus `reporter`."""

    revisionId: int = Field(
        ge=0, strict=True, description="The reported revision; 0 for a page that does not exist (then `page`)."
    )
    page: str | None = Field(None, max_length=255, description="The page title; required when `revisionId` is 0.")
    reportedUser: str | None = Field(None, max_length=255, description="A user name or IP address.")
    incidentType: IncidentType
    physicalHarmType: PhysicalHarmType | None = Field(
        None, description="Required for `immediate-threat-physical-harm`; refused otherwise."
    )
    behaviorType: BehaviorType | None = Field(
        None, description="Required for `unacceptable-user-behavior`; refused otherwise."
    )
    details: str | None = Field(None, max_length=MAX_TEXT)
    somethingElseDetails: str | None = Field(None, max_length=MAX_TEXT)
    threadId: str | None = Field(None, max_length=255, description="The DiscussionTools thread or comment id.")
    directReport: str | None = Field(None, max_length=MAX_TEXT)
    reporter: ReporterIn | None = Field(None, description="Required for emergencies: who reports, to reply to.")

    @field_validator("page", "reportedUser", "threadId")
    @classmethod
    def _one_line(cls, value: str | None) -> str | None:
        return None if value is None else single_line(value)

    @property
    def is_emergency(self) -> bool:
        return self.incidentType == EMERGENCY


def field_problem(field: str, message: str, kind: str) -> dict[str, Any]:
    """One refusal in ninja's error shape, so the API answers it like any invalid field."""
    return {"loc": ("body", "payload", field), "msg": message, "type": kind}


def parse_report_incident(data: Any) -> ReportIncidentIn:
    """The validated payload; ninja ValidationError (422 invalid_request) naming each bad field."""
    try:
        report = ReportIncidentIn.model_validate(data)
    except PydanticValidationError as exc:
        raise ValidationError(
            [{**error, "loc": ("body", "payload", *error["loc"])} for error in exc.errors(include_url=False)]
        ) from None
    problems = check_report_incident(report)
    if problems:
        raise ValidationError(problems)
    return report


def check_report_incident(report: ReportIncidentIn) -> list[dict[str, Any]]:
    """The rules that tie fields together (the extension's ReportHandler enforces the same)."""
    problems = []
    if report.is_emergency:
        if report.physicalHarmType is None:
            problems.append(field_problem("physicalHarmType", f"required when incidentType is {EMERGENCY}", "missing"))
        if report.behaviorType is not None:
            problems.append(field_problem("behaviorType", f"not allowed when incidentType is {EMERGENCY}", "forbidden"))
        if report.reporter is None:
            problems.append(field_problem("reporter", "required for an emergency report", "missing"))
    else:
        if report.behaviorType is None:
            problems.append(
                field_problem("behaviorType", f"required when incidentType is {UNACCEPTABLE_BEHAVIOR}", "missing")
            )
        if report.physicalHarmType is not None:
            problems.append(
                field_problem(
                    "physicalHarmType", f"not allowed when incidentType is {UNACCEPTABLE_BEHAVIOR}", "forbidden"
                )
            )
    if report.revisionId == 0 and not (report.page or "").strip():
        problems.append(field_problem("page", "required when revisionId is 0 (a page that does not exist)", "missing"))
    return problems


# --- Emergency: a case ----------------------------------------------------------------------


def permalink(wiki: str, report: ReportIncidentIn) -> str:
    """The link the extension puts in the Zendesk comment: the page at the reported revision
    (`index.php?oldid=…`), or by title for a page that does not exist, plus the thread anchor."""
    base = f"https://{wiki}/w/index.php"
    if report.revisionId:
        link = f"{base}?oldid={report.revisionId}"
    else:
        title = "_".join((report.page or "").split())
        link = f"{base}?title={quote(title, safe=':/')}"
    if report.threadId:
        link += "#" + quote(report.threadId, safe="-_.~")
    return link


def _link_label(report: ReportIncidentIn) -> str:
    if not report.threadId:
        return "Link to the page"
    # DiscussionTools ids of section headings start with "h-"; the rest name a comment.
    return "Link to the topic" if report.threadId.startswith("h-") else "Link to the comment"


def emergency_body(wiki: str, report: ReportIncidentIn) -> str:
    """The Zendesk comment the extension writes (DOMAIN §16.4), one labelled line per fact."""
    reporter = report.reporter.username if report.reporter else ""
    threat = THREAT_LABELS.get(report.physicalHarmType or "", report.physicalHarmType or "")
    return "\n".join(
        [
            f"Reporting user: {reporter}",
            f"Reported user: {(report.reportedUser or '').strip()}",
            f"{_link_label(report)}: {permalink(wiki, report)}",
            f"Threat type: {threat}",
            f"Details: {(report.details or '').strip()}",
        ]
    )


def emergency_submission(wiki: str, report: ReportIncidentIn, *, language: str = "") -> Submission:
    """The intake submission of an emergency report: kind emergency, P0, the fixed subject."""
    if not report.is_emergency or report.reporter is None:
        raise ValueError("not an emergency report")
    link = permalink(wiki, report)
    return Submission(
        sender=report.reporter.email,
        sender_name=report.reporter.username,
        subject=EMERGENCY_SUBJECT,
        body=emergency_body(wiki, report),
        language=language,
        kind=CaseKind.EMERGENCY,
        priority=Priority.P0,
        meta={
            "source": "reportincident",
            "wiki": wiki,
            "incident_type": report.incidentType,
            "threat_type": report.physicalHarmType,
            "permalink": link,
            "reported_user": (report.reportedUser or "").strip(),
            "revision_id": report.revisionId,
            "page": (report.page or "").strip(),
            "thread_id": report.threadId or "",
            "reporter_username": report.reporter.username,
        },
    )


# --- Non-emergency: a count -----------------------------------------------------------------


def record_incident_count(*, wiki: str, behavior_type: str, day: dt.date | None = None) -> int:
    """Add one to the wiki's count for this behaviour type today (UTC); returns the new count.

    One conditional UPDATE, or an INSERT the first time in a day; concurrent first reports
    race on the unique constraint and the loser updates instead.
    """
    day = day or timezone.now().date()
    rows = ReportIncidentCount.objects.filter(wiki=wiki, behavior_type=behavior_type, day=day)
    with transaction.atomic():
        if not rows.update(count=F("count") + 1):
            try:
                with transaction.atomic():
                    ReportIncidentCount.objects.create(wiki=wiki, behavior_type=behavior_type, day=day, count=1)
            except IntegrityError:
                rows.update(count=F("count") + 1)
        return rows.values_list("count", flat=True).get()
