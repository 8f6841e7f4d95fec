"""Who is on call: shifts entered in the responder's time zone and stored in UTC, handovers at
the boundary, overrides winning over ordinary shifts, and the escalation chain."""

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.utils import timezone

from safetydesk.audit.models import AuditEvent, AuditEventType
from safetydesk.oncall.actions import (
    OncallNotPermitted,
    OncallRefusal,
    do_add_fallback_contact,
    do_add_shift,
    do_hand_over_shift,
)
from safetydesk.oncall.models import Level, Shift
from safetydesk.oncall.rota import current_responder, escalation_chain, gaps, next_responder
from safetydesk.oncall.tests.helpers import OncallTestCase

TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
T0 = dt.datetime(2026, 11, 2, 0, 0, tzinfo=dt.UTC)  # a Monday; New York is on EST (UTC-5)


@time_machine.travel(T0, tick=False)
class RotaResolutionTests(OncallTestCase):
    def test_a_shift_entered_in_tokyo_time_is_stored_in_utc(self) -> None:
        # 09:00-17:00 in Tokyo is 00:00-08:00 UTC.
        shift = self.shift(
            self.oncall2,
            dt.datetime(2026, 11, 2, 9, tzinfo=TOKYO),
            dt.datetime(2026, 11, 2, 17, tzinfo=TOKYO),
            time_zone="Asia/Tokyo",
        )
        shift.refresh_from_db()
        assert shift.starts_at == T0
        assert shift.ends_at == T0 + dt.timedelta(hours=8)
        assert shift.starts_local.hour == 9
        assert shift.time_zone == "Asia/Tokyo"
        assert current_responder(Level.PRIMARY, T0 + dt.timedelta(hours=7, minutes=59)) == self.oncall2
        assert current_responder(Level.PRIMARY, T0 + dt.timedelta(hours=8)) is None

    def test_the_handover_instant_belongs_to_the_next_shift(self) -> None:
        # New York evening 19:00-07:00 EST hands over to Tokyo 21:00-09:00 JST (12:00 UTC).
        self.shift(
            self.oncall_ny, dt.datetime(2026, 11, 1, 19, tzinfo=NEW_YORK), dt.datetime(2026, 11, 2, 7, tzinfo=NEW_YORK)
        )
        self.shift(self.oncall2, dt.datetime(2026, 11, 2, 21, tzinfo=TOKYO), dt.datetime(2026, 11, 3, 9, tzinfo=TOKYO))
        boundary = dt.datetime(2026, 11, 2, 12, tzinfo=dt.UTC)
        assert current_responder(Level.PRIMARY, boundary - dt.timedelta(seconds=1)) == self.oncall_ny
        assert current_responder(Level.PRIMARY, boundary) == self.oncall2
        assert gaps(Level.PRIMARY, T0, boundary + dt.timedelta(hours=12)) == []
        assert next_responder(Level.PRIMARY, T0) == (self.oncall2, boundary)

    def test_an_override_wins_while_it_lasts(self) -> None:
        self.shift(self.oncall, T0, T0 + dt.timedelta(hours=12))
        self.shift(self.oncall2, T0 + dt.timedelta(hours=2), T0 + dt.timedelta(hours=4), is_override=True)
        assert current_responder(Level.PRIMARY, T0 + dt.timedelta(hours=1)) == self.oncall
        assert current_responder(Level.PRIMARY, T0 + dt.timedelta(hours=3)) == self.oncall2
        assert current_responder(Level.PRIMARY, T0 + dt.timedelta(hours=4)) == self.oncall

    def test_overlapping_ordinary_shifts_are_refused_and_nothing_is_written(self) -> None:
        self.shift(self.oncall, T0, T0 + dt.timedelta(hours=12))
        with self.assertRaisesMessage(OncallRefusal, "overlaps the shift of Oli Oncall"):
            self.shift(self.oncall2, T0 + dt.timedelta(hours=11), T0 + dt.timedelta(hours=20))
        assert Shift.objects.count() == 1
        # The other level is free.
        self.shift(self.oncall2, T0 + dt.timedelta(hours=11), T0 + dt.timedelta(hours=20), level=Level.SECONDARY)

    def test_bad_shifts_get_a_clear_refusal(self) -> None:
        with self.assertRaisesMessage(OncallRefusal, "must end after it starts"):
            self.shift(self.oncall, T0 + dt.timedelta(hours=2), T0)
        with self.assertRaisesMessage(OncallRefusal, "already be over"):
            self.shift(self.oncall, T0 - dt.timedelta(hours=5), T0 - dt.timedelta(hours=1))
        with self.assertRaisesMessage(OncallRefusal, "cannot be put on call"):
            self.shift(self.auditor, T0, T0 + dt.timedelta(hours=1))
        with self.assertRaisesMessage(OncallRefusal, "is not a time zone"):
            self.shift(self.oncall, T0, T0 + dt.timedelta(hours=1), time_zone="Mars/Olympus")
        with pytest.raises(OncallNotPermitted):
            do_add_shift(
                acting_user=self.specialist, user=self.oncall, level=1, starts_at=T0, ends_at=T0 + dt.timedelta(hours=1)
            )
        assert not Shift.objects.exists()
        assert not AuditEvent.objects.filter(event_type=AuditEventType.ONCALL_SHIFT_ADDED).exists()

    def test_a_responder_hands_over_the_rest_of_their_shift(self) -> None:
        shift = self.shift(self.oncall, T0 - dt.timedelta(hours=2), T0 + dt.timedelta(hours=6))
        new = do_hand_over_shift(acting_user=self.oncall, shift=shift, to_user=self.oncall2)
        shift.refresh_from_db()
        assert shift.ends_at == T0 == new.starts_at
        assert new.ends_at == T0 + dt.timedelta(hours=6)
        assert new.time_zone == "Asia/Tokyo"
        assert current_responder(Level.PRIMARY, T0) == self.oncall2
        assert AuditEvent.objects.filter(event_type=AuditEventType.ONCALL_SHIFT_HANDED_OVER, actor=self.oncall).exists()
        with pytest.raises(OncallNotPermitted):
            do_hand_over_shift(acting_user=self.oncall_ny, shift=new, to_user=self.oncall_ny)

    def test_the_escalation_chain_is_primary_secondary_then_fallback(self) -> None:
        self.shift(self.oncall, T0, T0 + dt.timedelta(hours=8))
        self.shift(self.oncall2, T0, T0 + dt.timedelta(hours=8), level=Level.SECONDARY)
        do_add_fallback_contact(acting_user=self.manager, user=self.director)
        chain = escalation_chain(T0 + dt.timedelta(hours=1))
        assert [(s.name, list(s.people)) for s in chain] == [
            ("primary", [self.oncall]),
            ("secondary", [self.oncall2]),
            ("fallback", [self.director]),
        ]
        # Past the shifts, only the fallback list is left.
        assert [s.name for s in escalation_chain(T0 + dt.timedelta(hours=9))] == ["fallback"]

    def test_the_chain_always_answers(self) -> None:
        # No shifts and no fallback list: every manager and director.
        [step] = escalation_chain(timezone.now())
        assert step.name == "fallback"
        assert set(step.people) == {self.manager, self.director}
