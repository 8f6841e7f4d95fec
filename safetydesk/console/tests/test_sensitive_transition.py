from urllib.parse import urlencode

from django.urls import reverse

from safetydesk.cases.models import Case
from safetydesk.console.tests.base import ConsoleTestCase


class SensitiveTransitionTests(ConsoleTestCase):
    case: Case

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.case = cls.take(cls.open_case(), "acknowledge")
        cls.take(cls.case, "triage")
        cls.take(cls.case, "decline", closure_reason="Out of scope.")

    def test_it_asks_for_sudo_before_a_sensitive_post_and_changes_nothing(self) -> None:
        self.login(self.manager)
        case_url = reverse("console:case", args=[self.case.reference])
        response = self.client.post(
            reverse("console:case_transition", args=[self.case.reference, "reopen"]),
            {"version": self.fresh(self.case).version, "reopen_reason": "New evidence arrived."},
        )
        self.assertRedirects(
            response, reverse("accounts:sudo") + "?" + urlencode({"next": case_url}), fetch_redirect_response=False
        )
        assert self.fresh(self.case).state == "CLOSED_DECLINED"

    def test_it_asks_for_sudo_before_showing_a_sensitive_form(self) -> None:
        self.login(self.manager)
        url = reverse("console:case_transition", args=[self.case.reference, "reopen"])
        response = self.client.get(url)
        self.assertRedirects(
            response, reverse("accounts:sudo") + "?" + urlencode({"next": url}), fetch_redirect_response=False
        )

    def test_it_takes_the_sensitive_step_with_sudo(self) -> None:
        self.login(self.manager)
        self.grant_sudo()
        url = reverse("console:case_transition", args=[self.case.reference, "reopen"])
        form = self.client.get(url)
        self.assertContains(form, 'name="reopen_reason"')
        response = self.client.post(
            url, {"version": self.fresh(self.case).version, "reopen_reason": "New evidence arrived."}
        )
        case_url = reverse("console:case", args=[self.case.reference])
        self.assertRedirects(response, case_url, fetch_redirect_response=False)
        assert self.fresh(self.case).state == "TRIAGED"
