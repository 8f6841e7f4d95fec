"""A notice whose send task never ran (lost between commit and enqueue) is sent by the periodic
job, once; a notice in another worker's hands is left to it."""

import datetime as dt

import time_machine
from django.core import mail
from django.utils import timezone

from safetydesk.cases.actions import do_create_case
from safetydesk.lib import periodic
from safetydesk.lib.testing import PersonaTestCase
from safetydesk.notify.actions import do_queue_notice
from safetydesk.notify.models import Notice, NoticeStatus
from safetydesk.notify.tasks import CLAIM_FOR, send_notice

JOB = "safetydesk.notify.jobs.send_overdue_notices"


def to_reporter() -> list[mail.EmailMessage]:
    # The other periodic jobs run too and may mail staff (on call: a gap in the empty rota).
    return [message for message in mail.outbox if message.to == ["r@example.org"]]


class OverdueNoticeTests(PersonaTestCase):
    def lost_notice(self) -> Notice:
        case = do_create_case(acting_user=self.specialist, title="Report")
        with self.captureOnCommitCallbacks(execute=False):  # the send is never enqueued
            return do_queue_notice(
                case=case, item=None, recipient="r@example.org", key="ack_general", language="en", context={}
            )

    def test_the_periodic_job_sends_a_notice_whose_task_was_lost(self) -> None:
        assert JOB in {job.name for job in periodic.registered_jobs()}
        with time_machine.travel(timezone.now(), tick=False) as clock:
            notice = self.lost_notice()
            assert JOB in periodic.run_due_jobs()
            assert to_reporter() == []  # not overdue yet: its own task may still come
            clock.shift(dt.timedelta(minutes=3))
            assert JOB in periodic.run_due_jobs()
        notice.refresh_from_db()
        assert notice.status == NoticeStatus.SENT
        assert len(to_reporter()) == 1

    def test_a_notice_another_worker_holds_is_not_sent_twice(self) -> None:
        notice = self.lost_notice()
        Notice.objects.filter(pk=notice.pk).update(claimed_until=timezone.now() + CLAIM_FOR)
        assert send_notice.call(notice.pk) == "skipped"
        with time_machine.travel(timezone.now() + CLAIM_FOR + dt.timedelta(seconds=1)):
            assert send_notice.call(notice.pk) == "sent"  # the holder died: its claim ran out
            assert send_notice.call(notice.pk) == "skipped"
        assert len(mail.outbox) == 1
