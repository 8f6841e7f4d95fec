"""Evidence is fixed at capture by its SHA-256, and a later change shows."""

import hashlib

import pytest
from django.db import connection

from safetydesk.audit.models import AuditEvent, AuditEventType
from safetydesk.cases.actions import do_capture_evidence, do_create_case
from safetydesk.cases.errors import InvalidData, RoleNotPermitted
from safetydesk.cases.models import CaseEvent, CaseEventKind, Evidence
from safetydesk.lib.testing import PersonaTestCase

DIFF = "https://de.wikipedia.org/w/index.php?diff=4242&oldid=4241"
TEXT = "Du bist ein Idiot und ich weiß, wo du wohnst."


class EvidenceTests(PersonaTestCase):
    def setUp(self) -> None:
        self.case = do_create_case(acting_user=self.specialist, title="Threat in an edit")

    def capture(self, **fields: str) -> Evidence:
        return do_capture_evidence(case=self.case, acting_user=self.specialist, **fields)

    def test_it_takes_the_sha256_of_what_was_captured(self) -> None:
        evidence = self.capture(kind="diff", permalink=DIFF, content=TEXT, description="The threatening edit")

        stored = Evidence.objects.get(pk=evidence.pk)
        assert stored.sha256 == hashlib.sha256(f"{DIFF}\n{TEXT}".encode()).hexdigest()
        assert stored.is_intact
        assert stored.captured_by == self.specialist

    def test_a_changed_content_is_no_longer_intact(self) -> None:
        evidence = self.capture(kind="diff", permalink=DIFF, content=TEXT)

        Evidence.objects.filter(pk=evidence.pk).update(content=TEXT.replace("Idiot", "Freund"))

        assert not Evidence.objects.get(pk=evidence.pk).is_intact

    def test_a_changed_permalink_is_no_longer_intact(self) -> None:
        evidence = self.capture(kind="diff", permalink=DIFF, content=TEXT)

        Evidence.objects.filter(pk=evidence.pk).update(permalink=DIFF.replace("4242", "4243"))

        assert not Evidence.objects.get(pk=evidence.pk).is_intact

    def test_a_permalink_alone_or_content_alone_is_enough(self) -> None:
        assert self.capture(kind="revision", permalink=DIFF).is_intact
        assert self.capture(kind="statement", content=TEXT).is_intact

    def test_it_keeps_the_content_encrypted(self) -> None:
        evidence = self.capture(kind="statement", content=TEXT)

        with connection.cursor() as cursor:
            cursor.execute("SELECT content FROM cases_evidence WHERE id = %s", [evidence.pk])
            stored = cursor.fetchone()[0]
        assert "Idiot" not in stored
        assert Evidence.objects.get(pk=evidence.pk).content == TEXT

    def test_it_writes_one_timeline_row_and_one_audit_row_with_the_hash(self) -> None:
        events, audits = CaseEvent.objects.count(), AuditEvent.objects.count()

        evidence = self.capture(kind="diff", permalink=DIFF, content=TEXT)

        assert CaseEvent.objects.count() == events + 1
        assert AuditEvent.objects.count() == audits + 1
        event = CaseEvent.objects.get(case=self.case, kind=CaseEventKind.EVIDENCE)
        assert event.data == {"evidence": evidence.pk, "sha256": evidence.sha256}
        audit = AuditEvent.objects.last()
        assert audit.event_type == AuditEventType.CASE_EVIDENCE_ADDED
        assert audit.data == {"evidence": evidence.pk, "sha256": evidence.sha256}
        assert evidence.case.version == self.case.version + 1


class RefusedEvidenceTests(PersonaTestCase):
    def setUp(self) -> None:
        self.case = do_create_case(acting_user=self.specialist, title="Threat in an edit")
        self.before = (Evidence.objects.count(), CaseEvent.objects.count(), AuditEvent.objects.count())

    def tearDown(self) -> None:
        assert (Evidence.objects.count(), CaseEvent.objects.count(), AuditEvent.objects.count()) == self.before

    def test_it_needs_a_permalink_or_content(self) -> None:
        with pytest.raises(InvalidData) as raised:
            do_capture_evidence(case=self.case, acting_user=self.specialist, kind="diff")

        assert raised.value.details == {"field": "permalink"}

    def test_it_refuses_an_unknown_kind(self) -> None:
        with pytest.raises(InvalidData, match="evidence kind"):
            do_capture_evidence(case=self.case, acting_user=self.specialist, kind="rumour", content="x")

    def test_it_refuses_a_permalink_that_is_not_a_web_link(self) -> None:
        # It is rendered as a link in the case file.
        for bad in ("javascript:alert(document.cookie)", "data:text/html,<script>x</script>", "not a link"):
            with pytest.raises(InvalidData) as raised:
                do_capture_evidence(case=self.case, acting_user=self.specialist, kind="diff", permalink=bad)
            assert raised.value.details == {"field": "permalink"}, bad

    def test_it_refuses_a_permalink_longer_than_the_column(self) -> None:
        with pytest.raises(InvalidData):
            do_capture_evidence(
                case=self.case, acting_user=self.specialist, kind="diff",
                permalink="https://en.wikipedia.org/wiki/" + "A" * 1000,
            )

    def test_the_auditor_may_not_capture(self) -> None:
        with pytest.raises(RoleNotPermitted):
            do_capture_evidence(case=self.case, acting_user=self.auditor, kind="diff", permalink=DIFF)
