"""Message templates: which exist, how an administrator's wording is checked, how one renders.

A template is plain text in Django template syntax. Its first line is the subject, then a blank
line, then the body. The defaults ship as files, templates/notify/<key>/<lang>.txt; a
`NoticeTemplate` row (an administrator's edit) wins over the file for its language.

Administrators write these, and the text goes to the public, so the language is kept small:
only the variables in `VARIABLES` (plain strings and booleans, never objects whose attributes
could be walked) and only the tags in `ALLOWED_TAGS`. Rendering never escapes HTML (the mail is
plain text) and never depends on the worker's active language.
"""

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template import Context, Engine, TemplateSyntaxError
from django.template.base import Lexer, TokenType
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

DEFAULTS_DIR = Path(__file__).parent / "templates" / "notify"
FALLBACK_LANGUAGE = "en"


@dataclass(frozen=True)
class TemplateKind:
    key: str
    label: str | Promise
    # Sent without a person pressing a button; the mail says so (RFC 3834 Auto-Submitted), so
    # that other robots do not answer it.
    automatic: bool = False
    # Sent about a case, so it names the reference (replies are matched by it); a notice with
    # no case (a committee member's seat) names none.
    about_a_case: bool = True


TEMPLATES: dict[str, TemplateKind] = {
    t.key: t
    for t in (
        TemplateKind("ack_general", _("Acknowledgement: general report"), automatic=True),
        TemplateKind("ack_emergency", _("Acknowledgement: emergency (threat of harm)"), automatic=True),
        TemplateKind("ack_child_protection", _("Acknowledgement: child protection"), automatic=True),
        TemplateKind("ack_legal", _("Acknowledgement: legal (DMCA, legal process)"), automatic=True),
        TemplateKind("ack_appeal", _("Acknowledgement: appeal"), automatic=True),
        TemplateKind("defer_local", _("Deferred: use the local community process")),
        TemplateKind("defer_global", _("Deferred: stewards or global venues")),
        TemplateKind("defer_u4c", _("Deferred: the U4C")),
        TemplateKind("defer_event", _("Deferred: event organisers")),
        # To the banned person, once the ban is carried out (enforcement.notices).
        TemplateKind("office_action_global_ban", _("Notice: Foundation global ban, to the banned person")),
        TemplateKind("office_action_event_ban", _("Notice: Foundation event ban, to the banned person")),
        # To the reporters once the Foundation acted (review matrix row 11), without details.
        TemplateKind("office_action_reporter_outcome", _("Notice: the Foundation acted, to the reporters")),
        # Appeals (appeals.notices): to the appellant, the sanctioned person, panel members.
        TemplateKind("appeal_eligibility", _("Appeal: eligibility decided, to the appellant")),
        TemplateKind("appeal_outcome", _("Appeal: the committee's outcome, to the appellant")),
        TemplateKind("appeal_outcome_subject", _("Appeal: the committee's outcome, to the sanctioned person")),
        TemplateKind(
            "crc_panel_seat", _("Committee: a member is drawn for a panel"), automatic=True, about_a_case=False
        ),
        # The reasoned reply to a DSA Art. 20 complaint (appeals.complaints).
        TemplateKind("complaint_decision", _("DSA complaint: the reasoned decision, to the complainant")),
        # DMCA letters (legal.dmca): to the claimant, the uploader, and legal counsel.
        TemplateKind("dmca_deficiency", _("DMCA: deficiency letter, to the claimant")),
        TemplateKind("dmca_rejection", _("DMCA: rejection (push back), to the claimant")),
        TemplateKind(
            "dmca_uploader_notice", _("DMCA: takedown notice with counter-notice instructions, to the uploader")
        ),
        TemplateKind("dmca_counter_forward", _("DMCA: a counter-notice forwarded, to the claimant")),
        TemplateKind("dmca_restore_reminder", _("Staff: a DMCA restore window is closing"), automatic=True),
        # Requests for user data (legal.user_data).
        TemplateKind("legal_pushback", _("User data request: pushback, to the requester")),
        TemplateKind("legal_user_notice", _("User data request: notice to the user before production")),
        TemplateKind(
            "legal_deferred_notice_due", _("Staff: a non-disclosure order lapsed, the user's notice is due"),
            automatic=True,
        ),
        # To legal counsel, not a party (emergency.actions.do_remind_legal_of_disclosure).
        TemplateKind(
            "disclosure_legal_review", _("Staff: a disclosure to law enforcement awaits Legal"), automatic=True
        ),
    )
}

