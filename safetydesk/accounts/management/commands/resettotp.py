"""`safetydesk resettotp USERNAME --reason "…"`: clear a lost second factor from the server."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safetydesk.accounts.actions import do_reset_totp
from safetydesk.accounts.models import User


class Command(BaseCommand):
    help = (
        "Remove a person's TOTP authenticator (for a lost or replaced phone). At their next sign-in "
        "they set up a new one. Check who is asking before you run this: it is how accounts are taken over. "
        "The reset and its reason go to the audit trail."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--reason", required=True, help="why, e.g. 'lost phone, identity checked by video call'")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No account named {options['username']!r}.")
        try:
            removed = do_reset_totp(acting_user=None, user=user, reason=options["reason"], via="resettotp")
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Removed {removed} authenticator(s) of {user.username}; they enroll again at next sign-in.")
