from django.urls import reverse

from safetydesk.console.tests.base import ConsoleTestCase


class UnknownTransitionTests(ConsoleTestCase):
    def test_it_refuses_an_unknown_transition_with_a_message(self) -> None:
        case = self.open_case()
        self.login(self.specialist)
        response = self.client.post(
            reverse("console:case_transition", args=[case.reference, "ban_everyone"]), {"version": case.version}
        )
        self.assertContains(response, "“ban_everyone” is not a transition of the general workflow", status_code=400)
        assert self.fresh(case).version == case.version

    def test_it_has_no_form_page_for_an_unknown_transition(self) -> None:
        case = self.open_case()
        self.login(self.specialist)
        response = self.client.get(reverse("console:case_transition", args=[case.reference, "ban_everyone"]))
        assert response.status_code == 404

    def test_it_404s_for_an_unknown_case(self) -> None:
        self.login(self.specialist)
        response = self.client.post(
            reverse("console:case_transition", args=["SD-1999-999999", "acknowledge"]), {"version": 1}
        )
        assert response.status_code == 404
