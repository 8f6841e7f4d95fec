"""When no acknowledgement goes out: spam, threaded replies, automatic mail, our own mail,
reporters without an email address; and never twice for one item."""

from django.core import mail

from safetydesk.intake.models import DismissalReason, IntakeStatus
from safetydesk.intake.pipeline import receive_submission
from safetydesk.intake.submission import Submission
from safetydesk.intake.tasks import ACKS_PER_ADDRESS_PER_HOUR, after_intake
from safetydesk.intake.tests.helpers import AckTestCase, email_bytes
from safetydesk.intake.views import receive_suspected_spam
from safetydesk.notify.models import Notice


class NoAckTests(AckTestCase):
    def test_a_report_dismissed_as_spam_is_never_acknowledged(self) -> None:
        submission = Submission(sender="bot@example.com", body="Cheap pills http://spam.example", language="en")
        item = receive_suspected_spam("webform", submission, signals=["honeypot"], ip="192.0.2.1")
        assert item.dismissal_reason == DismissalReason.SPAM
        # Even if the task ran for it (a retry, a mistake), nothing is sent.
        with self.captureOnCommitCallbacks(execute=True):
            assert after_intake.call(item.pk) == "no acknowledgement: status dismissed"
        assert mail.outbox == []
        assert not Notice.objects.exists()

    def test_a_reply_threaded_into_a_case_is_not_acknowledged(self) -> None:
        first = self.email(
            email_bytes(
                sender="rae@example.net", to="ca@example.org", subject="Harassment on enwiki",
                body="A user keeps reverting me and posting insults on my talk page.", message_id="<first@example.net>",
            )
        )
        assert len(mail.outbox) == 1
        reply = self.email(
            email_bytes(
                sender="rae@example.net", to="ca@example.org", subject="Re: Harassment on enwiki",
                body="He did it again today, see the latest diff.", message_id="<second@example.net>",
                in_reply_to="<first@example.net>",
            )
        )
        assert reply.status == IntakeStatus.THREADED
        assert reply.case == first.case
        assert len(mail.outbox) == 1  # still only the first acknowledgement
        assert after_intake.call(reply.pk) == "no acknowledgement: threaded"

    def test_an_item_is_acknowledged_once_however_often_the_task_runs(self) -> None:
        item = self.submit(sender="ana@example.org", body="Someone is vandalising my articles.", language="en")
        assert len(mail.outbox) == 1
        with self.captureOnCommitCallbacks(execute=True):
            assert after_intake.call(item.pk) == "no acknowledgement: already acknowledged"
            after_intake.call(item.pk)
        assert len(mail.outbox) == 1
        assert Notice.objects.filter(intake_item=item).count() == 1

    def test_one_address_gets_a_limited_number_of_acknowledgements_an_hour(self) -> None:
        # Anyone can give any address: a flood of reports naming one must not flood its inbox.
        items = [
            self.submit(sender="Victim@Example.org", body=f"Report number {n} about page {n}.", language="en")
            for n in range(ACKS_PER_ADDRESS_PER_HOUR + 2)
        ]
        assert len(mail.outbox) == ACKS_PER_ADDRESS_PER_HOUR
        assert after_intake.call(items[-1].pk) == "no acknowledgement: too many acknowledgements to this address"
        other = self.submit(sender="someone.else@example.org", body="A different reporter.", language="en")
        assert Notice.objects.filter(intake_item=other).exists()

    def test_automatic_mail_is_not_answered(self) -> None:
        item = self.email(
            email_bytes(
                sender="someone@example.net", to="ca@example.org", subject="Out of office",
                body="I am away until Monday and will read your message then.", message_id="<ooo@example.net>",
                Auto_Submitted="auto-replied",
            )
        )
        assert item.status == IntakeStatus.ACCEPTED
        assert "auto_submitted" in item.flags
        assert mail.outbox == []

    def test_mail_from_our_own_addresses_is_not_answered(self) -> None:
        # A message from one of our addresses to another would otherwise answer itself forever.
        for sender in ("emergency@example.org", "safetydesk@example.org", "mailer-daemon@example.net"):
            with self.subTest(sender=sender):
                item = self.submit(sender=sender, body=f"Forwarded report from {sender}.", language="en")
                assert item.status == IntakeStatus.ACCEPTED
        assert mail.outbox == []

    def test_a_reporter_without_an_email_address_gets_nothing(self) -> None:
        item = self.submit(channel="reportincident", sender="WikiUser42", body="Harassment on my talk page.")
        assert item.status == IntakeStatus.ACCEPTED
        assert after_intake.call(item.pk) == "no acknowledgement: no reporter email"
        assert mail.outbox == []

    def test_a_quarantined_item_is_not_acknowledged(self) -> None:
        item = receive_submission("webform", Submission(sender="ana@example.org", body="text"))
        item.status = IntakeStatus.QUARANTINED
        item.save(update_fields=["status"])
        assert after_intake.call(item.pk) == "no acknowledgement: status quarantined"
        assert mail.outbox == []
