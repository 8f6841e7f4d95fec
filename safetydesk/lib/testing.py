"""Shared test personas (STYLE: built once per class in setUpTestData), and real servers on
127.0.0.1 for tests: a free port, an SMTP server (aiosmtpd) that Django's mail can be sent to.

Usage:
    class QueueTests(PersonaTestCase):
        def test_it_lists_open_cases(self): self.client.force_login(self.specialist) ...

    with smtp_sink() as sink:
        ...  # send mail
        [message] = sink.to("reader@example.net")
"""

import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from email import message_from_bytes
from email.message import Message
from typing import Any

from aiosmtpd.controller import Controller
from django.contrib.auth.models import Group
from django.test import Client, TestCase, override_settings
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from safetydesk.accounts.models import User
from safetydesk.accounts.roles import Role
from safetydesk.lib.processes import free_port

TEST_PASSWORD = "correct horse battery staple"  # noqa: S105


def wait_for[T](what: str, probe: Callable[[], T], timeout: float = 30.0, interval: float = 0.1) -> T:
    """Poll `probe` until it returns something truthy and return that; fail naming `what`. For
    tests that watch another thread or process (a server, a worker) reach a state."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = probe()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:g}s waiting for {what}")


def own_environment(var_dir: str) -> dict[str, str]:
    """The environment for a `safetydesk` subprocess of a test, with a var/ (keys, SQLite
    database) of its own: the operator's environment less anything that would point at another
    database, task backend or settings module (CI runs the suite with DATABASE_URL set)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SAFETYDESK_", "DJANGO_", "DATABASE_", "TASKS_", "SECRET_KEY"))
    }
    env.update(SAFETYDESK_ENV="development", SAFETYDESK_VAR_DIR=var_dir)
    return env


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


def grant_sudo(client: Client) -> None:
    """As if the user had just re-entered password and code (accounts' sudo view)."""
    from safetydesk.accounts.sudo import SESSION_KEY

    session = client.session
    session[SESSION_KEY] = time.time() + 600
    session.save()


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


# --- Servers on 127.0.0.1 -----------------------------------------------------------------------


def smtp_mailers(port: int, timeout: float = 5) -> dict[str, Any]:
    """settings.MAILERS that send Django's mail over SMTP to 127.0.0.1:port."""
    return {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": timeout},
        }
    }


@contextmanager
def smtp_server(handler: Any) -> Iterator[int]:
    """An SMTP server (aiosmtpd) on 127.0.0.1, in its own thread, answered by `handler` (an
    aiosmtpd handler: handle_DATA and so on); yields its port."""
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller.port
    finally:
        controller.stop()


@contextmanager
def mail_to_smtp_server(handler: Any) -> Iterator[int]:
    """smtp_server(handler), with Django's mail (settings.MAILERS) sent to it; yields its port."""
    with smtp_server(handler) as port, override_settings(MAILERS=smtp_mailers(port)):
        yield port


class SmtpSink:
    """Keeps every message it is given (aiosmtpd handler)."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], Message]] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            self.messages.append((list(envelope.rcpt_tos), message_from_bytes(envelope.content)))
        return "250 Message accepted"

    def to(self, address: str) -> list[Message]:
        with self.lock:
            return [m for rcpts, m in self.messages if address in rcpts]


@contextmanager
def smtp_sink() -> Iterator[SmtpSink]:
    """Django's mail sent over SMTP to a sink that keeps it."""
    sink = SmtpSink()
    with mail_to_smtp_server(sink):
        yield sink
