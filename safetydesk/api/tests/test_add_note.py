"""POST /cases/{reference}/notes adds an internal note through do_add_note."""

from safetydesk.api.tests.base import ApiTestCase
from safetydesk.cases.models import CaseEvent, Note


class AddNoteTests(ApiTestCase):
    def test_it_adds_a_note(self) -> None:
        case = self.open_case()

        response = self.post(f"/cases/{case.reference}/notes", {"body": "  Called the reporter back.  "}, self.oncall)

        assert response.status_code == 201, response.content
        body = response.json()
        note = Note.objects.get(case=case)
        assert body["note"]["id"] == note.pk
        assert body["note"]["body"] == note.body == "Called the reporter back."
        assert body["note"]["author"] == {"id": self.oncall.pk, "username": "oli"}
        assert body["case_version"] == 2
        assert CaseEvent.objects.filter(case=case, kind="note").count() == 1

    def test_it_refuses_an_empty_note(self) -> None:
        case = self.open_case()
        before = self.snapshot(case)

        error = self.assert_error(
            self.post(f"/cases/{case.reference}/notes", {"body": " \n "}, self.specialist), 422, "invalid_data"
        )

        assert error["details"] == {"field": "body"}
        self.assert_unchanged(case, before)
        assert not Note.objects.exists()

    def test_it_refuses_a_read_only_role(self) -> None:
        case = self.open_case()
        before = self.snapshot(case)

        self.assert_error(
            self.post(f"/cases/{case.reference}/notes", {"body": "Audit remark"}, self.auditor),
            403,
            "role_not_permitted",
        )

        self.assert_unchanged(case, before)
        assert not Note.objects.exists()
