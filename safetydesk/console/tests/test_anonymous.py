from urllib.parse import quote

from django.urls import reverse

from safetydesk.console.tests.base import ConsoleTestCase


class AnonymousTests(ConsoleTestCase):
    def test_it_sends_anonymous_visitors_to_the_login_page(self) -> None:
        case = self.open_case()
        urls = [
            reverse("console:dashboard"),
            reverse("console:queue") + "?priority=P1",
            reverse("console:search") + "?q=x",
            reverse("console:case", args=[case.reference]),
        ]
        for url in urls:
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertRedirects(
                    response, f"{reverse('accounts:login')}?next={quote(url, safe='/')}", fetch_redirect_response=False
                )

    def test_it_changes_nothing_for_an_anonymous_post(self) -> None:
        case = self.open_case()
        response = self.client.post(
            reverse("console:case_transition", args=[case.reference, "acknowledge"]), {"version": case.version}
        )
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
        assert self.fresh(case).state == "RECEIVED"

    def test_it_asks_for_the_code_after_a_password_only_login(self) -> None:
        self.client.force_login(self.specialist)  # password step done, TOTP step not
        response = self.client.get(reverse("console:queue"))
        assert response.status_code == 302
        assert response["Location"] != reverse("console:queue")
        assert response["Location"].startswith("/accounts/")
