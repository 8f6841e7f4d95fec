"""A rota with a gap raises an alert before the gap starts: on the board and by email to the
managers (delivered through the paging outbox); filling the gap resolves it."""

import datetime as dt

import time_machine
from django.core import mail
from django.urls import reverse

from safetydesk.lib.testing import force_login_verified
from safetydesk.oncall.actions import do_check_rota_gaps
from safetydesk.oncall.models import AlertKind, Level, OncallAlert
from safetydesk.oncall.tests.helpers import OncallTestCase

T0 = dt.datetime(2026, 11, 2, 8, 0, tzinfo=dt.UTC)


@time_machine.travel(T0, tick=False)
class GapAlertTests(OncallTestCase):
    def setUp(self) -> None:
        # Primary covered for 10 hours, then nobody from 18:00 to 20:00, then covered again.
        self.shift(self.oncall, T0 - dt.timedelta(hours=1), T0 + dt.timedelta(hours=10))
        self.shift(self.oncall2, T0 + dt.timedelta(hours=12), T0 + dt.timedelta(hours=40))
        # Secondary fully covered.
        self.shift(self.director, T0 - dt.timedelta(hours=1), T0 + dt.timedelta(hours=30), level=Level.SECONDARY)

    def check(self) -> list[OncallAlert]:
        with self.captureOnCommitCallbacks(execute=True):
            return do_check_rota_gaps()

    def test_it_alerts_the_managers_before_the_gap_starts(self) -> None:
        [alert] = self.check()
        assert (alert.kind, alert.level) == (AlertKind.ROTA_GAP, Level.PRIMARY)
        assert (alert.starts_at, alert.ends_at) == (T0 + dt.timedelta(hours=10), T0 + dt.timedelta(hours=12))
        assert alert.starts_at > alert.created_at  # before the gap, not when it begins
        assert sorted(m.to[0] for m in mail.outbox) == sorted([self.manager.email, self.director.email])
        assert "18:00" in mail.outbox[0].subject

        force_login_verified(self.client, self.oncall)
        board = self.client.get(reverse("oncall:board")).content.decode()
        assert "Rota gap" in board
        assert "starts in 10" in board

    def test_it_alerts_once_per_gap(self) -> None:
        self.check()
        with time_machine.travel(T0 + dt.timedelta(minutes=15), tick=False):
            assert self.check() == []
        assert OncallAlert.objects.count() == 1
        assert len(mail.outbox) == 2

    def test_filling_the_gap_resolves_the_alert(self) -> None:
        [alert] = self.check()
        self.shift(self.oncall_ny, T0 + dt.timedelta(hours=10), T0 + dt.timedelta(hours=12))
        assert self.check() == []
        alert.refresh_from_db()
        assert alert.resolved_at is not None

    def test_a_gap_beyond_the_lookahead_is_not_reported_yet(self) -> None:
        with self.settings(ONCALL_GAP_LOOKAHEAD_HOURS=6):
            assert self.check() == []
