"""`safetydesk intake email`: a message from a file or stdin becomes an item and a case, one JSON line."""

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
from django.test import SimpleTestCase, TestCase, override_settings

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


class ImportCommands(SimpleTestCase):
    """Running the import commands on files in a temporary directory."""

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


class ImportCommandTestCase(ImportCommands, TestCase):
    pass


class EmailCommandTests(ImportCommandTestCase):
    def test_it_imports_a_message_from_a_file_and_prints_its_case(self) -> None:
        lines, _ = self.run_intake("email", str(CORPUS / "multipart_alternative.eml"), "--to", "ca@example.org")
        item = IntakeItem.objects.get()
        case = item.case
        assert case is not None
        assert lines == [{
            "intake_item": item.pk, "case": case.pk, "reference": case.reference, "kind": "general",
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
