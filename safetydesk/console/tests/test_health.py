from unittest import mock

from django.db import DatabaseError, connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse


class HealthTests(TestCase):
    def test_it_answers_ok_with_one_query_and_no_login(self) -> None:
        assert reverse("console:healthz") == "/healthz"
        with CaptureQueriesContext(connection) as captured:
            response = self.client.get("/healthz")
        assert response.status_code == 200
        assert response.content == b"ok"
        assert response["Content-Type"].startswith("text/plain")
        assert "no-cache" in response["Cache-Control"]
        assert [q["sql"] for q in captured.captured_queries] == ["SELECT 1"]
        assert not response.cookies

    def test_it_answers_head(self) -> None:
        assert self.client.head("/healthz").status_code == 200

    def test_it_refuses_other_methods(self) -> None:
        assert self.client.post("/healthz").status_code == 405

    def test_it_says_so_when_the_database_does_not_answer(self) -> None:
        with (
            mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=DatabaseError("gone")),
            self.assertLogs("safetydesk.health", "ERROR"),
        ):
            response = self.client.get("/healthz")
        assert response.status_code == 503
        assert response.content == b"database unavailable"
