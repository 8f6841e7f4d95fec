"""`safetydesk audit verify`: exit 0 and a count when intact, exit 1 naming the broken row."""

import io
import os
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import SimpleTestCase

from safetydesk.audit.log import record_audit
from safetydesk.audit.models import AuditEvent, AuditEventType
from safetydesk.lib.testing import PersonaTestCase

TABLE = connection.ops.quote_name(AuditEvent._meta.db_table)


class VerifyCommandTests(PersonaTestCase):
    def setUp(self) -> None:
        for i in range(12):
            record_audit(event_type=AuditEventType.LOGIN_SUCCEEDED, actor=self.specialist, data={"i": i})

    def verify(self, *args: str) -> str:
        out = io.StringIO()
        call_command("audit", "verify", *args, stdout=out)
        return out.getvalue()

    def test_it_reports_an_intact_chain(self) -> None:
        assert self.verify().strip() == "audit chain intact: 12 events"

    def test_it_reports_an_intact_chain_read_in_batches(self) -> None:
        assert self.verify("--batch-size", "5").strip() == "audit chain intact: 12 events"

    def test_it_fails_naming_a_row_edited_in_the_database(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {TABLE} SET actor_label = %s WHERE seq = 3", ["nobody"])  # noqa: S608

        with pytest.raises(CommandError) as raised:
            self.verify()

        assert raised.value.returncode == 1
        assert "row #3" in str(raised.value)
        assert "changed" in str(raised.value)

    def test_it_fails_naming_the_row_after_a_deleted_one(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE} WHERE seq = 6")  # noqa: S608

        with pytest.raises(CommandError) as raised:
            self.verify()

        assert raised.value.returncode == 1
        assert "row #7" in str(raised.value)
        assert "#6 is missing" in str(raised.value)

    def test_it_fails_when_the_tail_was_deleted(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE} WHERE seq >= 11")  # noqa: S608

        with pytest.raises(CommandError) as raised:
            self.verify()

        assert raised.value.returncode == 1
        assert "row #11" in str(raised.value)

    def test_it_requires_a_subcommand(self) -> None:
        with pytest.raises(CommandError):
            call_command("audit")


class VerifyCommandLineTests(SimpleTestCase):
    """The installed `safetydesk` command against a real database file: exit status and streams."""

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.tmp = tempfile.TemporaryDirectory()
        cls.db = Path(cls.tmp.name) / "audit.sqlite3"
        cls.run_cli("migrate", "--verbosity", "0").check_returncode()
        appended = cls.run_cli(
            "shell", "-c",
            "from safetydesk.audit.log import record_audit\n"
            "from safetydesk.audit.models import AuditEventType\n"
            "for i in range(5): record_audit(event_type=AuditEventType.LOGIN_FAILED, data={'i': i})",
        )
        appended.check_returncode()

    @classmethod
    def tearDownClass(cls) -> None:
        cls.tmp.cleanup()
        super().tearDownClass()

    @classmethod
    def run_cli(cls, *args: str) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SAFETYDESK_", "DJANGO_", "DATABASE_URL"))}
        env.update(
            SAFETYDESK_ENV="test", SAFETYDESK_VAR_DIR=cls.tmp.name, DATABASE_URL=f"sqlite:///{cls.db}",
            TASKS_BACKEND="immediate",
        )
        safetydesk = Path(sys.executable).with_name("safetydesk")
        return subprocess.run(  # noqa: S603
            [str(safetydesk), *args], env=env, capture_output=True, text=True, timeout=120, check=False
        )

    def test_it_explains_itself(self) -> None:
        result = self.run_cli("audit", "verify", "--help")

        assert result.returncode == 0
        assert "hash" in result.stdout
        assert "Exit status 1" in result.stdout

    def test_it_exits_0_then_1_after_an_edit_behind_the_apps_back(self) -> None:
        intact = self.run_cli("audit", "verify")
        assert intact.returncode == 0, intact.stderr
        assert intact.stdout.strip() == "audit chain intact: 5 events"

        with sqlite3.connect(self.db) as db:
            db.execute("UPDATE audit_auditevent SET data = '{\"i\": 99}' WHERE seq = 2")
        try:
            broken = self.run_cli("audit", "verify")
        finally:
            with sqlite3.connect(self.db) as db:
                db.execute("UPDATE audit_auditevent SET data = '{\"i\": 1}' WHERE seq = 2")

        assert broken.returncode == 1
        assert broken.stdout == ""
        assert "row #2" in broken.stderr
        assert self.run_cli("audit", "verify").returncode == 0
