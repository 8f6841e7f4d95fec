"""`safetydesk wiki add|list|check`: the wikis Safetydesk carries out office actions on."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safetydesk.wiki.actions import WikiRefusal, check_wiki, do_add_wiki
from safetydesk.wiki.models import Wiki

ACTOR = "cli:wiki"


class Command(BaseCommand):
    help = (
        "Manage the wiki farm. Subcommands: add NAME --api URL --bot-user USER --bot-password-file FILE, "
        "list, check NAME. Adding and checking go to the audit trail; the bot password is stored encrypted "
        "and never printed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = parser.add_subparsers(dest="subcommand", required=True, metavar="SUBCOMMAND", title="subcommands")
        add = subcommands.add_parser(
            "add",
            help="register a wiki and its bot password",
            description=(
                "Register the wiki NAME (e.g. enwiki) at its api.php address, with a bot password made at "
                "Special:BotPasswords for the office account. The password is read from FILE (- for standard "
                "input), never from the command line, where other users of the machine could see it."
            ),
        )
        add.add_argument("name", metavar="NAME")
        add.add_argument(
            "--api", required=True, metavar="URL", help="the wiki's api.php, e.g. https://en.wikipedia.org/w/api.php"
        )
        add.add_argument(
            "--bot-user", required=True, metavar="USER", help="the bot password's login name, Account@AppId"
        )
        add.add_argument("--bot-password-file", required=True, metavar="FILE", help="a file holding the bot password")
        add.add_argument("--replace", action="store_true", help="change a wiki that is already registered")
        subcommands.add_parser("list", help="show every wiki: name, API, bot user, last check")
        check = subcommands.add_parser("check", help="log in and report the bot's rights; exit 1 if it cannot act")
        check.add_argument("name", metavar="NAME")

    def handle(self, *args: Any, subcommand: str, **options: Any) -> None:
        if subcommand == "add":
            self.add_wiki(options)
        elif subcommand == "list":
            self.list_wikis()
        else:
            self.report_check(options["name"])

    def add_wiki(self, options: dict[str, Any]) -> None:
        password = self.read_password(options["bot_password_file"])
        try:
            wiki = do_add_wiki(
                acting_user=ACTOR, name=options["name"], api_url=options["api"], bot_user=options["bot_user"],
                bot_password=password, replace=options["replace"],
            )  # fmt: skip
        except WikiRefusal as refusal:
            raise CommandError(refusal.message) from refusal
        self.stdout.write(f"Added {wiki.name} ({wiki.api_url}). Run `safetydesk wiki check {wiki.name}` to test it.")

    def read_password(self, file: str) -> str:
        if file == "-":
            import sys

            return sys.stdin.readline().strip()
        try:
            return Path(file).read_text().strip()
        except OSError as exc:
            raise CommandError(f"cannot read the bot password from {file}: {exc.strerror or exc}") from exc

    def list_wikis(self) -> None:
        wikis = list(Wiki.objects.all())
        if not wikis:
            self.stdout.write("No wikis. Add one with `safetydesk wiki add`, or start `safetydesk devwiki`.")
            return
        self.stdout.write(f"{'NAME':<16} {'BOT USER':<28} {'LAST CHECK':<34} API")
        for wiki in wikis:
            self.stdout.write(f"{wiki.name:<16} {wiki.bot_user:<28} {_last_check(wiki):<34} {wiki.api_url}")

    # Not `check`: that is BaseCommand's system-check method, which Django calls before handle().
    def report_check(self, name: str) -> None:
        wiki = Wiki.objects.filter(name=name.strip().lower()).first()
        if wiki is None:
            raise CommandError(f"No wiki named {name}; `safetydesk wiki list` shows them.")
        result = check_wiki(wiki, acting_user=ACTOR)
        if result.account:
            self.stdout.write(f"{wiki.name}: logged in as {result.account} on {result.generator}")
            self.stdout.write(f"  groups: {', '.join(result.groups)}")
            self.stdout.write(f"  rights: {', '.join(result.rights)}")
            features = [
                f
                for f, on in (("CentralAuth", result.has_centralauth), ("GlobalBlocking", result.has_globalblocking))
                if on
            ]
            how = f"a global lock ({', '.join(features)})" if features else "a block on every wiki of the farm"
            self.stdout.write(f"  global bans: {how}")
        if not result.ok:
            raise CommandError(f"{wiki.name} cannot carry out office actions: {result.error}")
        self.stdout.write(f"{wiki.name}: ready for office actions.")


def _last_check(wiki: Wiki) -> str:
    if wiki.last_checked_at is None:
        return "never"
    outcome = "ok" if wiki.last_check.get("ok") else "FAILED"
    return f"{wiki.last_checked_at:%Y-%m-%d %H:%M} UTC {outcome}"
