"""The rota in the console: managers add shifts in a responder's local time (stored in UTC),
bad input changes nothing and says why, only managers and directors may edit, the fallback list."""

import datetime as dt

import time_machine
from django.urls import reverse

from safetydesk.audit.models import AuditEvent, AuditEventType
from safetydesk.lib.testing import force_login_verified
from safetydesk.oncall.models import FallbackContact, Shift
from safetydesk.oncall.tests.helpers import OncallTestCase

T0 = dt.datetime(2026, 11, 2, 0, 0, tzinfo=dt.UTC)


@time_machine.travel(T0, tick=False)
class RotaConsoleTests(OncallTestCase):
    def post_shift(self, **fields: str) -> object:
        data = {
            "user": str(self.oncall_ny.pk),
            "level": "1",
            "starts_at": "2026-11-02T09:00",
            "ends_at": "2026-11-02T17:00",
            "time_zone": "",
            "note": "",
        }
        data.update(fields)
        return self.client.post(reverse("oncall:rota"), data)

    def test_a_manager_adds_a_shift_in_the_responders_local_time(self) -> None:
        force_login_verified(self.client, self.manager)
        response = self.post_shift()
        assert response.status_code == 302
        shift = Shift.objects.get()
        # 09:00 in New York (EST, UTC-5) is 14:00 UTC.
        assert shift.starts_at == dt.datetime(2026, 11, 2, 14, tzinfo=dt.UTC)
        assert shift.time_zone == "America/New_York"
        page = self.client.get(reverse("oncall:rota")).content.decode()
        assert "Nov. 2, 2026, 9 a.m." in page  # DATETIME_FORMAT, in the responder's zone
        assert "America/New_York" in page
        assert AuditEvent.objects.filter(event_type=AuditEventType.ONCALL_SHIFT_ADDED, actor=self.manager).exists()

    def test_an_explicit_time_zone_wins(self) -> None:
        force_login_verified(self.client, self.manager)
        self.post_shift(time_zone="Asia/Tokyo")
        assert Shift.objects.get().starts_at == dt.datetime(2026, 11, 2, 0, tzinfo=dt.UTC)

    def test_bad_input_changes_nothing_and_says_why(self) -> None:
        force_login_verified(self.client, self.manager)
        response = self.post_shift(ends_at="2026-11-02T08:00")
        assert response.status_code == 422
        assert "Nothing was changed." in response.content.decode()
        assert "must end after it starts" in response.content.decode()
        response = self.post_shift(starts_at="not a time")
        assert response.status_code == 422
        assert not Shift.objects.exists()

    def test_only_managers_and_directors_edit(self) -> None:
        force_login_verified(self.client, self.oncall)
        page = self.client.get(reverse("oncall:rota")).content.decode()
        assert "Add to the rota" not in page
        response = self.post_shift()
        assert response.status_code == 403
        assert not Shift.objects.exists()

    def test_the_fallback_list_is_kept_in_the_console(self) -> None:
        force_login_verified(self.client, self.manager)
        self.client.post(reverse("oncall:fallback_add"), {"user": str(self.oncall2.pk)})
        contact = FallbackContact.objects.get()
        assert contact.user == self.oncall2
        self.client.post(reverse("oncall:fallback_remove", args=[contact.pk]))
        assert not FallbackContact.objects.exists()
        assert AuditEvent.objects.filter(event_type=AuditEventType.ONCALL_FALLBACK_REMOVED).exists()
