"""`safetydesk devwiki`: a local MediaWiki to try office actions on, registered as a wiki."""

import signal
import threading
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from safetydesk.wiki.actions import do_add_wiki
from safetydesk.wiki.devwiki import DevWiki, DevWikiError

ACTOR = "cli:devwiki"


class Command(BaseCommand):
    help = (
        "Install (the first time) and serve a throw-away MediaWiki from Debian's package on 127.0.0.1, "
        "register it as the wiki NAME with its office account's bot password, and keep it running until "
        "Ctrl+C. Its files live under var/devwiki/NAME."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", default="devwiki", help="the wiki's name in Safetydesk (default: %(default)s)")
        parser.add_argument("--port", type=int, default=8089, help="port on 127.0.0.1 (default: %(default)s)")

    def handle(self, *args: Any, name: str, port: int, **options: Any) -> None:
        wiki = DevWiki(Path(settings.VAR_DIR) / "devwiki" / name, name=name, port=port)
        try:
            wiki.start()
        except DevWikiError as error:
            raise CommandError(str(error)) from error
        try:
            do_add_wiki(
                acting_user=ACTOR, name=name, api_url=wiki.api_url, bot_user=wiki.bot_user,
                bot_password=wiki.bot_password, replace=True,
            )  # fmt: skip
            self.stdout.write(
                f"MediaWiki is serving on {wiki.url}/ (API {wiki.api_url}), registered as the wiki {name} "
                f"with the bot password of {wiki.bot_user}. Ctrl+C stops it."
            )
            self.stdout.flush()
            stop = threading.Event()
            for signum in (signal.SIGINT, signal.SIGTERM):
                signal.signal(signum, lambda *_: stop.set())
            while not stop.wait(0.5):
                if wiki.process is None or wiki.process.poll() is not None:
                    raise CommandError("PHP's server stopped; see its log in " + str(wiki.root / "server.log"))
        finally:
            wiki.stop()
