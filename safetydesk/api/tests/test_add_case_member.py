"""POST /cases/{reference}/members names a member through do_add_case_member."""

from safetydesk.api.tests.base import ApiTestCase
from safetydesk.cases.actions import do_create_case
from safetydesk.cases.models import Case


class AddCaseMemberTests(ApiTestCase):
    def test_a_manager_names_a_member(self) -> None:
        case = do_create_case(acting_user=self.manager, title="Staff misconduct", confidentiality="restricted")
        response = self.post(
            f"/cases/{case.reference}/members", {"member": self.specialist.pk, "expected_version": 1}, self.manager
        )
        assert response.status_code == 200, response.content
        assert response.json()["version"] == 2
        assert self.get(f"/cases/{case.reference}", self.specialist).status_code == 200

    def test_it_refuses_a_specialist_and_an_unknown_user(self) -> None:
        case = do_create_case(acting_user=self.specialist, title="Internal matter")
        refused = self.post(
            f"/cases/{case.reference}/members", {"member": self.legal.pk, "expected_version": 1}, self.specialist
        )
        unknown = self.post(f"/cases/{case.reference}/members", {"member": 999999, "expected_version": 1}, self.manager)
        assert (refused.status_code, refused.json()["error"]["code"]) == (403, "role_not_permitted")
        assert (unknown.status_code, unknown.json()["error"]["code"]) == (422, "invalid_data")
        assert not Case.objects.get(pk=case.pk).members.exists()
