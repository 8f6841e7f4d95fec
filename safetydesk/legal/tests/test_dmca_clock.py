"""The counter-notice's clock (17 U.S.C. § 512(g)(2)(C)): the material is put back no sooner
than business day 10 and no later than business day 14 after receipt, counted on the US federal
calendar (weekends and holidays skipped); a reported lawsuit keeps it down; a window about to
close with nothing put back is brought to legal counsel, once. Frozen time throughout."""

import datetime as dt

import pytest
import time_machine

from safetydesk.audit.models import AuditEvent, AuditEventType
from safetydesk.enforcement.actions import do_confirm_by_hand
from safetydesk.enforcement.models import ActionExecution, ActionStatus, ActionType, ExecutionStatus, OfficeAction
from safetydesk.legal import dmca
from safetydesk.legal.models import CounterNotice, DmcaNotice
from safetydesk.legal.tests.fast import CLAIMANT_EMAIL, OTHER_URL, URL, DmcaTestCase


def utc(year: int, month: int, day: int, hour: int = 15, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=dt.UTC)


# Wednesday 23 December 2026, before Christmas (Friday 25th) and New Year's Day (Friday 1 January).
# Business days after it: Thu 24 (1), [Fri 25 Christmas], Mon 28 (2), Tue 29 (3), Wed 30 (4),
# Thu 31 (5), [Fri 1 Jan New Year's Day], Mon 4 (6), Tue 5 (7), Wed 6 (8), Thu 7 (9), Fri 8 (10),
# Mon 11 (11), Tue 12 (12), Wed 13 (13), Thu 14 (14).
RECEIVED = utc(2026, 12, 23)
DAY_10 = utc(2027, 1, 8)
DAY_14 = utc(2027, 1, 14)
GRANTED = utc(2026, 12, 21, 9)


