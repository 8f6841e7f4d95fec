from django.urls import reverse

from safetydesk.console.tests.base import ConsoleTestCase


class AssignmentTests(ConsoleTestCase):
    def test_it_sets_lead_and_assistants(self) -> None:
        case = self.open_case()
        self.login(self.manager)
        response = self.client.post(
            reverse("console:case_assign", args=[case.reference]),
            {"version": case.version, "lead": self.specialist.pk, "assistants": [self.oncall.pk, self.legal.pk]},
        )
        self.assertRedirects(response, reverse("console:case", args=[case.reference]), fetch_redirect_response=False)
        case = self.fresh(case)
        assert case.lead == self.specialist
        assert set(case.assistants.all()) == {self.oncall, self.legal}
        page = self.client.get(reverse("console:case", args=[case.reference]))
        self.assertContains(page, "Assignment saved.")
        self.assertContains(page, "<dt>Lead</dt><dd>Sam Specialist</dd>")

    def test_it_offers_only_casework_staff(self) -> None:
        case = self.open_case()
        self.login(self.manager)
        html = self.section(self.client.get(reverse("console:case", args=[case.reference])), "people-h")
        assert f'<option value="{self.specialist.pk}">Sam Specialist</option>' in html
        for person in (self.auditor, self.crc, self.outsider, self.admin):
            assert f'<option value="{person.pk}">' not in html

    def test_it_refuses_someone_who_does_not_work_cases(self) -> None:
        case = self.open_case()
        self.login(self.manager)
        response = self.client.post(
            reverse("console:case_assign", args=[case.reference]), {"version": case.version, "lead": self.auditor.pk}
        )
        self.assertContains(response, "Select a valid choice", status_code=400)
        assert self.fresh(case).lead is None
