"""Who gets in: a live token of an active user whose role may read internal case files."""

import json

from django.test import Client
from django.utils import timezone

from safetydesk.accounts.models import ApiToken
from safetydesk.api.tests.base import ApiTestCase
from safetydesk.cases.models import Case


class TokenAuthTests(ApiTestCase):
    def test_it_refuses_a_request_without_a_token(self) -> None:
        response = self.client.get("/api/v1/cases")

        error = self.assert_error(response, 401, "unauthenticated")
        assert error["details"] == {"reason": "missing_token"}
        assert response["WWW-Authenticate"].startswith("Bearer")

    def test_it_refuses_another_scheme(self) -> None:
        token = self.tokens[self.specialist.pk]

        response = self.client.get("/api/v1/cases", HTTP_AUTHORIZATION=f"Token {token}")

        assert self.assert_error(response, 401, "unauthenticated")["details"] == {"reason": "wrong_scheme"}

    def test_it_refuses_an_unknown_token(self) -> None:
        for token in (ApiToken.generate(), "not-even-our-format", self.tokens[self.specialist.pk] + "x"):
            response = self.client.get("/api/v1/cases", HTTP_AUTHORIZATION=f"Bearer {token}")

            assert self.assert_error(response, 401, "unauthenticated")["details"] == {"reason": "invalid_token"}

    def test_it_refuses_a_revoked_token(self) -> None:
        ApiToken.objects.filter(user=self.specialist).update(revoked_at=timezone.now())

        response = self.get("/cases", self.specialist)

        assert self.assert_error(response, 401, "unauthenticated")["details"] == {"reason": "revoked_token"}

    def test_it_refuses_a_deactivated_account(self) -> None:
        self.specialist.is_active = False
        self.specialist.save(update_fields=["is_active"])

        response = self.get("/cases", self.specialist)

        assert self.assert_error(response, 401, "unauthenticated")["details"] == {"reason": "inactive_user"}

    def test_it_refuses_roles_that_may_not_read_case_files(self) -> None:
        case = self.open_case()
        # The CRC sees only redacted files assigned to it; the others have no case role at all.
        for user in (self.crc, self.outsider, self.admin):
            for response in (self.get("/cases", user), self.get(f"/cases/{case.reference}", user)):
                self.assert_error(response, 403, "role_not_permitted")

    def test_it_lets_an_auditor_read(self) -> None:
        case = self.open_case()

        assert self.get("/cases", self.auditor).json()["items"][0]["reference"] == case.reference
        assert self.get(f"/cases/{case.reference}", self.auditor).status_code == 200

    def test_it_ignores_a_console_session(self) -> None:
        # The API is for tokens; a browser session must not be enough (no CSRF protection here).
        self.client.force_login(self.specialist)

        response = self.client.post("/api/v1/cases", json.dumps({"title": "x"}), content_type="application/json")

        self.assert_error(response, 401, "unauthenticated")
        assert not Case.objects.exists()

    def test_it_needs_no_csrf_token_with_a_bearer_token(self) -> None:
        client = Client(enforce_csrf_checks=True)

        response = self.post("/cases", {"title": "Threat on a user page"}, self.specialist, client=client)

        assert response.status_code == 201, response.content
        assert Case.objects.get().title == "Threat on a user page"
