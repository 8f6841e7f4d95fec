"""`safetydesk wikitoken add|list|revoke`: the tokens wikis use for POST /api/v1/reportincident."""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from safetydesk.intake.models import WikiIntakeToken
from safetydesk.intake.wiki_tokens import do_create_wiki_token, do_revoke_wiki_tokens

ACTOR = "cli:wikitoken"


class Command(BaseCommand):
    help = (
        "Manage the per-wiki tokens of the ReportIncident endpoint (POST /api/v1/reportincident). "
        "Subcommands: add HOST, list, revoke HOST. Creating and revoking go to the audit trail."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = parser.add_subparsers(dest="subcommand", required=True, metavar="SUBCOMMAND", title="subcommands")
        add = subcommands.add_parser(
            "add",
            help="issue a token for a wiki and print it once",
            description=(
                "Issue a token for the wiki at HOST (e.g. en.wikipedia.org, a configured wiki host). The token "
                "is printed once on stdout and only its hash is kept; put it in the wiki's ReportIncident "
                "configuration. Earlier tokens of the wiki keep working until revoked."
            ),
        )
        add.add_argument("name", metavar="HOST")
        subcommands.add_parser("list", help="show every token: wiki, hint, created, last used, revoked")
        revoke = subcommands.add_parser("revoke", help="revoke every active token of a wiki")
        revoke.add_argument("name", metavar="HOST")

    def handle(self, *args: Any, subcommand: str, **options: Any) -> None:
        if subcommand == "add":
            self.add(options["name"])
        elif subcommand == "list":
            self.list_tokens()
        elif subcommand == "revoke":
            self.revoke(options["name"])

    def add(self, name: str) -> None:
        try:
            row, raw = do_create_wiki_token(acting_user=ACTOR, wiki=name)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(raw)
        self.stderr.write(f"Token for {row.wiki} ({row.hint}…). It is shown only this once; store it now.")

    def list_tokens(self) -> None:
        rows = WikiIntakeToken.objects.order_by("wiki", "created_at")
        if not rows:
            self.stdout.write("No wiki tokens.")
            return
        self.stdout.write(f"{'WIKI':<32} {'TOKEN':<12} {'CREATED':<20} {'LAST USED':<20} REVOKED")
        for row in rows:
            self.stdout.write(
                f"{row.wiki:<32} {row.hint + '…':<12} {_when(row.created_at):<20} "
                f"{_when(row.last_used_at) or 'never':<20} {_when(row.revoked_at) or '-'}"
            )

    def revoke(self, name: str) -> None:
        count = do_revoke_wiki_tokens(acting_user=ACTOR, wiki=name)
        if not count:
            raise CommandError(f"{name} has no active token.")
        self.stdout.write(f"Revoked {count} token(s) of {name.strip().lower()}.")


def _when(moment: Any) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment is not None else ""
