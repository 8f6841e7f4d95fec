"""`safetydesk triage`: process the reports the API answered before processing them."""

import os
import signal
import threading
from argparse import RawDescriptionHelpFormatter
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from safetydesk.intake import triage

TRIAGE_HELP = """\
Process intake items that were committed and answered but not yet processed (the API answers
an ordinary report at once and leaves its triage to this loop): each becomes a case, joins one,
or is dismissed, exactly as if it had been processed in the request. Oldest first, batch after
batch while there is work; otherwise it looks again every --idle seconds.

It lowers its own CPU priority (--nice, default SAFETYDESK_TRIAGE_NICE) so that on a shared
machine a burst of reports slows triage, not the web answers; threats of harm are never left
to it. Any number may run; no item is processed twice. `safetydesk serve` starts one.

SIGTERM or SIGINT: finish the item in hand, then exit 0."""


class Command(BaseCommand):
    help = "Process reports answered before processing, until stopped."

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.description = TRIAGE_HELP
        parser.formatter_class = RawDescriptionHelpFormatter
        return parser

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--nice",
            type=int,
            default=settings.INTAKE_TRIAGE_NICE,
            help="add this to the process's nice value, 0 to 19 (default: %(default)s)",
        )
        parser.add_argument("--idle", type=float, default=0.5, help="seconds between looks when there is nothing to do")
        parser.add_argument("--once", action="store_true", help="process what is waiting now, then exit")

    def handle(self, *args: Any, nice: int, idle: float, once: bool, **options: Any) -> None:
        if not 0 <= nice <= 19:
            raise CommandError("--nice must be between 0 and 19")
        if idle <= 0:
            raise CommandError("--idle must be more than 0 seconds")
        if nice:
            os.nice(nice)
        if once:
            total = 0
            while taken := triage.triage_pending():
                total += taken
            self.stdout.write(f"{total} item(s) processed")
            return
        stop = threading.Event()

        def request_stop(signum: int, frame: FrameType | None) -> None:
            stop.set()

        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, request_stop)
        triage.run(stop, idle_seconds=idle)
