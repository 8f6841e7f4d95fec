"""GET /cases/search finds cases by reference or title words, among those the user may see."""

from safetydesk.api.tests.base import ApiTestCase
from safetydesk.cases.models import Confidentiality


class SearchCasesTests(ApiTestCase):
    def found(self, query: str) -> list[str]:
        response = self.get(f"/cases/search?q={query}", self.manager)
        assert response.status_code == 200, response.content
        return [item["reference"] for item in response.json()["items"]]

    def test_it_finds_by_reference_or_its_number(self) -> None:
        case = self.open_case("Harassment on Commons")
        self.open_case("Something else")

        assert self.found(case.reference) == [case.reference]
        assert self.found(str(case.pk)) == [case.reference]

    def test_it_finds_by_words_of_the_title(self) -> None:
        commons = self.open_case("Harassment on Commons")
        self.open_case("Harassment on Wikidata")

        assert self.found("commons harassment") == [commons.reference]

    def test_it_leaves_out_cases_the_user_may_not_see(self) -> None:
        self.open_case("Restricted harassment", confidentiality=Confidentiality.RESTRICTED)

        assert self.found("harassment") == []

    def test_it_needs_something_to_search_for(self) -> None:
        error = self.assert_error(self.get("/cases/search", self.manager), 422, "invalid_request")

        assert error["details"]["fields"][0] == {
            "location": "query",
            "field": "q",
            "message": "Field required",
            "type": "missing",
        }
