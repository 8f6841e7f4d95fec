"""`safetydesk serve`: the web server (gunicorn), a task worker, a paging worker and a triage
loop, run as one command."""

import ctypes
import os
import signal
import subprocess
import sys
import time
from argparse import RawDescriptionHelpFormatter
from types import FrameType
from typing import Any

import gunicorn
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.tasks import task_backends
from django_tasks_db.backend import DatabaseBackend

from safetydesk.oncall.tasks import PAGING_QUEUE

SERVE_HELP = """\
Start gunicorn (threaded workers, access log on stdout), one task worker (`safetydesk worker`),
one paging worker (`safetydesk worker --queue paging`: it only sends the pages of emergencies,
so no backlog of other work delays one) and one triage loop (`safetydesk triage`, at a lower CPU
priority: it processes the reports the API answered before processing them) as child processes,
and print the address to open.

SIGINT (Ctrl+C) or SIGTERM is passed on to all; the command exits once all have stopped
(in-flight requests and the task or item in hand are finished first). If gunicorn stops,
everything stops. If a worker or the triage loop crashes, it is started again after a
short, growing pause.

Static files are collected into var/static on every start (only changed files are copied);
WhiteNoise serves them. For more task throughput, run `safetydesk serve --no-worker` and any
number of `safetydesk worker` processes separately."""

# gunicorn: requests slower than this are killed; a graceful stop waits this long for them.
REQUEST_TIMEOUT = 60
GRACEFUL_TIMEOUT = 20
# After a stop signal, children still running after this are killed.
STOP_DEADLINE = GRACEFUL_TIMEOUT + 10
# Worker restarts wait 1, 2, 4 … seconds, at most this long; a worker that ran longer than
# WORKER_STABLE_SECONDS before crashing starts the sequence again from 1.
MAX_RESTART_DELAY = 30.0
WORKER_STABLE_SECONDS = 60.0
POLL_SECONDS = 0.2
PR_SET_PDEATHSIG = 1  # from <sys/prctl.h>


def stop_with_parent() -> None:
    """Runs in the child before exec: on Linux, SIGTERM it if `serve` itself is killed (even by
    SIGKILL), so that no orphaned gunicorn keeps holding the port."""
    if sys.platform == "linux":
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


class Child:
    """One supervised process. It runs in its own process group, so a Ctrl+C in the terminal
    reaches it once, through `serve`, rather than twice."""

    def __init__(self, name: str, argv: list[str], *, nice: int = 0) -> None:
        self.name = name
        self.argv = argv
        self.nice = nice
        self.process: subprocess.Popen[bytes] | None = None
        self.started_at = 0.0
        self.signalled = False
        # Restarts after a crash wait 1, 2, 4 … seconds (see supervise).
        self.restart_delay = 1.0
        self.restart_at: float | None = None

    def start(self) -> None:
        self.signalled = False
        # argv is sys.executable and fixed module names plus validated options: no shell, no
        # user strings. preexec_fn is safe here because serve starts no threads.
        self.process = subprocess.Popen(self.argv, process_group=0, preexec_fn=self.prepare)  # noqa: S603
        self.started_at = time.monotonic()

    def prepare(self) -> None:
        """Runs in the child before exec."""
        stop_with_parent()
        if self.nice:
            os.nice(self.nice)

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def send(self, signum: int) -> None:
        if self.process is not None and self.running:
            self.process.send_signal(signum)
            self.signalled = True


def public_url(bind: str) -> str:
    if bind.startswith(("unix:", "fd://")):
        return bind
    return f"http://{bind}/"


