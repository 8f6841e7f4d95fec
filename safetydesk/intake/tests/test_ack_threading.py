"""A reporter's answer to an acknowledgement comes back into the same case: by In-Reply-To (the
notice's Message-ID), or by the case reference in the subject when a client drops the header."""

from django.core import mail

from safetydesk.cases.models import CaseEvent, CaseEventKind
from safetydesk.intake.models import IntakeStatus
from safetydesk.intake.pipeline import find_thread_case
from safetydesk.intake.submission import Submission
from safetydesk.intake.tests.helpers import AckTestCase, email_bytes
from safetydesk.notify.models import Notice


class AckReplyThreadingTests(AckTestCase):
    def setUp(self) -> None:
        self.item = self.submit(
            sender="noor@example.org", subject="Doxxing", body="Someone posted my address on a talk page.",
            language="en",
        )
        self.notice = Notice.objects.get(intake_item=self.item)
        self.ack = self.only_mail()

    def test_the_acknowledgement_carries_the_message_id_replies_will_cite(self) -> None:
        assert self.ack.extra_headers["Message-ID"] == self.notice.message_id
        assert find_thread_case(Submission(in_reply_to=self.notice.message_id)) == self.item.case

    def test_a_reply_to_the_acknowledgement_threads_into_the_case(self) -> None:
        reply = self.email(
            email_bytes(
                sender="noor@example.org", to="ca@example.org", subject="Re: thanks",
                body="Here is the diff where it was posted: https://en.wikipedia.org/w/index.php?diff=1",
                message_id="<reply-1@example.org>", in_reply_to=self.notice.message_id,
            )
        )
        assert reply.status == IntakeStatus.THREADED
        assert reply.case == self.item.case
        assert CaseEvent.objects.filter(case=self.item.case, kind=CaseEventKind.MESSAGE_IN).count() == 1
        assert len(mail.outbox) == 1  # the reply itself is not acknowledged

    def test_a_reply_that_lost_its_headers_threads_by_the_reference_in_the_subject(self) -> None:
        reply = self.email(
            email_bytes(
                sender="noor@example.org", to="ca@example.org", subject=f"Re: {self.ack.subject}",
                body="One more link.", message_id="<reply-2@example.org>",
            )
        )
        assert reply.status == IntakeStatus.THREADED
        assert reply.case == self.item.case
