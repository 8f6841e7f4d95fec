"""The staff_required decorator the console uses: login, second factor, and a role."""

from django.http import HttpRequest, HttpResponse
from django.test import override_settings
from django.urls import include, path

from safetydesk.accounts.decorators import require_staff, staff_required
from safetydesk.accounts.tests.utils import LOGIN_URL, SETUP_URL, VERIFY_URL, add_device
from safetydesk.lib.testing import PersonaTestCase, force_login_verified


@staff_required
def staff_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse(f"hello {request.user.username}")


urlpatterns = [
    path("accounts/", include("safetydesk.accounts.urls")),
    path("staff-only/", staff_page),
]


@override_settings(ROOT_URLCONF=__name__, REQUIRE_2FA=True)
class StaffRequiredTests(PersonaTestCase):
    def test_it_lets_verified_staff_in(self):
        force_login_verified(self.client, self.specialist)
        response = self.client.get("/staff-only/")
        assert response.status_code == 200
        assert response.content == b"hello sam"

    def test_it_sends_visitors_to_the_login_page(self):
        response = self.client.get("/staff-only/")
        self.assertRedirects(response, f"{LOGIN_URL}?next=/staff-only/")

    def test_it_refuses_an_account_with_no_role(self):
        force_login_verified(self.client, self.outsider)
        assert self.client.get("/staff-only/").status_code == 403

    def test_it_sends_a_password_only_session_with_a_device_to_the_code_step(self):
        add_device(self.specialist)
        self.client.force_login(self.specialist)
        response = self.client.get("/staff-only/")
        self.assertRedirects(response, f"{VERIFY_URL}?next=%2Fstaff-only%2F")

    def test_it_sends_a_password_only_session_without_a_device_to_enrollment(self):
        self.client.force_login(self.specialist)
        response = self.client.get("/staff-only/")
        self.assertRedirects(response, f"{SETUP_URL}?next=%2Fstaff-only%2F")

    def test_it_lets_a_password_only_session_in_when_2fa_is_not_required(self):
        self.client.force_login(self.specialist)
        with self.settings(REQUIRE_2FA=False):
            assert self.client.get("/staff-only/").status_code == 200
            self.client.force_login(self.outsider)
            assert self.client.get("/staff-only/").status_code == 403

    def test_it_is_exported_under_both_names(self):
        assert require_staff is staff_required
