"""Bad input by email: huge attachments, zip bombs, broken text, scripts, huge bodies. Each is
refused or quarantined with a clear reason, nothing crashes, nothing accepted is lost."""

import hashlib
import io
import tempfile
import time
import zipfile
from email.message import EmailMessage
from pathlib import Path

from django.test import TestCase, override_settings

from safetydesk.intake.attachments import attachment_path
from safetydesk.intake.mailbox_import import import_message
from safetydesk.intake.models import IntakeItem, IntakeStatus

CORPUS = Path(__file__).with_name("corpus")
MB = 1024 * 1024


def with_attachment(content: bytes, filename: str, maintype: str, subtype: str, message_id: str) -> bytes:
    message = EmailMessage()
    message["From"] = "sender@example.net"
    message["To"] = "ca@example.org"
    message["Subject"] = f"Evidence: {filename}"
    message["Message-ID"] = message_id
    message.set_content("The file is attached.")
    message.add_attachment(content, maintype=maintype, subtype=subtype, filename=filename)
    return message.as_bytes()


def zip_bomb(expanded_bytes: int) -> bytes:
    """A small zip that expands to `expanded_bytes` of zeros."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive, \
            archive.open("zeros.bin", "w", force_zip64=True) as member:
        chunk = bytes(MB)
        for _ in range(expanded_bytes // MB):
            member.write(chunk)
    return buffer.getvalue()


class BadInputTestCase(TestCase):
    def setUp(self) -> None:
        directory = tempfile.TemporaryDirectory()
        self.addCleanup(directory.cleanup)
        self.enterContext(override_settings(ATTACHMENT_ROOT=directory.name))

    def take(self, raw: bytes, to: str = "ca@example.org") -> IntakeItem:
        imported = import_message(raw, recipient=to)
        assert imported.error == ""
        return imported.item


class HugeAttachmentTests(BadInputTestCase):
    content: bytes
    raw: bytes

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.content = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * (50 * MB // 256)
        cls.raw = with_attachment(cls.content, "huge.png", "image", "png", "<huge-1@example.net>")

    @classmethod
    def tearDownClass(cls) -> None:
        del cls.content, cls.raw  # 120 MB: not for the rest of the run to carry
        super().tearDownClass()

    @override_settings(INTAKE_MAX_MESSAGE_BYTES=100 * MB)
    def test_it_accepts_the_report_but_keeps_only_the_hash_and_size_of_a_50_mb_attachment(self) -> None:
        item = self.take(self.raw)
        assert item.status == IntakeStatus.ACCEPTED
        attachment = item.attachments.get()
        assert attachment.size == len(self.content) > 50 * MB - 1
        assert attachment.sha256 == hashlib.sha256(self.content).hexdigest()
        assert attachment.refused.startswith("larger than ")
        assert attachment.filename == "huge.png"
        assert not attachment_path(attachment.sha256).exists()
        assert item.raw_size == len(self.raw)  # the message itself is kept as it came

    def test_it_keeps_but_quarantines_a_message_over_the_message_size_limit(self) -> None:
        item = self.take(self.raw)  # 30 MB by default; this one is about 68 MB
        assert item.status == IntakeStatus.QUARANTINED
        assert "too large" in item.error
        assert item.raw_size == len(self.raw)
        assert not item.attachments.exists()


class ZipBombTests(BadInputTestCase):
    def test_it_stores_a_zip_bomb_as_the_small_blob_it_is_without_expanding_it(self) -> None:
        bomb = zip_bomb(1024 * MB)  # 1 GiB of zeros in about 1 MB
        assert len(bomb) < 2 * MB
        started = time.monotonic()
        item = self.take(with_attachment(bomb, "evidence.zip", "application", "zip", "<bomb-1@example.net>"))
        elapsed = time.monotonic() - started
        assert item.status == IntakeStatus.ACCEPTED
        attachment = item.attachments.get()
        assert attachment.size == len(bomb)
        assert attachment.refused == ""
        assert attachment.sniffed_type == "application/zip"
        stored = attachment_path(attachment.sha256).stat().st_size
        assert stored < 2 * len(bomb)  # encrypted as it came, never expanded
        assert elapsed < 10, f"took {elapsed:.1f}s: was something expanded?"


class BrokenContentTests(BadInputTestCase):
    def test_it_accepts_invalid_utf8_with_replacement_characters_and_a_flag(self) -> None:
        item = self.take((CORPUS / "invalid_utf8.eml").read_bytes())
        assert item.status == IntakeStatus.ACCEPTED
        assert "bad_charset" in item.flags
        assert "\ufffd" in item.body
        assert item.body.startswith("Valid start é then invalid")

    def test_it_takes_the_text_of_html_with_scripts_and_nothing_of_the_scripts(self) -> None:
        item = self.take((CORPUS / "html_only_script.eml").read_bytes())
        assert item.status == IntakeStatus.ACCEPTED
        assert "html_only" in item.flags
        assert item.case is not None
        for leaked in ("SCRIPT", "STYLE", "ONCLICK", "ONLOAD", "JSURL", "alert", "<"):
            assert leaked not in item.body
            assert leaked not in item.case.summary
        assert "was vandalised & defaced" in item.body

    def test_it_truncates_a_1_mb_body_and_flags_it(self) -> None:
        message = EmailMessage()
        message["From"] = "long@example.net"
        message["Subject"] = "A very long report"
        message["Message-ID"] = "<long-body-1@example.net>"
        message.set_content(("This is one sentence of a very long report. " * 23 + "\n") * 1024)
        raw = message.as_bytes()
        assert len(raw) > MB
        item = self.take(raw)
        assert item.status == IntakeStatus.ACCEPTED
        assert "body_truncated" in item.flags
        assert len(item.body) == 200_000  # settings.INTAKE_MAX_BODY_CHARS
        assert item.raw_size == len(raw)  # the whole message is still kept

    def test_it_never_lets_header_injection_reach_the_case(self) -> None:
        item = self.take((CORPUS / "header_injection.eml").read_bytes())
        assert item.status == IntakeStatus.ACCEPTED
        assert "\n" not in item.subject
        assert item.case is not None
        assert "\n" not in item.case.title
        assert "\r" not in item.case.title

    def test_it_quarantines_malformed_mime_with_the_raw_message_kept(self) -> None:
        raw = (CORPUS / "header_only_garbage.eml").read_bytes()
        item = self.take(raw)
        assert item.status == IntakeStatus.QUARANTINED
        assert "nothing usable" in item.error
        assert item.raw_size == len(raw)
        assert item.case is None
