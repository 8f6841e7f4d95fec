"""The IMAP poller (`safetydesk mail poll`): takes in the messages of a mailbox the team reads.

For a mailbox that a mail provider keeps (where no LMTP delivery can be set up). Each poll:

1. logs in (IMAP4 over TLS by default) and selects the mailbox read-write;
2. searches for every message that does not carry our keyword `$SafetydeskTaken` (not merely
   UNSEEN: a person reading the mailbox in a mail client marks messages seen, and those must
   still reach intake);
3. for each, FETCHes `BODY.PEEK[]` (which leaves \\Seen alone), commits it as an IntakeItem,
   and only then STOREs `\\Seen $SafetydeskTaken`; then processes the item.

A crash or a lost connection between the commit and the STORE leaves the message unmarked, so
the next poll fetches it again; the second item has the same Message-ID and is dismissed as a
duplicate of the first. Nothing is lost and nothing is taken twice. A message that cannot be
committed (database down) is not marked and the poll stops; the next poll retries it.

Servers that do not allow keywords (no `\\*` in PERMANENTFLAGS) get the plain rule: UNSEEN
messages, marked \\Seen after the commit. Messages are never deleted or moved: the mailbox
stays the team's record, and its retention is the mail provider's.
"""

import imaplib
import logging
import re
import ssl
import threading
from dataclasses import dataclass, field, replace
from typing import Any

from django.conf import settings

from safetydesk.intake.mailbox_import import Imported, NotReceived, process_received, receive_message

logger = logging.getLogger("safetydesk.intake.imap")

TAKEN_KEYWORD = "$SafetydeskTaken"
TIMEOUT_SECONDS = 60
# After a failed poll the next one waits longer, up to this (then the normal interval again).
MAX_BACKOFF_SECONDS = 15 * 60


class PollError(Exception):
    """The poll could not be completed (connection, login, mailbox); `retry` says if waiting may help."""

    def __init__(self, message: str, *, retry: bool = True) -> None:
        super().__init__(message)
        self.retry = retry


@dataclass(frozen=True)
class ImapConfig:
    host: str
    port: int
    user: str
    password: str = field(repr=False)
    use_ssl: bool = True
    mailbox: str = "INBOX"
    address: str = ""  # the address this mailbox serves: the recipient for the channel registry
    interval: int = 60

    @classmethod
    def from_settings(cls, **overrides: Any) -> "ImapConfig":
        """settings.INTAKE_IMAP_* with any non-None override (the command's flags)."""
        config = cls(
            host=settings.INTAKE_IMAP_HOST,
            port=settings.INTAKE_IMAP_PORT,
            user=settings.INTAKE_IMAP_USER,
            password=settings.INTAKE_IMAP_PASSWORD,
            use_ssl=settings.INTAKE_IMAP_SSL,
            mailbox=settings.INTAKE_IMAP_MAILBOX,
            address=settings.INTAKE_IMAP_ADDRESS,
            interval=settings.INTAKE_IMAP_INTERVAL,
        )
        config = replace(config, **{k: v for k, v in overrides.items() if v is not None})
        if not config.port:
            config = replace(config, port=993 if config.use_ssl else 143)
        return config

    def problems(self) -> list[str]:
        missing = [name for name in ("host", "user", "password", "address") if not getattr(self, name)]
        problems = [f"no IMAP {name} (SAFETYDESK_IMAP_{name.upper()})" for name in missing]
        if self.address and "@" not in self.address:
            problems.append(f"SAFETYDESK_IMAP_ADDRESS must be an email address, not {self.address!r}")
        if self.interval < 1:
            problems.append("the poll interval must be at least 1 second")
        return problems


@dataclass
class PollReport:
    fetched: int = 0
    results: list[Imported] = field(default_factory=list)


def _quote(mailbox: str) -> str:
    """An IMAP quoted string (imaplib sends arguments as they are)."""
    return '"' + mailbox.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _check(response: tuple[str, Any], what: str, *, retry: bool = True) -> Any:
    status, data = response
    if status != "OK":
        detail = b" ".join(d for d in data if isinstance(d, bytes)).decode("utf-8", "replace")
        raise PollError(f"IMAP {what} failed: {status} {detail}".strip(), retry=retry)
    return data


