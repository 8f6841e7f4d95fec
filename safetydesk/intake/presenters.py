"""Intake items as the console shows them. Display only: no rules, no access decisions.

- `case_intake_section(case)`: the case page's Intake panel (its items, why the priority, the
  mass-report count, the notices sent), in a fixed number of queries however many items.
- `urgency_of(item)` and `highlight(text, words)`: the urgency rules that fired, and the words
  they fired on marked in the text (issue 3 part 6: "the console shows which rule fired and on
  what words").
"""

import base64
import contextlib
import re
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from safetydesk.cases.models import Case, Confidentiality
from safetydesk.intake.channels import registry
from safetydesk.intake.models import IntakeItem
from safetydesk.notify.models import Notice
from safetydesk.notify.rendering import TEMPLATES

# How many of a case's items the case page lists (the newest); a mass-reported case may have
# thousands, and the count says how many there are.
CASE_ITEMS_SHOWN = 20
# How much of a quarantined message's raw source the item page shows.
RAW_SHOWN_CHARS = 100_000

CATEGORY_LABELS = {
    "self_harm": _("self-harm"),
    "physical_harm": _("physical harm"),
    "public_harm": _("public harm"),
    "child_safety": _("child safety"),
    "dampener": _("false-alarm phrase"),
}
FLAG_LABELS = {
    "mass_report": _("mass report"),
    "unknown_address": _("unknown address"),
    "rate_limited": _("rate limited"),
    "html_only": _("HTML only"),
    "auto_submitted": _("automatic mail"),
    "dsa_notice": _("DSA notice"),
    "too_many_attachments": _("too many attachments"),
    "body_truncated": _("body truncated"),
    "malformed_mime": _("malformed MIME"),
    "bad_charset": _("bad charset"),
    "unknown_charset": _("unknown charset"),
}


@dataclass(frozen=True)
class FiredRule:
    id: str
    language: str
    category: str
    category_label: str
    matched: str
    weight: float | None

    @property
    def is_dampener(self) -> bool:
        return self.category == "dampener"


@dataclass(frozen=True)
class Urgency:
    threat: bool
    threat_type: str
    child_safety: bool
    score: float | None
    rules_version: str
    rules: list[FiredRule]


@dataclass(frozen=True)
class Segment:
    text: str
    marked: str = ""  # "" (plain), "threat" or "dampener"


