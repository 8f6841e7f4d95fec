"""`safetydesk mail listen|poll`: take in the team's mail as it arrives."""

import asyncio
import json
import signal
import threading
from argparse import BooleanOptionalAction, RawDescriptionHelpFormatter
from pathlib import Path
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from safetydesk.intake import lmtp
from safetydesk.intake.imap_poll import ImapConfig, PollError, PollReport, poll_forever, poll_once

LISTEN_HELP = """\
Listen for LMTP (RFC 2033) deliveries from the mail server that receives the team's addresses
(Postfix: `mailbox_transport = lmtp:inet:127.0.0.1:2424`, or a transport map entry per address).

Every recipient of a message becomes its own intake item; the address picks the channel
(SAFETYDESK_CHANNELS_FILE), and an address not listed there goes to the general queue, flagged.
Each recipient is answered 250 only once its item is committed, 451 (try again later) if that
failed, so the mail server never drops a message it handed over. Messages over
SAFETYDESK_MAX_MESSAGE_BYTES are refused with 552 (the mail server bounces them).

There is no authentication: listen on 127.0.0.1 or on a Unix socket (unix:/path) that only the
mail server can reach.

SIGTERM or SIGINT stops it gracefully: no new connections; messages being received are
answered and processed first (up to 30 s); then it exits 0. Items received but not yet
processed are finished by the task worker's sweep."""

POLL_HELP = """\
Take in the messages of an IMAP mailbox: every message not yet marked with the keyword
$SafetydeskTaken is fetched (without marking it read), committed as an intake item, then marked
\\Seen and $SafetydeskTaken, then processed. A message is marked only after its item is
committed, so a crash in between means it is fetched again and dismissed as a duplicate (same
Message-ID): nothing is lost, nothing is taken twice. Messages are never moved or deleted.

Settings come from the environment (SAFETYDESK_IMAP_HOST, _PORT, _USER, _PASSWORD or
_PASSWORD_FILE, _SSL, _MAILBOX, _ADDRESS, _INTERVAL); the flags below override them.

With --once: one poll, one JSON line per message taken (as `safetydesk intake email` prints),
exit 0; exit 1 if the poll failed (connection, login, mailbox, database).
Without --once: poll every --interval seconds until SIGTERM/SIGINT, printing the same lines;
a failed poll is logged and retried with a growing pause (up to 15 minutes); a refused login or
a missing mailbox stops it with exit 1, since waiting will not help."""


class Command(BaseCommand):
    help = "Take in mail. Subcommands: listen (an LMTP listener), poll (an IMAP mailbox)."

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = parser.add_subparsers(dest="subcommand", required=True, metavar="SUBCOMMAND", title="subcommands")
        listen = subcommands.add_parser(
            "listen", help="listen for LMTP deliveries", description=LISTEN_HELP,
            formatter_class=RawDescriptionHelpFormatter,
        )
        listen.add_argument(
            "--lmtp", required=True, metavar="HOST:PORT",
            help="where to listen: 127.0.0.1:2424, [::1]:2424, or unix:/run/safetydesk/lmtp.sock",
        )
        poll = subcommands.add_parser(
            "poll", help="take in the messages of an IMAP mailbox", description=POLL_HELP,
            formatter_class=RawDescriptionHelpFormatter,
        )
        poll.add_argument("--once", action="store_true", help="poll once and exit")
        poll.add_argument("--host", help="IMAP server (SAFETYDESK_IMAP_HOST)")
        poll.add_argument("--port", type=int, help="IMAP port (SAFETYDESK_IMAP_PORT; default 993, or 143 without SSL)")
        poll.add_argument("--user", help="login name (SAFETYDESK_IMAP_USER)")
        poll.add_argument(
            "--password-file", type=Path, metavar="FILE",
            help="read the password from FILE (SAFETYDESK_IMAP_PASSWORD or _PASSWORD_FILE)",
        )
        poll.add_argument("--ssl", action=BooleanOptionalAction, default=None, help="IMAP over TLS (default: on)")
        poll.add_argument("--mailbox", help="mailbox to read (SAFETYDESK_IMAP_MAILBOX; default INBOX)")
        poll.add_argument(
            "--address", help="the address this mailbox serves; picks the channel (SAFETYDESK_IMAP_ADDRESS)"
        )
        poll.add_argument("--interval", type=int, help="seconds between polls (SAFETYDESK_IMAP_INTERVAL; default 60)")

    def handle(self, *args: Any, subcommand: str, **options: Any) -> None:
        if subcommand == "listen":
            self.listen(options["lmtp"])
        else:
            self.poll(options)

    # --- listen ---------------------------------------------------------------------------

    def listen(self, where: str) -> None:
        try:
            address = lmtp.parse_address(where)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc

        def ready(bound: str) -> None:
            self.stdout.write(f"LMTP listening on {bound} (max message {settings.INTAKE_MAX_MESSAGE_BYTES} bytes)")
            self.stdout.flush()

        async def main() -> None:
            stop = asyncio.Event()
            loop = asyncio.get_running_loop()
            for signum in (signal.SIGTERM, signal.SIGINT):
                loop.add_signal_handler(signum, stop.set)
            await lmtp.serve(address, stop=stop, on_ready=ready)

        try:
            asyncio.run(main())
        except OSError as exc:
            raise CommandError(f"cannot listen on {where}: {exc.strerror or exc}") from exc
        self.stdout.write("LMTP listener stopped")

    # --- poll -----------------------------------------------------------------------------

    def poll(self, options: dict[str, Any]) -> None:
        password = None
        if options["password_file"] is not None:
            try:
                password = options["password_file"].read_text().strip()
            except OSError as exc:
                raise CommandError(f"cannot read {options['password_file']}: {exc.strerror or exc}") from exc
        config = ImapConfig.from_settings(
            host=options["host"], port=options["port"], user=options["user"], password=password,
            use_ssl=options["ssl"], mailbox=options["mailbox"], address=options["address"],
            interval=options["interval"],
        )
        problems = config.problems()
        if problems:
            raise CommandError("; ".join(problems))
        if options["once"]:
            try:
                self.print_report(poll_once(config))
            except PollError as exc:
                raise CommandError(str(exc), returncode=1) from exc
            return

        stop = threading.Event()

        def on_signal(signum: int, frame: FrameType | None) -> None:
            stop.set()

        signal.signal(signal.SIGTERM, on_signal)
        signal.signal(signal.SIGINT, on_signal)
        try:
            poll_forever(config, stop=stop, on_report=self.print_report)
        except PollError as exc:
            raise CommandError(str(exc), returncode=1) from exc

    def print_report(self, report: PollReport) -> None:
        for imported in report.results:
            self.stdout.write(json.dumps(imported.result.as_json(), ensure_ascii=False))
        self.stdout.flush()
