"""POST /cases/{reference}/evidence captures evidence through do_capture_evidence."""

from safetydesk.api.tests.base import ApiTestCase
from safetydesk.cases.models import CaseEvent, Evidence


class CaptureEvidenceTests(ApiTestCase):
    def test_it_captures_evidence_with_its_hash(self) -> None:
        case = self.open_case()
        permalink = "https://de.wikipedia.org/w/index.php?diff=4242"

        response = self.post(
            f"/cases/{case.reference}/evidence",
            {"kind": "diff", "permalink": permalink, "content": "insulting text", "description": "The edit"},
            self.specialist,
        )

        assert response.status_code == 201, response.content
        body = response.json()
        evidence = Evidence.objects.get(case=case)
        assert body["evidence"]["sha256"] == evidence.sha256 == Evidence.digest(permalink, "insulting text")
        assert body["evidence"]["captured_by"] == {"id": self.specialist.pk, "username": "sam"}
        assert evidence.is_intact
        assert "insulting text" not in response.content.decode()
        assert body["case_version"] == 2
        assert CaseEvent.objects.filter(case=case, kind="evidence").count() == 1

    def test_it_refuses_evidence_with_nothing_in_it(self) -> None:
        case = self.open_case()
        before = self.snapshot(case)

        error = self.assert_error(
            self.post(f"/cases/{case.reference}/evidence", {"kind": "statement"}, self.specialist), 422, "invalid_data"
        )

        assert error["details"] == {"field": "permalink"}
        self.assert_unchanged(case, before)

    def test_it_refuses_a_read_only_role(self) -> None:
        case = self.open_case()
        before = self.snapshot(case)

        self.assert_error(
            self.post(
                f"/cases/{case.reference}/evidence", {"kind": "diff", "permalink": "https://w.example/1"}, self.auditor
            ),
            403,
            "role_not_permitted",
        )

        self.assert_unchanged(case, before)
        assert not Evidence.objects.exists()
