"""`safetydesk mail poll` against a real IMAP server (Debian's dovecot on loopback)."""

import io
import json
import tempfile
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from unittest import mock, skipUnless

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase, override_settings

from safetydesk.intake import imap_poll
from safetydesk.intake.mailbox_import import NotReceived, receive_message
from safetydesk.intake.models import DismissalReason, IntakeItem, IntakeStatus
from safetydesk.intake.tests.dovecot import DOVECOT, DovecotServer

TAKEN = imap_poll.TAKEN_KEYWORD.encode()


def mail(subject: str, body: str, message_id: str, in_reply_to: str = "") -> bytes:
    message = EmailMessage()
    message["From"] = "Lena Reporter <lena@example.net>"
    message["To"] = "ca@example.org"
    message["Subject"] = subject
    message["Message-ID"] = message_id
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
    message.set_content(body)
    return message.as_bytes().replace(b"\n", b"\r\n")


FIRST = mail("Threats on my user page", "Someone keeps editing my user page to insult me.", "<imap-1@example.net>")
REPLY = mail("Re: Threats on my user page", "It happened again; here is the diff link.", "<imap-2@example.net>",
             in_reply_to="<imap-1@example.net>")


@skipUnless(DOVECOT.exists(), f"dovecot is not installed ({DOVECOT}); `make deps-system` installs dovecot-imapd")
class ImapPollTests(TestCase):
    imap: DovecotServer

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.imap = DovecotServer()
        cls.imap.start()

    @classmethod
    def tearDownClass(cls) -> None:
        cls.imap.stop()
        super().tearDownClass()

    def setUp(self) -> None:
        directory = tempfile.TemporaryDirectory()
        self.addCleanup(directory.cleanup)
        self.tmp = Path(directory.name)
        self.enterContext(override_settings(ATTACHMENT_ROOT=str(self.tmp / "attachments")))
        self.password_file = self.tmp / "imap-password"
        self.password_file.write_text(self.imap.password + "\n")
        with self.imap.connect() as connection:  # an empty INBOX for every test
            _, count = connection.select("INBOX")
            if count[0] != b"0":
                connection.store("1:*", "+FLAGS.SILENT", "(\\Deleted)")
                connection.expunge()

    def poll(self, *extra: str) -> list[dict[str, Any]]:
        out = io.StringIO()
        call_command(
            "mail", "poll", "--once", "--host", "127.0.0.1", "--port", str(self.imap.port), "--no-ssl",
            "--user", self.imap.user, "--password-file", str(self.password_file), "--address", "ca@example.org",
            *extra, stdout=out,
        )
        return [json.loads(line) for line in out.getvalue().splitlines()]

    def test_it_takes_in_new_mail_threads_the_reply_and_marks_each_only_after_its_commit(self) -> None:
        self.imap.append(FIRST)
        self.imap.append(REPLY)
        flags_at_commit = {}

        def watching_receive(raw: bytes, *, recipient: str) -> IntakeItem:
            message_id = next(line.split(b":", 1)[1].strip() for line in raw.splitlines()
                              if line.lower().startswith(b"message-id:"))
            flags_at_commit[message_id] = self.imap.flags()[message_id]
            return receive_message(raw, recipient=recipient)

        with mock.patch.object(imap_poll, "receive_message", watching_receive):
            lines = self.poll()

        assert [line["status"] for line in lines] == ["accepted", "threaded"]
        assert lines[0]["case"] == lines[1]["case"]
        assert lines[0]["kind"] == "general"
        # Neither read nor taken while being committed (BODY.PEEK), both marked afterwards.
        assert all(b"\\Seen" not in flags and TAKEN not in flags for flags in flags_at_commit.values())
        assert len(flags_at_commit) == 2
        for flags in self.imap.flags().values():
            assert b"\\Seen" in flags
            assert TAKEN in flags
        first = IntakeItem.objects.get(message_id="<imap-1@example.net>")
        assert (first.recipient, first.channel, first.sender) == ("ca@example.org", "general", "lena@example.net")

    def test_polling_again_takes_nothing_twice(self) -> None:
        self.imap.append(FIRST)
        assert len(self.poll()) == 1
        assert self.poll() == []
        self.imap.append(REPLY)
        assert [line["status"] for line in self.poll()] == ["threaded"]
        assert IntakeItem.objects.count() == 2

    def test_it_takes_messages_a_person_already_read_in_a_mail_client(self) -> None:
        self.imap.append(FIRST, flags="(\\Seen)")
        assert [line["status"] for line in self.poll()] == ["accepted"]

    def test_a_message_that_could_not_be_committed_stays_unmarked_and_is_taken_next_time(self) -> None:
        self.imap.append(FIRST)
        self.imap.append(REPLY)

        def failing_on_the_reply(raw: bytes, *, recipient: str) -> IntakeItem:
            if b"<imap-2@example.net>" in raw:
                raise NotReceived("OperationalError: database is locked")
            return receive_message(raw, recipient=recipient)

        with mock.patch.object(imap_poll, "receive_message", failing_on_the_reply), \
                pytest.raises(CommandError, match="could not be stored; left unmarked") as raised:
            self.poll()
        assert raised.value.returncode == 1
        flags = self.imap.flags()
        assert TAKEN in flags[b"<imap-1@example.net>"]
        assert TAKEN not in flags[b"<imap-2@example.net>"]
        assert b"\\Seen" not in flags[b"<imap-2@example.net>"]

        assert [line["status"] for line in self.poll()] == ["threaded"]
        assert IntakeItem.objects.count() == 2

    def test_a_crash_between_commit_and_marking_refetches_and_dismisses_the_duplicate(self) -> None:
        self.imap.append(FIRST)
        real_uid = imap_poll.imaplib.IMAP4.uid

        def store_fails(connection: Any, command: str, *args: Any) -> Any:
            if command == "STORE":
                raise OSError("connection reset")
            return real_uid(connection, command, *args)

        with mock.patch.object(imap_poll.imaplib.IMAP4, "uid", store_fails), \
                pytest.raises(CommandError, match="could not mark"):
            self.poll()
        assert TAKEN not in self.imap.flags()[b"<imap-1@example.net>"]

        lines = self.poll()
        assert [line["status"] for line in lines] == ["dismissed"]
        items = list(IntakeItem.objects.order_by("pk"))
        assert [item.status for item in items] == [IntakeStatus.ACCEPTED, IntakeStatus.DISMISSED]
        assert items[1].dismissal_reason == DismissalReason.DUPLICATE
        assert items[1].case == items[0].case
        assert TAKEN in self.imap.flags()[b"<imap-1@example.net>"]

    def test_on_a_server_without_keywords_it_takes_unseen_mail_and_marks_it_seen(self) -> None:
        self.imap.append(FIRST)
        self.imap.append(REPLY, flags="(\\Seen)")  # read by a person: without keywords, not ours to take
        with mock.patch.object(imap_poll, "_keywords_allowed", return_value=False):
            assert [line["status"] for line in self.poll()] == ["accepted"]
            assert self.poll() == []
        flags = self.imap.flags()[b"<imap-1@example.net>"]
        assert b"\\Seen" in flags
        assert TAKEN not in flags

    def test_it_reads_its_settings_from_the_environment(self) -> None:
        self.imap.append(FIRST)
        out = io.StringIO()
        with override_settings(
            INTAKE_IMAP_HOST="127.0.0.1", INTAKE_IMAP_PORT=self.imap.port, INTAKE_IMAP_SSL=False,
            INTAKE_IMAP_USER=self.imap.user, INTAKE_IMAP_PASSWORD=self.imap.password,
            INTAKE_IMAP_ADDRESS="emergency@example.org",
        ):
            call_command("mail", "poll", "--once", stdout=out)
        line = json.loads(out.getvalue())
        assert (line["kind"], line["priority"]) == ("emergency", "P0")

    def test_it_stops_with_a_clear_error_on_a_missing_mailbox(self) -> None:
        with pytest.raises(CommandError, match="SELECT Nowhere failed"):
            self.poll("--mailbox", "Nowhere")

    def test_it_stops_with_a_clear_error_on_a_refused_login(self) -> None:
        # A server of its own: dovecot slows down later logins from an address that failed one.
        with DovecotServer() as other:
            self.password_file.write_text("wrong")
            with pytest.raises(CommandError, match="login as intake refused"):
                call_command("mail", "poll", "--once", "--host", "127.0.0.1", "--port", str(other.port), "--no-ssl",
                             "--user", other.user, "--password-file", str(self.password_file),
                             "--address", "ca@example.org")

    def test_it_refuses_to_start_without_its_settings(self) -> None:
        with override_settings(INTAKE_IMAP_HOST="", INTAKE_IMAP_USER="", INTAKE_IMAP_PASSWORD="",
                               INTAKE_IMAP_ADDRESS=""), \
                pytest.raises(CommandError, match="no IMAP host"):
            call_command("mail", "poll", "--once")
