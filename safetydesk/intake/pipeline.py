"""From a received item to a case (ARCHITECTURE §6.4): receive, then process.

`receive_*` commits the item as it came, in its own transaction, before anyone is told the
report was taken (the mail server, the API client, the form). `process_item` then does the
rest in a second transaction: duplicates, threading, language, urgency, routing, the case.
If processing fails for any reason the item is quarantined with the error, never lost, and
`reprocess_item` can run it again later (after a fix, or by a person from the console).

A channel that answers a machine at volume (the API) may instead answer once the item is
received and leave it to intake.triage, which processes it moments later. What `looks_urgent`
(a threat, child safety, a P0 channel) is always processed at once, so a flood of ordinary
reports never stands between a threat and its page.
"""

import base64
import hashlib
import hmac
import json
import logging
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from safetydesk.audit.log import audit_batch, audit_savepoint, record_audit
from safetydesk.audit.models import AuditEventType
from safetydesk.cases.actions import PartyData, do_create_case
from safetydesk.cases.models import Case, CaseEvent, CaseEventKind, CaseKind, Confidentiality, PartyRole, Priority
from safetydesk.intake import classify, grouping, language, urgency
from safetydesk.intake.attachments import store_attachment
from safetydesk.intake.channels import Channel, registry
from safetydesk.intake.email_parse import parse_message
from safetydesk.intake.limits import hit
from safetydesk.intake.models import Attachment, DismissalReason, IntakeItem, IntakeStatus
from safetydesk.intake.submission import AttachmentData, Submission
from safetydesk.lib.tasks import enqueue_on_commit, enqueues_together
from safetydesk.notify.models import Notice

logger = logging.getLogger("safetydesk.intake")

SOURCE_EMAIL = "rfc822"
SOURCE_JSON = "json"
SYSTEM_ACTOR = "intake"


@dataclass(frozen=True)
class IntakeResult:
    item: IntakeItem

    def as_json(self) -> dict[str, Any]:
        """What the import commands print, one object per message (issue contract)."""
        case: Case | None = self.item.case
        return {
            "intake_item": self.item.pk,
            "case": case.pk if case else None,
            "reference": case.reference if case else None,
            "kind": case.kind if case else None,
            "priority": case.priority if case else None,
            "language": self.item.language or None,
            "status": self.item.status,
        }


def sender_key(sender: str) -> str:
    """A keyed hash of the sender: lets limits and grouping match senders without storing them."""
    normalized = sender.strip().lower()
    if not normalized:
        return ""
    return hmac.new(settings.SECRET_KEY.encode(), normalized.encode(), hashlib.sha256).hexdigest()


# --- receive: commit first --------------------------------------------------------------------


def receive_email(raw: bytes, *, recipient: str) -> IntakeItem:
    """Commit a raw message for `recipient` as an item. Call before acknowledging delivery."""
    return receive_emails([raw], recipient=recipient)[0]


def receive_emails(raws: Sequence[bytes], *, recipient: str) -> list[IntakeItem]:
    """Commit raw messages for `recipient` as items, in one transaction: all of them or none."""
    channel = registry().for_address(recipient)
    items = [
        _new_item(channel, SOURCE_EMAIL, base64.b64encode(raw).decode(), len(raw), recipient=recipient) for raw in raws
    ]
    if len(items) == 1:
        items[0].save()
        return items
    with transaction.atomic():
        return IntakeItem.objects.bulk_create(items)


def receive_submission(channel_key: str, submission: Submission) -> IntakeItem:
    """Commit a form or API submission as an item (its normalised fields, as JSON)."""
    channel = registry().get(channel_key)
    payload = json.dumps(_submission_to_json(submission), ensure_ascii=False)
    item = _new_item(channel, SOURCE_JSON, payload, len(payload.encode()), recipient=channel_key,
                     message_id=submission.message_id, sender=submission.sender, language=submission.language)
    item.save()
    return item


def _new_item(
    channel: Channel, source: str, raw: str, size: int, *, recipient: str, message_id: str = "", sender: str = "",
    language: str = "",
) -> IntakeItem:
    # Its audit row is written with the first processing (_audit_receipt): one append to the
    # chain per item instead of two, and none in the request of a channel that answers first.
    return IntakeItem(
        channel=channel.key,
        recipient=recipient[:254],
        raw=f"{source}:{raw}",
        raw_size=size,
        message_id=message_id[:255],
        sender=sender,
        sender_key=sender_key(sender),
        language=language,
        flags=list(channel.flags),
    )


