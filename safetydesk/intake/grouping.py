"""Mass-report detection (issue 3, part 8): many near-identical reports about one target in a
short window become one case, with the count shown.

The pipeline (intake.pipeline._process) stores `target_key(submission)` on every item and asks
`group_case_for(item, submission, kind)` before opening a case. The first report about a target
opens a case as usual; a later report about the same target whose text is near-identical to
that first report's, within settings.INTAKE_MASS_REPORT_WINDOW_SECONDS of it, is threaded into
the same (still open) case and flagged `mass_report`. `grouped_count(case)` is what the console
shows.

Emergencies and child-protection reports are never grouped away: each threat is its own case
(DOMAIN §5.1, "treat all threats seriously").

Cost: one indexed query (target_key) for the few recent first reports about the same target,
then a shingle comparison of their texts in memory.
"""

import datetime as dt
import hashlib
import hmac
import ipaddress
import re
import unicodedata
from collections.abc import Iterable
from urllib.parse import parse_qs, unquote, urlsplit

from django.conf import settings
from django.db import connection
from django.db.models import CharField, Count
from django.db.models.functions import Cast

from safetydesk.cases.models import Case, CaseKind
from safetydesk.intake.models import IntakeItem, IntakeStatus
from safetydesk.intake.submission import Submission

# Kinds that are never grouped: each report is a case of its own.
NEVER_GROUPED = frozenset({CaseKind.EMERGENCY, CaseKind.CHILD_PROTECTION})

MASS_REPORT_FLAG = "mass_report"

# How many earlier first reports about one target are compared at most (the newest ones).
MAX_CANDIDATES = 20

# Only the start of a long report is compared; near-identical reports agree from the start.
COMPARED_CHARS = 10_000

# Words in these scripts are not separated by spaces, so each character counts as a word.
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u0e00-\u0e7f]")
_WORD = re.compile(r"\w+")
_USER_PREFIX = re.compile(r"^(?:user|benutzer|usuario|utilisateur|utente|利用者)\s*:\s*", re.IGNORECASE)


# --- What a report is about -------------------------------------------------------------------


def target_of(submission: Submission) -> str:
    """The report's target in clear: `user:<name>` for a reported user, else `page:<host>/<title>`
    for the page of the permalink; "" when neither is known."""
    meta = submission.meta or {}
    user = normalize_username(str(meta.get("reported_user") or ""))
    if user:
        return f"user:{user}"
    page = page_of(str(meta.get("permalink") or ""))
    return f"page:{page}" if page else ""


def target_key(submission: Submission) -> str:
    """A keyed hash of the target (64 hex characters), or "" when the report names none.

    Hashed like the sender (pipeline.sender_key): the index finds reports about one person
    without a reported user's name sitting in clear in the database.
    """
    target = target_of(submission)
    if not target:
        return ""
    return hmac.new(settings.SECRET_KEY.encode(), f"target\n{target}".encode(), hashlib.sha256).hexdigest()


def normalize_username(name: str) -> str:
    """MediaWiki's form of a user name: no `User:` prefix, spaces for underscores, a capital
    first letter; IP addresses in canonical form."""
    name = " ".join(unicodedata.normalize("NFC", name).replace("_", " ").split())
    name = _USER_PREFIX.sub("", name).strip()
    if not name:
        return ""
    try:
        return str(ipaddress.ip_address(name)).upper()
    except ValueError:
        pass
    return name[0].upper() + name[1:]


def page_of(permalink: str) -> str:
    """`<host>/<title>` of a wiki link (`/wiki/Title`, `index.php?title=…`), or `<host>/oldid:<n>`
    (or diff, curid) when the link names only a revision; "" when it is not a link."""
    try:
        parts = urlsplit(permalink.strip())
    except ValueError:
        return ""
    host = (parts.hostname or "").lower().rstrip(".")
    if not host:
        return ""
    query = parse_qs(parts.query)
    title = ""
    if parts.path.startswith("/wiki/"):
        title = unquote(parts.path[len("/wiki/") :])
    elif query.get("title"):
        title = query["title"][0]
    title = " ".join(title.replace("_", " ").split())
    if title:
        return f"{host}/{title[0].upper()}{title[1:]}"
    for name in ("curid", "oldid", "diff"):
        value = (query.get(name) or [""])[0]
        if value.isdigit():
            return f"{host}/{name}:{value}"
    return f"{host}{parts.path}" if parts.path.strip("/") else ""


