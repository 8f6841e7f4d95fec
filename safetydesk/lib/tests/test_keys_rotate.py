"""`safetydesk keys rotate`: every encrypted column ends up under the newest key, nothing else moves."""

import contextlib
import io
import json
from unittest import mock

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import override_settings

from safetydesk.audit.log import verify_chain
from safetydesk.audit.models import AuditEvent, AuditEventType
from safetydesk.cases.actions import PartyData, do_add_note, do_create_case, do_transition
from safetydesk.cases.models import Case, CaseEvent, Note, Party
from safetydesk.lib.testing import PersonaTestCase

OLD_KEY = Fernet.generate_key().decode()
NEW_KEY = Fernet.generate_key().decode()
SUMMARY = "Reporter says user Example harassed them at the meetup"
EMAIL = "reporter-private@example.net"


def raw_column(model: type, column: str, pk: int) -> str:
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {connection.ops.quote_name(column)} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def decrypts_with(key: str, token: str) -> str:
    return Fernet(key.encode()).decrypt(token.encode()).decode()


class RotateTests(PersonaTestCase):
    def setUp(self) -> None:
        with override_settings(ENCRYPTION_KEYS=[OLD_KEY]):
            self.case = do_create_case(
                acting_user=self.specialist, title="Harassment at meetup", summary=SUMMARY,
                parties=[PartyData(role="reporter", real_name="Rae Reporter", email=EMAIL)],
            )
            self.case = do_transition(case=self.case, transition="acknowledge", acting_user=self.specialist)
            self.case = do_transition(
                case=self.case, transition="triage", acting_user=self.specialist,
                data={"triage_note": "Pattern of off-wiki contact"},
            )
            self.note = do_add_note(case=self.case, acting_user=self.specialist, body="Called the organisers")
            self.party = Party.objects.get(case=self.case)
            self.triage = CaseEvent.objects.get(case=self.case, transition="triage")

    def rotate(self, *args: str) -> str:
        out = io.StringIO()
        with override_settings(ENCRYPTION_KEYS=[NEW_KEY, OLD_KEY]):
            call_command("keys", "rotate", *args, stdout=out, stderr=io.StringIO())
        return out.getvalue()

    def stored(self) -> dict[str, str]:
        return {
            "summary": raw_column(Case, "summary", self.case.pk),
            "closure_reason": raw_column(Case, "closure_reason", self.case.pk),
            "email": raw_column(Party, "email", self.party.pk),
            "real_name": raw_column(Party, "real_name", self.party.pk),
            "contact_preferences": raw_column(Party, "contact_preferences", self.party.pk),
            "event_data": raw_column(CaseEvent, "data", self.triage.pk),
            "note": raw_column(Note, "body", self.note.pk),
        }

    def test_it_starts_with_everything_under_the_old_key(self) -> None:
        for name, token in self.stored().items():
            with pytest.raises(InvalidToken):
                decrypts_with(NEW_KEY, token)
            assert decrypts_with(OLD_KEY, token) is not None, name

    def test_it_reencrypts_every_column_with_the_newest_key(self) -> None:
        before = self.stored()

        self.rotate()

        after = self.stored()
        assert decrypts_with(NEW_KEY, after["summary"]) == SUMMARY
        assert decrypts_with(NEW_KEY, after["email"]) == EMAIL
        assert decrypts_with(NEW_KEY, after["real_name"]) == "Rae Reporter"
        assert decrypts_with(NEW_KEY, after["closure_reason"]) == ""
        assert json.loads(decrypts_with(NEW_KEY, after["contact_preferences"])) == {}
        assert json.loads(decrypts_with(NEW_KEY, after["event_data"])) == {"triage_note": "Pattern of off-wiki contact"}
        assert decrypts_with(NEW_KEY, after["note"]) == "Called the organisers"
        for name, token in after.items():
            assert token != before[name], name
            with pytest.raises(InvalidToken):
                decrypts_with(OLD_KEY, token)

    def test_the_application_reads_the_values_with_only_the_new_key(self) -> None:
        self.rotate()

        with override_settings(ENCRYPTION_KEYS=[NEW_KEY]):
            assert Case.objects.get(pk=self.case.pk).summary == SUMMARY
            assert Party.objects.get(pk=self.party.pk).email == EMAIL
            assert CaseEvent.objects.get(pk=self.triage.pk).data == {"triage_note": "Pattern of off-wiki contact"}

    def test_it_does_not_store_the_plaintext(self) -> None:
        self.rotate()

        stored = self.stored()
        assert SUMMARY not in stored["summary"]
        assert "harassed" not in stored["summary"]
        assert EMAIL not in stored["email"]
        assert "off-wiki" not in stored["event_data"]

    def test_it_leaves_the_other_columns_alone(self) -> None:
        before = Case.objects.filter(pk=self.case.pk).values("version", "updated_at", "state", "title").get()

        self.rotate()

        assert Case.objects.filter(pk=self.case.pk).values("version", "updated_at", "state", "title").get() == before

    def test_it_prints_counts_per_model_and_audits_the_totals(self) -> None:
        audit_rows = AuditEvent.objects.count()

        out = self.rotate("--batch-size", "2")

        assert "cases.Case: re-encrypted 2, already current 0" in out
        # wiki_username, ip_or_range, real_name, email, contact_preferences
        assert "cases.Party: re-encrypted 5, already current 0" in out
        assert "cases.Note: re-encrypted 1, already current 0" in out
        # created, acknowledge, triage, note: four timeline rows
        assert "cases.CaseEvent: re-encrypted 4, already current 0" in out
        assert AuditEvent.objects.count() == audit_rows + 1
        audit = AuditEvent.objects.last()
        assert audit.event_type == AuditEventType.KEYS_ROTATED
        assert audit.data["rotated"]["cases.case"] == 2
        assert audit.data["total"] == 12
        assert SUMMARY not in json.dumps(audit.data)
        assert verify_chain() is None

    def test_a_rerun_changes_nothing(self) -> None:
        self.rotate()
        after_first = self.stored()

        out = self.rotate()

        assert self.stored() == after_first
        assert "cases.Case: re-encrypted 0, already current 2" in out
        assert "re-encrypted 0 values in total" in out

    def test_it_finishes_what_an_interrupted_run_left(self) -> None:
        # A run stopped after some rows: the rest is still under the old key.
        with override_settings(ENCRYPTION_KEYS=[NEW_KEY, OLD_KEY]):
            Case.objects.filter(pk=self.case.pk).update(summary=SUMMARY)

        out = self.rotate()

        assert "cases.Case: re-encrypted 1, already current 1" in out
        assert decrypts_with(NEW_KEY, self.stored()["closure_reason"]) == ""

    def test_it_does_not_overwrite_a_value_saved_while_it_runs(self) -> None:
        # A staff member edits the summary between the command's read and its write: the edit wins.
        from safetydesk.lib.management.commands import keys

        real_rotate = keys.rotate_token
        edited = []

        def rotate_while_someone_edits(token: str) -> str:
            if not edited:
                Case.objects.filter(pk=self.case.pk).update(summary="Edited meanwhile")
                edited.append(True)
            return real_rotate(token)

        with mock.patch.object(keys, "rotate_token", rotate_while_someone_edits):
            out = self.rotate()

        assert "cases.Case: re-encrypted 0, already current 0, changed meanwhile 2 (run again)" in out
        assert decrypts_with(NEW_KEY, self.stored()["summary"]) == "Edited meanwhile"
        self.rotate()
        assert decrypts_with(NEW_KEY, self.stored()["closure_reason"]) == ""

    def test_a_dry_run_counts_and_changes_nothing(self) -> None:
        before = self.stored()
        audit_rows = AuditEvent.objects.count()

        out = self.rotate("--dry-run")

        assert self.stored() == before
        assert AuditEvent.objects.count() == audit_rows
        assert "cases.Case: would re-encrypt 2, already current 0" in out
        assert "dry run" in out

    def test_it_reports_a_value_no_key_can_read_and_rotates_the_rest(self) -> None:
        lost_key = Fernet.generate_key().decode()
        with override_settings(ENCRYPTION_KEYS=[lost_key]):
            Party.objects.filter(pk=self.party.pk).update(real_name="Someone")
        err = io.StringIO()

        with override_settings(ENCRYPTION_KEYS=[NEW_KEY, OLD_KEY]), pytest.raises(CommandError) as raised:
            call_command("keys", "rotate", stdout=io.StringIO(), stderr=err)

        assert raised.value.returncode == 1
        assert f"cases.Party #{self.party.pk} real_name" in err.getvalue()
        assert "Someone" not in err.getvalue()
        assert decrypts_with(NEW_KEY, self.stored()["email"]) == EMAIL
        assert decrypts_with(lost_key, self.stored()["real_name"]) == "Someone"
        assert AuditEvent.objects.last().event_type == AuditEventType.KEYS_ROTATED

    def test_it_explains_itself(self) -> None:
        out = io.StringIO()
        with contextlib.redirect_stdout(out), pytest.raises(SystemExit):
            call_command("keys", "rotate", "--help")

        assert "newest key" in out.getvalue()
        assert "--dry-run" in out.getvalue()