@dataclass(frozen=True)
class Flag:
    key: str
    label: str


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _float(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def urgency_of(item: IntakeItem) -> Urgency | None:
    """What the urgency rules said about the item (intake.urgency's Assessment.as_json), or
    None if it was never assessed (quarantined, threaded replies)."""
    data = _dict(_dict(item.classification).get("urgency"))
    if not data:
        return None
    rules = []
    for rule in data.get("rules") or []:
        rule = _dict(rule)
        matched = rule.get("matched") or ""
        if isinstance(matched, list):
            matched = " … ".join(str(m) for m in matched)
        category = str(rule.get("category") or "")
        rules.append(
            FiredRule(
                id=str(rule.get("id") or ""),
                language=str(rule.get("language") or ""),
                category=category,
                category_label=str(CATEGORY_LABELS.get(category, category)),
                matched=str(matched),
                weight=_float(rule.get("weight")),
            )
        )
    return Urgency(
        threat=bool(data.get("threat")),
        threat_type=str(CATEGORY_LABELS.get(str(data.get("threat_type") or ""), data.get("threat_type") or "")),
        child_safety=bool(data.get("child_safety")),
        score=_float(data.get("score")),
        rules_version=str(data.get("rules_version") or ""),
        rules=rules,
    )


def flags_of(item: IntakeItem) -> list[Flag]:
    return [Flag(flag, str(FLAG_LABELS.get(flag, flag.replace("_", " ")))) for flag in item.flags or []]


def channel_label(key: str) -> str:
    channel = registry().channels.get(key)
    return str(channel.label) if channel is not None else key


def highlight(text: str, rules: list[FiredRule]) -> list[Segment]:
    """`text` cut into plain and marked pieces: every occurrence of the words a rule fired on
    (case-insensitive). The template escapes each piece; nothing here is markup."""
    spans: list[tuple[int, int, str]] = []
    for rule in rules:
        words = rule.matched.strip().rstrip("…").strip()
        if not words:
            continue
        kind = "dampener" if rule.is_dampener else "threat"
        pattern = re.compile(re.escape(words).replace(r"\ ", r"\s+"), re.IGNORECASE)
        spans.extend((found.start(), found.end(), kind) for found in pattern.finditer(text))
    # Overlapping matches ("I'm going to kill" and "kill myself") become one marked piece; a
    # threat rule's mark wins over a false-alarm phrase's.
    merged: list[list[Any]] = []
    for start, end, kind in sorted(spans):
        if merged and start < merged[-1][1]:
            last = merged[-1]
            last[1] = max(last[1], end)
            last[2] = "threat" if "threat" in (last[2], kind) else kind
        else:
            merged.append([start, end, kind])
    segments: list[Segment] = []
    position = 0
    for start, end, kind in merged:
        if start > position:
            segments.append(Segment(text[position:start]))
        segments.append(Segment(text[start:end], kind))
        position = end
    if position < len(text):
        segments.append(Segment(text[position:]))
    return segments


# Control characters other than tab and line breaks: not valid in an HTML page.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def raw_source(item: IntakeItem) -> str:
    """The message as it came, as text, for a person to read why it could not be processed."""
    source, _sep, raw = item.raw.partition(":")
    text = raw
    if source == "rfc822":
        with contextlib.suppress(ValueError):
            text = base64.b64decode(raw, validate=False)[:RAW_SHOWN_CHARS].decode("utf-8", "replace")
    return _CONTROL.sub("\ufffd", text[:RAW_SHOWN_CHARS])


def is_child_safety(item: IntakeItem, case: Case | None) -> bool:
    """Whether the item is child-safety material: its case, its channel or its classification
    says so. Its media are never served, to anyone."""
    if case is not None and case.confidentiality == Confidentiality.CHILD_SAFETY:
        return True
    channel = registry().channels.get(item.channel)
    if channel is not None and channel.confidentiality == Confidentiality.CHILD_SAFETY:
        return True
    urgency = _dict(_dict(item.classification).get("urgency"))
    return bool(urgency.get("child_safety"))


# --- the case page ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseItemRow:
    item: IntakeItem
    channel: str
    flags: list[Flag]
    urgency: Urgency | None


@dataclass(frozen=True)
class NoticeRow:
    notice: Notice
    template: str


@dataclass(frozen=True)
class CaseIntakeSection:
    rows: list[CaseItemRow]
    total_items: int
    grouped_count: int
    notices: list[NoticeRow]

    @property
    def more_items(self) -> int:
        return max(0, self.total_items - len(self.rows))


# Columns the case page needs; never the raw message or the body (large, and decrypted for nothing).
_ITEM_COLUMNS = (
    "id", "case_id", "channel", "received_at", "status", "dismissal_reason", "language", "flags", "classification",
)
_NOTICE_COLUMNS = ("id", "case_id", "key", "language", "status", "attempts", "created_at", "sent_at")


def case_intake_section(case: Case) -> CaseIntakeSection:
    """The items that came into this case and the notices sent from it. Four queries, whatever
    the number of items or notices."""
    from safetydesk.intake.grouping import grouped_count

    items = list(case.intake_items.only(*_ITEM_COLUMNS).order_by("-received_at", "-id")[:CASE_ITEMS_SHOWN])
    total = case.intake_items.count()
    rows = [CaseItemRow(item, channel_label(item.channel), flags_of(item), urgency_of(item)) for item in items]
    notices = [
        NoticeRow(notice, str(TEMPLATES[notice.key].label) if notice.key in TEMPLATES else notice.key)
        for notice in Notice.objects.filter(case=case).only(*_NOTICE_COLUMNS).order_by("created_at", "id")
    ]
    return CaseIntakeSection(rows=rows, total_items=total, grouped_count=grouped_count(case), notices=notices)
