"""Emergency email to page: `.venv/bin/python benchmarks/emergency.py [options]`.

The time from an emergency email arriving at the LMTP listener (`safetydesk mail listen --lmtp`)
to its page leaving the application: delivered to a local SMTP sink (aiosmtpd) and to a local
webhook receiver, both in this process. p50/p99 over --emergencies emails, twice: with the
server idle, then while the intake benchmark's HTTP load (benchmarks/intake.py's report clients)
runs against the same server and database.

Sets up its own database (SQLite under var/bench-emergency/, or the PostgreSQL database
safetydesk_bench_emergency, dropped and recreated), one on-call responder on shift, and starts
`safetydesk serve` (gunicorn, a task worker, and the paging worker that sends pages) and the
LMTP listener. The clock starts when the LMTP session opens and stops when the page arrives; both
ends are in this process, so one clock measures it. Writes benchmarks/results/emergency-<db>.json.
"""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]  # see intake.py
sys.path.insert(0, str(HERE.parent))

import argparse  # noqa: E402
import http.server  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import select  # noqa: E402
import smtplib  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402  # the listener, the server, one process per database
import threading  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402
from email import message_from_bytes  # noqa: E402
from email.message import EmailMessage  # noqa: E402
from typing import Any  # noqa: E402

from aiosmtpd.controller import Controller  # noqa: E402

from benchmarks import intake  # noqa: E402
from safetydesk.lib import benchmarking  # noqa: E402
from safetydesk.lib.benchmarking import db_version, environment  # noqa: E402
from safetydesk.lib.processes import free_port, stop_process  # noqa: E402

REPO = HERE.parent
BENCH_VAR = REPO / "var" / "bench-emergency"
POSTGRES_DATABASE = "safetydesk_bench_emergency"
TARGET_P99_IDLE_S = 2.0
TARGET_P99_LOAD_S = 5.0
ARRIVAL_TIMEOUT_S = 60.0
REFERENCE = re.compile(r"\b([A-Z]+-\d{4}-\d{6})\b")

THREATS = (
    "He wrote on my talk page that he will shoot everyone at the school tomorrow morning.",
    "Someone posted that they are going to kill themselves tonight, they have the pills ready.",
    "A user said he is going to blow up the library on Friday and posted a photo of the bomb.",
    "This account threatened to kill the admin who blocked him and says he knows where she lives.",
)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default=None,
                        help="default: postgres if DATABASE_URL names a PostgreSQL database, else sqlite")
    parser.add_argument("--emergencies", type=int, default=200, help="emails per phase (default 200)")
    parser.add_argument("--interval", type=float, default=0.5,
                        help="seconds between emergency emails (default 0.5; they overlap if pages are slower)")
    parser.add_argument("--clients", type=int, default=32, help="intake HTTP clients in the load phase (default 32)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (default 2)")
    parser.add_argument("--skip", choices=["idle", "load"], action="append", default=[])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    if args.db is None:
        args.db = benchmarking.default_db()
    return args


# --- The receiving ends ------------------------------------------------------------------------


