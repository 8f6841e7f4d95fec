"""Taking in mail one message at a time: shared by `intake email`, `intake mbox`, the LMTP
listener and the IMAP poller.

Each message is received (committed, intake.pipeline.receive_email) and then processed, in two
transactions of its own, so a failure in one message never touches another, and a crash after
the first transaction leaves a "received" item that intake.jobs.process_stuck_items finishes.
Messages over settings.INTAKE_MAX_MESSAGE_BYTES are received all the same (kept raw) and end in
quarantine with the reason "too large" (email_parse.MessageTooLarge); only the LMTP listener,
whose sender keeps the message, refuses them before they arrive.
"""

import logging
import mailbox
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from safetydesk.intake.models import IntakeItem
from safetydesk.intake.pipeline import IntakeResult, process_item, receive_email

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


def receive_message(raw: bytes, *, recipient: str) -> IntakeItem:
    """Commit `raw` for `recipient`; raise NotReceived when that failed (nothing kept)."""
    try:
        return receive_email(raw, recipient=recipient)
    except Exception as exc:
        logger.exception("email for %s could not be received", recipient)
        raise NotReceived(f"{type(exc).__name__}: {exc}") from exc


def process_received(item: IntakeItem) -> Imported:
    """Process a committed item. Never raises: the item is kept whatever happens here."""
    try:
        result = process_item(item)
    except Exception as exc:  # even quarantining failed (database gone): the sweep retries later
        logger.exception("intake item %s was received but could not be processed", item.pk)
        return Imported(item, IntakeResult(item), error=f"{type(exc).__name__}: {exc}")
    return Imported(result.item, result)


def import_message(raw: bytes, *, recipient: str) -> Imported:
    """Receive, then process, one message. Raises NotReceived only if nothing could be kept."""
    return process_received(receive_message(raw, recipient=recipient))


def mbox_messages(path: Path) -> Iterator[bytes]:
    """The messages of an mbox file in order, one at a time: mailbox.mbox keeps only each
    message's offsets in memory, and reads a message's bytes when asked for it."""
    box = mailbox.mbox(path, create=False)
    try:
        for key in box.iterkeys():
            yield box.get_bytes(key)
    finally:
        box.close()