class RestoreWindowTests(DmcaTestCase):
    def notice(self, *urls: str) -> DmcaNotice:
        with time_machine.travel(GRANTED, tick=False):
            return self.granted_notice(urls[0] if urls else URL, infringing_urls=list(urls or [URL]))

    def counter_at(self, notice: DmcaNotice, received: dt.datetime) -> CounterNotice:
        with time_machine.travel(received, tick=False):
            return self.counter(notice)

    def test_the_window_skips_weekends_and_the_christmas_and_new_year_holidays(self) -> None:
        counter = self.counter_at(self.notice(), RECEIVED)
        assert counter.valid is True
        assert counter.received_at == RECEIVED
        assert counter.restore_from == DAY_10
        assert counter.restore_by == DAY_14
        assert dmca.restore_window(RECEIVED) == (DAY_10, DAY_14)
        assert self.state(counter.notice.case) == "RESTORE_WINDOW"
        # The claimant is sent the counter-notice with both dates.
        [forwarded] = self.notices(counter.notice.case, "dmca_counter_forward")
        assert forwarded.recipient == CLAIMANT_EMAIL
        assert "2027-01-08" in forwarded.body
        assert "2027-01-14" in forwarded.body
        assert counter.forwarded_at == RECEIVED
        [row] = self.legal_rows(counter.notice.case, "counter_notice")
        assert (row.data["restore_from"], row.data["restore_by"]) == ("2027-01-08", "2027-01-14")

    def test_a_counter_notice_received_on_a_saturday_counts_from_monday(self) -> None:
        # Saturday 6 March 2027: Mon 8 is business day 1, Fri 19 day 10, Thu 25 day 14 (no holiday).
        saturday = utc(2027, 3, 6, 10)
        assert dmca.restore_window(saturday) == (utc(2027, 3, 19, 10), utc(2027, 3, 25, 10))
        # The same as a receipt on the Friday before, one business day later than on the Monday.
        assert dmca.restore_window(utc(2027, 3, 5, 10)) == dmca.restore_window(saturday)
        assert dmca.restore_window(utc(2027, 3, 7, 10)) == dmca.restore_window(saturday)
        assert dmca.restore_window(utc(2027, 3, 8, 10)) == (utc(2027, 3, 22, 10), utc(2027, 3, 26, 10))
        counter = self.counter_at(self.notice(), saturday)
        assert (counter.restore_from, counter.restore_by) == (utc(2027, 3, 19, 10), utc(2027, 3, 25, 10))

    def test_restore_due_puts_back_each_takedown_on_business_day_10_not_before(self) -> None:
        notice = self.notice(URL, OTHER_URL)
        takedowns = list(notice.takedowns.order_by("pk"))
        assert [t.status for t in takedowns] == [ActionStatus.ENFORCED, ActionStatus.ENFORCED]
        counter = self.counter_at(notice, RECEIVED)

        for moment in (RECEIVED, utc(2027, 1, 7), DAY_10 - dt.timedelta(minutes=1)):
            with time_machine.travel(moment, tick=False):
                assert dmca.restore_due() == []
        assert self.state(notice.case) == "RESTORE_WINDOW"
        assert not OfficeAction.objects.filter(action_type=ActionType.DMCA_RESTORE).exists()

        with time_machine.travel(DAY_10, tick=False), self.captureOnCommitCallbacks(execute=True):
            assert dmca.restore_due() == [counter.pk]
        restorations = list(OfficeAction.objects.filter(case=notice.case, action_type=ActionType.DMCA_RESTORE)
                            .order_by("pk"))  # fmt: skip
        assert len(restorations) == len(takedowns) == 2
        for restoration, takedown in zip(restorations, takedowns, strict=True):
            assert restoration.details == takedown.details
            assert restoration.target == takedown.target
            assert restoration.wiki is None
            assert restoration.status == ActionStatus.ENFORCING  # no registered wiki: by hand
        # Not put back until every restoration is done: the case waits, the reminder still applies.
        assert self.state(notice.case) == "RESTORE_WINDOW"
        counter.refresh_from_db()
        assert counter.restore_started_at == DAY_10
        assert counter.restored_at is None
        with time_machine.travel(DAY_14, tick=False):
            assert dmca.restore_due() == []  # started once
        steps = list(ActionExecution.objects.filter(office_action__in=restorations).order_by("pk"))
        assert [step.status for step in steps] == [ExecutionStatus.AWAITING_STAFF] * 2
        for step in steps:
            with time_machine.travel(DAY_10 + dt.timedelta(hours=1), tick=False), self.captureOnCommitCallbacks(
                execute=True
            ):
                do_confirm_by_hand(execution=step, acting_user=self.legal, note="Undeleted by hand.")
        assert self.state(notice.case) == "CLOSED_RESTORED"
        counter.refresh_from_db()
        assert counter.restored_at == DAY_10 + dt.timedelta(hours=1)
        assert AuditEvent.objects.filter(event_type=AuditEventType.DMCA_RESTORED).count() == 1
        assert len(self.legal_rows(notice.case, "restored")) == 1
        assert OfficeAction.objects.filter(action_type=ActionType.DMCA_RESTORE).count() == 2
        with pytest.raises(dmca.LegalRefusal, match="already being put back"):
            dmca.do_report_lawsuit(counter=counter, acting_user=self.legal)

    def test_a_reported_lawsuit_keeps_the_material_down(self) -> None:
        notice = self.notice()
        counter = self.counter_at(notice, RECEIVED)
        with time_machine.travel(utc(2027, 1, 5), tick=False):
            counter = dmca.do_report_lawsuit(counter=counter, acting_user=self.legal)
        assert counter.lawsuit_reported_at == utc(2027, 1, 5)
        assert self.state(notice.case) == "CLOSED_GRANTED"
        assert AuditEvent.objects.filter(event_type=AuditEventType.DMCA_LAWSUIT_REPORTED).count() == 1
        for moment in (DAY_10, DAY_14, DAY_14 + dt.timedelta(days=30)):
            with time_machine.travel(moment, tick=False):
                assert dmca.restore_due() == []
                assert dmca.remind_closing_windows() == []
        assert not OfficeAction.objects.filter(action_type=ActionType.DMCA_RESTORE).exists()
        assert self.notices(notice.case, "dmca_restore_reminder") == []
        counter.refresh_from_db()
        assert counter.restored_at is None