def _audit_receipt(item: IntakeItem) -> None:
    """The item's "received" row, written in the transaction of its first processing (which
    also bumps `attempts`, so it is written once), with the time the item was committed."""
    if item.attempts == 0:
        record_audit(
            event_type=AuditEventType.INTAKE_RECEIVED, actor=f"{SYSTEM_ACTOR}:{item.channel}", subject=item,
            data={"channel": item.channel, "size": item.raw_size, "received_at": item.received_at.isoformat()},
        )


def _submission_to_json(submission: Submission) -> dict[str, Any]:
    data = asdict(submission)
    data["attachments"] = [
        {"filename": a.filename, "declared_type": a.declared_type, "content": base64.b64encode(a.content).decode()}
        for a in submission.attachments
    ]
    return data


def _submission_from_json(data: dict[str, Any]) -> Submission:
    attachments = tuple(
        AttachmentData(a["filename"], a["declared_type"], base64.b64decode(a["content"]))
        for a in data.pop("attachments", [])
    )
    data["references"] = tuple(data.get("references", ()))
    data["flags"] = tuple(data.get("flags", ()))
    return Submission(**data, attachments=attachments)


def submission_of(item: IntakeItem) -> Submission:
    """Parse the item's raw content again (so a fixed parser can re-process quarantine)."""
    source, _, raw = item.raw.partition(":")
    if source == SOURCE_EMAIL:
        return parse_message(base64.b64decode(raw))
    if source == SOURCE_JSON:
        return _submission_from_json(json.loads(raw))
    raise ValueError(f"unknown raw source {source!r}")


# --- process: everything else ----------------------------------------------------------------


@dataclass(frozen=True)
class Reading:
    """What the words of a submission say, worked out before the transaction: detection and
    the rules take milliseconds of CPU, and on SQLite a transaction holds the one write lock
    that every channel, the triage loop and the pager wait for."""

    language: str
    assessment: urgency.Assessment
    legal_kind: str
    target_key: str


def read(item: IntakeItem, submission: Submission) -> Reading:
    text = f"{submission.subject}\n{submission.body}".strip()
    detected = submission.language or language.detect(submission.language_sample or text)
    return Reading(
        language=detected,
        assessment=urgency.assess(text, detected),
        legal_kind=classify.legal_kind(text) if registry().get(item.channel).classify == "legal" else "",
        target_key=grouping.target_key(submission),
    )


def process_item(item: IntakeItem) -> IntakeResult:
    """Turn a received item into a case, a thread or a dismissal; quarantine it on any error."""
    return process_items([item])[0]


def process_items(items: Sequence[IntakeItem]) -> list[IntakeResult]:
    """Process received items together, in the order given; returns their results in that order.

    One transaction, one append to the audit chain and one commit for all of them instead of one
    each: the commits and the chain's head were most of what a processed item cost the database
    (benchmarks/intake.py). Each item has a savepoint of its own, so one that fails is
    quarantined with its error and the others go on. If the batch as a whole cannot commit,
    each item is processed again on its own. The acknowledgement tasks of the batch are enqueued
    together after the commit (lib.tasks). Parsing, language detection and the urgency rules
    run before the transaction, which holds locks (on SQLite, the one write lock) meanwhile."""
    results: dict[int, IntakeResult] = {}
    ready: list[tuple[IntakeItem, Submission, Reading]] = []
    for item in items:
        try:
            submission = submission_of(item)
        except Exception as exc:
            results[item.pk] = _quarantine(item, f"could not be parsed: {type(exc).__name__}: {exc}"[:2000])
            continue
        try:
            ready.append((item, submission, read(item, submission)))
        except Exception as exc:
            results[item.pk] = _could_not_process(item, exc)
    processed: dict[int, IntakeResult] = {}
    failed: list[tuple[IntakeItem, Exception]] = []
    try:
        with enqueues_together(), transaction.atomic(), audit_batch():
            # The batch's items locked, and the earlier copies of its messages looked up, in one
            # query each rather than one per item.
            locked = IntakeItem.objects.select_for_update().in_bulk([item.pk for item, _, _ in ready])
            copies = EarlierCopies([(submission.message_id, item.channel) for item, submission, _ in ready])
            for item, submission, reading in ready:
                try:
                    with audit_savepoint():
                        result = _process(locked[item.pk], submission, reading, copies)
                    processed[item.pk] = copies.taken(result)
                except Exception as exc:
                    failed.append((item, exc))
    except Exception as exc:
        if len(ready) > 1:
            logger.exception("a batch of %s intake items could not commit; processing them one by one", len(ready))
            return [results.get(item.pk) or process_item(item) for item in items]
        processed, failed = {}, [(ready[0][0], exc)] if ready else []
    results.update(processed)
    for failed_item, error in failed:
        results[failed_item.pk] = _could_not_process(failed_item, error)
    return [results[item.pk] for item in items]


