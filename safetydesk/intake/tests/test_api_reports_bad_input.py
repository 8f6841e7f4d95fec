"""POST /api/v1/reports refuses bad input in the API's error format, and keeps nothing of it."""

import json
from typing import Any

from django.test import SimpleTestCase, TestCase, override_settings
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from safetydesk.cases.models import Case
from safetydesk.intake.api import ReportIn, check_report
from safetydesk.intake.models import IntakeItem, RateCounter

URL = "/api/v1/reports"
REPORT = {
    "what_happened": "A user keeps posting my home address on talk pages.",
    "where": "https://en.wikipedia.org/wiki/User_talk:Example",
    "who": "Example",
    "category": "doxing",
}


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code, body
    assert body["error"]["message"]
    return dict(body["error"])


def fields_of(error: dict[str, Any]) -> dict[str, str]:
    """{field: type} of a 422 invalid_request."""
    return {problem["field"]: problem["type"] for problem in error["details"]["fields"]}


class ReportBadInputTests(TestCase):
    def post(self, body: Any, **extra: Any) -> Any:
        data = body if isinstance(body, (str, bytes)) else json.dumps(body)
        return self.client.post(URL, data, content_type="application/json", **extra)

    def assert_nothing_stored(self) -> None:
        assert not IntakeItem.objects.exists()
        assert not Case.objects.exists()

    def test_it_refuses_broken_json_with_400(self) -> None:
        for body in ('{"what_happened": "x",', "what_happened=x", b"\xff\xfe{}", b"\xc3\x28", "[" * 100_000):
            with self.subTest(body=body[:20]):
                error = assert_error(self.post(body), 400, "malformed_json")
                assert error["details"]["reason"]
        self.assert_nothing_stored()

    def test_it_refuses_a_body_over_1_mb_before_reading_it(self) -> None:
        # Not even JSON: the size is decided on Content-Length, before parsing.
        response = self.post(b"{" + b" " * (1024 * 1024))

        error = assert_error(response, 413, "payload_too_large")
        assert error["details"]["limit_bytes"] == 1024 * 1024
        self.assert_nothing_stored()
        # Refused before the rate limiter counted it, too.
        assert not RateCounter.objects.exists()

    def test_it_refuses_a_1_mb_report_text(self) -> None:
        response = self.post({**REPORT, "what_happened": "a" * (1024 * 1024 + 1)})

        assert_error(response, 413, "payload_too_large")
        self.assert_nothing_stored()

    def test_it_names_a_missing_what_happened(self) -> None:
        error = assert_error(self.post({"where": REPORT["where"]}), 422, "invalid_request")

        assert fields_of(error) == {"what_happened": "missing"}
        assert error["details"]["fields"][0]["location"] == "body"
        self.assert_nothing_stored()

    def test_it_refuses_a_blank_or_overlong_what_happened(self) -> None:
        for text, kind in (("   \n ", "value_error"), ("x" * 10_001, "string_too_long")):
            with self.subTest(kind=kind):
                error = assert_error(self.post({**REPORT, "what_happened": text}), 422, "invalid_request")
                assert fields_of(error) == {"what_happened": kind}
        self.assert_nothing_stored()

    def test_it_accepts_exactly_10000_characters(self) -> None:
        report, problems = check_report(ReportIn.model_validate({**REPORT, "what_happened": "é" * 10_000}))

        assert problems == []
        assert len(report.what_happened) == 10_000

    def test_it_refuses_a_link_to_an_unknown_wiki(self) -> None:
        response = self.post({**REPORT, "where": "https://evil.example.com/wiki/Page"})

        error = assert_error(response, 422, "invalid_request")
        assert fields_of(error) == {"where": "unknown_wiki"}
        assert "evil.example.com" in error["details"]["fields"][0]["message"]
        self.assert_nothing_stored()

    def test_it_refuses_a_link_that_is_not_a_web_link(self) -> None:
        for where in ("javascript:alert(1)", "ftp://en.wikipedia.org/wiki/X", "https://user:pw@en.wikipedia.org/"):
            with self.subTest(where=where):
                error = assert_error(self.post({**REPORT, "where": where}), 422, "invalid_request")
                assert list(fields_of(error)) == ["where"]
        self.assert_nothing_stored()

    def test_it_refuses_line_breaks_in_one_line_fields(self) -> None:
        for field in ("who", "contact_name", "contact_email"):
            with self.subTest(field=field):
                value = "me@example.org\r\nBcc: all@example.org"
                error = assert_error(self.post({**REPORT, field: value}), 422, "invalid_request")
                assert list(fields_of(error)) == [field]
        self.assert_nothing_stored()

    def test_it_needs_an_email_to_reply_to(self) -> None:
        error = assert_error(self.post({**REPORT, "wants_reply": True}), 422, "invalid_request")

        assert fields_of(error) == {"contact_email": "missing"}

    def test_it_refuses_an_invalid_email(self) -> None:
        error = assert_error(self.post({**REPORT, "contact_email": "not an address"}), 422, "invalid_request")

        assert fields_of(error) == {"contact_email": "invalid"}

    def test_it_refuses_unknown_fields_and_categories(self) -> None:
        error = assert_error(self.post({**REPORT, "severity": "high", "category": "rude"}), 422, "invalid_request")

        assert set(fields_of(error)) == {"severity", "category"}
        self.assert_nothing_stored()

    def test_it_refuses_a_body_that_is_not_an_object(self) -> None:
        for body in ([REPORT], "just a string", 42, None):
            with self.subTest(body=body):
                assert_error(self.post(json.dumps(body)), 422, "invalid_request")
        self.assert_nothing_stored()

    def test_it_refuses_an_incomplete_notice_of_illegal_content(self) -> None:
        notice = {**REPORT, "illegal_content": True}

        error = assert_error(self.post(notice), 422, "invalid_request")

        assert fields_of(error) == {
            "dsa_explanation": "missing",
            "dsa_urls": "missing",
            "dsa_good_faith": "missing",
            "contact_name": "missing",
            "contact_email": "missing",
        }
        self.assert_nothing_stored()

    def test_it_does_not_ask_a_csam_notice_for_name_and_email(self) -> None:
        notice = {
            **REPORT,
            "illegal_content": True,
            "dsa_csam": True,
            "dsa_explanation": "Sexual images of a child.",
            "dsa_urls": ["https://commons.wikimedia.org/wiki/File:X.jpg"],
            "dsa_good_faith": True,
        }
        _, problems = check_report(ReportIn.model_validate(notice))

        assert problems == []

    def test_it_refuses_notice_fields_without_illegal_content(self) -> None:
        error = assert_error(self.post({**REPORT, "dsa_explanation": "Defamation."}), 422, "invalid_request")

        assert fields_of(error) == {"illegal_content": "missing"}

    def test_it_names_each_bad_notice_link(self) -> None:
        notice = {
            **REPORT,
            "illegal_content": True,
            "dsa_explanation": "Defamation under German law.",
            "dsa_urls": ["https://de.wikipedia.org/wiki/X", "https://example.com/x"],
            "dsa_good_faith": True,
            "contact_name": "Erika Mustermann",
            "contact_email": "erika@example.org",
        }
        error = assert_error(self.post(notice), 422, "invalid_request")

        assert fields_of(error) == {"dsa_urls.1": "unknown_wiki"}

    def test_it_refuses_a_bad_idempotency_key(self) -> None:
        error = assert_error(self.post(REPORT, HTTP_IDEMPOTENCY_KEY="k" * 256), 422, "invalid_request")

        assert error["details"]["fields"][0]["location"] == "header"
        self.assert_nothing_stored()