class ClosingWindowReminderTests(DmcaTestCase):
    def counter_at(self, received: dt.datetime) -> CounterNotice:
        with time_machine.travel(received - dt.timedelta(days=2), tick=False):
            notice = self.granted_notice()
        with time_machine.travel(received, tick=False):
            return self.counter(notice)

    def remind_at(self, moment: dt.datetime) -> list[int]:
        with time_machine.travel(moment, tick=False), self.captureOnCommitCallbacks(execute=True):
            return dmca.remind_closing_windows()

    def test_legal_counsel_is_reminded_once_on_the_business_day_before_the_window_closes(self) -> None:
        # The restoration did not run (held): nothing is put back.
        counter = self.counter_at(RECEIVED)
        case = counter.notice.case
        for moment in (RECEIVED, DAY_10, utc(2027, 1, 12), utc(2027, 1, 12, 23, 59)):
            assert self.remind_at(moment) == []
        assert self.notices(case, "dmca_restore_reminder") == []

        assert self.remind_at(utc(2027, 1, 13)) == [counter.pk]  # the last day, the 14th, is next
        [reminder] = self.notices(case, "dmca_restore_reminder")
        assert reminder.recipient == self.legal.email  # legal counsel only
        assert "2027-01-14" in reminder.body
        assert case.reference in reminder.subject
        assert len(self.sink.to(self.legal.email)) == 1
        for other in (self.specialist, self.director, self.manager):
            assert self.sink.to(other.email) == []
        counter.refresh_from_db()
        assert counter.reminded_at == utc(2027, 1, 13)

        for moment in (utc(2027, 1, 13, 16), DAY_14, DAY_14 + dt.timedelta(days=1)):
            assert self.remind_at(moment) == []  # once
        assert len(self.notices(case, "dmca_restore_reminder")) == 1
        assert self.state(case) == "RESTORE_WINDOW"

    def test_a_window_closing_on_a_monday_is_brought_up_on_the_friday_before(self) -> None:
        # Tuesday 2 March 2027: business day 10 is Tuesday 16, business day 14 Monday 22 March.
        counter = self.counter_at(utc(2027, 3, 2, 10))
        assert (counter.restore_from, counter.restore_by) == (utc(2027, 3, 16, 10), utc(2027, 3, 22, 10))
        assert self.remind_at(utc(2027, 3, 18, 10)) == []  # Thursday: Friday is next
        assert self.remind_at(utc(2027, 3, 19, 10)) == [counter.pk]  # Friday: Monday is next
        assert len(self.notices(counter.notice.case, "dmca_restore_reminder")) == 1

    def test_nothing_is_brought_up_once_the_material_is_put_back(self) -> None:
        counter = self.counter_at(RECEIVED)
        with time_machine.travel(DAY_10, tick=False), self.captureOnCommitCallbacks(execute=True):
            assert dmca.restore_due() == [counter.pk]
        for restoration in OfficeAction.objects.filter(action_type=ActionType.DMCA_RESTORE):
            for step in restoration.executions.all():
                do_confirm_by_hand(execution=step, acting_user=self.legal, note="undeleted by hand")
            restoration.refresh_from_db()
            assert restoration.status == ActionStatus.ENFORCED
        assert self.remind_at(utc(2027, 1, 13)) == []
        assert self.notices(counter.notice.case, "dmca_restore_reminder") == []

    def test_a_restoration_still_waiting_for_staff_is_brought_up_before_the_window_closes(self) -> None:
        counter = self.counter_at(RECEIVED)
        with time_machine.travel(DAY_10, tick=False), self.captureOnCommitCallbacks(execute=True):
            assert dmca.restore_due() == [counter.pk]
        [restoration] = OfficeAction.objects.filter(action_type=ActionType.DMCA_RESTORE)
        assert restoration.status == ActionStatus.ENFORCING  # nobody has undeleted it yet
        assert self.remind_at(utc(2027, 1, 13)) == [counter.pk]
        assert len(self.notices(counter.notice.case, "dmca_restore_reminder")) == 1

    def test_the_reminder_comes_at_the_start_of_the_business_day_before_the_last_day(self) -> None:
        counter = self.counter_at(RECEIVED)
        assert self.remind_at(utc(2027, 1, 13, 8)) == [counter.pk]
