"""The LMTP listener a mail server delivers the team's addresses to (`safetydesk mail listen`).

LMTP (RFC 2033) is SMTP for the last hop: the mail server keeps the message until we answer,
and after DATA we answer once for every recipient. A recipient gets `250` only after its
IntakeItem is committed, and `451 4.3.0` if the commit failed, so the mail server retries it
later: nothing is lost either way (ARCHITECTURE §6.4). Processing (parse, threading, urgency,
the case) runs after the reply, in a worker thread; if the process stops first, the item stays
"received" and intake.jobs.process_stuck_items finishes it.

- Every recipient is accepted; an address that is not in the channel registry goes to the
  general queue, flagged (intake.channels).
- Messages over settings.INTAKE_MAX_MESSAGE_BYTES are refused with 552 (SIZE is advertised,
  so a well-behaved client does not even send them); the sending server keeps them and bounces.
- No authentication: listen on loopback or a Unix socket that only the mail server can reach.

aiosmtpd answers DATA once; `IntakeLMTP` makes its refusals after DATA (too big, line too long)
one per recipient, and the handler returns one reply line per recipient.
"""

import asyncio
import logging
import socket
import weakref
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from aiosmtpd.lmtp import LMTP
from aiosmtpd.smtp import Envelope, Session
from django import db
from django.conf import settings

from safetydesk.intake.mailbox_import import NotReceived, process_received, receive_message
from safetydesk.intake.models import IntakeItem

logger = logging.getLogger("safetydesk.intake.lmtp")

MAX_RECIPIENTS = 100
# RFC 5321 allows 998 characters a line; real mail is not always so polite, and refusing a
# line means a bounce, so accept long lines (the message size limit still bounds memory).
LINE_LENGTH_LIMIT = 1024 * 1024
# How long a stop waits for messages being received and processed before it gives up on them
# (a message not answered yet is retried by the mail server; one not processed yet is finished
# by the periodic sweep).
STOP_GRACE_SECONDS = 30.0

# aiosmtpd's own single replies after DATA, and what we answer for each recipient instead.
_PER_RECIPIENT_AFTER_DATA = {
    "552 Error: Too much mail data": "552 5.3.4 Message too big for this system",
    "500 Line too long (see RFC5321 4.5.3.1.6)": "500 5.5.6 Line too long",
}


class IntakeLMTP(LMTP):
    """aiosmtpd's LMTP server with one reply per recipient for refusals after DATA too."""

    line_length_limit = LINE_LENGTH_LIMIT

    async def push(self, status: Any) -> None:
        text = status.decode("ascii", "replace") if isinstance(status, bytes) else status
        replacement = _PER_RECIPIENT_AFTER_DATA.get(text)
        if replacement is not None and self.envelope is not None and self.envelope.rcpt_tos:
            status = "\r\n".join([replacement] * len(self.envelope.rcpt_tos))
        await super().push(status)


def _receive_in_thread(raw: bytes, recipient: str) -> IntakeItem:
    # A connection that failed (or outlived CONN_MAX_AGE) is replaced, not reused.
    db.close_old_connections()
    return receive_message(raw, recipient=recipient)


def _process_in_thread(item_pk: int) -> None:
    db.close_old_connections()
    try:
        item = IntakeItem.objects.get(pk=item_pk)
    except Exception:  # the database is gone: the item stays "received" for the sweep
        logger.exception("intake item %s could not be loaded for processing", item_pk)
        return
    imported = process_received(item)
    logger.info("intake item %s: %s", item_pk, imported.result.as_json())


