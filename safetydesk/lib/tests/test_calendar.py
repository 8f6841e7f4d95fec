"""Business-day clocks across weekends, US federal holidays (observed too) and office closures."""

import datetime as dt

import pytest
from django.test import SimpleTestCase, override_settings
from hypothesis import given
from hypothesis import strategies as st

from safetydesk.lib.calendar import add_business_days, business_days_between, is_business_day, is_holiday

UTC = dt.UTC


def at(day: str, time: str = "10:30") -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T{time}:00+00:00")


class AddBusinessDaysTests(SimpleTestCase):
    def test_it_skips_the_weekend(self) -> None:
        # Friday 20 November 2026 → Monday, Tuesday
        assert add_business_days(at("2026-11-20"), 2) == at("2026-11-24")

    def test_it_keeps_the_time_of_day_and_zone(self) -> None:
        due = add_business_days(at("2026-11-17", "23:59"), 1)

        assert due == at("2026-11-18", "23:59")
        assert due.tzinfo == UTC

    def test_it_counts_a_weekend_start_from_monday(self) -> None:
        assert add_business_days(at("2026-11-21"), 2) == at("2026-11-24")
        assert add_business_days(at("2026-11-22"), 1) == at("2026-11-23")

    def test_it_skips_thanksgiving(self) -> None:
        # Wednesday 25 November 2026; Thursday 26 is Thanksgiving.
        assert add_business_days(at("2026-11-25"), 1) == at("2026-11-27")
        assert add_business_days(at("2026-11-25"), 2) == at("2026-11-30")

    def test_it_skips_christmas_and_new_year(self) -> None:
        # Friday 25 December 2026 and Friday 1 January 2027 are holidays.
        assert add_business_days(at("2026-12-24"), 1) == at("2026-12-28")
        assert add_business_days(at("2026-12-31"), 1) == at("2027-01-04")

    def test_it_skips_an_observed_holiday(self) -> None:
        # 4 July 2026 is a Saturday, observed on Friday 3 July.
        assert add_business_days(at("2026-07-02"), 1) == at("2026-07-06")
        # Christmas 2022 was a Sunday, observed on Monday 26 December.
        assert add_business_days(at("2022-12-23"), 1) == at("2022-12-27")

    def test_it_skips_new_year_observed_in_the_year_before(self) -> None:
        # 1 January 2022 was a Saturday, observed on Friday 31 December 2021.
        assert is_holiday(dt.date(2021, 12, 31))
        assert add_business_days(at("2021-12-30"), 1) == at("2022-01-03")

    def test_zero_days_is_the_start(self) -> None:
        assert add_business_days(at("2026-11-21"), 0) == at("2026-11-21")

    def test_it_refuses_negative_days(self) -> None:
        with pytest.raises(ValueError, match="days"):
            add_business_days(at("2026-11-20"), -1)

    @override_settings(EXTRA_HOLIDAYS=["2026-11-27", "2026-12-24"])
    def test_it_skips_extra_office_closures(self) -> None:
        assert add_business_days(at("2026-11-25"), 2) == at("2026-12-01")
        assert add_business_days(at("2026-12-23"), 1) == at("2026-12-28")
        assert not is_business_day(dt.date(2026, 11, 27))

    def test_extra_closures_are_not_holidays_without_the_setting(self) -> None:
        assert is_business_day(dt.date(2026, 11, 27))

    @override_settings(EXTRA_HOLIDAYS=["2027-11-26"])
    def test_an_extra_closure_counts_only_in_its_own_year(self) -> None:
        assert is_holiday(dt.date(2027, 11, 26))
        assert not is_holiday(dt.date(2026, 11, 27))


class BusinessDayTests(SimpleTestCase):
    def test_it_knows_weekends_and_federal_holidays(self) -> None:
        assert is_business_day(dt.date(2026, 11, 25))
        assert not is_business_day(dt.date(2026, 11, 26))  # Thanksgiving
        assert not is_business_day(dt.date(2026, 11, 28))  # Saturday
        assert not is_business_day(dt.date(2026, 1, 19))  # Martin Luther King Jr. Day
        assert not is_business_day(dt.date(2026, 6, 19))  # Juneteenth

    def test_it_counts_business_days_between_two_dates(self) -> None:
        # (Fri 20, Mon 30 November 2026]: 23, 24, 25, 27, 30; the 26th is Thanksgiving.
        assert business_days_between(dt.date(2026, 11, 20), dt.date(2026, 11, 30)) == 5

    def test_it_counts_nothing_for_the_same_day_or_backwards(self) -> None:
        assert business_days_between(dt.date(2026, 11, 20), dt.date(2026, 11, 20)) == 0
        assert business_days_between(dt.date(2026, 11, 30), dt.date(2026, 11, 20)) == 0

    def test_it_counts_over_a_year_end(self) -> None:
        # (Wed 30 Dec 2026, Tue 5 Jan 2027]: 31, 4, 5; 1 January is a holiday.
        assert business_days_between(dt.date(2026, 12, 30), dt.date(2027, 1, 5)) == 3


starts = st.datetimes(
    min_value=dt.datetime(2020, 1, 1), max_value=dt.datetime(2034, 12, 31), timezones=st.just(UTC)
)
day_counts = st.integers(min_value=0, max_value=60)


@given(start=starts, days=st.integers(min_value=1, max_value=60))
def test_it_always_lands_on_a_business_day(start: dt.datetime, days: int) -> None:
    due = add_business_days(start, days)

    assert is_business_day(due.date())
    assert due.time() == start.time()
    assert due - start >= dt.timedelta(days=days)


@given(start=starts, days=day_counts)
def test_it_is_monotone_in_days(start: dt.datetime, days: int) -> None:
    assert add_business_days(start, days + 1) > add_business_days(start, days)


@given(start=starts, days=day_counts)
def test_business_days_between_undoes_add_business_days(start: dt.datetime, days: int) -> None:
    due = add_business_days(start, days)

    assert business_days_between(start.date(), due.date()) == days
