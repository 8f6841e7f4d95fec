"""`safetydesk intake email|mbox`: import mail from a file, one JSON line per message."""

import json
import mailbox
import sys
from argparse import RawDescriptionHelpFormatter
from pathlib import Path
from typing import Any, BinaryIO

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from safetydesk.intake.import_lanes import import_in_lanes
from safetydesk.intake.mailbox_import import (
    NotReceived,
    Outcome,
    import_in_batches,
    import_message,
    mbox_messages,
    outcome_of,
)

OUTPUT_HELP = """\
For every message, one JSON object is printed on its own line on stdout, e.g.
  {"intake_item": 12, "case": 7, "reference": "SD-2025-000007", "kind": "general",
   "priority": "P2", "language": "en", "status": "accepted"}
status is accepted (a new case), threaded (added to the case it answers), dismissed (e.g. the
same Message-ID again: a duplicate) or quarantined (kept raw, for a person to look at in the
console and re-process). A message over the size limit (SAFETYDESK_MAX_MESSAGE_BYTES) is kept
and quarantined as "too large".

Exit status 0 when every message was received (even if some were quarantined: they are kept).
Exit status 1 when a message could not even be stored (e.g. the database is unreachable); it is
named on stderr and the import goes on with the next one, so run the command again for it (a
message received twice is recognised by its Message-ID and dismissed as a duplicate)."""

EMAIL_HELP = f"""\
Import one RFC 5322 message (an .eml file) addressed to ADDRESS, read from FILE or, without
FILE or with "-", from standard input:

  safetydesk intake email --to ca@example.org < message.eml

ADDRESS picks the intake channel (SAFETYDESK_CHANNELS_FILE): ca@ opens general reports,
emergency@ emergency cases, and so on; an address that is not listed goes to the general queue,
flagged "unknown_address".

{OUTPUT_HELP}"""

MBOX_HELP = f"""\
Import every message of an mbox file (e.g. an exported mailbox) as mail addressed to ADDRESS,
in order (the file is not loaded into memory), SAFETYDESK_INTAKE_IMPORT_BATCH_ITEMS messages (20)
to a transaction; a message that fails is quarantined without touching the others. With
--jobs N (default: one per core, at most 4; SAFETYDESK_INTAKE_IMPORT_JOBS) N processes import
at once; a reply or a second copy of a message is always imported after the message it
follows, and the lines are printed in the file's order. An interrupted
import can simply be run again: messages already taken are dismissed as duplicates by their
Message-ID.

  safetydesk intake mbox archive.mbox --to ca@example.org

{OUTPUT_HELP}"""


class Command(BaseCommand):
    help = "Import email into intake. Subcommands: email (one message), mbox (a mailbox file)."

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = parser.add_subparsers(dest="subcommand", required=True, metavar="SUBCOMMAND", title="subcommands")
        email = subcommands.add_parser(
            "email",
            help="import one message from a file or standard input",
            description=EMAIL_HELP,
            formatter_class=RawDescriptionHelpFormatter,
        )
        email.add_argument("file", nargs="?", default="-", metavar="FILE", help="an .eml file; - or absent: stdin")
        email.add_argument("--to", required=True, metavar="ADDRESS", help="the address the message was sent to")
        mbox = subcommands.add_parser(
            "mbox",
            help="import every message of an mbox file",
            description=MBOX_HELP,
            formatter_class=RawDescriptionHelpFormatter,
        )
        mbox.add_argument("file", metavar="FILE", help="the mbox file")
        mbox.add_argument("--to", required=True, metavar="ADDRESS", help="the address the messages were sent to")
        mbox.add_argument(
            "--jobs",
            type=int,
            default=settings.INTAKE_IMPORT_JOBS,
            metavar="N",
            help="import in N processes at once (default: %(default)s, SAFETYDESK_INTAKE_IMPORT_JOBS)",
        )

    def handle(self, *args: Any, subcommand: str, file: str, to: str, **options: Any) -> None:
        if "@" not in to:
            raise CommandError(f"--to must be an email address, not {to!r}")
        if subcommand == "email":
            failures = self.import_one(self.read_email(file), recipient=to, label=file)
        else:
            failures = self.import_mbox(Path(file), recipient=to, jobs=options["jobs"])
        if failures:
            raise CommandError(f"{failures} message(s) could not be received; see above", returncode=1)

    def read_email(self, file: str) -> bytes:
        if file == "-":
            stream: BinaryIO = sys.stdin.buffer
            return stream.read()
        try:
            return Path(file).read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {file}: {exc.strerror or exc}") from exc

    def import_mbox(self, path: Path, *, recipient: str, jobs: int) -> int:
        """Take every message of the file in and print a line for each; return how many were not
        received. What was read before the file failed is imported all the same."""
        if jobs < 1:
            raise CommandError("--jobs must be at least 1")
        messages, size = mbox_messages(path), settings.INTAKE_IMPORT_BATCH_ITEMS
        # Lanes cannot see what an open transaction (a caller's, a test's) has not committed.
        if jobs > 1 and not connection.in_atomic_block:
            outcomes = import_in_lanes(messages, recipient=recipient, lanes=jobs, batch_items=size)
        else:
            outcomes = import_in_batches(messages, recipient=recipient, batch_items=size)
        try:
            return sum(
                self.report(f"{path} message {number}", outcome) for number, outcome in enumerate(outcomes, start=1)
            )
        except mailbox.NoSuchMailboxError as exc:
            raise CommandError(f"no such mbox file: {path}") from exc
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror or exc}") from exc

    def import_one(self, raw: bytes, *, recipient: str, label: str) -> int:
        """Take one message in and print its line; return 1 if it could not be received."""
        try:
            outcome = outcome_of(import_message(raw, recipient=recipient))
        except NotReceived as exc:
            outcome = outcome_of(exc)
        return self.report(label, outcome)

    def report(self, label: str, outcome: Outcome) -> int:
        """Print what became of one message; return 1 if it could not be received."""
        if outcome.line is None:
            self.stderr.write(f"{label}: not received: {outcome.error}")
            return 1
        if outcome.error:
            self.stderr.write(
                f"{label}: received as intake item {outcome.item} but not processed yet ({outcome.error}); "
                "it will be processed by the worker"
            )
        self.stdout.write(json.dumps(outcome.line, ensure_ascii=False))
        self.stdout.flush()
        return 0
