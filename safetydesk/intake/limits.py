"""Rate limits shared by every channel and process (per IP, per sender, per target).

A fixed-window counter in the database: one upsert per check, so web
processes and workers see the same counts without Redis. Windows are aligned to multiples of
their length, and old windows are purged by `purge_rate_counters`.
"""

import datetime as dt

from django.db import connection
from django.utils import timezone

from safetydesk.intake.models import RateCounter


def _window_start(now: dt.datetime, seconds: int) -> dt.datetime:
    epoch = int(now.timestamp())
    return dt.datetime.fromtimestamp(epoch - epoch % seconds, tz=dt.UTC)


def hit(key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one event for `key`; True while the count is within `limit` for this window."""
    start = _window_start(timezone.now(), window_seconds)
    table = connection.ops.quote_name(RateCounter._meta.db_table)
    window = RateCounter._meta.get_field("window_start").get_db_prep_value(start, connection)
    # One statement (PostgreSQL and SQLite 3.35+): it runs on every report, and an UPDATE, then
    # an INSERT in a savepoint, then a SELECT cost six round trips. The row lock it takes makes
    # concurrent hits on one key count one after the other.
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (key, window_start, count) VALUES (%s, %s, 1) "  # noqa: S608 (our own table name)
            f"ON CONFLICT (key, window_start) DO UPDATE SET count = {table}.count + 1 RETURNING count",
            [key[:200], window],
        )
        (count,) = cursor.fetchone()
    return int(count) <= limit


def purge_rate_counters(older_than: dt.timedelta = dt.timedelta(days=2)) -> int:
    return RateCounter.objects.filter(window_start__lt=timezone.now() - older_than).delete()[0]
