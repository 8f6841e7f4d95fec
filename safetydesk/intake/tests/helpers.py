"""What the intake tests share: reports received and processed through the real pipeline, with
every after-commit side effect (after_intake, then notify's send) run."""

from email.message import EmailMessage
from typing import Any

from django.core import mail
from django.test import TestCase

from safetydesk.intake.models import IntakeItem
from safetydesk.intake.pipeline import process_item, receive_email, receive_submission
from safetydesk.intake.submission import Submission


def email_bytes(
    *, sender: str, to: str, subject: str, body: str, message_id: str, in_reply_to: str = "", **headers: str
) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = message_id
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
        message["References"] = in_reply_to
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(body)
    return message.as_bytes()


class IntakeMixin:
    """For TestCase subclasses (captureOnCommitCallbacks)."""

    captureOnCommitCallbacks: Any

    def submit(self, channel: str = "webform", **fields: Any) -> IntakeItem:
        """A form or API report, received and processed with its side effects run."""
        item = receive_submission(channel, Submission(**fields))
        with self.captureOnCommitCallbacks(execute=True):
            result = process_item(item)
        return result.item

    def email(self, raw: bytes, *, to: str = "ca@example.org") -> IntakeItem:
        item = receive_email(raw, recipient=to)
        with self.captureOnCommitCallbacks(execute=True):
            result = process_item(item)
        return result.item

    def only_mail(self) -> mail.EmailMessage:
        """The one message sent so far."""
        assert len(mail.outbox) == 1, [m.subject for m in mail.outbox]
        return mail.outbox[0]


class AckTestCase(IntakeMixin, TestCase):
    pass