# --- How alike two reports are ----------------------------------------------------------------


def words(text: str) -> list[str]:
    """The words of a text, case- and width-folded; in unspaced scripts, each character."""
    folded = unicodedata.normalize("NFKC", text[:COMPARED_CHARS]).casefold()
    tokens: list[str] = []
    for word in _WORD.findall(folded):
        if _UNSPACED.search(word):
            tokens.extend(word)
        else:
            tokens.append(word)
    return tokens


def shingles(text: str, size: int = 2) -> frozenset[tuple[str, ...]]:
    """Overlapping runs of `size` words. Pairs of words: one changed word in a twenty-word report
    keeps it above 0.8, while reordered or different texts fall well below."""
    tokens = words(text)
    if len(tokens) < size:
        return frozenset({tuple(tokens)}) if tokens else frozenset()
    return frozenset(tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1))


def similarity(a: str, b: str) -> float:
    """Jaccard similarity of the two texts' word shingles, from 0.0 to 1.0 (1.0: the same words in the
    same order, ignoring case, punctuation and spacing)."""
    first, second = shingles(a), shingles(b)
    if not first or not second:
        return 0.0
    return len(first & second) / len(first | second)


def report_text(subject: str, body: str) -> str:
    return f"{subject}\n{body}".strip()


# --- Grouping -------------------------------------------------------------------------------


def group_case_for(item: IntakeItem, submission: Submission, kind: str) -> Case | None:
    """The open case a near-identical report about the same target opened within the window,
    or None (the item opens a case of its own). Call inside the pipeline's transaction."""
    if kind in NEVER_GROUPED:
        return None
    key = item.target_key or target_key(submission)
    if not key:
        return None
    _serialize_target(key)
    window = dt.timedelta(seconds=settings.INTAKE_MASS_REPORT_WINDOW_SECONDS)
    earlier = (
        IntakeItem.objects.filter(
            target_key=key,
            status=IntakeStatus.ACCEPTED,
            received_at__gte=item.received_at - window,
            received_at__lte=item.received_at,
            case__kind=kind,
            case__closed_at__isnull=True,
        )
        .exclude(pk=item.pk)
        .select_related("case")
        .order_by("-received_at", "-pk")[:MAX_CANDIDATES]
    )
    text = report_text(submission.subject, submission.body)
    for first in earlier:
        if similarity(text, report_text(first.subject, first.body)) >= settings.INTAKE_MASS_REPORT_SIMILARITY:
            return first.case
    return None


def _serialize_target(key: str) -> None:
    """On PostgreSQL, let one transaction at a time decide about a target, so two near-identical
    reports processed at once cannot both open a case. (SQLite already has one writer.)"""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [int(key[:15], 16)])


def _mass_reported(items: Iterable[int] | None = None) -> "dict[int, int]":
    rows = (
        IntakeItem.objects.filter(status=IntakeStatus.THREADED)
        # JSON lists cannot be searched with `contains` on SQLite; their text can, on both.
        .annotate(flags_text=Cast("flags", CharField()))
        .filter(flags_text__contains=f'"{MASS_REPORT_FLAG}"')
    )
    if items is not None:
        rows = rows.filter(case_id__in=list(items))
    return {row["case_id"]: row["n"] for row in rows.values("case_id").annotate(n=Count("id")).order_by()}


def grouped_count(case: Case) -> int:
    """How many reports this case stands for: the one that opened it plus every near-identical
    report grouped into it (console: "reported N times")."""
    return _mass_reported([case.pk]).get(case.pk, 0) + 1


def grouped_counts(cases: Iterable[Case]) -> dict[int, int]:
    """grouped_count for many cases in one query (for lists), keyed by case id."""
    ids = [case.pk for case in cases]
    found = _mass_reported(ids) if ids else {}
    return {pk: found.get(pk, 0) + 1 for pk in ids}