class IntakeHandler:
    """aiosmtpd handler: commit one item per recipient, answer, then process.

    The ORM is synchronous, so commits run in `receiver` and processing in `processor`, two
    thread pools of the listener's own (not asgiref's shared thread: the listener must not wait
    on whatever else that thread is doing)."""

    def __init__(self, receiver: ThreadPoolExecutor, processor: ThreadPoolExecutor) -> None:
        self.receiver = receiver
        self.processor = processor
        self.pending: set[asyncio.Future[Any]] = set()
        self.receiving: set[asyncio.Task[list[str]]] = set()

    async def handle_RCPT(
        self, server: LMTP, session: Session, envelope: Envelope, address: str, rcpt_options: list[str]
    ) -> str:
        if len(envelope.rcpt_tos) >= MAX_RECIPIENTS:
            return "452 4.5.3 Too many recipients"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server: LMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or b""
        if isinstance(raw, str):
            raw = raw.encode("utf-8", "surrogateescape")
        # Shielded: if the client goes away mid-commit, the commit still finishes and the
        # item is still processed (the client will retry; the duplicate is then recognised).
        task = asyncio.ensure_future(self._receive_all(bytes(raw), list(envelope.rcpt_tos)))
        self.receiving.add(task)
        task.add_done_callback(self.receiving.discard)
        replies = await asyncio.shield(task)
        return "\r\n".join(replies)

    async def _receive_all(self, raw: bytes, recipients: list[str]) -> list[str]:
        replies = []
        loop = asyncio.get_running_loop()
        for recipient in recipients:
            try:
                item = await loop.run_in_executor(self.receiver, _receive_in_thread, raw, recipient)
            except NotReceived:
                replies.append("451 4.3.0 Could not store the message now; try again later")
                continue
            replies.append(f"250 2.0.0 Taken as intake item {item.pk}")
            self._process_later(item.pk)
        return replies

    def _process_later(self, item_pk: int) -> None:
        future = asyncio.get_running_loop().run_in_executor(self.processor, _process_in_thread, item_pk)
        self.pending.add(future)
        future.add_done_callback(self.pending.discard)

    async def drain(self) -> None:
        """Wait until every message taken so far has been committed and processed."""
        while True:
            # Decided by each future's own state, not by the sets alone: a finished future was
            # once seen still in `pending`, its discard callback not yet run, and a loop on the
            # sets' emptiness spun until the test's timeout (test_lmtp_protocol, under load).
            self.receiving.difference_update([task for task in self.receiving if task.done()])
            self.pending.difference_update([future for future in self.pending if future.done()])
            if not self.receiving and not self.pending:
                return
            await asyncio.wait([*self.receiving, *self.pending])


def parse_address(value: str) -> tuple[str, int] | str:
    """HOST:PORT (IPv6 as [::1]:PORT) as a (host, port) pair, or unix:/PATH as the path."""
    if value.startswith("unix:"):
        return value.removeprefix("unix:")
    host, sep, port = value.rpartition(":")
    if not sep or not port.isdigit() or not host:
        raise ValueError(f"expected HOST:PORT or unix:/path, not {value!r}")
    return host.strip("[]"), int(port)


class LMTPListener:
    """One listening socket and its sessions; `start()` then `stop()`, inside an event loop."""

    def __init__(
        self, address: tuple[str, int] | str, *, max_message_bytes: int | None = None, workers: int = 1
    ) -> None:
        self.address = address
        self.max_message_bytes = max_message_bytes or settings.INTAKE_MAX_MESSAGE_BYTES
        # One thread for commits (they are short, and must never wait behind processing) and one
        # for processing by default: on SQLite, writers queue anyway.
        self.receiver = ThreadPoolExecutor(max_workers=1, thread_name_prefix="lmtp-receive")
        self.processor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="lmtp-process")
        self.handler = IntakeHandler(self.receiver, self.processor)
        self.server: asyncio.Server | None = None
        self.sessions: weakref.WeakSet[IntakeLMTP] = weakref.WeakSet()

    def _make_session(self) -> IntakeLMTP:
        session = IntakeLMTP(
            self.handler,
            data_size_limit=self.max_message_bytes,
            enable_SMTPUTF8=True,
            decode_data=False,
            hostname=socket.gethostname(),
            ident="Safetydesk intake",
        )
        self.sessions.add(session)
        return session

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        factory: Callable[[], IntakeLMTP] = self._make_session
        if isinstance(self.address, str):
            self.server = await loop.create_unix_server(factory, path=self.address)
        else:
            host, port = self.address
            self.server = await loop.create_server(factory, host=host, port=port, reuse_address=True)

    @property
    def bound(self) -> str:
        """Where it listens, for the log and for tests that asked for port 0."""
        assert self.server is not None
        name = self.server.sockets[0].getsockname()
        return f"unix:{name}" if isinstance(name, str) else f"{name[0]}:{name[1]}"

    async def stop(self, grace: float = STOP_GRACE_SECONDS) -> None:
        """Stop listening, let messages in hand be answered and processed, then close."""
        if self.server is not None:
            self.server.close()
        try:
            await asyncio.wait_for(self.handler.drain(), timeout=grace)
        except TimeoutError:
            logger.warning("LMTP stop: gave up waiting for messages in hand; unanswered ones will be retried")
        for session in list(self.sessions):  # idle connections: the mail server reconnects later
            if session.transport is not None:
                session.transport.close()
        await asyncio.sleep(0)
        for executor in (self.receiver, self.processor):
            executor.shutdown(wait=True, cancel_futures=True)


async def serve(
    address: tuple[str, int] | str,
    *,
    stop: asyncio.Event,
    on_ready: Callable[[str], None] | None = None,
    max_message_bytes: int | None = None,
) -> None:
    """Listen until `stop` is set (the command sets it on SIGTERM/SIGINT), then stop gracefully."""
    listener = LMTPListener(address, max_message_bytes=max_message_bytes)
    await listener.start()
    logger.info("LMTP listening on %s", listener.bound)
    if on_ready is not None:
        on_ready(listener.bound)
    await stop.wait()
    logger.info("LMTP stopping: no new connections; finishing messages in hand")
    await listener.stop()
