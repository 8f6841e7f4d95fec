"""Done when (issue 4): a threat sent by LMTP to the real listener arrives as an emergency case;
its page is seen at a real SMTP server and at a webhook receiver; unacknowledged for the
interval (frozen time), it escalates to the next level, seen at both again.

The listener runs for real on a loopback port (its own event loop and threads, committing on
their own connections); tasks run at once (the test settings' immediate backend), so paging
happens in the listener's processing thread after the case commits, as a worker would do it.
"""

import datetime as dt
from email.message import EmailMessage

import time_machine
from django.contrib.auth.models import Group
from django.test import TransactionTestCase
from django.utils import timezone

from safetydesk.accounts.roles import Role
from safetydesk.cases.models import Case, CaseKind
from safetydesk.intake.tests.test_lmtp_protocol import RunningListener, deliver
from safetydesk.lib.testing import make_staff, smtp_sink, wait_for
from safetydesk.oncall.actions import do_add_shift
from safetydesk.oncall.models import DeliveryStatus, Level, PageDelivery, Paging
from safetydesk.oncall.paging import escalate_due
from safetydesk.oncall.tests.helpers import WebhookReceiver, webhook_settings


def threat() -> bytes:
    message = EmailMessage()
    message["From"] = "Worried Reader <reader@example.net>"
    message["To"] = "emergency@example.org"
    message["Subject"] = "Threat on a talk page"
    message["Message-ID"] = "<done-when-threat@example.net>"
    message.set_content(
        "A user wrote on my talk page that he will shoot everyone at Lincoln High School tomorrow morning."
    )
    return message.as_bytes()


class LmtpToPageTests(TransactionTestCase):
    # Like every transactional test here: without it the flush after each test runs post_migrate,
    # which writes content types again, and the next test that restores the serialized database
    # (the browser tests) fails on their unique constraint.
    serialized_rollback = True

    def setUp(self) -> None:
        for role in Role:
            Group.objects.get_or_create(name=role)
        # The primary responder and the secondary (escalation) level; a manager to set the rota.
        self.primary = make_staff("oli", Role.ONCALL, display_name="Oli Oncall")
        self.secondary = make_staff("kai", Role.ONCALL, display_name="Kai Oncall", time_zone="Asia/Tokyo")
        manager = make_staff("mia", Role.MANAGER)
        now = timezone.now()
        for user, level in ((self.primary, Level.PRIMARY), (self.secondary, Level.SECONDARY)):
            do_add_shift(
                acting_user=manager,
                user=user,
                level=level,
                starts_at=now - dt.timedelta(hours=1),
                ends_at=now + dt.timedelta(hours=8),
            )

    def test_a_threat_by_lmtp_pages_by_email_and_webhook_then_escalates(self) -> None:
        with (
            smtp_sink() as sink,
            WebhookReceiver() as receiver,
            webhook_settings(receiver.url),
            RunningListener() as listener,
        ):
            replies = deliver(listener.port, ["emergency@example.org"], threat())
            assert [code for code, _text in replies] == [250]

            [page_mail] = wait_for("the page at the SMTP server", lambda: sink.to(self.primary.email))
            wait_for("the page at the webhook", lambda: receiver.received)
            case = Case.objects.get()
            assert (case.kind, case.priority) == (CaseKind.EMERGENCY, "P0")
            assert case.reference in page_mail["Subject"]
            assert "shoot" not in page_mail.get_payload()
            assert "Lincoln" not in page_mail.get_payload()
            [hook] = receiver.payloads()
            assert (hook["case"], hook["round"], hook["step"]) == (case.reference, 0, "primary")
            assert hook["case_url"].endswith(f"/cases/{case.reference}/")
            wait_for("the case to be PAGED", lambda: Case.objects.get().state == "PAGED")
            assert not sink.to(self.secondary.email)

            paging = Paging.objects.get(case=case)
            with time_machine.travel(paging.created_at + dt.timedelta(minutes=14), tick=False):
                assert escalate_due() == 0
            with time_machine.travel(paging.created_at + dt.timedelta(minutes=15, seconds=1), tick=False):
                assert escalate_due() == 1

            [escalated] = wait_for("the escalated page", lambda: sink.to(self.secondary.email))
            assert case.reference in escalated["Subject"]
            wait_for("the second page", lambda: len(sink.to(self.primary.email)) == 2)  # paged again
            wait_for("three webhook calls", lambda: len(receiver.received) == 3)
            assert sorted((p["round"], p["step"]) for p in receiver.payloads()) == [
                (0, "primary"),
                (1, "primary"),
                (1, "secondary"),
            ]
            # The receiver has the request before the worker records its answer.
            wait_for(
                "every delivery marked delivered",
                lambda: set(PageDelivery.objects.values_list("status", flat=True)) == {DeliveryStatus.DELIVERED}
            )
