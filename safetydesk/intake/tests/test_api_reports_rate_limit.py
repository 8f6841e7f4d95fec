"""POST /api/v1/reports is rate limited per client address and per contact email: over the
limit it answers 429 rate_limited with Retry-After, and keeps nothing. Staff tokens are exempt."""

import datetime as dt
import json
from typing import Any

import time_machine
from django.test import override_settings

from safetydesk.api.tests.base import ApiTestCase
from safetydesk.intake.models import IntakeItem

URL = "/api/v1/reports"
# 20 seconds into a minute: the per-address window has 40 seconds left.
NOW = dt.datetime(2026, 3, 2, 10, 15, 20, tzinfo=dt.UTC)


def report(number: int, **fields: Any) -> dict[str, Any]:
    return {"what_happened": f"Report number {number}: someone is vandalising my user page.", **fields}


@override_settings(INTAKE_API_RATE_PER_IP=3, INTAKE_API_RATE_PER_EMAIL=2)
class ReportRateLimitTests(ApiTestCase):
    def send(self, body: dict[str, Any], ip: str = "198.51.100.7", **extra: Any) -> Any:
        return self.client.post(URL, json.dumps(body), content_type="application/json", REMOTE_ADDR=ip, **extra)

    def stored(self) -> int:
        return IntakeItem.objects.count()

    def test_it_refuses_the_request_over_the_per_address_limit(self) -> None:
        with time_machine.travel(NOW, tick=False):
            accepted = [self.send(report(n)).status_code for n in range(3)]
            refused = self.send(report(3))

        assert accepted == [201, 201, 201]
        error = self.assert_error(refused, 429, "rate_limited")
        assert refused["Retry-After"] == "40"
        assert error["details"]["retry_after_seconds"] == 40
        assert self.stored() == 3

    def test_it_counts_malformed_and_invalid_requests_too(self) -> None:
        with time_machine.travel(NOW, tick=False):
            self.client.post(URL, "{not json", content_type="application/json", REMOTE_ADDR="198.51.100.7")
            self.send({"where": "x"})
            self.send({})
            refused = self.send(report(1))

        self.assert_error(refused, 429, "rate_limited")
        assert self.stored() == 0

    def test_it_keeps_addresses_apart_and_starts_again_next_window(self) -> None:
        with time_machine.travel(NOW, tick=False):
            for n in range(3):
                self.send(report(n))
            assert self.send(report(9), ip="203.0.113.9").status_code == 201
            self.assert_error(self.send(report(3)), 429, "rate_limited")
        with time_machine.travel(NOW + dt.timedelta(seconds=40), tick=False):
            assert self.send(report(4)).status_code == 201

        assert self.stored() == 5

    def test_it_refuses_the_request_over_the_per_email_limit(self) -> None:
        with time_machine.travel(NOW, tick=False):
            first = self.send(report(1, contact_email="Flood@Example.org"), ip="198.51.100.1")
            second = self.send(report(2, contact_email="flood@example.org"), ip="198.51.100.2")
            refused = self.send(report(3, contact_email="flood@example.org "), ip="198.51.100.3")
            other = self.send(report(4, contact_email="someone@example.org"), ip="198.51.100.3")

        assert (first.status_code, second.status_code, other.status_code) == (201, 201, 201)
        error = self.assert_error(refused, 429, "rate_limited")
        # The per-email window is an hour, aligned to the hour: 44:40 left.
        assert refused["Retry-After"] == str(44 * 60 + 40)
        assert error["details"]["window_seconds"] == 3600
        assert self.stored() == 3

    def test_it_does_not_limit_staff_tokens(self) -> None:
        with time_machine.travel(NOW, tick=False):
            statuses = [
                self.send(report(n, contact_email="desk@example.org"), headers=self.auth(self.specialist)).status_code
                for n in range(6)
            ]

        assert statuses == [201] * 6
        assert self.stored() == 6

    def test_it_refuses_a_wrong_token_instead_of_treating_it_as_anonymous(self) -> None:
        response = self.send(report(1), headers={"Authorization": "Bearer sdt_wrong"})

        error = self.assert_error(response, 401, "unauthenticated")
        assert error["details"]["reason"] == "invalid_token"
        assert self.stored() == 0
