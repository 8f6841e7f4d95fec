"""POST /cases/{reference}/parties adds a person through do_add_party."""

from safetydesk.api.tests.base import ApiTestCase
from safetydesk.cases.models import CaseEvent, Party


class AddPartyTests(ApiTestCase):
    def test_it_adds_a_party(self) -> None:
        case = self.open_case()

        response = self.post(
            f"/cases/{case.reference}/parties",
            {"role": "witness", "wiki_username": "Onlooker", "email": "onlooker@example.org", "language": "fr"},
            self.specialist,
        )

        assert response.status_code == 201, response.content
        body = response.json()
        party = Party.objects.get(case=case)
        assert body["party"] == {
            "id": party.pk,
            "role": "witness",
            "display_name": "Onlooker",
            "language": "fr",
            "added_at": body["party"]["added_at"],
        }
        assert party.email == "onlooker@example.org"
        assert "onlooker@example.org" not in response.content.decode()
        assert body["case_version"] == 2
        assert CaseEvent.objects.filter(case=case, kind="party").count() == 1

    def test_it_refuses_a_read_only_role_and_unknown_roles(self) -> None:
        case = self.open_case()
        before = self.snapshot(case)

        self.assert_error(
            self.post(f"/cases/{case.reference}/parties", {"role": "witness"}, self.auditor), 403, "role_not_permitted"
        )
        self.assert_error(
            self.post(f"/cases/{case.reference}/parties", {"role": "bystander"}, self.specialist),
            422,
            "invalid_request",
        )

        self.assert_unchanged(case, before)
        assert not Party.objects.exists()
