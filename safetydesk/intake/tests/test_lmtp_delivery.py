"""End to end: `safetydesk mail listen` in its own process, on its own SQLite database, receives
mail over LMTP (smtplib.LMTP) and the right cases exist once it has stopped gracefully."""

import os
import select
import signal
import sqlite3
import subprocess
import sys
import tempfile
from email.message import EmailMessage
from pathlib import Path

from django.test import SimpleTestCase

from safetydesk.cases.models import Case
from safetydesk.intake.models import IntakeItem
from safetydesk.intake.tests.test_lmtp_protocol import deliver

SAFETYDESK = Path(sys.executable).with_name("safetydesk")


def threat_in_spanish() -> bytes:
    message = EmailMessage()
    message["From"] = "María <maria@example.es>"
    message["To"] = "ca@example.org"
    message["Subject"] = "Ayuda"
    message["Message-ID"] = "<es-threat@example.es>"
    message.set_content("No puedo más. Esta noche voy a suicidarme, ya tengo las pastillas.")
    return message.as_bytes()


def report() -> bytes:
    message = EmailMessage()
    message["From"] = "Ana Reporter <ana@example.net>"
    message["To"] = "ca@example.org, emergency@example.org"
    message["Subject"] = "Someone is posting my home address"
    message["Message-ID"] = "<two-recipients@example.net>"
    message.set_content("An account keeps posting my home address on talk pages. Please remove it.")
    return message.as_bytes()


class ListenerProcess:
    """`safetydesk mail listen --lmtp 127.0.0.1:0` with a fresh, migrated SQLite database."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.env = {
            **os.environ,
            "SAFETYDESK_ENV": "test",
            "SAFETYDESK_VAR_DIR": str(root / "var"),
            "DATABASE_URL": f"sqlite:///{root / 'db.sqlite3'}",
            "SAFETYDESK_ATTACHMENT_ROOT": str(root / "attachments"),
            # Acknowledgements are queued for the worker, not sent from the listener.
            "TASKS_BACKEND": "db",
        }
        self.env.pop("DJANGO_SETTINGS_MODULE", None)
        subprocess.run([SAFETYDESK, "migrate", "-v0"], env=self.env, check=True, timeout=120)  # noqa: S603
        self.process = subprocess.Popen(  # noqa: S603 - our own command
            [SAFETYDESK, "mail", "listen", "--lmtp", "127.0.0.1:0"],
            env=self.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )
        self.port = int(self.read_line(timeout=30).split()[3].rsplit(":", 1)[1])

    def read_line(self, timeout: float) -> str:
        assert self.process.stdout is not None
        ready, _, _ = select.select([self.process.stdout], [], [], timeout)
        if not ready:
            self.process.kill()
            raise AssertionError(f"the listener printed nothing in {timeout}s")
        return self.process.stdout.readline().decode()

    def stop(self) -> tuple[int, str]:
        self.process.send_signal(signal.SIGTERM)
        out, err = self.process.communicate(timeout=60)
        return self.process.returncode, out.decode() + err.decode()

    def rows(self) -> list[tuple[str, str, str, str | None, str | None]]:
        """(recipient, channel, status, case kind, case priority) of every item, in order."""
        with sqlite3.connect(self.root / "db.sqlite3") as db:
            return db.execute(
                f"SELECT i.recipient, i.channel, i.status, c.kind, c.priority "  # noqa: S608 - table names from models
                f"FROM {IntakeItem._meta.db_table} i LEFT JOIN {Case._meta.db_table} c ON c.id = i.case_id "
                f"ORDER BY i.id"
            ).fetchall()


class LMTPDeliveryTests(SimpleTestCase):
    def setUp(self) -> None:
        directory = tempfile.TemporaryDirectory()
        self.addCleanup(directory.cleanup)
        self.listener = ListenerProcess(Path(directory.name))
        self.addCleanup(self.kill_listener)

    def kill_listener(self) -> None:
        if self.listener.process.poll() is None:  # a test failed before stopping it
            self.listener.process.kill()
            self.listener.process.communicate()

    def test_it_answers_each_recipient_after_committing_its_item_and_stops_gracefully(self) -> None:
        replies = deliver(self.listener.port, ["ca@example.org", "emergency@example.org"], report())
        assert [code for code, _ in replies] == [250, 250]
        returncode, output = self.listener.stop()
        assert returncode == 0, output
        assert "LMTP listener stopped" in output
        rows = self.listener.rows()
        assert rows[0] == ("ca@example.org", "general", "accepted", "general", "P2")
        assert rows[1][:2] == ("emergency@example.org", "emergency")
        assert len(rows) == 2

    # A message to both ca@ and emergency@ has one Message-ID; duplicates are matched within a
    # channel, so the emergency@ copy still opens its emergency case.
    def test_the_emergency_copy_of_a_message_to_both_addresses_opens_an_emergency_case(self) -> None:
        deliver(self.listener.port, ["ca@example.org", "emergency@example.org"], report())
        self.listener.stop()
        assert self.listener.rows() == [
            ("ca@example.org", "general", "accepted", "general", "P2"),
            ("emergency@example.org", "emergency", "accepted", "emergency", "P0"),
        ]

    def test_a_suicide_threat_to_the_general_address_becomes_an_emergency(self) -> None:
        replies = deliver(self.listener.port, ["ca@example.org"], threat_in_spanish())
        assert [code for code, _ in replies] == [250]
        returncode, output = self.listener.stop()
        assert returncode == 0, output
        assert self.listener.rows() == [("ca@example.org", "general", "accepted", "emergency", "P0")]

    def test_it_takes_mail_for_an_unknown_address_into_the_general_queue(self) -> None:
        replies = deliver(self.listener.port, ["press@example.com"], report())
        assert [code for code, _ in replies] == [250]
        self.listener.stop()
        assert self.listener.rows() == [("press@example.com", "general", "accepted", "general", "P2")]