class ReportEndpointPropertyTests(HypothesisTestCase):
    @override_settings(INTAKE_API_RATE_PER_IP=10_000)
    @settings(max_examples=60, deadline=None)
    @given(
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=50),
            lambda children: (
                st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=15), children, max_size=5)
            ),
            max_leaves=20,
        )
    )
    def test_it_answers_any_json_with_a_refusal_never_a_crash(self, body: Any) -> None:
        response = self.client.post(URL, json.dumps(body), content_type="application/json")

        assert response.status_code in {201, 422}, response.content
        if response.status_code == 422:
            assert response.json()["error"]["code"] == "invalid_request"


class ReportCheckPropertyTests(SimpleTestCase):
    @settings(max_examples=200, deadline=None)
    @given(
        st.fixed_dictionaries(
            {"what_happened": st.text(min_size=1, max_size=200)},
            optional={
                "where": st.text(max_size=80)
                | st.sampled_from(["https://en.wikipedia.org/wiki/A", "en.wikipedia.org/wiki/B"]),
                "who": st.text(max_size=40),
                "contact_email": st.emails() | st.text(max_size=40),
                "language": st.text(max_size=8),
            },
        )
    )
    def test_it_checks_any_text_without_raising(self, data: dict[str, Any]) -> None:
        try:
            report = ReportIn.model_validate(data)
        except ValueError:
            return  # pydantic's ValidationError: refused field by field
        cleaned, problems = check_report(report)
        assert all(problem["loc"][0] == "body" for problem in problems)
        if not problems and cleaned.where:
            assert cleaned.where.startswith(("https://", "http://"))