def _could_not_process(item: IntakeItem, exc: BaseException) -> IntakeResult:
    logger.error("intake item %s could not be processed", item.pk, exc_info=exc)
    return _quarantine(item, f"could not be processed: {type(exc).__name__}: {exc}"[:2000])


def looks_urgent(channel_key: str, submission: Submission) -> bool:
    """Whether the item must be processed before its sender is answered: a threat of harm or
    child safety by the urgency rules, a kind or priority the submission names, or a channel
    whose reports are all P0 or restricted. About a third of a millisecond for a short report."""
    channel = registry().get(channel_key)
    if channel.priority == Priority.P0 or channel.kind in NEVER_FOLDED or submission.kind in NEVER_FOLDED:
        return True
    if submission.priority == Priority.P0:
        return True
    # With no language given, every rule file of the text's scripts is read: as fast as
    # detecting the language first (about 1 ms) would save, and it misses nothing.
    assessment = urgency.assess(f"{submission.subject}\n{submission.body}".strip(), submission.language)
    return assessment.threat or assessment.child_safety


def reprocess_item(item: IntakeItem, *, acting_user: Any) -> IntakeResult:
    """Run a quarantined (or stuck) item through the pipeline again."""
    with transaction.atomic():
        locked = IntakeItem.objects.select_for_update().get(pk=item.pk)
        if locked.status not in {IntakeStatus.QUARANTINED, IntakeStatus.RECEIVED}:
            return IntakeResult(locked)
        record_audit(event_type=AuditEventType.INTAKE_REPROCESSED, actor=acting_user, subject=locked)
    return process_item(locked)


def _quarantine(item: IntakeItem, error: str) -> IntakeResult:
    with transaction.atomic(), audit_batch():
        item = IntakeItem.objects.select_for_update().get(pk=item.pk)
        _audit_receipt(item)
        item.status, item.error, item.processed_at = IntakeStatus.QUARANTINED, error, timezone.now()
        item.attempts += 1
        item.save(update_fields=["status", "error", "processed_at", "attempts"])
        record_audit(
            event_type=AuditEventType.INTAKE_QUARANTINED, actor=SYSTEM_ACTOR, subject=item,
            data={"error": error[:200]},
        )
    return IntakeResult(item)


def _process(item: IntakeItem, submission: Submission, reading: Reading, copies: "EarlierCopies") -> IntakeResult:
    """Process a locked item (process_items locks the batch)."""
    if item.status not in {IntakeStatus.RECEIVED, IntakeStatus.QUARANTINED}:
        return IntakeResult(item)  # already processed by another worker
    _audit_receipt(item)
    channel = registry().get(item.channel)

    item.sender = submission.sender or item.sender
    item.sender_key = sender_key(item.sender)
    item.subject = submission.subject
    item.body = submission.body[: settings.INTAKE_MAX_BODY_CHARS]
    item.message_id = submission.message_id[:255]
    item.in_reply_to = submission.in_reply_to[:255]
    item.references = " ".join(submission.references)[:10_000]
    item.language = reading.language
    item.flags = sorted(set(item.flags) | set(submission.flags))
    item.processed_at = timezone.now()
    item.attempts += 1
    _store_attachments(item, submission)

    duplicate = copies.first_of(item)
    if duplicate is not None:
        first, case_id = duplicate
        return _finish(item, IntakeStatus.DISMISSED, Case.objects.filter(pk=case_id).first() if case_id else None,
                       AuditEventType.INTAKE_DISMISSED, reason=DismissalReason.DUPLICATE, data={"duplicate_of": first})

    thread = find_thread_case(submission)
    if thread is not None:
        _thread_into(thread, item)
        return _finish(item, IntakeStatus.THREADED, thread, AuditEventType.INTAKE_THREADED)

    assessment = reading.assessment
    kind = submission.kind or channel.kind
    priority = submission.priority or channel.priority
    confidentiality = channel.confidentiality
    if reading.legal_kind:
        kind = reading.legal_kind
    if assessment.child_safety:
        kind, confidentiality = CaseKind.CHILD_PROTECTION, Confidentiality.CHILD_SAFETY
        priority = min(priority, Priority.P1)
    elif assessment.threat:
        kind, priority = CaseKind.EMERGENCY, Priority.P0
    item.classification = {
        "channel": channel.key,
        "kind": kind,
        "priority": priority,
        "urgency": assessment.as_json(),
        "meta": submission.meta,
    }

    flooded = _sender_flood_case(item, kind)
    if flooded is not None:
        return _fold_into(flooded, item, "sender_flood")

    item.target_key = reading.target_key
    group = grouping.group_case_for(item, submission, kind)
    if group is not None:
        return _fold_into(group, item, "mass_report")

    case = do_create_case(
        acting_user=None,
        title=_title(submission, channel),
        kind=kind,
        summary=submission.body[: settings.INTAKE_MAX_BODY_CHARS],
        priority=priority,
        confidentiality=confidentiality,
        language=item.language or "en",
        intake_channel=channel.key,
        eu_nexus=bool(submission.meta.get("eu_nexus")),
        parties=_parties(submission, item.language),
        opened_at=item.received_at,
    )
    return _finish(item, IntakeStatus.ACCEPTED, case, AuditEventType.INTAKE_ACCEPTED,
                   data={"kind": kind, "priority": priority})


