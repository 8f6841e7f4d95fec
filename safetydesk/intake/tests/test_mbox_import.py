"""`safetydesk intake mbox`: every message of a mailbox file, in order, in batches."""

import io
import json
import tracemalloc
from collections.abc import Iterator
from unittest import mock

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import OperationalError

from safetydesk.intake import pipeline
from safetydesk.intake.mailbox_import import in_batches, mbox_messages
from safetydesk.intake.models import IntakeItem, IntakeStatus
from safetydesk.intake.tests.test_email_import_commands import CORPUS, ImportCommandTestCase, message


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
        # The batch cannot be committed as a whole, so each message is received on its own.
        with mock.patch("safetydesk.intake.mailbox_import.receive_emails", side_effect=OperationalError("locked")), \
                mock.patch("safetydesk.intake.mailbox_import.receive_email", flaky_receive), \
                pytest.raises(CommandError, match="1 message") as raised:
            call_command("intake", "mbox", str(path), "--to", "ca@example.org", stdout=out, stderr=err)
        assert raised.value.returncode == 1
        assert "message 2: not received: OperationalError: database is locked" in err.getvalue()
        assert [json.loads(line)["status"] for line in out.getvalue().splitlines()] == ["accepted", "accepted"]
        assert sorted(IntakeItem.objects.values_list("subject", flat=True)) == ["One", "Three"]

    def test_it_reports_an_item_received_but_not_processed_and_still_exits_zero(self) -> None:
        path = self.write_mbox([message("Kept", "body", "<kept-1@example.net>")])
        with mock.patch("safetydesk.intake.mailbox_import.process_items", side_effect=OperationalError("gone")):
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
        assert "can simply be run again" in out.getvalue()


    def test_it_streams_the_file_instead_of_loading_it(self) -> None:
        body = "A long report line about the same page.\n" * 2500  # about 100 kB a message
        path = self.write_mbox([message(f"Report {i}", body, f"<stream-{i}@example.net>") for i in range(200)])
        assert path.stat().st_size > 20_000_000
        tracemalloc.start()
        try:
            count = sum(1 for _ in mbox_messages(path))
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert count == 200
        assert peak < 2_000_000, f"peak {peak} bytes: the mbox was loaded, not streamed"


def test_in_batches_gives_what_was_read_before_a_read_error_then_raises_it() -> None:
    def breaks_after_three() -> Iterator[bytes]:
        yield from (b"1", b"2", b"3")
        raise OSError(5, "Input/output error")

    batches = in_batches(breaks_after_three(), 2)
    assert next(batches) == [b"1", b"2"]
    assert next(batches) == [b"3"]
    with pytest.raises(OSError, match="Input/output error"):
        next(batches)
