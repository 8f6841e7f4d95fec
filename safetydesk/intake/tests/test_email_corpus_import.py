"""Every message of the corpus through the importer: each ends accepted, threaded, dismissed or
quarantined; never an exception, never lost."""

import tempfile
from pathlib import Path

from django.test import TestCase, override_settings

from safetydesk.intake.mailbox_import import import_message
from safetydesk.intake.models import IntakeItem, IntakeStatus

CORPUS = Path(__file__).with_name("corpus")
FILES = sorted([*CORPUS.glob("*.eml"), *CORPUS.glob("cpython/*.txt")])
# Not mail at all: these, and only these, of the crafted files are quarantined.
NOT_MAIL = {"binary_garbage.eml", "header_only_garbage.eml", "whitespace_only.eml"}
ENDINGS = {IntakeStatus.ACCEPTED, IntakeStatus.THREADED, IntakeStatus.DISMISSED, IntakeStatus.QUARANTINED}


class CorpusImportTests(TestCase):
    def setUp(self) -> None:
        directory = tempfile.TemporaryDirectory()
        self.addCleanup(directory.cleanup)
        self.enterContext(override_settings(ATTACHMENT_ROOT=directory.name))

    def test_the_corpus_is_large_and_varied(self) -> None:
        assert len([f for f in FILES if f.suffix == ".eml"]) >= 40
        assert len([f for f in FILES if f.parent.name == "cpython"]) >= 45

    def test_it_takes_in_every_corpus_message_and_loses_none(self) -> None:
        outcomes = {}
        for path in FILES:
            with self.subTest(message=path.name):
                imported = import_message(path.read_bytes(), recipient="ca@example.org")
                assert imported.error == ""
                assert imported.item.status in ENDINGS
                assert imported.item.raw_size == path.stat().st_size
                outcomes[path.relative_to(CORPUS).as_posix()] = imported.item
        assert IntakeItem.objects.count() == len(FILES)
        assert not IntakeItem.objects.filter(status=IntakeStatus.RECEIVED).exists()

        quarantined = {name for name, item in outcomes.items() if item.status == IntakeStatus.QUARANTINED}
        crafted_quarantined = {name for name in quarantined if "/" not in name}
        assert crafted_quarantined == NOT_MAIL
        for name in quarantined:
            assert outcomes[name].error, name  # says why, for the console
        # Messages that share a Message-ID (the CPython set has several) are recognised.
        duplicates = [item for item in outcomes.values() if item.status == IntakeStatus.DISMISSED]
        assert duplicates
        assert all(item.dismissal_reason == "DUPLICATE" for item in duplicates)
        # Everything that was mail opened or joined a case.
        for name, item in outcomes.items():
            if item.status in {IntakeStatus.ACCEPTED, IntakeStatus.THREADED}:
                assert item.case_id is not None, name

    def test_it_stores_the_attachments_of_the_corpus_by_hash(self) -> None:
        item = import_message((CORPUS / "attachment_rfc2231.eml").read_bytes(), recipient="ca@example.org").item
        attachments = list(item.attachments.order_by("id"))
        names = ["déclaration — copie.pdf", "écran capturé.png", "メモで.txt", "passwd"]
        assert [a.filename for a in attachments] == names
        assert [a.sniffed_type for a in attachments] == ["application/pdf", "image/png", "text/plain", "text/plain"]
        assert all(len(a.sha256) == 64 for a in attachments)
