"""send_notice against a real SMTP server (aiosmtpd on 127.0.0.1): a "try later" reply is
retried with backoff until it goes through; a refusal is final; the attempts are capped."""

import datetime as dt
from email import message_from_bytes
from typing import Any

import time_machine
from django.test import override_settings
from django.utils import timezone

from safetydesk.audit.models import AuditEvent, AuditEventType
from safetydesk.cases.actions import do_create_case
from safetydesk.lib.processes import free_port
from safetydesk.lib.testing import PersonaTestCase, mail_to_smtp_server, smtp_mailers
from safetydesk.notify.actions import do_queue_notice
from safetydesk.notify.models import Notice, NoticeStatus
from safetydesk.notify.tasks import BACKOFF, MAX_ATTEMPTS, send_due_notices


class ScriptedServer:
    """Answers each DATA with the next reply of the script (then 250), and keeps what it took."""

    def __init__(self, replies: list[str], refuse_recipients: bool = False) -> None:
        self.replies = list(replies)
        self.refuse_recipients = refuse_recipients
        self.received: list[bytes] = []

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if self.refuse_recipients:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.replies:
            return self.replies.pop(0)
        self.received.append(envelope.content)
        return "250 Message accepted"


class SendNoticeSmtpTests(PersonaTestCase):
    def queue(self) -> Notice:
        case = do_create_case(acting_user=self.specialist, title="Report from a reader")
        with self.captureOnCommitCallbacks(execute=True):
            notice = do_queue_notice(
                case=case, item=None, recipient="reader@example.net", key="ack_general", language="de", context={}
            )
        notice.refresh_from_db()
        return notice

    def failures(self, notice: Notice) -> list[dict[str, Any]]:
        return list(
            AuditEvent.objects.filter(
                event_type=AuditEventType.NOTICE_FAILED, subject_type="notify.notice", subject_id=str(notice.pk)
            ).values_list("data", flat=True)
        )

    def test_it_retries_after_try_later_and_then_delivers(self) -> None:
        server = ScriptedServer(["451 4.3.0 Mail server temporarily unavailable"])
        with mail_to_smtp_server(server), time_machine.travel(timezone.now(), tick=False) as clock:
            notice = self.queue()
            assert (notice.status, notice.attempts) == (NoticeStatus.PENDING, 1)
            assert notice.next_attempt_at == timezone.now() + BACKOFF[0]
            assert "451" in notice.error
            assert server.received == []

            # Not due yet: the sweep leaves it alone.
            assert send_due_notices() == 0
            clock.shift(BACKOFF[0] + dt.timedelta(minutes=3))
            assert send_due_notices() == 1

        notice.refresh_from_db()
        assert (notice.status, notice.attempts, notice.error) == (NoticeStatus.SENT, 2, "")
        [raw] = server.received
        delivered = message_from_bytes(raw)
        assert delivered["Message-ID"] == notice.message_id
        assert delivered["Subject"].startswith(f"[{notice.case.reference}] ")
        assert self.failures(notice)[0]["smtp_code"] == 451

    def test_a_refused_recipient_fails_at_once(self) -> None:
        with mail_to_smtp_server(ScriptedServer([], refuse_recipients=True)):
            notice = self.queue()
        assert (notice.status, notice.attempts) == (NoticeStatus.FAILED, 1)
        assert "550" in notice.error
        assert self.failures(notice)[0]["permanent"] is True
        assert send_due_notices(timezone.now() + dt.timedelta(days=1)) == 0

    def test_it_gives_up_after_the_last_attempt(self) -> None:
        server = ScriptedServer(["421 4.7.0 Try again later"] * MAX_ATTEMPTS)
        with mail_to_smtp_server(server), time_machine.travel(timezone.now(), tick=False) as clock:
            notice = self.queue()
            for wait in BACKOFF:
                clock.shift(wait + dt.timedelta(minutes=3))
                assert send_due_notices() == 1
        notice.refresh_from_db()
        assert (notice.status, notice.attempts) == (NoticeStatus.FAILED, MAX_ATTEMPTS)
        assert server.received == []
        assert [f["final"] for f in self.failures(notice)] == [False] * (MAX_ATTEMPTS - 1) + [True]

    def test_a_server_that_is_not_there_is_a_transient_failure(self) -> None:
        with override_settings(MAILERS=smtp_mailers(free_port(), timeout=2)):
            notice = self.queue()
        assert (notice.status, notice.attempts) == (NoticeStatus.PENDING, 1)
        assert "ConnectionRefusedError" in notice.error
