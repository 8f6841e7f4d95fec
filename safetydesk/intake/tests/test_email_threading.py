"""Replies by email join the case they answer; the same message twice is a duplicate."""

import tempfile
from email.message import EmailMessage

from django.test import TestCase, override_settings

from safetydesk.cases.models import CaseEvent, CaseEventKind
from safetydesk.intake.mailbox_import import import_message
from safetydesk.intake.models import DismissalReason, IntakeItem, IntakeStatus


def mail(subject: str, body: str, message_id: str, *, in_reply_to: str = "", references: str = "") -> bytes:
    message = EmailMessage()
    message["From"] = "Rosa Reporter <rosa@example.net>"
    message["To"] = "ca@example.org"
    message["Subject"] = subject
    message["Message-ID"] = message_id
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
    if references:
        message["References"] = references
    message.set_content(body)
    return message.as_bytes()


class EmailThreadingTests(TestCase):
    def setUp(self) -> None:
        directory = tempfile.TemporaryDirectory()
        self.addCleanup(directory.cleanup)
        self.enterContext(override_settings(ATTACHMENT_ROOT=directory.name))
        self.first = self.take(
            mail("Harassment on my talk page", "An account keeps insulting me on my talk page.",
                 "<first@example.net>")
        )
        assert self.first.status == IntakeStatus.ACCEPTED

    def take(self, raw: bytes) -> IntakeItem:
        imported = import_message(raw, recipient="ca@example.org")
        assert imported.error == ""
        return imported.item

    def messages_in(self) -> int:
        return CaseEvent.objects.filter(case=self.first.case, kind=CaseEventKind.MESSAGE_IN).count()

    def test_it_threads_a_reply_by_in_reply_to(self) -> None:
        reply = self.take(mail("Re: Harassment on my talk page", "It happened again today, see the new diff.",
                               "<reply-1@example.net>", in_reply_to="<first@example.net>"))
        assert reply.status == IntakeStatus.THREADED
        assert reply.case == self.first.case
        assert reply.in_reply_to == "<first@example.net>"
        assert self.messages_in() == 1

    def test_it_threads_a_reply_by_references_when_in_reply_to_is_missing(self) -> None:
        reply = self.take(mail("Re: Harassment", "More of the same on another page.", "<reply-2@example.net>",
                               references="<unrelated@example.com> <first@example.net>"))
        assert reply.status == IntakeStatus.THREADED
        assert reply.case == self.first.case

    def test_it_threads_by_the_case_reference_in_the_subject(self) -> None:
        assert self.first.case is not None
        reference = self.first.case.reference
        reply = self.take(mail(f"Re: [{reference}] my report", "I forgot to add the username.",
                               "<reply-3@example.net>"))
        assert reply.status == IntakeStatus.THREADED
        assert reply.case == self.first.case

    def test_it_dismisses_the_same_message_id_as_a_duplicate(self) -> None:
        again = self.take(mail("Harassment on my talk page", "An account keeps insulting me on my talk page.",
                               "<first@example.net>"))
        assert again.status == IntakeStatus.DISMISSED
        assert again.dismissal_reason == DismissalReason.DUPLICATE
        assert again.case == self.first.case
        assert self.messages_in() == 0  # a duplicate adds nothing to the case

    def test_it_opens_a_new_case_for_a_reply_to_something_it_never_saw(self) -> None:
        other = self.take(mail("Re: something else", "A new matter entirely, about another wiki.",
                               "<other@example.net>", in_reply_to="<never-seen@example.com>"))
        assert other.status == IntakeStatus.ACCEPTED
        assert other.case != self.first.case
