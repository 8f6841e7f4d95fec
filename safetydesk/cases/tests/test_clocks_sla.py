"""SLA clocks (DOMAIN §3.3): acknowledgement in business days, then the target; aging alert."""

import datetime as dt

import time_machine
from django.test import override_settings

from safetydesk.cases.actions import do_create_case, do_transition
from safetydesk.cases.models import Case
from safetydesk.lib.testing import PersonaTestCase

# Friday 4 September 2026; Monday 7 September is Labor Day.
FRIDAY_BEFORE_LABOR_DAY = dt.datetime(2026, 9, 4, 16, 45, tzinfo=dt.UTC)
WEDNESDAY_BEFORE_THANKSGIVING = dt.datetime(2026, 11, 25, 8, 0, tzinfo=dt.UTC)


class ClockTestCase(PersonaTestCase):
    def open_case(self, at: dt.datetime, **fields: object) -> Case:
        with time_machine.travel(at, tick=False):
            return do_create_case(acting_user=self.specialist, title="Harassment at an event", **fields)  # type: ignore[arg-type]

    def take(self, case: Case, transition: str, at: dt.datetime, **data: str) -> Case:
        with time_machine.travel(at, tick=False):
            return do_transition(case=case, transition=transition, acting_user=self.specialist, data=data)


class AcknowledgementClockTests(ClockTestCase):
    def test_it_is_due_two_business_days_after_a_friday_before_a_holiday(self) -> None:
        case = self.open_case(FRIDAY_BEFORE_LABOR_DAY)

        # Monday is a holiday: Tuesday 8th and Wednesday 9th count.
        assert case.ack_due_at == dt.datetime(2026, 9, 9, 16, 45, tzinfo=dt.UTC)
        assert case.sla_due_at == case.ack_due_at

    def test_it_skips_thanksgiving(self) -> None:
        case = self.open_case(WEDNESDAY_BEFORE_THANKSGIVING)

        assert case.ack_due_at == dt.datetime(2026, 11, 30, 8, 0, tzinfo=dt.UTC)

    @override_settings(EXTRA_HOLIDAYS=["2026-09-08"])
    def test_it_skips_an_office_closure(self) -> None:
        case = self.open_case(FRIDAY_BEFORE_LABOR_DAY)

        assert case.ack_due_at == dt.datetime(2026, 9, 10, 16, 45, tzinfo=dt.UTC)

    def test_it_runs_from_when_the_report_was_received(self) -> None:
        # An email read on Monday that arrived on Friday: the clock started on Friday.
        with time_machine.travel(dt.datetime(2026, 9, 8, 9, 0, tzinfo=dt.UTC), tick=False):
            case = do_create_case(
                acting_user=self.specialist, title="Emailed report", opened_at=FRIDAY_BEFORE_LABOR_DAY
            )

        assert case.opened_at == FRIDAY_BEFORE_LABOR_DAY
        assert case.ack_due_at == dt.datetime(2026, 9, 9, 16, 45, tzinfo=dt.UTC)

    def test_it_is_overdue_only_after_the_deadline(self) -> None:
        case = self.open_case(FRIDAY_BEFORE_LABOR_DAY)

        with time_machine.travel(dt.datetime(2026, 9, 9, 16, 44, tzinfo=dt.UTC), tick=False):
            assert not Case.objects.get(pk=case.pk).is_overdue
        with time_machine.travel(dt.datetime(2026, 9, 9, 16, 46, tzinfo=dt.UTC), tick=False):
            assert Case.objects.get(pk=case.pk).is_overdue


class TargetClockTests(ClockTestCase):
    def test_acknowledging_moves_the_deadline_to_the_sixty_day_target(self) -> None:
        case = self.open_case(FRIDAY_BEFORE_LABOR_DAY)
        acked_at = FRIDAY_BEFORE_LABOR_DAY + dt.timedelta(days=4)

        case = self.take(case, "acknowledge", acked_at)

        stored = Case.objects.get(pk=case.pk)
        assert stored.acknowledged_at == acked_at
        assert stored.target_due_at == FRIDAY_BEFORE_LABOR_DAY + dt.timedelta(days=60)
        assert stored.sla_due_at == stored.target_due_at
        # Acknowledged late, but the running clock is now the target, which is far off.
        with time_machine.travel(acked_at, tick=False):
            assert not stored.is_overdue

    def test_it_is_overdue_after_sixty_days(self) -> None:
        case = self.take(self.open_case(FRIDAY_BEFORE_LABOR_DAY), "acknowledge", FRIDAY_BEFORE_LABOR_DAY)

        with time_machine.travel(FRIDAY_BEFORE_LABOR_DAY + dt.timedelta(days=60, seconds=1), tick=False):
            assert Case.objects.get(pk=case.pk).is_overdue

    def test_closing_stops_the_clocks(self) -> None:
        case = self.take(self.open_case(FRIDAY_BEFORE_LABOR_DAY), "acknowledge", FRIDAY_BEFORE_LABOR_DAY)
        case = self.take(case, "triage", FRIDAY_BEFORE_LABOR_DAY)
        case = self.take(case, "decline", FRIDAY_BEFORE_LABOR_DAY, closure_reason="Out of scope")

        with time_machine.travel(FRIDAY_BEFORE_LABOR_DAY + dt.timedelta(days=90), tick=False):
            stored = Case.objects.get(pk=case.pk)
            assert stored.sla_due_at is None
            assert not stored.is_overdue
            assert not stored.is_aging

    def test_reopening_restarts_the_target_clock(self) -> None:
        case = self.take(self.open_case(FRIDAY_BEFORE_LABOR_DAY), "acknowledge", FRIDAY_BEFORE_LABOR_DAY)
        case = self.take(case, "triage", FRIDAY_BEFORE_LABOR_DAY)
        case = self.take(case, "decline", FRIDAY_BEFORE_LABOR_DAY, closure_reason="Out of scope")

        with time_machine.travel(FRIDAY_BEFORE_LABOR_DAY + dt.timedelta(days=3), tick=False):
            case = do_transition(
                case=case, transition="reopen", acting_user=self.manager, data={"reopen_reason": "New diffs"}
            )

        assert Case.objects.get(pk=case.pk).sla_due_at == FRIDAY_BEFORE_LABOR_DAY + dt.timedelta(days=60)


class AgingTests(ClockTestCase):
    def test_the_aging_alert_fires_after_thirty_days(self) -> None:
        case = self.open_case(FRIDAY_BEFORE_LABOR_DAY)

        assert case.aging_alert_at == FRIDAY_BEFORE_LABOR_DAY + dt.timedelta(days=30)
        with time_machine.travel(FRIDAY_BEFORE_LABOR_DAY + dt.timedelta(days=29), tick=False):
            assert not Case.objects.get(pk=case.pk).is_aging
        with time_machine.travel(FRIDAY_BEFORE_LABOR_DAY + dt.timedelta(days=30, seconds=1), tick=False):
            assert Case.objects.get(pk=case.pk).is_aging

    @override_settings(SLA_AGING_DAYS=10, SLA_TARGET_DAYS=20, SLA_ACK_BUSINESS_DAYS=1)
    def test_the_periods_come_from_settings(self) -> None:
        case = self.open_case(FRIDAY_BEFORE_LABOR_DAY)

        assert case.ack_due_at == dt.datetime(2026, 9, 8, 16, 45, tzinfo=dt.UTC)
        assert case.aging_alert_at == FRIDAY_BEFORE_LABOR_DAY + dt.timedelta(days=10)
        assert case.target_due_at == FRIDAY_BEFORE_LABOR_DAY + dt.timedelta(days=20)
