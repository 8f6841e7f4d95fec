from django.urls import reverse

from safetydesk.cases.models import Case
from safetydesk.console.tests.base import ConsoleTestCase


class TransitionFormPageTests(ConsoleTestCase):
    case: Case

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.case = cls.take(cls.open_case(), "acknowledge")
        cls.take(cls.case, "triage")

    def test_it_renders_choice_url_and_textarea_fields(self) -> None:
        self.login(self.specialist)
        response = self.client.get(reverse("console:case_transition", args=[self.case.reference, "defer"]))
        self.assertContains(response, "<h1>Defer to community</h1>")
        self.assertContains(response, '<select name="routed_to" required id="id_defer_routed_to">')
        self.assertContains(response, '<option value="arbcom">Arbitration Committee</option>')
        self.assertContains(response, 'type="url" name="routed_url"')
        self.assertContains(response, f'<input type="hidden" name="version" value="{self.fresh(self.case).version}"')

        decline = self.client.get(reverse("console:case_transition", args=[self.case.reference, "decline"]))
        self.assertContains(decline, '<textarea name="closure_reason"')

    def test_it_sends_a_step_without_fields_back_to_the_case(self) -> None:
        self.login(self.specialist)
        response = self.client.get(reverse("console:case_transition", args=[self.case.reference, "prioritise"]))
        self.assertRedirects(response, reverse("console:case", args=[self.case.reference]))

    def test_it_explains_instead_of_showing_a_form_to_an_auditor(self) -> None:
        self.login(self.auditor)
        response = self.client.get(reverse("console:case_transition", args=[self.case.reference, "decline"]))
        self.assertContains(response, "You may read this case but not change it.")
        self.assertNotContains(response, "<textarea")

    def test_it_says_when_the_step_is_not_available_from_this_state(self) -> None:
        self.login(self.specialist)
        response = self.client.get(reverse("console:case_transition", args=[self.case.reference, "reopen"]))
        self.assertContains(response, "This step cannot be taken from “Triaged”.")
