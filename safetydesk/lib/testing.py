"""Shared test personas (STYLE: built once per class in setUpTestData).

Usage:
    class QueueTests(PersonaTestCase):
        def test_it_lists_open_cases(self): self.client.force_login(self.specialist) ...
"""

from typing import Any

from django.contrib.auth.models import Group
from django.test import Client, TestCase
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from safetydesk.accounts.models import User
from safetydesk.accounts.roles import Role

TEST_PASSWORD = "correct horse battery staple"  # noqa: S105


def make_staff(username: str, *roles: str, **fields: Any) -> User:
    user = User.objects.create_user(
        username=username, password=TEST_PASSWORD, email=f"{username}@staff.example.org", **fields
    )
    user.groups.set(Group.objects.filter(name__in=roles))
    return User.objects.get(pk=user.pk)  # fresh, so the cached roles are right


def force_login_verified(client: Client, user: User) -> TOTPDevice:
    """Log in as if with password and TOTP code. With settings.REQUIRE_2FA on (as in tests),
    accounts.decorators.staff_required sends a plain force_login() to the code step."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="test authenticator", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


class Personas:
    specialist: User
    manager: User
    director: User
    legal: User
    oncall: User
    crc: User
    auditor: User
    outsider: User
    admin: User

    @classmethod
    def make_personas(cls) -> None:
        # Leads cases day to day.
        cls.specialist = make_staff("sam", Role.SPECIALIST, display_name="Sam Specialist", languages=["en", "de"])
        # Reviews and supervises; may reopen closed cases.
        cls.manager = make_staff("mia", Role.MANAGER, display_name="Mia Manager")
        # Director: may also read legal-privileged files.
        cls.director = make_staff("dan", Role.DIRECTOR, display_name="Dan Director")
        # Legal counsel: reads legal-privileged files.
        cls.legal = make_staff("lee", Role.LEGAL_COUNSEL, display_name="Lee Legal")
        # On-call responder for emergencies.
        cls.oncall = make_staff("oli", Role.ONCALL, display_name="Oli Oncall")
        # A volunteer on the Case Review Committee: never sees live cases.
        cls.crc = make_staff("cai", Role.CRC_MEMBER, display_name="Cai CRC")
        # Read-only auditor: sees internal files, changes nothing.
        cls.auditor = make_staff("ava", Role.AUDITOR, display_name="Ava Auditor")
        # Logged in but with no role at all.
        cls.outsider = make_staff("ozzy")
        # Manages accounts, not cases.
        cls.admin = make_staff("ada", Role.ADMINISTRATOR, display_name="Ada Admin")


class PersonaTestCase(Personas, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.make_personas()
