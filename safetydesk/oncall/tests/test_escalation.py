"""Unacknowledged for settings.ONCALL_ESCALATE_AFTER_MINUTES, a paging escalates: everyone paged
is paged again and the next level is added; an acknowledgement stops it (frozen time)."""

import datetime as dt

import time_machine
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from safetydesk.audit.models import AuditEvent, AuditEventType
from safetydesk.lib import periodic
from safetydesk.oncall.actions import do_acknowledge_page, do_add_fallback_contact
from safetydesk.oncall.models import Level, Page, Paging
from safetydesk.oncall.paging import escalate_due
from safetydesk.oncall.tests.helpers import OncallTestCase

T0 = dt.datetime(2026, 11, 2, 3, 0, tzinfo=dt.UTC)


@time_machine.travel(T0, tick=False)
class EscalationTests(OncallTestCase):
    def setUp(self) -> None:
        self.shift(self.oncall, T0 - dt.timedelta(hours=1), T0 + dt.timedelta(hours=8))
        self.shift(self.oncall2, T0 - dt.timedelta(hours=1), T0 + dt.timedelta(hours=8), level=Level.SECONDARY)
        do_add_fallback_contact(acting_user=self.manager, user=self.director)

    def escalate(self) -> int:
        with self.captureOnCommitCallbacks(execute=True):
            return escalate_due()

    def recipients(self) -> list[str]:
        return [m.to[0] for m in mail.outbox]

    def test_it_escalates_level_by_level_until_acknowledged(self) -> None:
        case = self.emergency()
        assert self.recipients() == [self.oncall.email]
        with time_machine.travel(T0 + dt.timedelta(minutes=14, seconds=59), tick=False):
            assert self.escalate() == 0
        with time_machine.travel(T0 + dt.timedelta(minutes=15), tick=False):
            assert self.escalate() == 1
        assert sorted(self.recipients()[1:]) == sorted([self.oncall.email, self.oncall2.email])
        round1 = Page.objects.filter(case=case, round=1)
        assert {(p.recipient, p.step) for p in round1} == {(self.oncall, "primary"), (self.oncall2, "secondary")}
        with time_machine.travel(T0 + dt.timedelta(minutes=30), tick=False):
            assert self.escalate() == 1
        assert self.director.email in self.recipients()[3:]
        assert Paging.objects.get(case=case).round == 2
        assert AuditEvent.objects.filter(event_type=AuditEventType.PAGING_ESCALATED).count() == 2

        with time_machine.travel(T0 + dt.timedelta(minutes=33), tick=False):
            do_acknowledge_page(acting_user=self.oncall2, page=round1.first())
        sent = len(mail.outbox)
        with time_machine.travel(T0 + dt.timedelta(hours=2), tick=False):
            assert self.escalate() == 0
        assert len(mail.outbox) == sent
        paging = Paging.objects.get(case=case)
        assert (paging.acknowledged_by, paging.escalate_at) == (self.oncall2, None)

    def test_an_acknowledged_page_never_escalates(self) -> None:
        case = self.emergency()
        do_acknowledge_page(acting_user=self.oncall, page=Page.objects.get(case=case))
        with time_machine.travel(T0 + dt.timedelta(minutes=16), tick=False):
            assert self.escalate() == 0
        assert len(mail.outbox) == 1

    @override_settings(ONCALL_ESCALATE_AFTER_MINUTES=5)
    def test_the_interval_is_a_setting_and_the_periodic_job_runs_it(self) -> None:
        case = self.emergency()
        with time_machine.travel(T0 + dt.timedelta(minutes=5), tick=False), self.captureOnCommitCallbacks(execute=True):
            assert "safetydesk.oncall.jobs.escalate_unacknowledged_pages" in periodic.run_due_jobs(timezone.now())
        assert Paging.objects.get(case=case).round == 1
