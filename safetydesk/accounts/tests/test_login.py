"""Signing in: password alone in the demo, password then TOTP code otherwise."""

from datetime import UTC, datetime, timedelta

import time_machine
from django.contrib.auth import SESSION_KEY
from django.test import override_settings
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from safetydesk.accounts.tests.utils import (
    LOGIN_URL,
    SETTINGS_URL,
    SETUP_URL,
    VERIFY_URL,
    add_device,
    audit_rows,
    code_for,
    post_password,
    wrong_code_for,
)
from safetydesk.accounts.views import PENDING_LOGIN_SECONDS
from safetydesk.audit.models import AuditEventType
from safetydesk.lib.testing import PersonaTestCase

NOON = datetime(2026, 3, 2, 12, 0, 0, tzinfo=UTC)


class LoginPageTests(PersonaTestCase):
    def test_it_shows_an_accessible_form(self):
        response = self.client.get(LOGIN_URL)
        self.assertContains(response, '<label for="id_username">')
        self.assertContains(response, 'autocomplete="username"')
        self.assertContains(response, 'autocomplete="current-password"')
        self.assertContains(response, "autofocus")

    def test_it_links_the_error_to_the_form(self):
        response = post_password(self.client, "sam", "wrong password")
        self.assertContains(response, 'aria-describedby="login-errors"')
        self.assertContains(response, 'id="login-errors" role="alert"')


@override_settings(REQUIRE_2FA=False)
class PasswordOnlyLoginTests(PersonaTestCase):
    def test_it_logs_in_with_the_password_alone(self):
        response = post_password(self.client, "sam", next_url=SETTINGS_URL)
        self.assertRedirects(response, SETTINGS_URL)
        assert self.client.session[SESSION_KEY] == str(self.specialist.pk)
        [row] = audit_rows(AuditEventType.LOGIN_SUCCEEDED)
        assert row.actor_id == self.specialist.pk
        assert row.data == {"method": "password"}
        assert row.ip_address == "127.0.0.1"

    def test_it_goes_to_the_dashboard_by_default(self):
        response = post_password(self.client, "sam")
        self.assertRedirects(response, reverse("console:dashboard"), fetch_redirect_response=False)

    def test_it_refuses_to_redirect_off_site(self):
        response = post_password(self.client, "sam", next_url="https://evil.example/phish")
        self.assertRedirects(response, reverse("console:dashboard"), fetch_redirect_response=False)

    def test_it_still_asks_for_the_code_of_someone_with_a_device(self):
        add_device(self.specialist)
        response = post_password(self.client, "sam")
        self.assertRedirects(response, VERIFY_URL)
        assert SESSION_KEY not in self.client.session


@time_machine.travel(NOON, tick=False)
class TotpLoginTests(PersonaTestCase):
    def setUp(self):
        self.device = add_device(self.specialist)

    def test_it_logs_in_after_password_and_code(self):
        response = post_password(self.client, "sam", next_url=SETTINGS_URL)
        self.assertRedirects(response, VERIFY_URL)
        # The right password alone is not a login.
        assert SESSION_KEY not in self.client.session
        assert audit_rows(AuditEventType.LOGIN_SUCCEEDED) == []

        response = self.client.post(VERIFY_URL, {"code": code_for(self.device)})
        self.assertRedirects(response, SETTINGS_URL)
        assert self.client.session[SESSION_KEY] == str(self.specialist.pk)
        assert self.client.session[DEVICE_ID_SESSION_KEY] == self.device.persistent_id
        [row] = audit_rows(AuditEventType.LOGIN_SUCCEEDED)
        assert row.data == {"method": "password+totp"}

    def test_it_shows_the_code_field_for_one_time_codes(self):
        post_password(self.client, "sam")
        response = self.client.get(VERIFY_URL)
        self.assertContains(response, 'autocomplete="one-time-code"')
        self.assertContains(response, 'inputmode="numeric"')
        self.assertContains(response, "autofocus")

    def test_it_refuses_a_wrong_code_and_counts_it(self):
        post_password(self.client, "sam")
        response = self.client.post(VERIFY_URL, {"code": wrong_code_for(self.device)})
        assert response.status_code == 200
        self.assertContains(response, 'aria-describedby="id_code_error"')
        assert SESSION_KEY not in self.client.session
        self.specialist.refresh_from_db()
        assert self.specialist.failed_logins == 1
        [row] = audit_rows(AuditEventType.LOGIN_FAILED)
        assert row.data == {"reason": "bad_code", "step": "login", "failed_logins": 1}

    def test_it_accepts_a_code_only_once(self):
        code = code_for(self.device)
        post_password(self.client, "sam")
        self.client.post(VERIFY_URL, {"code": code})
        self.client.logout()
        post_password(self.client, "sam")
        response = self.client.post(VERIFY_URL, {"code": code})
        assert response.status_code == 200
        assert SESSION_KEY not in self.client.session

    def test_it_does_not_offer_the_code_step_without_the_password(self):
        response = self.client.post(VERIFY_URL, {"code": code_for(self.device)})
        self.assertRedirects(response, LOGIN_URL)
        assert SESSION_KEY not in self.client.session

    def test_it_forgets_a_pending_login_after_a_while(self):
        with time_machine.travel(NOON, tick=False) as traveller:
            post_password(self.client, "sam")
            traveller.shift(timedelta(seconds=PENDING_LOGIN_SECONDS + 1))
            response = self.client.post(VERIFY_URL, {"code": code_for(self.device)})
        self.assertRedirects(response, LOGIN_URL)
        assert SESSION_KEY not in self.client.session

    def test_it_does_not_let_a_pending_login_enroll_another_device(self):
        post_password(self.client, "sam")
        response = self.client.get(SETUP_URL)
        self.assertRedirects(response, VERIFY_URL)
        assert list(TOTPDevice.objects.filter(user=self.specialist)) == [self.device]

    def test_it_sends_a_logged_in_but_unverified_session_to_the_code_step(self):
        self.client.force_login(self.specialist)
        response = self.client.get(SETTINGS_URL)
        self.assertRedirects(response, f"{VERIFY_URL}?next=%2Faccounts%2Fsettings%2F")
        response = self.client.post(f"{VERIFY_URL}?next=%2Faccounts%2Fsettings%2F", {"code": code_for(self.device)})
        self.assertRedirects(response, SETTINGS_URL)
        assert self.client.session[DEVICE_ID_SESSION_KEY] == self.device.persistent_id
