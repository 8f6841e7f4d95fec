"""Taking in mail: shared by `intake email`, `intake mbox`, the LMTP listener and the IMAP poller.

Each message is received (committed, intake.pipeline.receive_email) and then processed, in two
transactions, so a crash after the first leaves a "received" item that
intake.jobs.process_stuck_items finishes. A failure in one message never touches another: the
mbox import receives and processes settings.INTAKE_IMPORT_BATCH_ITEMS messages to a transaction
(`import_messages`), where each message has a savepoint of its own, and receives them one by one
when a batch cannot be committed.
Messages over settings.INTAKE_MAX_MESSAGE_BYTES are received all the same (kept raw) and end in
quarantine with the reason "too large" (email_parse.MessageTooLarge); only the LMTP listener,
whose sender keeps the message, refuses them before they arrive.
"""

import logging
import mailbox
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from safetydesk.intake.models import IntakeItem
from safetydesk.intake.pipeline import IntakeResult, process_items, receive_email, receive_emails

logger = logging.getLogger("safetydesk.intake.email")


class NotReceived(Exception):
    """The message could not be committed: nothing was kept, the caller must keep or retry it."""


@dataclass(frozen=True)
class Imported:
    """One message taken in: always an item; `error` says why processing did not finish (the
    item then stays "received" and the periodic sweep processes it later)."""

    item: IntakeItem
    result: IntakeResult
    error: str = ""


@dataclass(frozen=True)
class Outcome:
    """What the import commands report about one message, as plain data (it may come from a lane's
    process: intake.import_lanes): the JSON line, or `line` None when it was not received, and
    `error` why it was not received, or why its processing did not finish."""

    line: dict[str, Any] | None
    item: int | None
    error: str = ""


def outcome_of(result: "Imported | NotReceived") -> Outcome:
    if isinstance(result, NotReceived):
        return Outcome(line=None, item=None, error=str(result))
    return Outcome(line=result.result.as_json(), item=result.item.pk, error=result.error)


def receive_message(raw: bytes, *, recipient: str) -> IntakeItem:
    """Commit `raw` for `recipient`; raise NotReceived when that failed (nothing kept)."""
    try:
        return receive_email(raw, recipient=recipient)
    except Exception as exc:
        logger.exception("email for %s could not be received", recipient)
        raise NotReceived(f"{type(exc).__name__}: {exc}") from exc


def process_received(item: IntakeItem) -> Imported:
    """Process a committed item. Never raises: the item is kept whatever happens here."""
    return process_received_together([item])[0]


def process_received_together(items: Sequence[IntakeItem]) -> list[Imported]:
    """Process committed items in one batch (intake.pipeline.process_items). Never raises."""
    try:
        results = process_items(items)
    except Exception as exc:  # even quarantining failed (database gone): the sweep retries later
        logger.exception("%s intake item(s) were received but could not be processed", len(items))
        return [Imported(item, IntakeResult(item), error=f"{type(exc).__name__}: {exc}") for item in items]
    return [Imported(result.item, result) for result in results]


def import_message(raw: bytes, *, recipient: str) -> Imported:
    """Receive, then process, one message. Raises NotReceived only if nothing could be kept."""
    return process_received(receive_message(raw, recipient=recipient))


def import_messages(raws: Sequence[bytes], *, recipient: str) -> list[Imported | NotReceived]:
    """Receive, then process, several messages; for each, what became of it, or NotReceived if it
    could not be kept (the others are kept all the same)."""
    try:
        received: list[IntakeItem | NotReceived] = list(receive_emails(raws, recipient=recipient))
    except Exception:
        logger.exception("a batch of %s messages could not be received; receiving them one by one", len(raws))
        received = []
        for raw in raws:
            try:
                received.append(receive_message(raw, recipient=recipient))
            except NotReceived as exc:
                received.append(exc)
    items = [entry for entry in received if isinstance(entry, IntakeItem)]
    processed = iter(process_received_together(items) if items else [])
    return [entry if isinstance(entry, NotReceived) else next(processed) for entry in received]


def in_batches(messages: Iterable[bytes], size: int) -> Iterator[list[bytes]]:
    """`messages` in lists of `size` (the last may be shorter). When reading fails, what was read
    before is still given, as a last list, and then the error is raised."""
    batch: list[bytes] = []
    try:
        for raw in messages:
            batch.append(raw)
            if len(batch) == size:
                yield batch
                batch = []
    except Exception:
        if batch:
            yield batch
        raise
    if batch:
        yield batch


def import_in_batches(messages: Iterable[bytes], *, recipient: str, batch_items: int) -> Iterator[Outcome]:
    """Import `messages` in this process, `batch_items` to a transaction (`import_messages`);
    yields one outcome per message, in their order."""
    for raws in in_batches(messages, batch_items):
        yield from map(outcome_of, import_messages(raws, recipient=recipient))


def mbox_messages(path: Path) -> Iterator[bytes]:
    """The messages of an mbox file in order, one at a time: mailbox.mbox keeps only each
    message's offsets in memory, and reads a message's bytes when asked for it."""
    box = mailbox.mbox(path, create=False)
    try:
        for key in box.iterkeys():
            yield box.get_bytes(key)
    finally:
        box.close()
