"""Helpers for the accounts tests: real TOTP devices and codes, and the sign-in steps."""

from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from safetydesk.accounts.models import User
from safetydesk.audit.models import AuditEvent, AuditEventType
from safetydesk.lib.testing import TEST_PASSWORD

LOGIN_URL = reverse("accounts:login")
VERIFY_URL = reverse("accounts:verify")
SETUP_URL = reverse("accounts:totp_setup")
SUDO_URL = reverse("accounts:sudo")
SETTINGS_URL = reverse("accounts:settings")
TOKENS_URL = reverse("accounts:tokens")


def add_device(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def code_for(device: TOTPDevice) -> str:
    """The code the person's authenticator app shows now (time as frozen by time_machine)."""
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):0{device.digits}d}"


def wrong_code_for(device: TOTPDevice) -> str:
    return f"{(int(code_for(device)) + 500_000) % 1_000_000:06d}"


def post_password(client: Client, username: str, password: str = TEST_PASSWORD, next_url: str = ""):
    return client.post(LOGIN_URL, {"username": username, "password": password, "next": next_url})


def audit_rows(event_type: AuditEventType, **filters: object) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(event_type=event_type, **filters).order_by("seq"))


def enter_sudo(client: Client, device: TOTPDevice | None) -> None:
    """Re-authenticate through the sudo page, as the person would."""
    data = {"password": TEST_PASSWORD}
    if device is not None:
        data["code"] = code_for(device)
    response = client.post(SUDO_URL, data)
    assert response.status_code == 302, response.content
    assert response["Location"] == SETTINGS_URL