# What a template may use, and what it means (shown to administrators beside the editor).
VARIABLES: dict[str, str | Promise] = {
    "reference": _("The case reference, e.g. SD-2026-000123. Keep it: replies are matched by it."),
    "general_address": _("The general address (where to write if an emergency report gets no answer in 1 hour)."),
    "emergency_address": _("The emergency address."),
    "received_at": _("When the report arrived (UTC)."),
    "dsa_notice": _("True when the report is a notice under Art. 16 of the EU Digital Services Act."),
    "venue_url": _("Where a deferred report should go (deferral replies)."),
    "appeals_address": _("The appeals address (the Case Review Committee's channel)."),
    "account": _("The account an office action was taken against (notices to that person)."),
    "appeal_until": _("The last day an appeal is accepted (UTC, YYYY-MM-DD)."),
    "event_scope": _("Which events an event ban covers, in the recipient's language."),
    "appeal_url": _("The one-time link to the appeal form for this decision (notices of office actions)."),
    "eligible": _("True when legal counsel found the appeal eligible for the committee."),
    "ineligible_reason": _("Why an appeal is not eligible, in the recipient's language."),
    "outcome": _("The committee's outcome (ratified, overturned, returned), in the recipient's language."),
    "outcome_key": _("The outcome as a fixed word: ratified, overturned or returned (for {% if %})."),
    "complaint_outcome": _("A complaint's decision (upheld, reversed, partly reversed), in the recipient's language."),
    "reply": _("The reviewer's reasoned reply to a complaint."),
    "redress_info": _("The out-of-court dispute settlement and court routes (DSA Art. 21)."),
    "crc_url": _("Where committee members sign in to read their panels' case files."),
    "legal_address": _("The legal address (DMCA notices and counter-notices, legal process)."),
    "missing_elements": _("The elements a DMCA notice lacks, one per line, in the recipient's language."),
    "rejection_reason": _("Why a DMCA notice is not granted, in the recipient's language."),
    "pages": _("The pages or files concerned, one link per line."),
    "counter_notice": _("The counter-notice as received: its sender and each statutory element, as stated."),
    "restore_on": _("The first day the material may be put back (YYYY-MM-DD)."),
    "restore_by": _("The last day by which the material is put back (YYYY-MM-DD)."),
    "archive_url": _("The public copy of the DMCA notice (claimant's contact data removed)."),
    "review_outcome": _("The legal sufficiency review's outcome (defective, overbroad, …)."),
    "review_note": _("Legal counsel's explanation of the pushback."),
    "objection_until": _("The last day the user may object before production (YYYY-MM-DD)."),
    "deferred": _("True when the user's notice comes after production (a non-disclosure order lapsed)."),
}
ALLOWED_TAGS = frozenset({"if", "elif", "else", "endif", "comment", "endcomment"})
# Words an {% if %} may use besides variables.
_IF_OPERATORS = frozenset({"and", "or", "not", "in", "is", "==", "!=", "(", ")", "None", "True", "False"})
_LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")

ENGINE = Engine(autoescape=False, debug=False, libraries={})


class UnknownTemplate(LookupError):
    pass


class TemplateProblem(ValueError):
    """An administrator's template that cannot be used; the message says why, for a person."""


@dataclass(frozen=True)
class RenderedNotice:
    subject: str
    body: str
    language: str  # the language of the text used (after fallback)
    source: str  # "override" (an administrator's edit) or "file" (the shipped default)


@dataclass(frozen=True)
class TemplateText:
    subject: str
    body: str
    source: str


def primary_language(code: str) -> str:
    """es-MX, es_MX and ES all mean es; anything that is not a language code means nothing."""
    primary = (code or "").strip().lower().replace("_", "-").split("-", 1)[0]
    return primary if _LANGUAGE_CODE.match(primary) else ""


def split_source(source: str) -> tuple[str, str]:
    """A file's text as (subject, body): first line, a blank line, the rest."""
    lines = source.replace("\r\n", "\n").split("\n")
    if len(lines) < 3 or lines[1].strip():
        raise TemplateProblem(_("The first line is the subject; the second line must be empty."))
    return lines[0], "\n".join(lines[2:])


def default_path(key: str, language: str) -> Path:
    return DEFAULTS_DIR / key / f"{language}.txt"


def default_text(key: str, language: str) -> TemplateText | None:
    """The shipped default for this key and language, if there is one."""
    if key not in TEMPLATES or not _LANGUAGE_CODE.match(language):
        return None
    path = default_path(key, language)
    if not path.is_file():
        return None
    subject, body = split_source(path.read_text(encoding="utf-8"))
    return TemplateText(subject, body, "file")


