"""Sudo re-authentication: password and code, a safe `next`, expiry, and lockout."""

from datetime import UTC, datetime, timedelta

import time_machine
from django.contrib.auth import SESSION_KEY
from django.test import override_settings

from safetydesk.accounts.sudo import has_sudo
from safetydesk.accounts.tests.utils import (
    LOGIN_URL,
    SETTINGS_URL,
    SUDO_URL,
    TOKENS_URL,
    add_device,
    audit_rows,
    code_for,
    wrong_code_for,
)
from safetydesk.audit.models import AuditEventType
from safetydesk.lib.testing import TEST_PASSWORD, PersonaTestCase, force_login_verified

NOON = datetime(2026, 3, 2, 12, 0, 0, tzinfo=UTC)


def sudo_is_on(client) -> bool:
    request = type("Request", (), {"session": client.session})()
    return has_sudo(request)


@time_machine.travel(NOON, tick=False)
class SudoTests(PersonaTestCase):
    def setUp(self):
        self.device = force_login_verified(self.client, self.specialist)

    def test_it_asks_for_password_and_code(self):
        response = self.client.get(SUDO_URL, {"next": TOKENS_URL})
        self.assertContains(response, 'name="password"')
        self.assertContains(response, 'autocomplete="one-time-code"')
        self.assertContains(response, f'name="next" value="{TOKENS_URL}"')

    def test_it_grants_sudo_and_returns_to_next(self):
        response = self.client.post(
            SUDO_URL, {"password": TEST_PASSWORD, "code": code_for(self.device), "next": TOKENS_URL}
        )
        self.assertRedirects(response, TOKENS_URL)
        assert sudo_is_on(self.client)
        [row] = audit_rows(AuditEventType.SUDO_GRANTED)
        assert row.actor_id == self.specialist.pk
        assert row.data == {"method": "password+totp", "minutes": 10}

    def test_it_refuses_an_off_site_next(self):
        targets = ["https://evil.example/", "//evil.example/x", "javascript:alert(1)", "http://testserver.evil/"]
        for step, target in enumerate(targets, start=1):
            # A code is accepted once per 30-second step, so each attempt is in the next step.
            with self.subTest(target=target), time_machine.travel(NOON + timedelta(seconds=30 * step), tick=False):
                response = self.client.post(
                    SUDO_URL, {"password": TEST_PASSWORD, "code": code_for(self.device), "next": target}
                )
                self.assertRedirects(response, SETTINGS_URL)
        assert len(audit_rows(AuditEventType.SUDO_GRANTED)) == len(targets)

    def test_it_expires_after_sudo_minutes(self):
        with override_settings(SUDO_MINUTES=5), time_machine.travel(NOON, tick=False) as traveller:
            self.client.post(SUDO_URL, {"password": TEST_PASSWORD, "code": code_for(self.device)})
            traveller.shift(timedelta(minutes=4, seconds=59))
            assert sudo_is_on(self.client)
            traveller.shift(timedelta(seconds=2))
            assert not sudo_is_on(self.client)

    def test_it_refuses_a_wrong_code_and_counts_it(self):
        response = self.client.post(SUDO_URL, {"password": TEST_PASSWORD, "code": wrong_code_for(self.device)})
        assert response.status_code == 200
        assert not sudo_is_on(self.client)
        self.specialist.refresh_from_db()
        assert self.specialist.failed_logins == 1
        [row] = audit_rows(AuditEventType.LOGIN_FAILED)
        assert row.data == {"reason": "bad_code", "step": "sudo", "failed_logins": 1}

    def test_it_refuses_a_wrong_password_without_spending_the_code(self):
        code = code_for(self.device)
        self.client.post(SUDO_URL, {"password": "not it", "code": code})
        assert not sudo_is_on(self.client)
        assert audit_rows(AuditEventType.LOGIN_FAILED)[0].data["reason"] == "bad_password"
        response = self.client.post(SUDO_URL, {"password": TEST_PASSWORD, "code": code})
        self.assertRedirects(response, SETTINGS_URL)

    @override_settings(LOGIN_LOCKOUT_ATTEMPTS=2)
    def test_it_locks_and_signs_out_after_too_many_failures(self):
        self.client.post(SUDO_URL, {"password": "not it", "code": "000000"})
        response = self.client.post(SUDO_URL, {"password": "not it", "code": "000000"})
        self.assertRedirects(response, LOGIN_URL)
        assert SESSION_KEY not in self.client.session
        self.specialist.refresh_from_db()
        assert self.specialist.is_locked
        [locked] = audit_rows(AuditEventType.ACCOUNT_LOCKED)
        assert locked.data["step"] == "sudo"

    def test_it_resets_the_failure_count_on_success(self):
        self.client.post(SUDO_URL, {"password": "not it", "code": "000000"})
        self.client.post(SUDO_URL, {"password": TEST_PASSWORD, "code": code_for(self.device)})
        self.specialist.refresh_from_db()
        assert self.specialist.failed_logins == 0

    def test_it_needs_a_login(self):
        self.client.logout()
        response = self.client.get(SUDO_URL)
        self.assertRedirects(response, f"{LOGIN_URL}?next=/accounts/sudo/")


@override_settings(REQUIRE_2FA=False)
class PasswordOnlySudoTests(PersonaTestCase):
    def test_it_asks_only_for_the_password_without_a_device(self):
        self.client.force_login(self.specialist)
        response = self.client.get(SUDO_URL)
        self.assertNotContains(response, 'name="code"')
        response = self.client.post(SUDO_URL, {"password": TEST_PASSWORD})
        self.assertRedirects(response, SETTINGS_URL)
        assert sudo_is_on(self.client)
        [row] = audit_rows(AuditEventType.SUDO_GRANTED)
        assert row.data["method"] == "password"

    def test_it_still_asks_for_the_code_of_someone_with_a_device(self):
        device = add_device(self.specialist)
        self.client.force_login(self.specialist)
        response = self.client.post(SUDO_URL, {"password": TEST_PASSWORD})
        assert response.status_code == 200
        assert not sudo_is_on(self.client)
        response = self.client.post(SUDO_URL, {"password": TEST_PASSWORD, "code": code_for(device)})
        self.assertRedirects(response, SETTINGS_URL)
