"""`safetydesk intake mbox --jobs N`: a mailbox imported by several processes at once, with each
reply and each second copy of a message imported after the message it depends on."""

import io
import json
import os
from collections.abc import Iterator
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TransactionTestCase, override_settings

from safetydesk.intake import import_lanes
from safetydesk.intake.import_lanes import LaneChooser, thread_ids
from safetydesk.intake.mailbox_import import mbox_messages
from safetydesk.intake.models import IntakeItem
from safetydesk.intake.tests.test_email_import_commands import ImportCommands, message


def reply(subject: str, message_id: str, parent: str, *, references: str = "", sender: str) -> bytes:
    raw = message(f"Re: {subject}", "It happened again today.", message_id, sender=sender)
    head = f"In-Reply-To: {parent}\n" + (f"References: {references}\n" if references else "")
    return head.encode() + raw


def test_thread_ids_reads_folded_references_and_ignores_the_body() -> None:
    raw = (
        b"Message-ID: <c@x>\r\nSubject: Re: hi\r\nReferences: <a@x>\r\n <b@x>\r\nIn-Reply-To: <b@x>\r\n\r\n"
        b"Message-ID: <not-a-header@x>\r\n"
    )
    assert thread_ids(raw) == [b"<c@x>", b"<a@x>", b"<b@x>", b"<b@x>"]


def test_a_reply_or_a_copy_goes_to_its_threads_lane_and_new_threads_take_turns() -> None:
    choose = LaneChooser(3)
    first = choose(b"Message-ID: <1@x>\n\nbody")
    second = choose(b"Message-ID: <2@x>\n\nbody")
    third = choose(b"Message-ID: <3@x>\n\nbody")
    assert (first, second, third) == (0, 1, 2)
    assert choose(b"Message-ID: <4@x>\nIn-Reply-To: <2@x>\n\nbody") == second
    assert choose(b"Message-ID: <5@x>\nReferences: <2@x> <4@x>\n\nbody") == second
    assert choose(b"Message-ID: <6@x>\nIn-Reply-To: <5@x>\n\nbody") == second  # a reply to a reply
    assert choose(b"Message-ID: <3@x>\n\nthe same message again") == third
    assert choose(b"Subject: no ids at all\n\nbody") == first  # the turn goes on


class LanesCommandTests(ImportCommands, TransactionTestCase):
    """The lanes are forked processes with connections of their own: they see only committed rows,
    so these tests commit (TransactionTestCase), as the command does outside a test."""

    # Put back what migrations created, for the tests after this one (as every transactional
    # test here does).
    serialized_rollback = True

    def mailbox(self) -> tuple[Path, list[str]]:
        messages, expected = [], []
        for n in range(12):
            messages.append(message(f"Report {n}", f"Report number {n} about page {n}.", f"<r{n}@example.net>",
                                    sender=f"reporter{n}@example.net"))
            expected.append("accepted")
        for n in range(12):
            parent = f"<r{n}@example.net>"
            messages.append(reply(f"Report {n}", f"<re{n}@example.net>", parent,
                                  references=parent if n % 2 else "", sender=f"reporter{n}@example.net"))
            expected.append("threaded")
        messages.append(message("Report 3", "Report number 3 about page 3.", "<r3@example.net>",
                                sender="reporter3@example.net"))
        expected.append("dismissed")
        return self.write_mbox(messages), expected

    def test_every_message_has_its_line_in_file_order_and_replies_join_their_case(self) -> None:
        path, expected = self.mailbox()
        with override_settings(INTAKE_IMPORT_BATCH_ITEMS=4):
            lines, err = self.run_intake("mbox", str(path), "--to", "ca@example.org", "--jobs", "2")
        assert err == ""
        assert [line["status"] for line in lines] == expected
        for n in range(12):
            assert lines[12 + n]["case"] == lines[n]["case"]  # each reply, in its own report's case
        assert lines[24]["case"] == lines[3]["case"]
        assert IntakeItem.objects.count() == 25
        assert {line["intake_item"] for line in lines} == set(IntakeItem.objects.values_list("pk", flat=True))

    def test_a_lane_that_dies_is_named_for_each_message_it_had_and_the_others_are_imported(self) -> None:
        path, _ = self.mailbox()
        real = import_lanes.import_messages

        def dies_on_report_5(raws: list[bytes], *, recipient: str) -> list:
            if any(b"Subject: Report 5\n" in raw for raw in raws):
                os._exit(3)  # in the lane's process: as if it were killed
            return real(raws, recipient=recipient)

        out, err = io.StringIO(), io.StringIO()
        with override_settings(INTAKE_IMPORT_BATCH_ITEMS=2), \
                mock.patch.object(import_lanes, "import_messages", dies_on_report_5), \
                pytest.raises(CommandError, match="could not be received") as raised:
            call_command("intake", "mbox", str(path), "--to", "ca@example.org", "--jobs", "2", stdout=out, stderr=err)
        assert raised.value.returncode == 1
        assert "message 6: not received: its import process stopped (exit status 3)" in err.getvalue()
        printed = [json.loads(line) for line in out.getvalue().splitlines()]
        failed = err.getvalue().count("not received")
        assert len(printed) + failed == 25  # every message is accounted for, one way or the other
        assert printed
        assert all(line["intake_item"] for line in printed)
        assert IntakeItem.objects.filter(subject="Report 5").count() == 0

    def test_what_was_read_before_the_file_failed_is_imported_and_reported_then_the_error(self) -> None:
        path, _ = self.mailbox()
        messages = list(mbox_messages(path))[:5]

        def breaks_after_five() -> Iterator[bytes]:
            yield from messages
            raise OSError(5, "Input/output error")

        outcomes: list[import_lanes.Outcome] = []
        imported = import_lanes.import_in_lanes(breaks_after_five(), recipient="ca@example.org", lanes=2, batch_items=2)
        with pytest.raises(OSError, match="Input/output error"):
            outcomes.extend(imported)
        assert [outcome.line["status"] for outcome in outcomes if outcome.line] == ["accepted"] * 5
        assert IntakeItem.objects.count() == 5

    def test_it_refuses_fewer_than_one_job(self) -> None:
        path, _ = self.mailbox()
        with pytest.raises(CommandError, match="--jobs must be at least 1"):
            self.run_intake("mbox", str(path), "--to", "ca@example.org", "--jobs", "0")


def test_lanes_refuse_to_run_inside_a_transaction(db: None) -> None:
    with pytest.raises(RuntimeError, match="inside a transaction"):
        next(import_lanes.import_in_lanes(iter([b""]), recipient="ca@example.org", lanes=2, batch_items=1))
