"""/api/v1/openapi.json documents every operation, the token scheme and the error envelope."""

from django.test import SimpleTestCase

PATHS = {
    "/api/v1/cases": {"get", "post"},
    "/api/v1/cases/search": {"get"},
    "/api/v1/cases/{reference}": {"get"},
    "/api/v1/cases/{reference}/transitions": {"post"},
    "/api/v1/cases/{reference}/assign": {"post"},
    "/api/v1/cases/{reference}/members": {"post"},
    "/api/v1/cases/{reference}/notes": {"post"},
    "/api/v1/cases/{reference}/parties": {"post"},
    "/api/v1/cases/{reference}/evidence": {"post"},
    "/api/v1/cases/{reference}/evidence/from-wiki": {"post"},
    "/api/v1/reports": {"post"},
    "/api/v1/reportincident": {"post"},
    "/api/v1/emergency/counts": {"get"},
    "/api/v1/emergency/cases/{reference}": {"get"},
    "/api/v1/emergency/cases/{reference}/triage": {"post"},
    "/api/v1/emergency/cases/{reference}/referrals": {"post"},
    "/api/v1/emergency/cases/{reference}/disclosures": {"post"},
    "/api/v1/emergency/cases/{reference}/disclosures/{disclosure_id}/confirm": {"post"},
    "/api/v1/emergency/cases/{reference}/investigations": {"post"},
}
# Intake: /reports is public (a staff token is optional), /reportincident takes a wiki's token.
SECURITY = {"/api/v1/reports": [{}, {"TokenAuth": []}], "/api/v1/reportincident": [{"WikiTokenAuth": []}]}


def tag_of(path: str) -> str:
    if path in SECURITY:
        return "intake"
    return "emergency" if path.startswith("/api/v1/emergency/") else "cases"


class OpenAPITests(SimpleTestCase):
    def schema(self) -> dict:
        response = self.client.get("/api/v1/openapi.json")
        assert response.status_code == 200
        return response.json()

    def test_it_lists_every_path_and_operation(self) -> None:
        paths = self.schema()["paths"]

        assert {path: set(ops) for path, ops in paths.items()} == PATHS

    def test_it_documents_the_token_scheme_on_every_operation(self) -> None:
        schema = self.schema()

        assert schema["components"]["securitySchemes"]["TokenAuth"]["type"] == "http"
        assert schema["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"
        for path, ops in schema["paths"].items():
            for op in ops.values():
                assert op.get("security") == SECURITY.get(path, [{"TokenAuth": []}])

    def test_it_gives_each_operation_a_tag_summary_id_and_error_responses(self) -> None:
        schema = self.schema()

        assert {t["name"] for t in schema["tags"]} == {"cases", "intake", "emergency"}
        assert all(t["description"] for t in schema["tags"])
        error_ref = "#/components/schemas/ErrorOut"
        for path, ops in schema["paths"].items():
            for op in ops.values():
                assert op["tags"] == [tag_of(path)]
                assert op["summary"]
                assert op["operationId"]
                # A wiki token has no roles, so ReportIncident cannot answer 403.
                for status in ("401",) if path == "/api/v1/reportincident" else ("401", "403"):
                    assert op["responses"][status]["content"]["application/json"]["schema"]["$ref"] == error_ref
        transition = schema["paths"]["/api/v1/cases/{reference}/transitions"]["post"]
        assert {"200", "400", "401", "403", "404", "409", "422"} <= set(transition["responses"])
        error = schema["components"]["schemas"]["ErrorDetail"]
        assert set(error["required"]) == {"code", "message", "details"}

    def test_it_documents_the_idempotency_key_header(self) -> None:
        create = self.schema()["paths"]["/api/v1/cases"]["post"]

        (header,) = [p for p in create["parameters"] if p["in"] == "header"]
        assert (header["name"], header["required"]) == ("Idempotency-Key", False)