def connect(config: ImapConfig) -> imaplib.IMAP4:
    try:
        if config.use_ssl:
            connection: imaplib.IMAP4 = imaplib.IMAP4_SSL(
                config.host, config.port, ssl_context=ssl.create_default_context(), timeout=TIMEOUT_SECONDS
            )
        else:
            connection = imaplib.IMAP4(config.host, config.port, timeout=TIMEOUT_SECONDS)
    except (OSError, imaplib.IMAP4.error) as exc:
        raise PollError(f"cannot connect to {config.host}:{config.port}: {exc}") from exc
    try:
        connection.login(config.user, config.password)
    except imaplib.IMAP4.error as exc:
        _logout(connection)
        raise PollError(f"login as {config.user} refused: {exc}", retry=False) from exc
    return connection


def _logout(connection: imaplib.IMAP4) -> None:
    try:
        connection.logout()
    except (OSError, imaplib.IMAP4.error):
        logger.debug("IMAP logout failed; the connection is closed anyway")


def _keywords_allowed(connection: imaplib.IMAP4) -> bool:
    _, data = connection.response("PERMANENTFLAGS")
    return any(isinstance(d, bytes) and b"\\*" in d for d in data or [])


def _message_bytes(data: list[Any]) -> bytes | None:
    """The literal of a `UID FETCH … (BODY.PEEK[])` answer."""
    for entry in data:
        if isinstance(entry, tuple) and len(entry) == 2 and b"BODY[]" in entry[0].upper():
            return bytes(entry[1])
    return None


def poll_once(config: ImapConfig, *, stop: threading.Event | None = None) -> PollReport:
    """Take in every message of the mailbox not taken yet. Raises PollError if it could not."""
    report = PollReport()
    connection = connect(config)
    try:
        _check(connection.select(_quote(config.mailbox)), f"SELECT {config.mailbox}", retry=False)
        keywords = _keywords_allowed(connection)
        if not keywords:
            logger.warning("IMAP server refuses keywords; taking UNSEEN messages and marking them \\Seen")
        criteria = ("UNDELETED", "UNKEYWORD", TAKEN_KEYWORD) if keywords else ("UNDELETED", "UNSEEN")
        data = _check(connection.uid("SEARCH", *criteria), "SEARCH")
        uids = [uid for uid in re.split(rb"\s+", (data[0] or b"").strip()) if uid]
        mark = f"(\\Seen {TAKEN_KEYWORD})" if keywords else "(\\Seen)"
        for uid in uids:
            if stop is not None and stop.is_set():
                break
            text_uid = uid.decode("ascii")
            raw = _message_bytes(_check(connection.uid("FETCH", text_uid, "(BODY.PEEK[])"), f"FETCH {text_uid}"))
            if raw is None:
                continue  # expunged by someone else in the meantime
            report.fetched += 1
            try:
                item = receive_message(raw, recipient=config.address)
            except NotReceived as exc:
                raise PollError(f"message UID {text_uid} could not be stored; left unmarked: {exc}") from exc
            # Marked only now that the item is committed: a crash before this line means the
            # message is fetched again next time, and recognised as a duplicate.
            try:
                _check(connection.uid("STORE", text_uid, "+FLAGS.SILENT", mark), f"STORE {text_uid}")
            except (PollError, OSError, imaplib.IMAP4.error) as exc:
                logger.warning("UID %s taken as item %s but not marked (%s); it will be seen as a duplicate",
                               text_uid, item.pk, exc)
                report.results.append(process_received(item))
                raise PollError(f"could not mark UID {text_uid}: {exc}") from exc
            report.results.append(process_received(item))
    except (OSError, imaplib.IMAP4.error) as exc:
        raise PollError(f"IMAP error: {exc}") from exc
    finally:
        _logout(connection)
    return report


def poll_forever(config: ImapConfig, *, stop: threading.Event, on_report: Any = None) -> None:
    """Poll every `config.interval` seconds until `stop` is set; back off after failures."""
    delay = config.interval
    while not stop.is_set():
        try:
            report = poll_once(config, stop=stop)
        except PollError as exc:
            if not exc.retry:
                raise
            delay = min(max(delay * 2, config.interval), MAX_BACKOFF_SECONDS)
            logger.warning("IMAP poll failed (%s); next try in %ss", exc, delay)
        else:
            delay = config.interval
            if on_report is not None:
                on_report(report)
        stop.wait(delay)