# Kinds that always get a case of their own, however many reports came before.
NEVER_FOLDED = frozenset({CaseKind.EMERGENCY, CaseKind.CHILD_PROTECTION})


def _sender_flood_case(item: IntakeItem, kind: str) -> Case | None:
    """Past the per-sender limit, a sender's further reports join their latest open case instead
    of opening new ones: still kept and visible (flag sender_flood), but one person cannot bury
    the queue. Threats and child-safety reports always open their own case."""
    if not item.sender_key or kind in NEVER_FOLDED:
        return None
    if hit(f"sender:{item.sender_key}", limit=settings.INTAKE_SENDER_LIMIT_PER_HOUR, window_seconds=3600):
        return None
    latest = (
        IntakeItem.objects.filter(
            sender_key=item.sender_key, status=IntakeStatus.ACCEPTED, case__closed_at__isnull=True
        )
        .exclude(pk=item.pk)
        .select_related("case")
        .order_by("-received_at", "-id")
        .first()
    )
    return latest.case if latest is not None else None


def _fold_into(case: Case, item: IntakeItem, reason: str) -> IntakeResult:
    """Thread a new report into an existing case because of `reason` (a flag the console shows)."""
    _thread_into(case, item, mass_report=reason == "mass_report")
    item.flags = sorted(set(item.flags) | {reason})
    return _finish(item, IntakeStatus.THREADED, case, AuditEventType.INTAKE_THREADED, data={reason: True})


def _finish(
    item: IntakeItem, status: str, case: Case | None, event: AuditEventType, *, reason: str = "",
    data: dict[str, Any] | None = None,
) -> IntakeResult:
    item.status = status
    item.case = case
    item.dismissal_reason = reason
    item.error = ""
    item.save()
    record_audit(
        event_type=event, actor=SYSTEM_ACTOR, subject=item,
        data={"case": case.pk if case else None, "reason": reason, **(data or {})},
    )
    if status in {IntakeStatus.ACCEPTED, IntakeStatus.THREADED} and case is not None:
        from safetydesk.intake.tasks import after_intake

        enqueue_on_commit(after_intake, item.pk)
    return IntakeResult(item)


def _title(submission: Submission, channel: Channel) -> str:
    title = " ".join((submission.subject or submission.body or channel.label).split())
    return title[:197] + "…" if len(title) > 200 else title or str(channel.label)


def _parties(submission: Submission, language: str) -> list[PartyData]:
    parties = []
    if submission.sender or submission.sender_name:
        is_email = "@" in submission.sender
        parties.append(
            PartyData(
                role=PartyRole.REPORTER,
                email=submission.sender if is_email else "",
                wiki_username="" if is_email else submission.sender,
                real_name=submission.sender_name,
                language=language,
            )
        )
    reported = str(submission.meta.get("reported_user") or "").strip()
    if reported:
        parties.append(PartyData(role=PartyRole.SUBJECT, wiki_username=reported[:255]))
    return parties


