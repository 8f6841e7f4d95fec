"""intake.triage and `safetydesk triage`: reports the API answered before processing them are
processed afterwards, oldest first, each once, and what a channel is processing itself is left
to it."""

import datetime as dt
import time
from io import StringIO
from unittest import mock

import time_machine
from django.core.management import CommandError, call_command
from django.test import TestCase, override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from safetydesk.audit.models import AuditEvent, AuditEventType
from safetydesk.intake import triage
from safetydesk.intake.models import IntakeItem, IntakeStatus
from safetydesk.intake.pipeline import process_item, receive_submission
from safetydesk.intake.submission import Submission
from safetydesk.intake.triage import triage_pending

NOW = dt.datetime(2026, 11, 21, 12, 0, tzinfo=dt.UTC)


def received(body: str) -> IntakeItem:
    return receive_submission("api", Submission(subject="API report", body=body, language_sample=body))


class TriageTests(TestCase):
    def test_it_processes_received_items_oldest_first(self) -> None:
        with time_machine.travel(NOW, tick=False):
            first = received("Someone keeps reverting every edit I make to the lighthouse article.")
        with time_machine.travel(NOW + dt.timedelta(seconds=1), tick=False):
            second = received("Alguien borra todas mis ediciones en el artículo sobre el faro.")
        with time_machine.travel(NOW + dt.timedelta(minutes=1), tick=False):
            assert triage_pending() == 2

        first.refresh_from_db()
        second.refresh_from_db()
        assert (first.status, second.status) == (IntakeStatus.ACCEPTED, IntakeStatus.ACCEPTED)
        assert first.case.pk < second.case.pk
        assert (first.language, second.language) == ("en", "es")  # detected from the reporter's words

    def test_it_leaves_young_items_to_the_channel_that_received_them(self) -> None:
        with time_machine.travel(NOW, tick=False):
            item = received("Someone keeps reverting every edit I make to the lighthouse article.")
            assert triage_pending() == 0  # the grace period (2 s by default)
        with time_machine.travel(NOW + dt.timedelta(seconds=3), tick=False):
            assert triage_pending() == 1
        item.refresh_from_db()
        assert item.status == IntakeStatus.ACCEPTED

    def test_it_never_processes_an_item_twice(self) -> None:
        item = received("Someone keeps reverting every edit I make to the lighthouse article.")
        process_item(item)  # the channel got there first

        assert triage_pending(grace=dt.timedelta(0)) == 0
        assert IntakeItem.objects.get().case is not None
        received_rows = AuditEvent.objects.filter(event_type=AuditEventType.INTAKE_RECEIVED, subject_id=str(item.pk))
        assert received_rows.count() == 1

    def test_it_takes_a_batch_at_a_time(self) -> None:
        for n in range(5):
            received(f"Report number {n}: someone keeps reverting my edits to the lighthouse article.")

        assert triage_pending(grace=dt.timedelta(0), limit=3) == 3
        assert triage_pending(grace=dt.timedelta(0), limit=3) == 2
        assert not IntakeItem.objects.filter(status=IntakeStatus.RECEIVED).exists()

    def test_an_item_that_fails_is_quarantined_and_the_rest_go_on(self) -> None:
        broken = received("Someone keeps reverting every edit I make to the lighthouse article.")
        IntakeItem.objects.filter(pk=broken.pk).update(raw="json:{not json")
        fine = received("Alguien borra todas mis ediciones en el artículo sobre el faro.")

        assert triage_pending(grace=dt.timedelta(0)) == 2

        broken.refresh_from_db()
        fine.refresh_from_db()
        assert (broken.status, fine.status) == (IntakeStatus.QUARANTINED, IntakeStatus.ACCEPTED)
        # Its receipt is on the audit chain all the same.
        assert AuditEvent.objects.filter(event_type=AuditEventType.INTAKE_RECEIVED, subject_id=str(broken.pk)).exists()


class UrgentTasksFirstTests(TestCase):
    """Pages (tasks in the paging queue) go before triage: on SQLite a busy loop otherwise held
    the write lock the pager needs (benchmarks/emergency.py)."""

    def queue_task(self, priority: int, queue: str = "default") -> DBTaskResult:
        return DBTaskResult.objects.create(
            args_kwargs={"args": [], "kwargs": {}},
            priority=priority,
            task_path="safetydesk.oncall.tasks.deliver",
            queue_name=queue,
            backend_name="default",
            run_after=timezone.now() - dt.timedelta(seconds=1),
        )

    def test_it_waits_while_an_urgent_task_is_queued_then_goes_on(self) -> None:
        self.queue_task(priority=90, queue="paging")
        received("Someone keeps reverting every edit I make to the lighthouse article.")

        with mock.patch.object(triage, "URGENT_WAIT_SECONDS", 0.2):
            started = time.monotonic()
            assert triage_pending(grace=dt.timedelta(0)) == 1  # waited its longest, then processed

        assert time.monotonic() - started >= 0.2
        assert IntakeItem.objects.get().status == IntakeStatus.ACCEPTED

    def test_ordinary_tasks_do_not_hold_it_up(self) -> None:
        self.queue_task(priority=0)  # an acknowledgement
        received("Someone keeps reverting every edit I make to the lighthouse article.")

        with mock.patch.object(triage, "URGENT_WAIT_SECONDS", 5.0):
            started = time.monotonic()
            assert triage_pending(grace=dt.timedelta(0)) == 1

        assert time.monotonic() - started < 2.0


class TriageCommandTests(TestCase):
    @override_settings(INTAKE_TRIAGE_GRACE_SECONDS=0)
    def test_once_processes_what_is_waiting_and_exits(self) -> None:
        received("Someone keeps reverting every edit I make to the lighthouse article.")
        out = StringIO()

        call_command("triage", "--once", "--nice", "0", stdout=out)

        assert out.getvalue().strip() == "1 item(s) processed"
        assert IntakeItem.objects.get().status == IntakeStatus.ACCEPTED

    def test_it_refuses_bad_options(self) -> None:
        for args, message in (
            (["--nice", "20"], "--nice must be between 0 and 19"),
            (["--nice", "-1"], "--nice must be between 0 and 19"),
            (["--idle", "0"], "--idle must be more than 0 seconds"),
        ):
            with self.subTest(args=args), self.assertRaisesMessage(CommandError, message):
                call_command("triage", "--once", *args)
