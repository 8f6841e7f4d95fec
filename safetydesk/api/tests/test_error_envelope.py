"""Errors that do not come from a case action still use the one envelope."""

from unittest import mock

from safetydesk.api.tests.base import ApiTestCase


class ErrorEnvelopeTests(ApiTestCase):
    def test_it_answers_an_unknown_endpoint_with_not_found(self) -> None:
        for path in ("/nothing-here", "/cases/SD-2026-000001/elsewhere/deeper"):
            self.assert_error(self.get(path, self.specialist), 404, "not_found")

    def test_it_does_not_reveal_unknown_endpoints_without_a_token(self) -> None:
        self.assert_error(self.client.get("/api/v1/nothing-here"), 401, "unauthenticated")

    def test_it_answers_an_unexpected_failure_without_leaking_it(self) -> None:
        with (
            mock.patch("safetydesk.cases.api.queue", side_effect=RuntimeError("db password is hunter2")),
            self.assertLogs("safetydesk.api", "ERROR"),
        ):
            response = self.get("/cases", self.specialist)

        error = self.assert_error(response, 500, "internal_error")
        assert "hunter2" not in response.content.decode()
        assert error["details"] == {}
