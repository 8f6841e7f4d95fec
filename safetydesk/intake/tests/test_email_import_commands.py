"""`safetydesk intake email|mbox`: mail from files becomes items and cases, one JSON line each."""

import io
import json
import mailbox
import tempfile
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import OperationalError
from django.test import TestCase, override_settings

from safetydesk.cases.models import CaseKind, Priority
from safetydesk.intake import pipeline
from safetydesk.intake.models import IntakeItem, IntakeStatus

CORPUS = Path(__file__).with_name("corpus")


def message(subject: str, body: str, message_id: str, sender: str = "reporter@example.net") -> bytes:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "ca@example.org"
    msg["Subject"] = subject
    msg["Message-ID"] = message_id
    msg.set_content(body)
    return msg.as_bytes()


class ImportCommandTestCase(TestCase):
    def setUp(self) -> None:
        directory = tempfile.TemporaryDirectory()
        self.addCleanup(directory.cleanup)
        self.tmp = Path(directory.name)
        self.enterContext(override_settings(ATTACHMENT_ROOT=str(self.tmp / "attachments")))

    def run_intake(self, *args: str, stdin: bytes | None = None) -> tuple[list[dict[str, Any]], str]:
        out, err = io.StringIO(), io.StringIO()
        with mock.patch("sys.stdin", io.TextIOWrapper(io.BytesIO(stdin or b""))):
            call_command("intake", *args, stdout=out, stderr=err)
        return [json.loads(line) for line in out.getvalue().splitlines()], err.getvalue()

    def write_mbox(self, messages: list[bytes]) -> Path:
        path = self.tmp / "archive.mbox"
        box = mailbox.mbox(path)
        for raw in messages:
            box.add(raw)
        box.close()
        return path


class EmailCommandTests(ImportCommandTestCase):
    def test_it_imports_a_message_from_a_file_and_prints_its_case(self) -> None:
        lines, _ = self.run_intake("email", str(CORPUS / "multipart_alternative.eml"), "--to", "ca@example.org")
        item = IntakeItem.objects.get()
        assert lines == [{
            "intake_item": item.pk, "case": item.case.pk, "reference": item.case.reference, "kind": "general",
            "priority": "P2", "language": "en", "status": "accepted",
        }]
        assert item.sender == "ana@example.net"
        assert item.subject == "Harassment on my talk page"
        assert item.message_id == "<alt-1@example.net>"

    def test_it_reads_standard_input(self) -> None:
        raw = (CORPUS / "subject_shift_jis.eml").read_bytes()
        lines, _ = self.run_intake("email", "--to", "ca@example.org", stdin=raw)
        assert lines[0]["status"] == "accepted"
        assert lines[0]["language"] == "ja"
        assert IntakeItem.objects.get().subject == "嫌がらせの報告"

    def test_it_routes_by_the_address_it_was_sent_to(self) -> None:
        raw = message("Please look", "A question about an edit.", "<route-1@example.net>")
        lines, _ = self.run_intake("email", "--to", "emergency@example.org", stdin=raw)
        assert (lines[0]["kind"], lines[0]["priority"]) == (CaseKind.EMERGENCY, Priority.P0)
        raw = message("Press question", "Another question about an edit.", "<route-2@example.net>")
        lines, _ = self.run_intake("email", "--to", "press@example.com", stdin=raw)
        assert lines[0]["kind"] == CaseKind.GENERAL
        assert "unknown_address" in IntakeItem.objects.get(pk=lines[0]["intake_item"]).flags

    def test_it_quarantines_what_is_not_mail_and_exits_zero(self) -> None:
        lines, _ = self.run_intake("email", str(CORPUS / "binary_garbage.eml"), "--to", "ca@example.org")
        item = IntakeItem.objects.get()
        assert lines[0]["status"] == IntakeStatus.QUARANTINED
        assert "no header fields" in item.error
        assert item.raw_size == (CORPUS / "binary_garbage.eml").stat().st_size  # kept as it came

    @override_settings(INTAKE_MAX_MESSAGE_BYTES=2000)
    def test_it_keeps_a_message_over_the_size_limit_but_quarantines_it(self) -> None:
        raw = message("Big", "x" * 5000, "<big-1@example.net>")
        lines, _ = self.run_intake("email", "--to", "ca@example.org", stdin=raw)
        item = IntakeItem.objects.get()
        assert lines[0]["status"] == IntakeStatus.QUARANTINED
        assert "too large" in item.error
        assert item.raw_size == len(raw)
        # The raw is all there: once the limit is raised, the item can be re-processed.
        with override_settings(INTAKE_MAX_MESSAGE_BYTES=10_000):
            assert pipeline.submission_of(item).subject == "Big"

    def test_it_refuses_a_missing_file_and_a_recipient_that_is_no_address(self) -> None:
        with pytest.raises(CommandError, match="cannot read"):
            self.run_intake("email", str(self.tmp / "missing.eml"), "--to", "ca@example.org")
        with pytest.raises(CommandError, match="must be an email address"):
            self.run_intake("email", "--to", "general", stdin=b"Subject: x\n\nbody")
        assert not IntakeItem.objects.exists()


