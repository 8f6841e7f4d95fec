"""Opening a case, assigning it, adding notes and parties: each writes one timeline and one audit row."""

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.db.models.signals import pre_save

from safetydesk.audit.models import AuditEvent, AuditEventType
from safetydesk.cases.actions import PartyData, do_add_note, do_add_party, do_assign_case, do_create_case
from safetydesk.cases.errors import InvalidData, RoleNotPermitted
from safetydesk.cases.models import Case, CaseEvent, CaseEventKind, Note, Party
from safetydesk.lib.testing import PersonaTestCase


def written() -> tuple[int, int, int, int, int]:
    return (
        Case.objects.count(), CaseEvent.objects.count(), AuditEvent.objects.count(),
        Party.objects.count(), Note.objects.count(),
    )


class CreateCaseTests(PersonaTestCase):
    def test_it_opens_a_case_in_the_initial_state(self) -> None:
        with time_machine.travel(dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC), tick=False):
            case = do_create_case(
                acting_user=self.specialist, title="  Harassment on Commons  ", summary="Long account", language="DE",
                projects=["commons"], intake_channel="web_form",
                parties=[PartyData(role="reporter", email="rae@example.net"), PartyData(role="subject")],
            )

        stored = Case.objects.get(pk=case.pk)
        assert stored.reference == f"SD-2026-{case.pk:06d}"
        assert (stored.state, stored.title, stored.language, stored.languages) == (
            "RECEIVED", "Harassment on Commons", "de", ["de"],
        )
        assert stored.summary == "Long account"
        assert stored.created_by == self.specialist
        assert list(stored.parties.values_list("role", flat=True)) == ["reporter", "subject"]
        event = CaseEvent.objects.get(case=case)
        assert (event.kind, event.to_state, event.data) == (CaseEventKind.CREATED, "RECEIVED", {"channel": "web_form"})
        audit = AuditEvent.objects.get(subject_type="cases.case", subject_id=str(case.pk))
        assert (audit.event_type, audit.actor) == (AuditEventType.CASE_CREATED, self.specialist)
        assert audit.data == {"kind": "general"}

    def test_every_reference_it_saves_fits_the_column(self) -> None:
        # SQLite does not enforce varchar lengths; PostgreSQL refuses the insert.
        limit = Case._meta.get_field("reference").max_length
        saved: list[str] = []

        def record(sender: type, instance: Case, **kwargs: Any) -> None:
            saved.append(instance.reference)

        pre_save.connect(record, sender=Case)
        try:
            do_create_case(acting_user=self.specialist, title="Long enough")
        finally:
            pre_save.disconnect(record, sender=Case)

        assert len(saved) == 2
        assert all(len(reference) <= limit for reference in saved), saved

    def test_intake_opens_cases_without_a_user(self) -> None:
        case = do_create_case(acting_user=None, title="From the web form", intake_channel="web_form")

        assert case.created_by is None
        assert AuditEvent.objects.get(subject_id=str(case.pk)).actor is None

    def test_whoever_opens_a_restricted_case_is_named_on_it(self) -> None:
        case = do_create_case(acting_user=self.specialist, title="Staff complaint", confidentiality="restricted")

        assert list(case.members.all()) == [self.specialist]

    def test_it_refuses_bad_input_and_writes_nothing(self) -> None:
        before = written()
        bad: list[dict[str, Any]] = [
            {"title": "   "},
            {"title": "x" * 201},
            {"title": "ok", "kind": "gossip"},
            {"title": "ok", "priority": "P7"},
            {"title": "ok", "confidentiality": "secret"},
            {"title": "ok", "parties": [PartyData(role="bystander")]},
            {"title": "ok", "parties": [PartyData(role="reporter", email="rae at example")]},
            {"title": "ok", "parties": [PartyData(role="reporter", email="rae@example.net\nBcc: all@example.net")]},
        ]
        for fields in bad:
            with pytest.raises(InvalidData):
                do_create_case(acting_user=self.specialist, **fields)
        assert written() == before

    def test_only_case_work_staff_may_open_cases(self) -> None:
        before = written()
        for user in (self.auditor, self.crc, self.outsider, self.admin):
            with pytest.raises(RoleNotPermitted):
                do_create_case(acting_user=user, title="Not mine to open")
        assert written() == before


