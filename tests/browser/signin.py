"""Signing in as staff do: password, then the code from the authenticator app."""

from typing import Any

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from safetydesk.lib.testing import TEST_PASSWORD


def role_groups() -> None:
    """The role groups come from a data migration; the flushed database of a live-server test
    lacks them."""
    from django.contrib.auth.models import Group

    from safetydesk.accounts.roles import Role

    for role in Role:
        Group.objects.get_or_create(name=role.value)


def authenticator(user: Any) -> TOTPDevice:
    """The person's confirmed authenticator app, for sign_in."""
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):0{device.digits}d}"


def signed_in_page(context: Any, url: str, user: Any) -> Any:
    """A new page of `context` that opened `url` (a protected address, so by the sign-in page)
    and is back on it, signed in as `user` with their authenticator app."""
    page = context.new_page()
    page.goto(url)
    sign_in(page, user.username, authenticator(user), back_to=url)
    return page


def sign_in(page: Any, username: str, device: TOTPDevice, *, back_to: str) -> None:
    """On the sign-in page a protected address sent `page` to: sign in, and wait to be back."""
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/accounts/login/code/**")
    page.get_by_label("6-digit code").fill(current_code(device))
    page.get_by_role("button", name="Verify").click()
    page.wait_for_url(back_to)
