"""Lockout after LOGIN_LOCKOUT_ATTEMPTS consecutive failures, for LOGIN_LOCKOUT_MINUTES."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.test import override_settings

from safetydesk.accounts.actions import AccountLockedError, do_record_login_failure, do_record_login_success
from safetydesk.accounts.models import User
from safetydesk.accounts.tests.utils import (
    LOGIN_URL,
    SETTINGS_URL,
    VERIFY_URL,
    add_device,
    audit_rows,
    code_for,
    post_password,
    wrong_code_for,
)
from safetydesk.audit.models import AuditEventType
from safetydesk.lib.testing import PersonaTestCase

NOON = datetime(2026, 3, 2, 12, 0, 0, tzinfo=UTC)


@override_settings(REQUIRE_2FA=False, LOGIN_LOCKOUT_ATTEMPTS=3, LOGIN_LOCKOUT_MINUTES=15)
@time_machine.travel(NOON, tick=False)
class PasswordLockoutTests(PersonaTestCase):
    def fail(self, times: int) -> None:
        for _ in range(times):
            post_password(self.client, "sam", "not the password")

    def test_it_locks_the_account_after_the_limit(self):
        self.fail(3)
        self.specialist.refresh_from_db()
        assert self.specialist.locked_until == NOON + timedelta(minutes=15)
        assert self.specialist.failed_logins == 0
        assert [row.data["failed_logins"] for row in audit_rows(AuditEventType.LOGIN_FAILED)] == [1, 2, 3]
        [locked] = audit_rows(AuditEventType.ACCOUNT_LOCKED)
        assert locked.actor_id == self.specialist.pk
        assert locked.data == {"failed_logins": 3, "minutes": 15, "step": "login"}

    def test_it_refuses_the_right_password_while_locked(self):
        self.fail(3)
        response = post_password(self.client, "sam", next_url=SETTINGS_URL)
        assert response.status_code == 200
        assert SESSION_KEY not in self.client.session
        last = audit_rows(AuditEventType.LOGIN_FAILED)[-1]
        assert last.data == {"reason": "locked", "attempt": "locked", "step": "login"}
        # Attempts during the lock neither extend it nor count towards the next one.
        self.specialist.refresh_from_db()
        assert self.specialist.locked_until == NOON + timedelta(minutes=15)
        assert self.specialist.failed_logins == 0
        assert len(audit_rows(AuditEventType.ACCOUNT_LOCKED)) == 1

    def test_it_unlocks_after_the_window(self):
        self.fail(3)
        with time_machine.travel(NOON + timedelta(minutes=14, seconds=59), tick=False):
            post_password(self.client, "sam")
            assert SESSION_KEY not in self.client.session
        with time_machine.travel(NOON + timedelta(minutes=15, seconds=1), tick=False):
            response = post_password(self.client, "sam", next_url=SETTINGS_URL)
        self.assertRedirects(response, SETTINGS_URL)
        self.specialist.refresh_from_db()
        assert self.specialist.locked_until is None

    def test_it_gives_the_full_number_of_attempts_after_a_lock(self):
        self.fail(3)
        with time_machine.travel(NOON + timedelta(minutes=16), tick=False):
            self.fail(2)
            self.specialist.refresh_from_db()
            assert not self.specialist.is_locked
            self.fail(1)
            self.specialist.refresh_from_db()
            assert self.specialist.is_locked

    def test_it_resets_the_count_on_success(self):
        self.fail(2)
        post_password(self.client, "sam")
        self.client.logout()
        self.specialist.refresh_from_db()
        assert self.specialist.failed_logins == 0
        self.fail(2)
        self.specialist.refresh_from_db()
        assert not self.specialist.is_locked

    def test_it_counts_attempts_from_stale_copies_of_the_account(self):
        # Two requests that loaded the account before either counted must both be counted.
        first, second = User.objects.get(pk=self.specialist.pk), User.objects.get(pk=self.specialist.pk)
        do_record_login_failure(acting_user=first, reason="bad_password")
        do_record_login_failure(acting_user=second, reason="bad_password")
        assert User.objects.get(pk=self.specialist.pk).failed_logins == 2
        do_record_login_failure(acting_user=first, reason="bad_password")
        assert User.objects.get(pk=self.specialist.pk).is_locked
        assert len(audit_rows(AuditEventType.ACCOUNT_LOCKED)) == 1

    def test_it_refuses_a_success_that_races_a_lock(self):
        # The password was checked before a concurrent attempt took the lock: the lock wins.
        stale = User.objects.get(pk=self.specialist.pk)
        self.fail(3)
        with pytest.raises(AccountLockedError):
            do_record_login_success(acting_user=stale, method="password")
        assert audit_rows(AuditEventType.LOGIN_SUCCEEDED) == []
        assert User.objects.get(pk=self.specialist.pk).is_locked

    def test_it_never_writes_the_password_to_the_audit_trail(self):
        post_password(self.client, "sam", "hunter2-typed-wrong")
        post_password(self.client, "sam")
        for row in audit_rows(AuditEventType.LOGIN_FAILED) + audit_rows(AuditEventType.LOGIN_SUCCEEDED):
            assert "hunter2" not in str(row.data)
            assert "horse" not in str(row.data)


@override_settings(REQUIRE_2FA=True, LOGIN_LOCKOUT_ATTEMPTS=3, LOGIN_LOCKOUT_MINUTES=15)
class CodeLockoutTests(PersonaTestCase):
    def test_it_counts_wrong_codes_and_locks(self):
        device = add_device(self.specialist)
        with time_machine.travel(NOON, tick=False) as traveller:
            post_password(self.client, "sam")
            for _ in range(2):
                self.client.post(VERIFY_URL, {"code": wrong_code_for(device)})
                traveller.shift(timedelta(seconds=5))  # past django-otp's own throttle delay
            response = self.client.post(VERIFY_URL, {"code": wrong_code_for(device)}, follow=True)
            self.assertRedirects(response, LOGIN_URL)
            # Only someone who gave the right password reaches the code step, so here the
            # lock may be named.
            self.assertContains(response, "Too many failed attempts")
            # The pending login is gone: even the right code now needs the password again.
            traveller.shift(timedelta(seconds=60))
            response = self.client.post(VERIFY_URL, {"code": code_for(device)})
            self.assertRedirects(response, LOGIN_URL)
        self.specialist.refresh_from_db()
        assert self.specialist.locked_until == NOON + timedelta(seconds=10, minutes=15)
        assert [row.data["reason"] for row in audit_rows(AuditEventType.LOGIN_FAILED)] == ["bad_code"] * 3
        [locked] = audit_rows(AuditEventType.ACCOUNT_LOCKED)
        assert locked.data["step"] == "login"

    def test_it_does_not_reset_the_count_on_the_right_password_alone(self):
        device = add_device(self.specialist)
        with time_machine.travel(NOON, tick=False) as traveller:
            for _ in range(3):
                post_password(self.client, "sam")
                self.client.post(VERIFY_URL, {"code": wrong_code_for(device)})
                traveller.shift(timedelta(seconds=10))
        self.specialist.refresh_from_db()
        assert self.specialist.locked_until == NOON + timedelta(seconds=20, minutes=15)