class AssignTests(PersonaTestCase):
    def setUp(self) -> None:
        self.case = do_create_case(acting_user=self.specialist, title="Sockpuppets", priority="P1")

    def test_it_sets_the_lead_and_assistants_and_names_them(self) -> None:
        before = written()

        with self.captureOnCommitCallbacks(execute=True):
            case = do_assign_case(
                case=self.case, acting_user=self.manager, lead=self.specialist,
                assistants=[self.oncall, self.specialist],
            )

        assert case.lead == self.specialist
        assert list(case.assistants.all()) == [self.oncall]
        assert set(case.members.all()) == {self.specialist, self.oncall}
        assert case.version == self.case.version + 1
        assert written() == (before[0], before[1] + 1, before[2] + 1, before[3], before[4])
        event = CaseEvent.objects.get(case=case, kind=CaseEventKind.ASSIGNED)
        assert event.data == {"lead": self.specialist.pk, "assistants": [self.oncall.pk]}

    def test_it_tells_the_new_lead_without_the_case_content(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            do_assign_case(case=self.case, acting_user=self.manager, lead=self.specialist)

        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.to == ["sam@staff.example.org"]
        assert self.case.reference in message.subject
        assert "Sockpuppets" not in message.subject + message.body

    def test_it_does_not_email_someone_who_assigns_themselves(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            do_assign_case(case=self.case, acting_user=self.specialist, lead=self.specialist)

        assert mail.outbox == []

    def test_it_refuses_to_assign_someone_who_does_not_work_cases(self) -> None:
        before = written()

        for person in (self.crc, self.auditor, self.outsider):
            with pytest.raises(InvalidData):
                do_assign_case(case=self.case, acting_user=self.manager, lead=person)
        with pytest.raises(InvalidData):
            do_assign_case(case=self.case, acting_user=self.manager, lead=self.specialist, assistants=[self.crc])

        assert written() == before
        assert Case.objects.get(pk=self.case.pk).lead is None


class NoteAndPartyTests(PersonaTestCase):
    def setUp(self) -> None:
        self.case = do_create_case(acting_user=self.specialist, title="Off-wiki harassment")

    def test_a_note_is_stored_encrypted_with_one_timeline_and_audit_row(self) -> None:
        before = written()

        note = do_add_note(case=self.case, acting_user=self.oncall, body="  Spoke to the reporter by phone ")

        assert written() == (before[0], before[1] + 1, before[2] + 1, before[3], before[4] + 1)
        assert Note.objects.get(pk=note.pk).body == "Spoke to the reporter by phone"
        with connection.cursor() as cursor:
            cursor.execute("SELECT body FROM cases_note WHERE id = %s", [note.pk])
            assert "phone" not in cursor.fetchone()[0]
        assert CaseEvent.objects.get(case=self.case, kind=CaseEventKind.NOTE).data == {"note": note.pk}

    def test_it_refuses_an_empty_note(self) -> None:
        before = written()

        with pytest.raises(InvalidData):
            do_add_note(case=self.case, acting_user=self.specialist, body=" \n ")

        assert written() == before

    def test_a_party_is_added_with_one_timeline_and_audit_row(self) -> None:
        before = written()

        party = do_add_party(
            case=self.case, acting_user=self.specialist,
            party=PartyData(role="witness", wiki_username="Helpful Editor", email="he@example.org", language="fr"),
        )

        assert written() == (before[0], before[1] + 1, before[2] + 1, before[3] + 1, before[4])
        stored = Party.objects.get(pk=party.pk)
        assert (stored.role, stored.wiki_username, stored.email) == ("witness", "Helpful Editor", "he@example.org")
        audit = AuditEvent.objects.last()
        assert audit.data == {"party": party.pk, "role": "witness"}

    def test_it_refuses_a_party_with_a_bad_role_or_email(self) -> None:
        before = written()

        for party in (PartyData(role="villain"), PartyData(role="reporter", email="@example.org")):
            with pytest.raises(InvalidData):
                do_add_party(case=self.case, acting_user=self.specialist, party=party)

        assert written() == before

    def test_the_auditor_adds_nothing(self) -> None:
        before = written()

        with pytest.raises(RoleNotPermitted):
            do_add_note(case=self.case, acting_user=self.auditor, body="I was here")
        with pytest.raises(RoleNotPermitted):
            do_add_party(case=self.case, acting_user=self.auditor, party=PartyData(role="witness"))

        assert written() == before
