"""`safetydesk worker`: run background tasks from the database queue (django-tasks-db)."""

import logging
import os
import socket
import threading
from argparse import RawDescriptionHelpFormatter
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import close_old_connections
from django.tasks import task_backends
from django_tasks_db.backend import DatabaseBackend

from safetydesk.lib.periodic import run_due_jobs

WORKER_HELP = """\
Claim tasks from the database queue and run them, one at a time, until stopped. Actions enqueue
their side effects (email, paging, wiki calls) after commit; this is what carries them out.

Run as many workers as the load needs, on any machine that reaches the database: each claims a
task with a row lock, so no task runs twice. `safetydesk serve` starts one of these itself.

It also runs the periodic jobs (sweeps, purges, escalations) on a clock; with several workers each
job run is still taken by only one (--no-clock turns it off here).

SIGTERM or SIGINT: finish the task in hand, then exit 0 (a second signal abandons it; the task
is marked failed). Needs TASKS_BACKEND=db (the default outside tests)."""


# How often the worker's clock looks for due periodic jobs (lib.periodic).
CLOCK_SECONDS = 20.0


def run_clock(stop: threading.Event) -> None:
    """Enqueue due periodic jobs until `stop` is set. Any number of workers may run this: each
    job run is claimed by exactly one (a conditional UPDATE)."""
    while not stop.wait(CLOCK_SECONDS):
        try:
            run_due_jobs()
        except Exception:
            logging.getLogger("safetydesk.periodic").exception("periodic clock failed; retrying")
        finally:
            close_old_connections()


def worker_id() -> str:
    """Names the worker in each task it claims, so a task can be traced to a host and process."""
    suffix = f"-{os.getpid()}"
    return socket.gethostname()[: 64 - len(suffix)] + suffix


class Command(BaseCommand):
    help = "Run background tasks from the database queue until stopped."

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.description = WORKER_HELP
        parser.formatter_class = RawDescriptionHelpFormatter
        return parser

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--queue",
            # Every queue by default, so that a deployment with one worker still sends pages.
            default="*",
            help="queues to take tasks from, comma-separated, or '*' for all (default: %(default)s)",
        )
        parser.add_argument(
            "--interval",
            type=float,
            # A page waits for the worker's next look at an empty queue: at 1 s this was most of
            # an idle page's latency (benchmarks/emergency.py); a look costs one small query.
            default=0.25,
            help="seconds to wait before looking again when the queue is empty (default: %(default)s)",
        )
        parser.add_argument(
            "--batch",
            action="store_true",
            help="run every task that is ready, then exit instead of waiting for more",
        )
        parser.add_argument(
            "--no-clock",
            action="store_true",
            help="do not run periodic jobs from this worker (another worker runs them)",
        )
        parser.add_argument(
            "--max-tasks",
            type=int,
            default=None,
            help="exit after running this many tasks (a supervisor then starts a fresh process)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        backend = task_backends["default"]
        if not isinstance(backend, DatabaseBackend):
            raise CommandError(
                f"TASKS_BACKEND={settings.TASKS_BACKEND} does not use the database queue, so there is "
                "nothing for this worker to run. Set TASKS_BACKEND=db."
            )
        if options["interval"] < 0:
            raise CommandError("--interval must be zero or more seconds")
        if options["max_tasks"] is not None and options["max_tasks"] < 1:
            raise CommandError("--max-tasks must be at least 1")
        stop_clock = threading.Event()
        if not options["no_clock"] and not options["batch"]:
            run_due_jobs()
            threading.Thread(target=run_clock, args=(stop_clock,), name="periodic-clock", daemon=True).start()
        try:
            self._run(options)
        finally:
            stop_clock.set()

    def _run(self, options: dict[str, Any]) -> None:
        call_command(
            "db_worker",
            queue_name=options["queue"],
            interval=options["interval"],
            batch=options["batch"],
            max_tasks=options["max_tasks"],
            worker_id=worker_id(),
            # Code reloading would restart a task mid-way; deployments restart workers instead.
            reload=False,
            verbosity=options["verbosity"],
        )
