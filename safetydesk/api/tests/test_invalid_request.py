"""Well-formed JSON of the wrong shape answers 422 invalid_request naming each field, and changes nothing."""

from typing import Any

from safetydesk.api.tests.base import ApiTestCase
from safetydesk.cases.models import Case, Note


class InvalidRequestTests(ApiTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.case = self.open_case()
        self.before = self.snapshot(self.case)

    def fields(self, path: str, payload: Any) -> dict[str, str]:
        error = self.assert_error(self.post(path, payload, self.specialist), 422, "invalid_request")
        self.assert_unchanged(self.case, self.before)
        return {f["field"]: f["type"] for f in error["details"]["fields"]}

    def test_it_names_wrongly_typed_transition_fields(self) -> None:
        path = f"/cases/{self.case.reference}/transitions"

        assert self.fields(path, {"transition": "acknowledge", "expected_version": "latest"}) == {
            "expected_version": "int_parsing"
        }
        assert self.fields(path, {"transition": 7, "data": {"reason": 3}, "expected_version": 1}) == {
            "transition": "string_type",
            "data.reason": "string_type",
        }
        assert self.fields(path, {"transition": "acknowledge", "data": ["x"], "expected_version": 1}) == {
            "data": "dict_type"
        }

    def test_it_names_missing_fields(self) -> None:
        assert self.fields(f"/cases/{self.case.reference}/transitions", {}) == {
            "transition": "missing",
            "expected_version": "missing",
        }
        assert self.fields(f"/cases/{self.case.reference}/notes", {}) == {"body": "missing"}
        assert self.fields("/cases", {"summary": "No title"}) == {"title": "missing"}

    def test_it_refuses_a_body_that_is_not_an_object(self) -> None:
        assert self.fields("/cases", ["not", "an", "object"]) == {"": "model_attributes_type"}

    def test_it_refuses_an_empty_body(self) -> None:
        # "" names the body as a whole.
        assert self.fields(f"/cases/{self.case.reference}/notes", "") == {"": "missing"}

    def test_it_refuses_fields_it_does_not_know(self) -> None:
        # A misspelt expected_version must not be dropped, or the stale-case check is skipped.
        assert self.fields(
            f"/cases/{self.case.reference}/transitions",
            {"transition": "acknowledge", "expected_version": 1, "expected_verison": 1},
        ) == {"expected_verison": "extra_forbidden"}

    def test_it_names_wrongly_typed_fields_elsewhere(self) -> None:
        assert self.fields(f"/cases/{self.case.reference}/notes", {"body": ["a", "b"]}) == {"body": "string_type"}
        assert self.fields(f"/cases/{self.case.reference}/assign", {"lead": "sam", "expected_version": 1}) == {
            "lead": "int_parsing"
        }
        assert self.fields("/cases", {"title": "x", "eu_nexus": "perhaps", "projects": "enwiki"}) == {
            "eu_nexus": "bool_parsing",
            "projects": "list_type",
        }
        assert Case.objects.count() == 1
        assert not Note.objects.exists()