class Arrivals:
    """When each case's first page arrived, by channel (time.monotonic())."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.seen: dict[tuple[str, str], float] = {}
        self.count = {"email": 0, "webhook": 0}

    def arrived(self, channel: str, reference: str) -> None:
        now = time.monotonic()
        with self.lock:
            self.count[channel] += 1
            self.seen.setdefault((channel, reference), now)

    def get(self, channel: str, reference: str) -> float | None:
        with self.lock:
            return self.seen.get((channel, reference))


class Sink:
    def __init__(self, arrivals: Arrivals) -> None:
        self.arrivals = arrivals

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        subject = message_from_bytes(envelope.content).get("Subject", "")
        match = REFERENCE.search(subject)
        if match and "paged" in subject:
            self.arrivals.arrived("email", match.group(1))
        return "250 OK"


def webhook_server(arrivals: Arrivals) -> http.server.ThreadingHTTPServer:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            arrivals.arrived("webhook", json.loads(body)["case"])
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


# --- Setting up ----------------------------------------------------------------------------------


def configure_environment(db: str, smtp_port: int, webhook_url: str) -> str:
    """lib.benchmarking's settings, with the database task queue (`serve` runs the task worker
    that sends pages); pages (and the reporters' acknowledgements) go over SMTP to the sink and
    to the webhook receiver. Returns the database URL."""
    settings = {
        "TASKS_BACKEND": "db",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "SAFETYDESK_ONCALL_WEBHOOK_URLS": webhook_url,
        "SAFETYDESK_ONCALL_WEBHOOK_SECRET": "bench-secret",
    }
    return benchmarking.configure_environment(
        db, BENCH_VAR, settings, sqlite_file="emergency.sqlite3", postgres_database=POSTGRES_DATABASE
    )


def setup_database() -> str:
    """Migrate; an on-call responder on shift for the day, a manager; the intake benchmark's
    API token for the load. Returns the token."""
    import datetime as dt

    import django

    django.setup()
    from django.db import connections
    from django.utils import timezone

    from safetydesk.accounts.actions import do_create_staff_user
    from safetydesk.accounts.roles import Role
    from safetydesk.oncall.actions import do_add_fallback_contact, do_add_shift

    token = intake.setup_database()
    responder = do_create_staff_user(
        acting_user=None, username="bench-oncall", roles=[Role.ONCALL], password=uuid.uuid4().hex,
        email="bench-oncall@staff.example.org", display_name="On call", via="benchmark",
    )
    manager = do_create_staff_user(
        acting_user=None, username="bench-manager", roles=[Role.MANAGER], password=uuid.uuid4().hex,
        email="bench-manager@staff.example.org", display_name="Manager", via="benchmark",
    )
    now = timezone.now()
    do_add_shift(acting_user=manager, user=responder, level=1, starts_at=now - dt.timedelta(hours=1),
                 ends_at=now + dt.timedelta(days=1))
    do_add_shift(acting_user=manager, user=manager, level=2, starts_at=now - dt.timedelta(hours=1),
                 ends_at=now + dt.timedelta(days=1))
    do_add_fallback_contact(acting_user=manager, user=manager)
    connections.close_all()
    return token


class Listener:
    """`safetydesk mail listen --lmtp 127.0.0.1:0`; the port is read from its first line."""

    def __init__(self) -> None:
        self.log = open(BENCH_VAR / "listen.log", "wb")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "safetydesk.cli", "mail", "listen", "--lmtp", "127.0.0.1:0"],
            stdout=subprocess.PIPE, stderr=self.log, cwd=REPO, preexec_fn=intake._die_with_parent,
        )
        assert self.process.stdout is not None
        ready, _, _ = select.select([self.process.stdout], [], [], 60)
        if not ready:
            raise SystemExit("the LMTP listener printed nothing in 60 s")
        self.port = int(self.process.stdout.readline().decode().split()[3].rsplit(":", 1)[1])

    def stop(self) -> None:
        stop_process(self.process, timeout=60)
        self.log.close()


# --- Sending and timing --------------------------------------------------------------------------


def emergency_mail(rng: random.Random, n: int, phase: str) -> bytes:
    message = EmailMessage()
    message["From"] = f"Reader {n} <reader{n}@example.net>"
    message["To"] = "emergency@example.org"
    message["Subject"] = f"Threat seen on a talk page ({phase} {n})"
    message["Message-ID"] = f"<bench-{phase}-{n}-{uuid.uuid4().hex}@example.net>"
    message.set_content(rng.choice(THREATS) + f"\n\nhttps://en.wikipedia.org/w/index.php?oldid={rng.randrange(10**9)}")
    return message.as_bytes()


def send_lmtp(port: int, raw: bytes) -> int:
    """One LMTP session; returns the intake item id from the 250 reply."""
    client = smtplib.LMTP(timeout=60)
    client.connect("127.0.0.1", port)
    try:
        client.ehlo()
        client.mail("sender@example.net")
        client.rcpt("emergency@example.org")
        code, reply = client.data(raw)
        if code != 250:
            raise RuntimeError(f"LMTP answered {code} {reply!r}")
        return int(reply.decode().rsplit(" ", 1)[1])
    finally:
        client.close()


def reference_of(item_id: int, timeout: float) -> str | None:
    """The case reference of an intake item once the listener has processed it."""
    from django.db import connection

    from safetydesk.intake.models import IntakeItem

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ref = (
            IntakeItem.objects.filter(pk=item_id, case__isnull=False)
            .values_list("case__reference", flat=True)
            .first()
        )
        if ref:
            return str(ref)
        time.sleep(0.02)
    connection.close()
    return None


def run_phase(name: str, args: argparse.Namespace, listener: Listener, arrivals: Arrivals) -> dict[str, Any]:
    rng = random.Random(f"{args.seed}:{name}")
    started: list[tuple[float, int]] = []
    sender_errors: list[str] = []

    def sender() -> None:
        for n in range(args.emergencies):
            t0 = time.monotonic()
            try:
                started.append((t0, send_lmtp(listener.port, emergency_mail(rng, n, name))))
            except (OSError, RuntimeError, smtplib.SMTPException) as exc:
                sender_errors.append(f"{type(exc).__name__}: {exc}")
            time.sleep(max(0.0, args.interval - (time.monotonic() - t0)))

    sender()
    email_s: list[float] = []
    webhook_s: list[float] = []
    both_s: list[float] = []
    missing = 0
    for t0, item in started:
        ref = reference_of(item, ARRIVAL_TIMEOUT_S)
        deadline = time.monotonic() + ARRIVAL_TIMEOUT_S
        while ref and time.monotonic() < deadline and not (arrivals.get("email", ref) and arrivals.get("webhook", ref)):
            time.sleep(0.02)
        got_mail = arrivals.get("email", ref) if ref else None
        got_hook = arrivals.get("webhook", ref) if ref else None
        if got_mail is None or got_hook is None:
            missing += 1
            continue
        email_s.append(got_mail - t0)
        webhook_s.append(got_hook - t0)
        both_s.append(max(got_mail, got_hook) - t0)
    return {
        "emergencies_sent": len(started),
        "send_errors": sender_errors[:5],
        "pages_missing": missing,
        "email": figures(email_s),
        "webhook": figures(webhook_s),
        "both": figures(both_s),
    }


def figures(values: list[float]) -> dict[str, Any]:
    if not values:
        return {"n": 0}
    ordered = sorted(values)
    return {
        "n": len(ordered),
        "p50_s": round(intake.percentile(ordered, 50), 3),
        "p90_s": round(intake.percentile(ordered, 90), 3),
        "p99_s": round(intake.percentile(ordered, 99), 3),
        "max_s": round(ordered[-1], 3),
        "mean_s": round(statistics.fmean(ordered), 3),
    }


def run(args: argparse.Namespace) -> dict[str, Any]:
    arrivals = Arrivals()
    controller = Controller(Sink(arrivals), hostname="127.0.0.1", port=free_port())
    controller.start()
    hooks = webhook_server(arrivals)
    webhook_url = f"http://127.0.0.1:{hooks.server_address[1]}/page"
    url = configure_environment(args.db, controller.port, webhook_url)
    token = setup_database()
    from django.db import connection

    result: dict[str, Any] = {
        "benchmark": "emergency",
        "db": args.db,
        "database_url": url.split("@")[-1],
        "db_version": db_version(connection),
        "environment": environment(),
        "emergencies_per_phase": args.emergencies,
        "interval_s": args.interval,
        "target": {"p99_idle_s": TARGET_P99_IDLE_S, "p99_load_s": TARGET_P99_LOAD_S},
    }
    server = intake.Server(args.db, args.workers, log_dir=BENCH_VAR)
    server.start()
    listener = Listener()
    try:
        if "idle" not in args.skip:
            result["idle"] = run_phase("idle", args, listener, arrivals)
        if "load" not in args.skip:
            load_out: dict[str, Any] = {}

            def make(index: int) -> intake.ReportMaker:
                return intake.ReportMaker(random.Random(f"{args.seed}:load:{index}"))

            def background() -> None:
                # Long enough to cover the whole phase; stopped by its own clock.
                seconds = args.emergencies * args.interval + 15
                samples, _, wall = intake.load(server.port, token, args.clients, seconds, make)
                load_out.update(intake.phase_figures(samples, wall, "201"))

            loader = threading.Thread(target=background, daemon=True)
            loader.start()
            time.sleep(3)  # let the load reach its pace first
            result["load"] = run_phase("load", args, listener, arrivals)
            loader.join()
            result["load"]["intake_http"] = {
                k: load_out.get(k) for k in ("requests", "ok", "rate_per_s", "p50_ms", "p99_ms", "errors_by_status")
            }
    finally:
        listener.stop()
        server.stop()
        controller.stop()
        hooks.shutdown()
    result["meets_target"] = {
        "idle": _meets(result.get("idle"), TARGET_P99_IDLE_S),
        "load": _meets(result.get("load"), TARGET_P99_LOAD_S),
    }
    return result


def _meets(phase: dict[str, Any] | None, target: float) -> bool | None:
    if not phase or not phase["both"].get("n"):
        return None
    return bool(phase["both"]["p99_s"] < target and phase["pages_missing"] == 0)


def summary_line(result: dict[str, Any]) -> str:
    parts = [f"emergency [{result['db']}]"]
    for phase in ("idle", "load"):
        if phase in result:
            both = result[phase]["both"]
            extra = ""
            if phase == "load":
                extra = f", intake {result[phase]['intake_http'].get('rate_per_s')} reports/s beside it"
            parts.append(
                f"{phase}: p50 {both.get('p50_s')} s, p99 {both.get('p99_s')} s over {both.get('n')} pages"
                f" (missing {result[phase]['pages_missing']}{extra})"
            )
    parts.append(f"targets met: {result['meets_target']}")
    return "; ".join(parts)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.db == "both":
        # The last --db wins: the one added after the arguments as given.
        return benchmarking.run_each_database(__file__, lambda db: [*(argv or sys.argv[1:]), "--db", db])
    result = run(args)
    out = args.out or REPO / "benchmarks" / "results" / f"emergency-{args.db}.json"
    benchmarking.write_result(result, out, summary_line(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
