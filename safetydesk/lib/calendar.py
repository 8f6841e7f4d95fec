"""The business-day calendar: weekends plus a holiday list (US federal holidays by default).

Used by every clock that DOMAIN counts in business days (acknowledgements, the DMCA restore
window). Calendar-day clocks use plain timedeltas.
"""

import datetime as dt
from functools import cache

import holidays
from django.conf import settings


@cache
def _holidays_for(country: str, subdivision: str | None, extra: tuple[str, ...], year: int) -> frozenset[dt.date]:
    days = set(holidays.country_holidays(country, subdiv=subdivision, years=[year]).keys())
    days |= {d for d in (dt.date.fromisoformat(x) for x in extra) if d.year == year}
    return frozenset(days)


def is_holiday(day: dt.date) -> bool:
    return day in _holidays_for(
        settings.HOLIDAY_COUNTRY, settings.HOLIDAY_SUBDIVISION, tuple(settings.EXTRA_HOLIDAYS), day.year
    )


def is_business_day(day: dt.date) -> bool:
    return day.weekday() < 5 and not is_holiday(day)


def add_business_days(start: dt.datetime, days: int) -> dt.datetime:
    """The moment `days` business days after `start`, at the same time of day.

    A start on a weekend or holiday counts from the next business day, so a report received on
    Saturday with a 2-business-day clock is due at the end of Tuesday's equivalent time.
    """
    if days < 0:
        raise ValueError("days must be >= 0")
    current = start
    remaining = days
    while remaining > 0:
        current += dt.timedelta(days=1)
        if is_business_day(current.date()):
            remaining -= 1
    return current


def business_days_between(start: dt.date, end: dt.date) -> int:
    """Business days in (start, end]: how many the clock has used."""
    count = 0
    day = start
    while day < end:
        day += dt.timedelta(days=1)
        if is_business_day(day):
            count += 1
    return count
