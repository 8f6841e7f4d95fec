"""Rate limits: a fixed window shared through the database."""

import datetime as dt

import time_machine
from django.test import TestCase

from safetydesk.intake.limits import hit, purge_rate_counters
from safetydesk.intake.models import RateCounter

T0 = dt.datetime(2026, 11, 21, 10, 0, 5, tzinfo=dt.UTC)


class RateLimitTests(TestCase):
    def test_it_allows_up_to_the_limit_then_refuses(self) -> None:
        with time_machine.travel(T0, tick=False):
            results = [hit("ip:198.51.100.1", limit=3, window_seconds=60) for _ in range(5)]
        assert results == [True, True, True, False, False]

    def test_keys_are_counted_separately(self) -> None:
        with time_machine.travel(T0, tick=False):
            for _ in range(3):
                hit("ip:a", limit=3, window_seconds=60)
            assert hit("ip:b", limit=3, window_seconds=60)
            assert not hit("ip:a", limit=3, window_seconds=60)

    def test_a_new_window_starts_afresh(self) -> None:
        with time_machine.travel(T0, tick=False):
            for _ in range(4):
                hit("email:x", limit=3, window_seconds=60)
        with time_machine.travel(T0 + dt.timedelta(seconds=60), tick=False):
            assert hit("email:x", limit=3, window_seconds=60)

    def test_old_windows_are_purged(self) -> None:
        with time_machine.travel(T0 - dt.timedelta(days=3), tick=False):
            hit("ip:old", limit=3, window_seconds=60)
        with time_machine.travel(T0, tick=False):
            hit("ip:new", limit=3, window_seconds=60)
            assert purge_rate_counters() == 1
        assert list(RateCounter.objects.values_list("key", flat=True)) == ["ip:new"]
