"""A body that is not JSON at all answers 400 malformed_json, and changes nothing."""

from safetydesk.api.tests.base import ApiTestCase
from safetydesk.cases.models import Case, Note


class MalformedJSONTests(ApiTestCase):
    def test_it_refuses_broken_json_on_every_write(self) -> None:
        case = self.open_case()
        before = self.snapshot(case)
        for path in ("/cases", *(f"/cases/{case.reference}/{p}" for p in ("transitions", "notes", "assign"))):
            for body in ('{"transition": "acknowledge",', "transition=acknowledge", b"\xff\xfe{}"):
                error = self.assert_error(self.post(path, body, self.specialist), 400, "malformed_json")
                assert error["details"]["reason"], (path, body)

        self.assert_unchanged(case, before)
        assert Case.objects.count() == 1
        assert not Note.objects.exists()

    def test_it_checks_the_token_before_reading_the_body(self) -> None:
        response = self.client.post("/api/v1/cases", "{oops", content_type="application/json")

        self.assert_error(response, 401, "unauthenticated")
