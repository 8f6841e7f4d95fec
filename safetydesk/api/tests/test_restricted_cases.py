"""A case the user may not see answers exactly like one that does not exist, for reads and writes."""

from typing import Any

from safetydesk.api.tests.base import ApiTestCase
from safetydesk.audit.models import AuditEvent, AuditEventType
from safetydesk.cases.actions import do_assign_case
from safetydesk.cases.models import Case, Confidentiality

MISSING = "SD-2020-999999"


class RestrictedCaseTests(ApiTestCase):
    def restricted_case(self, level: str = Confidentiality.RESTRICTED) -> Case:
        case = self.open_case("Restricted matter", confidentiality=level)
        return do_assign_case(case=case, acting_user=self.specialist, lead=self.oncall)

    def attempts(self, reference: str, version: int) -> list[Any]:
        user = self.manager
        return [
            self.get(f"/cases/{reference}", user),
            self.post(
                f"/cases/{reference}/transitions", {"transition": "acknowledge", "expected_version": version}, user
            ),
            self.post(f"/cases/{reference}/notes", {"body": "Let me in"}, user),
            self.post(f"/cases/{reference}/assign", {"lead": user.pk, "expected_version": version}, user),
            self.post(f"/cases/{reference}/parties", {"role": "witness", "wiki_username": "W"}, user),
            self.post(f"/cases/{reference}/evidence", {"kind": "diff", "permalink": "https://w.example/1"}, user),
        ]

    def test_it_answers_a_non_member_exactly_as_for_a_missing_case(self) -> None:
        case = self.restricted_case()
        before = self.snapshot(case)

        refused = self.attempts(case.reference, case.version)
        missing = self.attempts(MISSING, case.version)

        for hidden, absent in zip(refused, missing, strict=True):
            self.assert_error(hidden, 404, "not_found")
            assert (hidden.status_code, hidden.content) == (absent.status_code, absent.content)
        self.assert_unchanged(case, before)
        assert case.parties.count() == 0
        assert case.notes.count() == 0

    def test_it_hides_a_case_by_its_numeric_id_too(self) -> None:
        case = self.restricted_case()

        self.assert_error(self.get(f"/cases/{case.pk}", self.manager), 404, "not_found")
        assert self.get(f"/cases/{case.pk}", self.oncall).json()["reference"] == case.reference

    def test_it_shows_the_case_to_its_members_and_audits_the_view(self) -> None:
        case = self.restricted_case(Confidentiality.CHILD_SAFETY)
        views = AuditEvent.objects.filter(event_type=AuditEventType.RESTRICTED_CASE_VIEWED, subject_id=str(case.pk))
        assert not views.exists()

        response = self.get(f"/cases/{case.reference}", self.oncall, REMOTE_ADDR="203.0.113.9")

        assert response.status_code == 200
        assert response.json()["confidentiality"] == "child_safety"
        (view,) = views
        assert (view.actor_id, view.ip_address) == (self.oncall.pk, "203.0.113.9")

    def test_it_opens_legal_privileged_files_to_privileged_readers_only(self) -> None:
        case = self.open_case("Subpoena", confidentiality=Confidentiality.LEGAL_PRIVILEGED)

        assert self.get(f"/cases/{case.reference}", self.legal).status_code == 200
        assert self.get(f"/cases/{case.reference}", self.director).status_code == 200
        self.assert_error(self.get(f"/cases/{case.reference}", self.manager), 404, "not_found")
        self.assert_error(self.get(f"/cases/{case.reference}", self.auditor), 404, "not_found")
