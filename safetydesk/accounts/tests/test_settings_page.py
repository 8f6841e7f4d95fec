"""The personal settings page: who you are, your roles, 2FA status, tokens, language."""

from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from safetydesk.accounts.tests.utils import SETTINGS_URL, TOKENS_URL
from safetydesk.lib.testing import PersonaTestCase, force_login_verified

LANGUAGE_URL = reverse("accounts:language")


class SettingsPageTests(PersonaTestCase):
    def test_it_shows_name_roles_and_two_factor_status(self):
        force_login_verified(self.client, self.specialist)
        response = self.client.get(SETTINGS_URL)
        self.assertContains(response, "Sam Specialist")
        self.assertContains(response, "T&amp;S specialist")
        self.assertContains(response, 'class="status on"')
        self.assertContains(response, f'href="{TOKENS_URL}"')

    @override_settings(REQUIRE_2FA=False)
    def test_it_shows_two_factor_off_without_a_device(self):
        self.client.force_login(self.specialist)
        response = self.client.get(SETTINGS_URL)
        self.assertContains(response, 'class="status off"')
        self.assertContains(response, reverse("accounts:totp_setup"))

    def test_it_offers_every_configured_language(self):
        force_login_verified(self.client, self.specialist)
        response = self.client.get(SETTINGS_URL)
        for code, _name in settings.LANGUAGES:
            self.assertContains(response, f'<option value="{code}"')
        self.assertContains(response, "日本語")

    def test_it_sets_the_language(self):
        force_login_verified(self.client, self.specialist)
        response = self.client.post(LANGUAGE_URL, {"language": "de"})
        self.assertRedirects(response, SETTINGS_URL, fetch_redirect_response=False)
        assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "de"
        page = self.client.get(SETTINGS_URL)
        self.assertContains(page, '<html lang="de"')

    def test_it_refuses_a_language_that_is_not_offered(self):
        force_login_verified(self.client, self.specialist)
        response = self.client.post(LANGUAGE_URL, {"language": "xx"})
        self.assertRedirects(response, SETTINGS_URL, fetch_redirect_response=False)
        assert settings.LANGUAGE_COOKIE_NAME not in response.cookies

    def test_it_needs_a_login(self):
        response = self.client.get(SETTINGS_URL)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
