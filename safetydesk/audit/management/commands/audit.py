"""`safetydesk audit verify`: recompute the audit hash chain and report the first break."""

from argparse import RawDescriptionHelpFormatter
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safetydesk.audit.log import verify_chain
from safetydesk.audit.models import AuditEvent

VERIFY_HELP = """\
Walk the audit trail in order and recompute every row's hash from its content and the hash of
the row before it. An edited row no longer matches its own hash; a deleted or inserted row
breaks the numbering or the link to its neighbour; rows deleted from the end no longer reach
the chain's head.

Exit status 0: prints "audit chain intact: N events".
Exit status 1: prints the first broken row (its seq and what is wrong) on stderr. Rows after
it were not checked; investigate from that row on.

Only reads; safe to run while the application is writing (rows appended during the walk are
not a break)."""


class Command(BaseCommand):
    help = "Check the append-only audit trail. Subcommands: verify."

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = parser.add_subparsers(
            dest="subcommand", required=True, metavar="SUBCOMMAND", title="subcommands"
        )
        verify = subcommands.add_parser(
            "verify",
            help="recompute the hash chain; exit 1 naming the first broken row",
            description=VERIFY_HELP,
            formatter_class=RawDescriptionHelpFormatter,
        )
        verify.add_argument(
            "--batch-size", type=int, default=5000, help="rows read per query (default 5000)"
        )

    def handle(self, *args: Any, subcommand: str, **options: Any) -> None:
        if subcommand == "verify":
            self.verify(batch_size=options["batch_size"])

    def verify(self, *, batch_size: int) -> None:
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        # Counted first: if the walk passes, every one of these rows was checked.
        count = AuditEvent.objects.count()
        broken = verify_chain(batch_size=batch_size)
        if broken is not None:
            where = f"row #{broken.seq}" if broken.seq is not None else "the chain head"
            raise CommandError(f"audit chain broken at {where}: {broken.reason}", returncode=1)
        self.stdout.write(f"audit chain intact: {count} events")
