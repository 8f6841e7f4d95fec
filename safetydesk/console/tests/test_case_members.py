"""The case page names members of a confidential case."""

from safetydesk.cases.actions import do_create_case
from safetydesk.cases.models import Case
from safetydesk.lib.testing import PersonaTestCase, force_login_verified


class CaseMembersPageTests(PersonaTestCase):
    def test_a_manager_names_a_member_from_the_case_page(self) -> None:
        case = do_create_case(acting_user=self.manager, title="Staff misconduct", confidentiality="restricted")
        force_login_verified(self.client, self.manager)
        page = self.client.get(f"/cases/{case.reference}/")
        assert b"Named members" in page.content
        assert b'name="member"' in page.content

        response = self.client.post(
            f"/cases/{case.reference}/members/", {"member": self.specialist.pk, "version": 1}, follow=True
        )

        assert response.status_code == 200
        assert b"is now a member of this case" in response.content
        assert self.specialist in Case.objects.get(pk=case.pk).members.all()

    def test_a_specialist_gets_no_form_and_a_post_is_refused(self) -> None:
        case = do_create_case(acting_user=self.specialist, title="Internal matter", confidentiality="legal_privileged")
        force_login_verified(self.client, self.specialist)
        assert b'name="member"' not in self.client.get(f"/cases/{case.reference}/").content
        response = self.client.post(f"/cases/{case.reference}/members/", {"member": self.oncall.pk, "version": 1})
        assert response.status_code == 403
        assert list(Case.objects.get(pk=case.pk).members.all()) == [self.specialist]
