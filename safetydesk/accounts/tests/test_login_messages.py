"""The sign-in page says the same thing whatever went wrong, so it reveals no usernames."""

import re

from django.test import override_settings

from safetydesk.accounts.forms import LOGIN_FAILED_MESSAGE
from safetydesk.accounts.models import User
from safetydesk.accounts.tests.utils import audit_rows, post_password
from safetydesk.audit.models import AuditEventType
from safetydesk.lib.testing import PersonaTestCase


def page_without_tokens(response) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


@override_settings(REQUIRE_2FA=False, LOGIN_LOCKOUT_ATTEMPTS=2)
class LoginMessageTests(PersonaTestCase):
    def test_it_answers_an_unknown_user_and_a_wrong_password_alike(self):
        unknown = post_password(self.client, "nobody", "some guess")
        wrong = post_password(self.client, "nobody", "some guess")
        assert unknown.status_code == wrong.status_code
        unknown_page = page_without_tokens(unknown).replace("nobody", "USER")
        wrong_page = page_without_tokens(post_password(self.client, "sam", "some guess")).replace("sam", "USER")
        assert unknown_page == wrong_page
        self.assertContains(unknown, LOGIN_FAILED_MESSAGE)

    def test_it_answers_a_locked_account_alike_even_with_the_right_password(self):
        for _ in range(2):
            post_password(self.client, "sam", "some guess")
        assert User.objects.get(pk=self.specialist.pk).is_locked
        locked_right = page_without_tokens(post_password(self.client, "sam")).replace("sam", "USER")
        unknown = page_without_tokens(post_password(self.client, "nobody", "x")).replace("nobody", "USER")
        assert locked_right == unknown

    def test_it_answers_a_deactivated_account_alike(self):
        User.objects.filter(pk=self.manager.pk).update(is_active=False)
        inactive = page_without_tokens(post_password(self.client, "mia")).replace("mia", "USER")
        unknown = page_without_tokens(post_password(self.client, "nobody", "x")).replace("nobody", "USER")
        assert inactive == unknown

    def test_it_audits_an_unknown_username_without_an_actor(self):
        post_password(self.client, "nobody", "some guess")
        [row] = audit_rows(AuditEventType.LOGIN_FAILED)
        assert row.actor_id is None
        assert row.data == {"reason": "unknown_user", "step": "login"}
