"""Rate limits shared by every channel and process (per IP, per sender, per target).

A fixed-window counter in the database: one conditional UPDATE (or INSERT) per check, so web
processes and workers see the same counts without Redis. Windows are aligned to multiples of
their length, and old windows are purged by `purge_rate_counters`.
"""

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from safetydesk.intake.models import RateCounter


def _window_start(now: dt.datetime, seconds: int) -> dt.datetime:
    epoch = int(now.timestamp())
    return dt.datetime.fromtimestamp(epoch - epoch % seconds, tz=dt.UTC)


def hit(key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one event for `key`; True while the count is within `limit` for this window."""
    start = _window_start(timezone.now(), window_seconds)
    key = key[:200]
    with transaction.atomic():
        updated = RateCounter.objects.filter(key=key, window_start=start).update(count=F("count") + 1)
        if not updated:
            try:
                with transaction.atomic():
                    RateCounter.objects.create(key=key, window_start=start, count=1)
            except IntegrityError:  # another process created it first
                RateCounter.objects.filter(key=key, window_start=start).update(count=F("count") + 1)
        count = RateCounter.objects.filter(key=key, window_start=start).values_list("count", flat=True).first() or 0
    return count <= limit


def purge_rate_counters(older_than: dt.timedelta = dt.timedelta(days=2)) -> int:
    return RateCounter.objects.filter(window_start__lt=timezone.now() - older_than).delete()[0]
