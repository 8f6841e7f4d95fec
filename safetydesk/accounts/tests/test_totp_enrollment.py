"""Enrolling an authenticator app: forced at sign-in when REQUIRE_2FA is on."""

from datetime import UTC, datetime, timedelta

import time_machine
from django.contrib.auth import SESSION_KEY
from django.test import override_settings
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from safetydesk.accounts.tests.utils import (
    LOGIN_URL,
    SETTINGS_URL,
    SETUP_URL,
    SUDO_URL,
    audit_rows,
    code_for,
    enter_sudo,
    post_password,
    wrong_code_for,
)
from safetydesk.audit.models import AuditEventType
from safetydesk.lib.testing import PersonaTestCase, force_login_verified

NOON = datetime(2026, 3, 2, 12, 0, 0, tzinfo=UTC)


@override_settings(REQUIRE_2FA=True)
@time_machine.travel(NOON, tick=False)
class ForcedEnrollmentTests(PersonaTestCase):
    def test_it_sends_staff_without_a_device_to_enrollment(self):
        response = post_password(self.client, "sam", next_url=SETTINGS_URL)
        self.assertRedirects(response, SETUP_URL)
        # Not logged in until the app is set up: nothing else is reachable.
        assert SESSION_KEY not in self.client.session
        self.assertRedirects(self.client.get(SETTINGS_URL), f"{LOGIN_URL}?next=%2Faccounts%2Fsettings%2F")

    def test_it_shows_the_secret_as_a_qr_code_and_as_text(self):
        post_password(self.client, "sam")
        response = self.client.get(SETUP_URL)
        device = TOTPDevice.objects.get(user=self.specialist, confirmed=False)
        self.assertContains(response, '<svg width="')
        self.assertContains(response, 'class="totp-qr"')
        secret = "".join(response.context["secret_groups"])
        assert len(secret) == 32
        assert secret in device.config_url
        self.assertContains(response, 'autocomplete="one-time-code"')
        # Reloading shows the same secret, so a half-done scan still works.
        again = self.client.get(SETUP_URL)
        assert again.context["secret_groups"] == response.context["secret_groups"]
        assert TOTPDevice.objects.filter(user=self.specialist).count() == 1

    def test_it_logs_in_once_the_device_is_confirmed(self):
        post_password(self.client, "sam", next_url=SETTINGS_URL)
        self.client.get(SETUP_URL)
        device = TOTPDevice.objects.get(user=self.specialist)
        response = self.client.post(SETUP_URL, {"code": code_for(device)})
        self.assertRedirects(response, SETTINGS_URL)
        device.refresh_from_db()
        assert device.confirmed
        assert self.client.session[SESSION_KEY] == str(self.specialist.pk)
        assert self.client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
        [enrolled] = audit_rows(AuditEventType.TOTP_ENROLLED)
        assert enrolled.actor_id == self.specialist.pk
        assert enrolled.data == {"device_id": device.pk, "replaced_devices": 0}
        [login] = audit_rows(AuditEventType.LOGIN_SUCCEEDED)
        assert login.data == {"method": "password+totp"}
        assert self.client.get(SETTINGS_URL).status_code == 200

    def test_it_refuses_a_wrong_code(self):
        post_password(self.client, "sam")
        self.client.get(SETUP_URL)
        device = TOTPDevice.objects.get(user=self.specialist)
        response = self.client.post(SETUP_URL, {"code": wrong_code_for(device)})
        assert response.status_code == 200
        self.assertContains(response, 'id="id_code_error"')
        device.refresh_from_db()
        assert not device.confirmed
        assert SESSION_KEY not in self.client.session
        assert audit_rows(AuditEventType.TOTP_ENROLLED) == []

    def test_it_keeps_a_password_only_session_out(self):
        # A session from before 2FA was required (or from force_login) has no second factor.
        self.client.force_login(self.specialist)
        response = self.client.get(SETTINGS_URL)
        self.assertRedirects(response, f"{SETUP_URL}?next=%2Faccounts%2Fsettings%2F")

    def test_it_gives_the_pending_login_a_new_session_key(self):
        # A session whose key someone else knows (the client saves it and sets the cookie).
        planted = self.client.session.session_key
        post_password(self.client, "sam")
        assert self.client.session.session_key != planted
        # The planted key is not the one that may enroll.
        attacker = type(self.client)()
        attacker.cookies["sessionid"] = planted
        self.assertRedirects(attacker.get(SETUP_URL), LOGIN_URL)

    def test_it_needs_the_password_first(self):
        response = self.client.get(SETUP_URL)
        self.assertRedirects(response, LOGIN_URL)
        assert not TOTPDevice.objects.exists()


@override_settings(REQUIRE_2FA=False)
@time_machine.travel(NOON, tick=False)
class OptionalEnrollmentTests(PersonaTestCase):
    def test_it_logs_in_with_the_password_alone_in_the_demo(self):
        response = post_password(self.client, "sam", next_url=SETTINGS_URL)
        self.assertRedirects(response, SETTINGS_URL)
        assert not TOTPDevice.objects.exists()

    def test_it_lets_someone_turn_it_on_from_settings(self):
        self.client.force_login(self.specialist)
        self.client.get(SETUP_URL)
        device = TOTPDevice.objects.get(user=self.specialist)
        response = self.client.post(SETUP_URL, {"code": code_for(device)})
        self.assertRedirects(response, SETTINGS_URL)
        assert self.client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
        assert len(audit_rows(AuditEventType.TOTP_ENROLLED)) == 1


@time_machine.travel(NOON, tick=False)
class ReplaceDeviceTests(PersonaTestCase):
    def test_it_needs_sudo_to_replace_a_device(self):
        force_login_verified(self.client, self.specialist)
        response = self.client.get(SETUP_URL)
        self.assertRedirects(response, f"{SUDO_URL}?next=%2Faccounts%2Ftwo-factor%2F")
        assert TOTPDevice.objects.filter(user=self.specialist, confirmed=False).count() == 0

    def test_it_replaces_the_old_device_in_sudo_mode(self):
        old = force_login_verified(self.client, self.specialist)
        enter_sudo(self.client, old)
        with time_machine.travel(NOON + timedelta(minutes=1), tick=False):
            self.client.get(SETUP_URL)
            new = TOTPDevice.objects.get(user=self.specialist, confirmed=False)
            response = self.client.post(SETUP_URL, {"code": code_for(new)})
        self.assertRedirects(response, SETTINGS_URL)
        assert list(TOTPDevice.objects.filter(user=self.specialist)) == [new]
        assert not TOTPDevice.objects.filter(pk=old.pk).exists()
        [enrolled] = audit_rows(AuditEventType.TOTP_ENROLLED)
        assert enrolled.data["replaced_devices"] == 1
        assert self.client.session[DEVICE_ID_SESSION_KEY] == new.persistent_id
