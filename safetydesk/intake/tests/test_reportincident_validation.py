"""POST /api/v1/reportincident checks the ReportIncident payload (DOMAIN §16.4) field by field:
each rule broken answers 422 naming the field, and nothing is kept."""

import json
from typing import Any

from django.test import TestCase

from safetydesk.audit.models import AuditEvent
from safetydesk.cases.models import Case
from safetydesk.intake.models import IntakeItem, ReportIncidentCount
from safetydesk.intake.wiki_tokens import do_create_wiki_token

URL = "/api/v1/reportincident"
EMERGENCY = {
    "revisionId": 123456,
    "reportedUser": "Threatening user",
    "incidentType": "immediate-threat-physical-harm",
    "physicalHarmType": "threats-physical-harm",
    "details": "They wrote that they will come to my house tomorrow.",
    "reporter": {"username": "Reporter", "email": "reporter@example.org"},
}
BEHAVIOUR = {
    "revisionId": 123456,
    "reportedUser": "Rude user",
    "incidentType": "unacceptable-user-behavior",
    "behaviorType": "intimidation",
    "details": "Name-calling in three threads.",
}


class ReportIncidentValidationTests(TestCase):
    token: str

    @classmethod
    def setUpTestData(cls) -> None:
        # The English Wikipedia's token: every request here is correctly authenticated.
        cls.token = do_create_wiki_token(acting_user="tests", wiki="en.wikipedia.org")[1]

    def setUp(self) -> None:
        self.audit_rows = AuditEvent.objects.count()

    def post(self, payload: Any) -> Any:
        body = payload if isinstance(payload, (str, bytes)) else json.dumps(payload)
        return self.client.post(
            URL, body, content_type="application/json", headers={"Authorization": f"Bearer {self.token}"}
        )

    def refused_fields(self, payload: Any) -> dict[str, str]:
        """{field: type} of the 422 the payload gets; asserts nothing was kept."""
        response = self.post(payload)
        assert response.status_code == 422, response.content
        error = response.json()["error"]
        assert error["code"] == "invalid_request"
        assert not IntakeItem.objects.exists()
        assert not Case.objects.exists()
        assert not ReportIncidentCount.objects.exists()
        assert AuditEvent.objects.count() == self.audit_rows
        return {problem["field"]: problem["type"] for problem in error["details"]["fields"]}

    def test_it_needs_a_physical_harm_type_for_an_emergency(self) -> None:
        payload = {k: v for k, v in EMERGENCY.items() if k != "physicalHarmType"}

        assert self.refused_fields(payload) == {"physicalHarmType": "missing"}

    def test_it_refuses_a_behaviour_type_on_an_emergency(self) -> None:
        assert self.refused_fields({**EMERGENCY, "behaviorType": "intimidation"}) == {"behaviorType": "forbidden"}

    def test_it_needs_the_reporter_of_an_emergency(self) -> None:
        payload = {k: v for k, v in EMERGENCY.items() if k != "reporter"}

        assert self.refused_fields(payload) == {"reporter": "missing"}

    def test_it_needs_a_behaviour_type_for_unacceptable_behaviour(self) -> None:
        payload = {k: v for k, v in BEHAVIOUR.items() if k != "behaviorType"}

        assert self.refused_fields(payload) == {"behaviorType": "missing"}

    def test_it_refuses_a_physical_harm_type_on_unacceptable_behaviour(self) -> None:
        payload = {**BEHAVIOUR, "physicalHarmType": "threats-self-harm"}

        assert self.refused_fields(payload) == {"physicalHarmType": "forbidden"}

    def test_it_needs_a_page_when_the_revision_is_0(self) -> None:
        assert self.refused_fields({**BEHAVIOUR, "revisionId": 0}) == {"page": "missing"}
        assert self.refused_fields({**BEHAVIOUR, "revisionId": 0, "page": "  "}) == {"page": "missing"}

    def test_it_needs_an_integer_revision_id(self) -> None:
        for value in ("123", 12.5, True, None, -1):
            with self.subTest(value=value):
                assert list(self.refused_fields({**BEHAVIOUR, "revisionId": value})) == ["revisionId"]
        payload = {k: v for k, v in BEHAVIOUR.items() if k != "revisionId"}
        assert self.refused_fields(payload) == {"revisionId": "missing"}

    def test_it_refuses_unknown_types(self) -> None:
        assert list(self.refused_fields({**BEHAVIOUR, "incidentType": "spam"})) == ["incidentType"]
        assert list(self.refused_fields({**BEHAVIOUR, "behaviorType": "rudeness"})) == ["behaviorType"]
        assert list(self.refused_fields({**EMERGENCY, "physicalHarmType": "threats"})) == ["physicalHarmType"]

    def test_it_counts_1000_code_points_not_bytes(self) -> None:
        # 1,000 emoji are 4,000 bytes of UTF-8 and 2,000 UTF-16 units, but 1,000 code points.
        for field in ("details", "somethingElseDetails", "directReport"):
            with self.subTest(field=field):
                assert self.post({**BEHAVIOUR, field: "😀" * 1000}).status_code == 202
                assert self.refused_fields_after_counts({**BEHAVIOUR, field: "😀" * 1001}) == {field: "string_too_long"}

    def refused_fields_after_counts(self, payload: Any) -> dict[str, str]:
        counted = list(ReportIncidentCount.objects.values_list("count", flat=True))
        response = self.post(payload)
        assert response.status_code == 422, response.content
        assert list(ReportIncidentCount.objects.values_list("count", flat=True)) == counted
        return {p["field"]: p["type"] for p in response.json()["error"]["details"]["fields"]}

    def test_it_refuses_a_bad_reporter(self) -> None:
        assert self.refused_fields({**EMERGENCY, "reporter": {"username": "R", "email": "nope"}}) == {
            "reporter.email": "value_error"
        }
        assert self.refused_fields({**EMERGENCY, "reporter": {"username": " ", "email": "r@example.org"}}) == {
            "reporter.username": "value_error"
        }

    def test_it_refuses_line_breaks_that_would_forge_lines_of_the_report(self) -> None:
        forged = "Someone\nThreat type: Threats of public harm"
        for field in ("reportedUser", "page", "threadId"):
            with self.subTest(field=field):
                assert self.refused_fields({**EMERGENCY, field: forged}) == {field: "value_error"}
        reporter = {"username": forged, "email": "r@example.org"}
        assert self.refused_fields({**EMERGENCY, "reporter": reporter}) == {"reporter.username": "value_error"}

    def test_it_refuses_unknown_fields(self) -> None:
        assert self.refused_fields({**BEHAVIOUR, "behaviors": ["spam"]}) == {"behaviors": "extra_forbidden"}

    def test_it_names_every_problem_at_once(self) -> None:
        payload = {**EMERGENCY, "behaviorType": "spam", "revisionId": 0}
        del payload["physicalHarmType"]

        assert self.refused_fields(payload) == {
            "physicalHarmType": "missing",
            "behaviorType": "forbidden",
            "page": "missing",
        }

    def test_it_refuses_broken_json_with_400(self) -> None:
        response = self.post('{"revisionId": 1,')

        assert response.status_code == 400
        assert response.json()["error"]["code"] == "malformed_json"
        assert not ReportIncidentCount.objects.exists()

    def test_it_refuses_a_body_over_1_mb(self) -> None:
        response = self.post({**EMERGENCY, "details": "x" * (1024 * 1024)})

        assert response.status_code == 413
        assert response.json()["error"]["code"] == "payload_too_large"
        assert not IntakeItem.objects.exists()
