"""POST /cases opens a case through do_create_case, as the console's form does."""

from typing import Any

from safetydesk.api.tests.base import ApiTestCase
from safetydesk.audit.models import AuditEvent, AuditEventType
from safetydesk.cases.models import Case, CaseEvent, Party

FULL = {
    "title": "Doxxing on a user talk page",
    "summary": "Someone posted a home address.",
    "kind": "general",
    "priority": "P1",
    "confidentiality": "internal",
    "language": "DE",
    "projects": ["dewiki", "commons"],
    "eu_nexus": True,
    "parties": [
        {"role": "reporter", "wiki_username": "Helper", "email": "helper@example.org", "language": "de"},
        {"role": "subject", "wiki_username": "Troll99"},
    ],
}


class CreateCaseTests(ApiTestCase):
    def create(self, payload: dict[str, Any], user: Any = None) -> Any:
        return self.post("/cases", payload, user or self.specialist)

    def test_it_opens_a_case_with_its_parties(self) -> None:
        response = self.create(FULL)

        assert response.status_code == 201, response.content
        body = response.json()
        case = Case.objects.get()
        assert body["reference"] == case.reference
        assert (body["state"], body["version"], body["priority"]) == ("RECEIVED", 1, "P1")
        assert [(p["role"], p["display_name"]) for p in body["parties"]] == [
            ("reporter", "Helper"),
            ("subject", "Troll99"),
        ]
        assert case.summary == "Someone posted a home address."
        assert (case.language, case.projects, case.eu_nexus) == ("de", ["dewiki", "commons"], True)
        assert (case.created_by, case.intake_channel) == (self.specialist, "api")
        assert case.sla_due_at is not None
        assert Party.objects.get(case=case, role="reporter").email == "helper@example.org"
        assert list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True)) == ["created"]
        audit = AuditEvent.objects.get(event_type=AuditEventType.CASE_CREATED)
        assert (audit.actor_id, audit.subject_id) == (self.specialist.pk, str(case.pk))

    def test_it_needs_only_a_title(self) -> None:
        body = self.create({"title": "Spam wave"}).json()

        assert (body["kind"], body["priority"], body["confidentiality"], body["language"]) == (
            "general",
            "P2",
            "internal",
            "en",
        )

    def test_it_makes_the_opener_a_member_of_a_restricted_case(self) -> None:
        reference = self.create({"title": "Minor at risk", "confidentiality": "child_safety"}).json()["reference"]

        assert self.get(f"/cases/{reference}", self.specialist).status_code == 200
        self.assert_error(self.get(f"/cases/{reference}", self.manager), 404, "not_found")

    def test_it_refuses_read_only_roles(self) -> None:
        self.assert_error(self.create(FULL, self.auditor), 403, "role_not_permitted")
        self.assert_error(self.create(FULL, self.crc), 403, "role_not_permitted")

        assert not Case.objects.exists()
        assert not CaseEvent.objects.exists()

    def test_it_refuses_a_blank_title(self) -> None:
        error = self.assert_error(self.create({"title": "   "}), 422, "invalid_data")

        assert error["details"] == {"field": "title"}
        assert not Case.objects.exists()

    def test_it_refuses_values_outside_the_choices(self) -> None:
        for field, value in (("kind", "gossip"), ("priority", "P7"), ("confidentiality", "secret")):
            error = self.assert_error(self.create({"title": "x", field: value}), 422, "invalid_request")
            assert [f["field"] for f in error["details"]["fields"]] == [field]

        error = self.assert_error(
            self.create({"title": "x", "parties": [{"role": "bystander"}]}), 422, "invalid_request"
        )
        assert error["details"]["fields"][0]["field"] == "parties.0.role"
        assert not Case.objects.exists()
