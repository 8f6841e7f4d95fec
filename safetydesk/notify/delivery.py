"""Sending one notice by email, and telling a failure worth retrying from one that is final.

The mail goes out through Django's default mailer (settings.MAILERS["default"]): SMTP in
production, the console in the demo, the in-memory outbox in tests.
"""

import smtplib
import socket
from email.utils import make_msgid, parseaddr

from django.conf import settings
from django.core.mail import EmailMessage

from safetydesk.notify.models import Notice
from safetydesk.notify.rendering import TEMPLATES


class DeliveryError(Exception):
    """`permanent`: trying again cannot help (the server refused the recipient or the message)."""

    def __init__(self, reason: str, *, permanent: bool, smtp_code: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent
        self.smtp_code = smtp_code


def our_domain() -> str:
    """The domain our Message-IDs are made under: the one we send from."""
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    return address.rpartition("@")[2].lower() or "localhost"


def new_message_id() -> str:
    return make_msgid(domain=our_domain())


def build_message(notice: Notice) -> EmailMessage:
    headers = {"Message-ID": notice.message_id}
    if notice.in_reply_to:
        headers["In-Reply-To"] = notice.in_reply_to
        headers["References"] = notice.in_reply_to
    kind = TEMPLATES.get(notice.key)
    if kind is not None and kind.automatic:
        headers["Auto-Submitted"] = "auto-replied"
    return EmailMessage(
        subject=notice.subject,
        body=notice.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notice.recipient],
        headers=headers,
    )


def deliver(notice: Notice) -> None:
    """Send the notice once. Raises DeliveryError saying whether a retry can help."""
    message = build_message(notice)
    try:
        message.send(using="default")
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _text in exc.recipients.values()]
        code = codes[0] if codes else None
        permanent = not _is_transient_code(code)
        raise DeliveryError(f"recipient refused ({code})", permanent=permanent, smtp_code=code) from exc
    except smtplib.SMTPResponseException as exc:
        # Sender refused, data refused, connect refused, authentication: the code decides.
        reason = f"{type(exc).__name__} {exc.smtp_code}: {_text(exc.smtp_error)}"
        raise DeliveryError(reason, permanent=not _is_transient_code(exc.smtp_code), smtp_code=exc.smtp_code) from exc
    except (smtplib.SMTPServerDisconnected, ConnectionError, TimeoutError, socket.gaierror) as exc:
        raise DeliveryError(f"{type(exc).__name__}: {exc}", permanent=False) from exc
    except smtplib.SMTPException as exc:
        raise DeliveryError(f"{type(exc).__name__}: {exc}", permanent=False) from exc
    except OSError as exc:  # network unreachable, connection reset, …
        raise DeliveryError(f"{type(exc).__name__}: {exc}", permanent=False) from exc
    except ValueError as exc:  # a header Django refuses to write: the same message always will be
        raise DeliveryError(f"{type(exc).__name__}: {exc}", permanent=True) from exc


def _is_transient_code(code: int | None) -> bool:
    """4xx replies say "try again later" (RFC 5321 §4.2.1); so do codes below 100, which
    smtplib uses when the connection broke before a reply."""
    return code is None or code < 100 or 400 <= code < 500


def _text(error: bytes | str) -> str:
    return error.decode("utf-8", "replace") if isinstance(error, bytes) else str(error)