class Command(BaseCommand):
    help = "Serve Safetydesk: gunicorn, a task worker and a triage loop, in one command."

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.description = SERVE_HELP
        parser.formatter_class = RawDescriptionHelpFormatter
        return parser

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--bind",
            default="127.0.0.1:8000",
            help="HOST:PORT (or unix:PATH) for gunicorn to listen on (default: %(default)s)",
        )
        parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (default: %(default)s)")
        parser.add_argument(
            "--threads",
            type=int,
            # Threads of one process share one interpreter lock: with fewer, a request that needs
            # the CPU (a threat, processed before its answer) waits less for its neighbours.
            # benchmarks/intake.py on PostgreSQL, 32 clients, two cores: p99 180, 203, 256 ms
            # with 2 threads; 263, 250 ms with 4; the same 330-350 reports/s.
            default=2,
            help="request threads in each gunicorn worker (default: %(default)s)",
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="do not start a task worker (run `safetydesk worker` elsewhere)",
        )
        parser.add_argument(
            "--no-triage",
            action="store_true",
            help="do not start a triage loop (run `safetydesk triage` elsewhere)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["workers"] < 1 or options["threads"] < 1:
            raise CommandError("--workers and --threads must be at least 1")
        call_command("collectstatic", interactive=False, verbosity=0)

        web = Child(
            "gunicorn",
            [
                sys.executable,
                "-m",
                "gunicorn",
                "safetydesk.wsgi:application",
                "--bind",
                options["bind"],
                "--worker-class",
                "gthread",
                "--workers",
                str(options["workers"]),
                "--threads",
                str(options["threads"]),
                "--timeout",
                str(REQUEST_TIMEOUT),
                "--graceful-timeout",
                str(GRACEFUL_TIMEOUT),
                "--keep-alive",
                "5",
                # Load (and warm: safetydesk.wsgi) the application once, in the arbiter: a new or
                # recycled worker is then a fork, ready at once, instead of a second of imports
                # while the requests sent to it wait (the benchmark's worst latencies).
                "--preload",
                # Recycle workers now and then so that a slow leak never grows without bound; not
                # too often, since each recycling closes the worker's keep-alive connections (at
                # 2,000 the benchmark's healthz answered 790 req/s with a p99 of 345 ms; 1,528 and
                # 46 ms at 20,000).
                "--max-requests",
                "20000",
                "--max-requests-jitter",
                "2000",
                "--access-logfile",
                "-",
                "--error-logfile",
                "-",
            ],
        )
        if gunicorn.version_info >= (25, 1):
            # Its runtime control socket sits at one path per user ($HOME/.gunicorn), which a
            # second instance (a test, another checkout) would take over; we manage by signals.
            web.argv.append("--no-control-socket")
        workers: list[Child] = []
        if options["no_worker"]:
            worker_note = "no task worker (--no-worker)"
        elif isinstance(task_backends["default"], DatabaseBackend):
            cli = [sys.executable, "-m", "safetydesk.cli", "worker"]
            workers = [
                Child("task worker", [*cli, "--queue", "default"], nice=settings.TASK_WORKER_NICE),
                # Its clock is off (the task worker runs the periodic jobs) and it looks often: an
                # empty paging queue costs one small query a look, and a page waits for the next.
                Child("paging worker", [*cli, "--queue", PAGING_QUEUE, "--no-clock", "--interval", "0.1"]),
            ]
            worker_note = "a task worker and a paging worker"
        else:
            worker_note = f"no task worker (TASKS_BACKEND={settings.TASKS_BACKEND} runs tasks itself)"

        triage = None
        if not options["no_triage"]:
            triage = Child("triage loop", [sys.executable, "-m", "safetydesk.cli", "triage"])
        background = [*workers, *([triage] if triage is not None else [])]
        children = [web, *background]
        stop_signals: list[int] = []

        def forward(signum: int, frame: FrameType | None) -> None:
            # A second signal is passed on too: the children treat it as "stop now". A closed
            # terminal (SIGHUP) means stop; to gunicorn, SIGHUP would mean "reload".
            stop_signals.append(signum)
            for child in children:
                child.send(signal.SIGTERM if signum == signal.SIGHUP else signum)

        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, forward)
        for child in children:
            child.start()
        self.stdout.write(
            f"Safetydesk is serving on {public_url(options['bind'])} "
            f"({options['workers']} web processes, {worker_note}"
            f"{', a triage loop' if triage is not None else ', no triage loop (--no-triage)'}). Ctrl+C stops it."
        )
        self.stdout.flush()

        web_returncode = self.supervise(web, background, stop_signals)
        self.stop(children)
        if not stop_signals and web_returncode:
            raise CommandError(f"gunicorn exited with status {web_returncode}; see its messages above.")

    def supervise(self, web: Child, background: list[Child], stop_signals: list[int]) -> int | None:
        """Watch the children until a stop signal or until gunicorn ends; restart a crashed
        background child. Returns gunicorn's exit status if it ended on its own."""
        while not stop_signals:
            if web.process is not None and web.process.poll() is not None:
                self.stderr.write("gunicorn stopped; stopping the rest too.")
                return web.process.returncode
            for child in background:
                if not child.running:
                    self.restart(child)
            time.sleep(POLL_SECONDS)
        return None

    def restart(self, child: Child) -> None:
        """Start a crashed child again after its pause; the pause grows with quick crashes."""
        now = time.monotonic()
        if child.restart_at is None:
            if now - child.started_at > WORKER_STABLE_SECONDS:
                child.restart_delay = 1.0
            status = child.process.returncode if child.process is not None else None
            self.stderr.write(f"The {child.name} exited (status {status}); restarting it in {child.restart_delay:g}s.")
            child.restart_at = now + child.restart_delay
            child.restart_delay = min(child.restart_delay * 2, MAX_RESTART_DELAY)
        elif now >= child.restart_at:
            child.start()
            child.restart_at = None

    def stop(self, children: list[Child]) -> None:
        """Ask every child still running to stop, wait for them, and kill what outlives the deadline."""
        for child in children:
            if not child.signalled:
                child.send(signal.SIGTERM)
        deadline = time.monotonic() + STOP_DEADLINE
        for child in children:
            if child.process is None:
                continue
            try:
                child.process.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self.stderr.write(f"The {child.name} did not stop within {STOP_DEADLINE}s; killing it.")
                child.process.kill()
                child.process.wait()
