"""`safetydesk createstaff`: create staff accounts from the server."""

from io import StringIO
from pathlib import Path
from tempfile import TemporaryDirectory

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from safetydesk.accounts.management.commands.createstaff import Command
from safetydesk.accounts.models import User
from safetydesk.accounts.roles import Role
from safetydesk.accounts.tests.utils import audit_rows
from safetydesk.audit.models import AuditEvent, AuditEventType
from safetydesk.lib.testing import PersonaTestCase

GOOD_PASSWORD = "plum orbit lantern 42"


def createstaff(*args: str, stdin: str | None = None) -> str:
    out = StringIO()
    options = {"stdout": out}
    if stdin is not None:
        options["stdin"] = StringIO(stdin)
    call_command("createstaff", *args, **options)
    return out.getvalue()


class CreateStaffTests(PersonaTestCase):
    def test_it_creates_an_account_with_roles(self):
        output = createstaff(
            "rae",
            "--role",
            "specialist",
            "--role",
            "oncall",
            "--email",
            "rae@example.org",
            "--name",
            "Rae Rivera",
            "--password-stdin",
            stdin=GOOD_PASSWORD + "\n",
        )
        user = User.objects.get(username="rae")
        assert user.roles == {Role.SPECIALIST, Role.ONCALL}
        assert (user.email, user.display_name) == ("rae@example.org", "Rae Rivera")
        assert user.check_password(GOOD_PASSWORD)
        assert GOOD_PASSWORD not in output
        [row] = audit_rows(AuditEventType.USER_CREATED)
        assert row.subject_id == str(user.pk)
        assert row.actor_id is None
        assert row.data == {"username": "rae", "roles": ["oncall", "specialist"], "via": "createstaff"}

    def test_it_generates_and_prints_a_password_once(self):
        output = createstaff("rae", "--role", "auditor")
        [line] = [line for line in output.splitlines() if line.startswith("Password")]
        password = line.rsplit(" ", 1)[1]
        assert len(password) >= 20
        assert User.objects.get(username="rae").check_password(password)
        assert not AuditEvent.objects.filter(data__icontains=password).exists()

    def test_it_reads_the_password_from_a_file(self):
        with TemporaryDirectory() as tmp:
            path = Path(tmp) / "password"
            path.write_text(GOOD_PASSWORD + "\n")
            createstaff("rae", "--role", "manager", "--password-file", str(path))
        assert User.objects.get(username="rae").check_password(GOOD_PASSWORD)

    def test_it_refuses_an_unknown_role_and_lists_the_valid_ones(self):
        with pytest.raises(CommandError) as raised:
            createstaff("rae", "--role", "specialist", "--role", "overlord")
        message = str(raised.value)
        assert "overlord" in message
        for role in Role.values:
            assert role in message
        assert not User.objects.filter(username="rae").exists()
        assert audit_rows(AuditEventType.USER_CREATED) == []

    def test_it_refuses_an_existing_username(self):
        with pytest.raises(CommandError) as raised:
            createstaff("sam", "--role", "director")
        assert "already exists" in str(raised.value)
        assert User.objects.get(username="sam").roles == {Role.SPECIALIST}
        assert audit_rows(AuditEventType.ROLES_CHANGED) == []

    def test_it_changes_roles_with_update(self):
        output = createstaff("sam", "--update", "--role", "manager", "--role", "oncall")
        assert "Updated sam" in output
        assert User.objects.get(username="sam").roles == {Role.MANAGER, Role.ONCALL}
        [row] = audit_rows(AuditEventType.ROLES_CHANGED)
        assert row.data == {"added": ["manager", "oncall"], "removed": ["specialist"], "via": "createstaff"}
        # Running it again changes nothing and writes nothing.
        createstaff("sam", "--update", "--role", "oncall", "--role", "manager")
        assert len(audit_rows(AuditEventType.ROLES_CHANGED)) == 1

    def test_it_refuses_update_of_a_missing_user(self):
        with self.assertRaisesMessage(CommandError, "No user named 'rae'"):
            createstaff("rae", "--update", "--role", "manager")

    def test_it_refuses_a_weak_password(self):
        with self.assertRaisesMessage(CommandError, "The password was refused"):
            createstaff("rae", "--role", "manager", "--password-stdin", stdin="password\n")
        assert not User.objects.filter(username="rae").exists()

    def test_it_requires_a_role(self):
        with self.assertRaisesMessage(CommandError, "Give at least one --role"):
            createstaff("rae")

    def test_it_refuses_an_invalid_username(self):
        with self.assertRaisesMessage(CommandError, "Not a valid username"):
            createstaff("rae rivera", "--role", "manager")

    def test_its_help_explains_the_options_and_roles(self):
        text = Command().create_parser("safetydesk", "createstaff").format_help()
        for option in ("--role ROLE", "--email", "--name", "--password-file FILE", "--password-stdin", "--update"):
            assert option in text
        for role in Role:
            assert role.value in text
        assert "safetydesk changepassword" in text
