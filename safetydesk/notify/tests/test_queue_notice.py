"""do_queue_notice: the notice, its audit row and the case's timeline row in one transaction;
the mail after commit, with the Message-ID stored on the notice."""

import pytest
from django.core import mail
from django.db import transaction

from safetydesk.audit.models import AuditEvent, AuditEventType
from safetydesk.cases.actions import do_create_case
from safetydesk.cases.models import Case, CaseEvent, CaseEventKind
from safetydesk.intake.models import IntakeItem
from safetydesk.lib.testing import PersonaTestCase
from safetydesk.notify.actions import NoticeRefused, do_queue_notice
from safetydesk.notify.models import Notice, NoticeStatus


class QueueNoticeTests(PersonaTestCase):
    case: Case

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.case = do_create_case(acting_user=cls.specialist, title="Harassment on frwiki", language="fr")

    def queue(self, **overrides: object) -> Notice:
        fields: dict = {
            "case": self.case, "item": None, "recipient": "camille@example.org", "key": "ack_general",
            "language": "fr", "context": {},
        }
        fields.update(overrides)
        return do_queue_notice(**fields)

    def test_it_sends_after_commit_with_the_stored_message_id(self) -> None:
        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            notice = self.queue()
        assert mail.outbox == []  # nothing leaves before the transaction commits
        assert notice.message_id.startswith("<")
        assert notice.message_id.endswith("@example.org>")
        for callback in callbacks:
            callback()

        notice.refresh_from_db()
        assert notice.status == NoticeStatus.SENT
        assert notice.sent_at is not None
        assert notice.attempts == 1
        [message] = mail.outbox
        assert message.to == ["camille@example.org"]
        assert message.subject == f"[{self.case.reference}] Nous avons bien reçu votre signalement"
        assert message.extra_headers["Message-ID"] == notice.message_id
        assert message.extra_headers["Auto-Submitted"] == "auto-replied"
        assert f"son numéro de référence est {self.case.reference}" in message.body
        assert "ca@example.org" not in message.body
        assert "emergency@example.org" in message.body

    def test_it_writes_the_audit_and_timeline_rows_with_the_notice(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            notice = self.queue(acting_user=self.specialist)
        types = list(
            AuditEvent.objects.filter(subject_type="notify.notice", subject_id=str(notice.pk)).values_list(
                "event_type", flat=True
            )
        )
        assert types == [AuditEventType.NOTICE_QUEUED, AuditEventType.NOTICE_SENT]
        event = CaseEvent.objects.get(case=self.case, kind=CaseEventKind.MESSAGE_OUT)
        assert event.data == {"notice": notice.pk, "template": "ack_general", "language": "fr"}
        assert event.actor == self.specialist

    def test_nothing_is_written_when_the_transaction_rolls_back(self) -> None:
        class Abort(Exception):
            pass

        def queue_then_fail() -> None:
            with transaction.atomic():
                self.queue()
                raise Abort

        with self.captureOnCommitCallbacks(execute=True), pytest.raises(Abort):
            queue_then_fail()
        assert not Notice.objects.exists()
        assert not CaseEvent.objects.filter(kind=CaseEventKind.MESSAGE_OUT).exists()
        assert mail.outbox == []

    def test_an_item_gets_one_notice_per_template_however_often_it_is_asked(self) -> None:
        item = IntakeItem.objects.create(channel="general", case=self.case, status="accepted")
        with self.captureOnCommitCallbacks(execute=True):
            first = self.queue(item=item)
        with self.captureOnCommitCallbacks(execute=True):
            second = self.queue(item=item)
        assert first.pk == second.pk
        assert Notice.objects.filter(intake_item=item).count() == 1
        assert len(mail.outbox) == 1

    def test_a_deferral_reply_names_the_venue(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            self.queue(key="defer_local", language="en", context={"venue_url": "https://fr.wikipedia.org/wiki/WP:BA"})
        [message] = mail.outbox
        assert "Where to go: https://fr.wikipedia.org/wiki/WP:BA" in message.body
        # Replies to a person's decision are not automatic mail.
        assert "Auto-Submitted" not in message.extra_headers

    def test_it_refuses_an_address_that_cannot_receive_mail(self) -> None:
        for recipient in ("", "Some Wiki User", "a@b@c", "x@example.org\nBcc: y@example.org"):
            with self.subTest(recipient=recipient), pytest.raises(NoticeRefused):
                self.queue(recipient=recipient)
        assert not Notice.objects.exists()

    def test_it_refuses_an_unknown_template(self) -> None:
        with pytest.raises(NoticeRefused):
            self.queue(key="ack_unheard_of")