def override_text(key: str, language: str) -> TemplateText | None:
    from safetydesk.notify.models import NoticeTemplate

    row = NoticeTemplate.objects.filter(key=key, language=language).only("subject", "body").first()
    return TemplateText(row.subject, row.body, "override") if row is not None else None


def template_text(key: str, language: str) -> tuple[TemplateText, str]:
    """The wording to use and its language: the override, else the file, in the asked language,
    then the same in English."""
    if key not in TEMPLATES:
        raise UnknownTemplate(key)
    wanted = primary_language(language)
    for candidate in dict.fromkeys(c for c in (wanted, FALLBACK_LANGUAGE) if c):
        text = override_text(key, candidate) or default_text(key, candidate)
        if text is not None:
            return text, candidate
    raise UnknownTemplate(f"{key} has no {FALLBACK_LANGUAGE} default")


def check_notice_template(subject: str, body: str) -> None:
    """Raise TemplateProblem if this wording cannot be used: a syntax error, a tag or a variable
    outside the small language above, or a subject that is not one line."""
    if not subject.strip():
        raise TemplateProblem(_("The subject is empty."))
    if "\n" in subject or "\r" in subject:
        raise TemplateProblem(_("The subject must be one line."))
    if not body.strip():
        raise TemplateProblem(_("The body is empty."))
    for part in (subject, body):
        _check_tokens(part)
        try:
            ENGINE.from_string(part)
        except TemplateSyntaxError as exc:
            raise TemplateProblem(_("Template syntax error: %(error)s") % {"error": exc}) from exc


def _check_tokens(source: str) -> None:
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.VAR:
            _check_variable(token.contents.split("|", 1)[0].strip())
        elif token.token_type == TokenType.BLOCK:
            bits = token.split_contents()
            tag = bits[0] if bits else ""
            if tag not in ALLOWED_TAGS:
                raise TemplateProblem(
                    _("“{%% %(tag)s %%}” is not allowed here; use only if, elif, else and comment.") % {"tag": tag}
                )
            if tag in {"if", "elif"}:
                for bit in bits[1:]:
                    if bit not in _IF_OPERATORS and not _is_literal(bit):
                        _check_variable(bit.split("|", 1)[0])


def _is_literal(bit: str) -> bool:
    return bit[:1] in {'"', "'"} or bit.lstrip("-").isdigit()


def _check_variable(name: str) -> None:
    base = name.split(".", 1)[0]
    if base not in VARIABLES or "." in name:
        known = ", ".join(VARIABLES)
        raise TemplateProblem(
            _("“%(name)s” is not a variable templates can use (they are: %(known)s).") % {"name": name, "known": known}
        )


def safe_context(context: dict[str, Any]) -> dict[str, str | bool]:
    """Only known variables, as plain strings and booleans."""
    unknown = set(context) - set(VARIABLES)
    if unknown:
        raise ValueError(f"not template variables: {sorted(unknown)}")
    return {name: value if isinstance(value, bool) else str(value) for name, value in context.items()}


def _render_part(source: str, context: dict[str, str | bool]) -> str:
    return ENGINE.from_string(source).render(Context(context, autoescape=False))


def tidy_body(text: str) -> str:
    """No trailing spaces, at most one empty line in a row (left by {% if %} lines), one final
    newline."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")
    return text + "\n"


def render_text(text: TemplateText, context: dict[str, Any]) -> tuple[str, str]:
    values = safe_context(context)
    subject = " ".join(_render_part(text.subject, values).split())
    return subject, tidy_body(_render_part(text.body, values))


def render_notice(key: str, language: str, context: dict[str, Any]) -> RenderedNotice:
    """Render template `key` for a reader of `language`: the administrator's override for that
    language, else the shipped file for it, else the same in English."""
    text, used = template_text(key, language)
    subject, body = render_text(text, context)
    return RenderedNotice(subject=subject, body=body, language=used, source=text.source)


def team_context() -> dict[str, str]:
    """The team's own addresses, from the intake channel registry (what every notice may cite)."""
    from safetydesk.intake.channels import registry

    channels = registry().channels

    def first_address(key: str) -> str:
        channel = channels.get(key)
        return channel.addresses[0] if channel is not None and channel.addresses else ""

    return {
        "general_address": first_address("general"),
        "emergency_address": first_address("emergency"),
        "appeals_address": first_address("appeals"),
        "legal_address": first_address("legal"),
        "crc_url": settings.SITE_URL.rstrip("/") + "/crc/",
    }