class MboxCommandTests(ImportCommandTestCase):
    def test_it_imports_every_message_in_order_one_line_each(self) -> None:
        path = self.write_mbox([
            message("First report", "The first report about a page.", "<mbox-1@example.net>"),
            (CORPUS / "header_only_garbage.eml").read_bytes(),
            message("From the start", "From here a line starts with From.", "<mbox-3@example.net>"),
            message("First report", "The first report about a page.", "<mbox-1@example.net>"),
        ])
        lines, err = self.run_intake("mbox", str(path), "--to", "ca@example.org")
        assert [line["status"] for line in lines] == ["accepted", "quarantined", "accepted", "dismissed"]
        assert lines[3]["case"] == lines[0]["case"]  # the duplicate points at the first one's case
        assert IntakeItem.objects.count() == 4
        assert err == ""
        third = IntakeItem.objects.get(pk=lines[2]["intake_item"])
        assert third.subject == "From the start"

    def test_it_exits_one_naming_a_message_that_could_not_be_received_and_goes_on(self) -> None:
        path = self.write_mbox([
            message("One", "first", "<fail-1@example.net>"),
            message("Two", "second", "<fail-2@example.net>"),
            message("Three", "third", "<fail-3@example.net>"),
        ])
        real_receive = pipeline.receive_email
        calls = []

        def flaky_receive(raw: bytes, *, recipient: str) -> IntakeItem:
            calls.append(raw)
            if len(calls) == 2:
                raise OperationalError("database is locked")
            return real_receive(raw, recipient=recipient)

        out, err = io.StringIO(), io.StringIO()
        with mock.patch("safetydesk.intake.mailbox_import.receive_email", flaky_receive), \
                pytest.raises(CommandError, match="1 message") as raised:
            call_command("intake", "mbox", str(path), "--to", "ca@example.org", stdout=out, stderr=err)
        assert raised.value.returncode == 1
        assert "message 2: not received: OperationalError: database is locked" in err.getvalue()
        assert [json.loads(line)["status"] for line in out.getvalue().splitlines()] == ["accepted", "accepted"]
        assert sorted(IntakeItem.objects.values_list("subject", flat=True)) == ["One", "Three"]

    def test_it_reports_an_item_received_but_not_processed_and_still_exits_zero(self) -> None:
        path = self.write_mbox([message("Kept", "body", "<kept-1@example.net>")])
        with mock.patch("safetydesk.intake.mailbox_import.process_item", side_effect=OperationalError("gone")):
            lines, err = self.run_intake("mbox", str(path), "--to", "ca@example.org")
        assert lines[0]["status"] == IntakeStatus.RECEIVED  # kept; the worker's sweep finishes it
        assert "not processed yet (OperationalError: gone)" in err

    def test_it_refuses_a_missing_mbox(self) -> None:
        with pytest.raises(CommandError, match="no such mbox file"):
            self.run_intake("mbox", str(self.tmp / "none.mbox"), "--to", "ca@example.org")

    def test_its_help_explains_the_output_and_exit_status(self) -> None:
        out = io.StringIO()
        with pytest.raises(SystemExit), mock.patch("sys.stdout", out):
            call_command("intake", "mbox", "--help")
        assert "Exit status 0 when every message was received" in out.getvalue()
        assert "one message at a time" in out.getvalue()