def _store_attachments(item: IntakeItem, submission: Submission) -> None:
    # Most reports have no attachment: then there is nothing to look up.
    if not submission.attachments or item.attachments.exists():
        return  # none, or a re-run: already stored
    for index, attachment in enumerate(submission.attachments):
        if index >= settings.INTAKE_MAX_ATTACHMENTS:
            item.flags = sorted(set(item.flags) | {"too_many_attachments"})
            break
        store_attachment(item, attachment)


def _with_message_id() -> QuerySet[IntakeItem]:
    """Items that have a Message-ID. Look-ups by Message-ID start here: the index on it is
    partial (non-empty ids only), and SQLite uses a partial index only when the query repeats
    its condition; without it, each look-up read the whole table (benchmarks/intake.py)."""
    return IntakeItem.objects.exclude(message_id="")


class EarlierCopies:
    """For a batch of items, the first item taken in (accepted or threaded) with each one's
    Message-ID on its channel, so that a second copy is dismissed as a duplicate. A copy of one
    message to two channels (ca@ and emergency@) is not a duplicate: each channel's track must
    see it. One query for the batch; the batch's own items count once taken in (`taken`)."""

    def __init__(self, keys: Sequence[tuple[str, str]]) -> None:
        self.first: dict[tuple[str, str], tuple[int, int | None]] = {}
        ids = {message_id[:255] for message_id, _ in keys if message_id}
        if not ids:
            return
        # Almost no message is a duplicate: no join with the case (its planning alone cost
        # PostgreSQL a millisecond per message; the rare duplicate loads it).
        rows = (
            _with_message_id()
            .filter(message_id__in=ids, status__in=[IntakeStatus.ACCEPTED, IntakeStatus.THREADED])
            .order_by("-pk")
            .values_list("message_id", "channel", "pk", "case_id")
        )
        for message_id, channel, pk, case_id in rows:  # the lowest pk last: it wins
            self.first[(message_id, channel)] = (pk, case_id)

    def first_of(self, item: IntakeItem) -> tuple[int, int | None] | None:
        """(item id, case id) of the first copy of `item`'s message, if there was one before it."""
        found = self.first.get((item.message_id, item.channel)) if item.message_id else None
        return found if found is not None and found[0] != item.pk else None

    def taken(self, result: IntakeResult) -> IntakeResult:
        item = result.item
        if item.message_id and item.status in {IntakeStatus.ACCEPTED, IntakeStatus.THREADED}:
            self.first.setdefault((item.message_id, item.channel), (item.pk, item.case_id))
        return result


def _reference_pattern() -> re.Pattern[str]:
    return re.compile(rf"\b{re.escape(settings.CASE_REFERENCE_PREFIX)}-\d{{4}}-\d{{6,}}\b", re.IGNORECASE)


def find_thread_case(submission: Submission) -> Case | None:
    """The case this message answers: by In-Reply-To/References (our own notices and earlier
    items), else by a case reference in the subject."""
    ids = [i for i in (submission.in_reply_to, *submission.references) if i]
    if ids:
        earlier = _with_message_id().filter(message_id__in=ids, case__isnull=False).select_related("case").first()
        if earlier is not None:
            return earlier.case
        notice = Notice.objects.filter(message_id__in=ids, case__isnull=False).select_related("case").first()
        if notice is not None:
            return notice.case
    match = _reference_pattern().search(submission.subject)
    if match:
        return Case.objects.filter(reference__iexact=match.group(0)).first()
    return None


def _thread_into(case: Case, item: IntakeItem, *, mass_report: bool = False) -> None:
    locked = Case.objects.select_for_update().get(pk=case.pk)
    locked.version += 1
    if item.language and item.language not in locked.languages:
        locked.languages = [*locked.languages, item.language]
    locked.save(update_fields=["version", "languages", "updated_at"])
    CaseEvent.objects.create(
        case=locked, kind=CaseEventKind.MESSAGE_IN,
        data={"intake_item": item.pk, "channel": item.channel, "mass_report": mass_report,
              "while_closed": locked.closed_at is not None},
    )


def pending_items() -> list[IntakeItem]:
    """Items committed but never processed (a crash between the two steps)."""
    return list(IntakeItem.objects.filter(status=IntakeStatus.RECEIVED).order_by("received_at")[:500])


__all__ = [
    "Attachment",
    "IntakeResult",
    "find_thread_case",
    "process_item",
    "process_items",
    "receive_email",
    "receive_emails",
    "receive_submission",
    "reprocess_item",
]
