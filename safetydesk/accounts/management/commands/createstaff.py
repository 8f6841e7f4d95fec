"""`safetydesk createstaff USERNAME --role ROLE ...`: create a staff account from the server."""

import secrets
import sys
from argparse import RawDescriptionHelpFormatter
from pathlib import Path
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import validate_email

from safetydesk.accounts.actions import (
    UnknownRoleError,
    check_roles,
    do_change_profile,
    do_change_roles,
    do_create_staff_user,
)
from safetydesk.accounts.models import User
from safetydesk.accounts.roles import Role

VIA = "createstaff"


def _roles_help() -> str:
    return "\n".join(f"  {role.value:<16} {role.label}" for role in Role)


DESCRIPTION = f"""\
Create a Safetydesk staff account with one or more roles.

The password is read from a file (--password-file) or from standard input (--password-stdin),
never from the command line, where other users of the server could see it in the process list.
Without either, a strong password is generated and printed once; pass it on safely and ask
the person to sign in. When two-factor authentication is required they set up their
authenticator app at first sign-in.

An existing username is an error, so running the same command twice does no harm. With
--update the existing account is given exactly the roles listed (and the email or name, if
given); to reset a password use `safetydesk changepassword USERNAME`.

Every creation and role change is written to the audit trail.

Roles:
{_roles_help()}

Examples:
  safetydesk createstaff sam --role specialist --email sam@example.org --name "Sam Rivera"
  printf '%s\\n' "$PASSWORD" | safetydesk createstaff mia --role manager --role oncall --password-stdin
  safetydesk createstaff mia --update --role manager"""


class Command(BaseCommand):
    help = "Create a staff account with roles (or, with --update, change an existing one's roles)."
    # Tests hand in a StringIO here, as Django's createsuperuser allows.
    stealth_options = ("stdin",)

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.description = DESCRIPTION
        parser.formatter_class = RawDescriptionHelpFormatter
        return parser

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="the sign-in name: letters, digits and @ . + - _ only")
        parser.add_argument(
            "--role",
            dest="roles",
            action="append",
            default=[],
            metavar="ROLE",
            help="a role to give (repeat for several); see the list above. Required unless --update.",
        )
        parser.add_argument("--email", help="the person's work email address")
        parser.add_argument("--name", dest="display_name", help='the name shown in the console, e.g. "Sam Rivera"')
        source = parser.add_mutually_exclusive_group()
        source.add_argument(
            "--password-file",
            type=Path,
            metavar="FILE",
            help="read the password from the first line of FILE",
        )
        source.add_argument(
            "--password-stdin",
            action="store_true",
            help="read the password from the first line of standard input",
        )
        parser.add_argument(
            "--update",
            action="store_true",
            help="change an existing account instead of failing because it exists",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        username: str = options["username"]
        try:
            roles = check_roles(options["roles"])
        except UnknownRoleError as error:
            raise CommandError(
                f"Unknown role: {', '.join(error.unknown)}. Valid roles are: {', '.join(Role.values)}."
            ) from error
        email = options["email"]
        if email is not None:
            try:
                validate_email(email)
            except ValidationError as error:
                raise CommandError(f"Not a valid email address: {email!r}.") from error

        existing = User.objects.filter(username=username).first()
        if existing is not None and not options["update"]:
            raise CommandError(
                f"A user named {username!r} already exists; nothing was changed. Use --update to change their roles."
            )
        if options["update"]:
            if existing is None:
                raise CommandError(f"No user named {username!r}; leave out --update to create one.")
            self.update(existing, roles, email=email, display_name=options["display_name"], options=options)
            return
        if not roles:
            raise CommandError(f"Give at least one --role. Valid roles are: {', '.join(Role.values)}.")
        self.create(username, roles, email=email or "", display_name=options["display_name"] or "", options=options)

    def create(self, username: str, roles: list[str], *, email: str, display_name: str, options: Any) -> None:
        try:
            User.username_validator(username)
        except ValidationError as error:
            raise CommandError(f"Not a valid username: {' '.join(error.messages)}") from error
        password = self.read_password(options)
        generated = password is None
        if password is None:
            password = secrets.token_urlsafe(18)
        try:
            validate_password(password, User(username=username, email=email, display_name=display_name))
        except ValidationError as error:
            raise CommandError("The password was refused: " + " ".join(error.messages)) from error
        user = do_create_staff_user(
            acting_user=None,
            username=username,
            roles=roles,
            password=password,
            email=email,
            display_name=display_name,
            via=VIA,
        )
        self.stdout.write(self.style.SUCCESS(f"Created {user.username} with roles: {', '.join(roles)}."))
        if generated:
            self.stdout.write(f"Password (shown only now; pass it on safely): {password}")

    def update(
        self, user: User, roles: list[str], *, email: str | None, display_name: str | None, options: Any
    ) -> None:
        if options["password_file"] or options["password_stdin"]:
            raise CommandError("--update does not change passwords; use `safetydesk changepassword USERNAME`.")
        roles_changed = bool(roles) and do_change_roles(acting_user=None, user=user, roles=roles, via=VIA)
        do_change_profile(acting_user=None, user=user, email=email, display_name=display_name)
        current = ", ".join(sorted(user.roles)) or "none"
        profile = [name for name, value in (("email", email), ("name", display_name)) if value is not None]
        if roles_changed or profile:
            changes = (["roles"] if roles_changed else []) + profile
            self.stdout.write(self.style.SUCCESS(f"Updated {user.username} ({', '.join(changes)}); roles: {current}."))
        else:
            self.stdout.write(f"Nothing to change for {user.username}; roles: {current}.")

    def read_password(self, options: Any) -> str | None:
        if options["password_file"]:
            try:
                text = options["password_file"].read_text()
            except OSError as error:
                raise CommandError(f"Cannot read the password file: {error.strerror}.") from error
        elif options["password_stdin"]:
            text = options.get("stdin", sys.stdin).readline()
        else:
            return None
        password = text.splitlines()[0] if text else ""
        if not password:
            raise CommandError("The password given is empty.")
        return password
