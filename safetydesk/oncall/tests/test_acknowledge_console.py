"""One-click acknowledgement from the board (POST), and the link in the page email (GET after
login, then one button); audited, on the case's timeline; refused to those who may not work it."""

import datetime as dt

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from safetydesk.audit.models import AuditEvent, AuditEventType
from safetydesk.cases.models import CaseEvent
from safetydesk.lib.testing import force_login_verified
from safetydesk.oncall.models import Page, Paging
from safetydesk.oncall.tests.helpers import OncallTestCase


class AcknowledgeConsoleTests(OncallTestCase):
    def setUp(self) -> None:
        now = timezone.now()
        self.shift(self.oncall, now - dt.timedelta(hours=1), now + dt.timedelta(hours=8))
        self.case = self.emergency()
        self.page = Page.objects.get(case=self.case)
        self.url = reverse("oncall:acknowledge", args=[self.page.pk])

    def test_one_click_on_the_board_acknowledges(self) -> None:
        force_login_verified(self.client, self.oncall)
        board = self.client.get(reverse("oncall:board")).content.decode()
        assert f'action="{self.url}"' in board
        assert "NOT ACKNOWLEDGED" in board
        response = self.client.post(self.url)
        assert response.status_code == 302
        assert response["Location"] == reverse("oncall:board")
        paging = Paging.objects.get(case=self.case)
        assert paging.acknowledged_by == self.oncall
        assert paging.escalate_at is None
        assert AuditEvent.objects.filter(event_type=AuditEventType.PAGE_ACKNOWLEDGED, actor=self.oncall).count() == 1
        assert CaseEvent.objects.filter(case=self.case, kind="paging", actor=self.oncall).count() == 1
        board = self.client.get(reverse("oncall:board")).content.decode()
        assert "NOT ACKNOWLEDGED" not in board

    def test_the_email_link_works_after_login(self) -> None:
        [message] = mail.outbox
        link = next(line.split(": ", 1)[1] for line in message.body.splitlines() if "/acknowledge/" in line)
        path = link.split("://", 1)[1].split("/", 1)[1]
        response = self.client.get("/" + path)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
        force_login_verified(self.client, self.oncall)
        page = self.client.get("/" + path)
        assert page.status_code == 200
        assert b"Acknowledge and open the case" in page.content
        assert not Paging.objects.get(case=self.case).is_acknowledged  # a GET changes nothing
        done = self.client.post("/" + path, {"next": reverse("console:case", args=[self.case.reference])})
        assert done["Location"] == reverse("console:case", args=[self.case.reference])
        assert Paging.objects.get(case=self.case).is_acknowledged

    def test_a_second_acknowledgement_changes_nothing(self) -> None:
        force_login_verified(self.client, self.oncall)
        self.client.post(self.url)
        force_login_verified(self.client, self.manager)
        self.client.post(self.url)
        assert Paging.objects.get(case=self.case).acknowledged_by == self.oncall
        assert AuditEvent.objects.filter(event_type=AuditEventType.PAGE_ACKNOWLEDGED).count() == 1

    def test_an_auditor_cannot_acknowledge(self) -> None:
        force_login_verified(self.client, self.auditor)
        response = self.client.post(self.url, follow=True)
        assert b"Nothing was changed." in response.content
        assert not Paging.objects.get(case=self.case).is_acknowledged

    def test_a_crc_member_does_not_see_the_board(self) -> None:
        force_login_verified(self.client, self.crc)
        assert self.client.get(reverse("oncall:board")).status_code == 403
        assert self.client.post(self.url).status_code == 403

    def test_the_board_query_count_is_flat(self) -> None:
        force_login_verified(self.client, self.oncall)
        self.client.get(reverse("oncall:board"))
        with self.assertNumQueries(9) as first:
            self.client.get(reverse("oncall:board"))
        for _ in range(3):
            self.emergency()
        with self.assertNumQueries(len(first.captured_queries)):
            self.client.get(reverse("oncall:board"))
