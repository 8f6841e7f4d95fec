"""A worker killed mid-page re-sends after restart without duplicating a delivered page.

Real processes on a SQLite file: the page (email, delivered, and webhook) is committed by
`safetydesk shell`; `safetydesk worker` sends the email, then hangs in the webhook call (the
receiver does not answer) and is killed with SIGKILL. A new worker, once the claim has gone stale
(SAFETYDESK_ONCALL_SENDING_TIMEOUT_SECONDS), re-sends the webhook; the email is not sent again.
"""

import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.test import SimpleTestCase

from safetydesk.lib.testing import SmtpSink, smtp_server
from safetydesk.oncall.tests.helpers import WebhookReceiver

SAFETYDESK = Path(sys.executable).with_name("safetydesk")

SEED = """
import datetime as dt
from django.db import transaction
from django.utils import timezone
from django.contrib.auth.models import Group
from safetydesk.accounts.roles import Role
from safetydesk.lib.testing import make_staff
from safetydesk.cases.actions import do_create_case
from safetydesk.oncall.actions import do_add_shift
from safetydesk.oncall.paging import open_pages_for_case
for role in Role:
    Group.objects.get_or_create(name=role)
oli = make_staff("oli", Role.ONCALL)
mia = make_staff("mia", Role.MANAGER)
now = timezone.now()
start, end = now - dt.timedelta(hours=1), now + dt.timedelta(hours=8)
do_add_shift(acting_user=mia, user=oli, level=1, starts_at=start, ends_at=end)
with transaction.atomic():
    case = do_create_case(acting_user=None, title="Threat", kind="emergency", priority="P0")
    open_pages_for_case(case)
"""


class WorkerKilledTests(SimpleTestCase):
    def setUp(self) -> None:
        directory = tempfile.TemporaryDirectory()
        self.addCleanup(directory.cleanup)
        self.root = Path(directory.name)
        self.sink = SmtpSink()
        smtp_port = self.enterContext(smtp_server(self.sink))
        # The first call hangs past the worker's life; the second is answered.
        self.receiver = WebhookReceiver(script=["hang"], hang_seconds=60).__enter__()
        self.addCleanup(self.receiver.__exit__)
        self.env = {
            **os.environ,
            "SAFETYDESK_ENV": "test",
            "SAFETYDESK_VAR_DIR": str(self.root / "var"),
            "DATABASE_URL": f"sqlite:///{self.root / 'db.sqlite3'}",
            "TASKS_BACKEND": "db",
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp_port),
            "SAFETYDESK_ONCALL_WEBHOOK_URLS": self.receiver.url,
            "SAFETYDESK_ONCALL_WEBHOOK_SECRET": "s",
            "SAFETYDESK_ONCALL_WEBHOOK_TIMEOUT_SECONDS": "120",
            "SAFETYDESK_ONCALL_SENDING_TIMEOUT_SECONDS": "2",
            "LOG_LEVEL": "WARNING",
        }
        self.env.pop("DJANGO_SETTINGS_MODULE", None)
        self.workers: list[subprocess.Popen[bytes]] = []
        self.addCleanup(self.stop_workers)
        self.run_command("migrate", "-v0")
        self.run_command("shell", "-c", SEED)

    def run_command(self, *args: str) -> None:
        subprocess.run([SAFETYDESK, *args], env=self.env, check=True, timeout=120, capture_output=True)  # noqa: S603

    def worker(self, *args: str) -> subprocess.Popen[bytes]:
        process = subprocess.Popen(  # noqa: S603 - our own command
            [SAFETYDESK, "worker", "--interval", "0.1", *args],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.workers.append(process)
        return process

    def stop_workers(self) -> None:
        for process in self.workers:
            if process.poll() is None:
                process.kill()
                process.wait()

    def deliveries(self) -> dict[str, tuple[str, int]]:
        with sqlite3.connect(self.root / "db.sqlite3") as db:
            rows = db.execute(
                "SELECT channel, status, attempts FROM oncall_pagedelivery WHERE page_id IS NOT NULL"
            ).fetchall()
        return {channel: (status, attempts) for channel, status, attempts in rows}

    def wait(self, check: object, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if check():  # type: ignore[operator]
                return
            time.sleep(0.1)
        raise AssertionError(f"timed out; deliveries: {self.deliveries()}")

    def test_it_resends_the_interrupted_page_and_not_the_delivered_one(self) -> None:
        first = self.worker("--no-clock")
        self.wait(lambda: len(self.receiver.received) == 1)  # in the webhook call now
        assert len(self.sink.messages) == 1
        first.send_signal(signal.SIGKILL)
        first.wait()
        assert self.deliveries() == {"email": ("delivered", 1), "webhook": ("sending", 1)}

        time.sleep(2.5)  # the claim is stale now
        self.worker()  # with its clock: the sweep runs at start
        self.wait(lambda: self.deliveries()["webhook"][0] == "delivered")
        assert self.deliveries() == {"email": ("delivered", 1), "webhook": ("delivered", 2)}
        # The delivered email was not sent again (the manager may have had rota-gap alerts).
        assert len(self.sink.to("oli@staff.example.org")) == 1
        ids = [headers["X-Safetydesk-Delivery"] for headers, _body in self.receiver.received]
        assert len(ids) == 2
        assert ids[0] == ids[1]  # the same delivery, so a receiver can drop the repeat
