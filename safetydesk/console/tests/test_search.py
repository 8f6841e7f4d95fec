from django.urls import reverse

from safetydesk.cases.models import Case
from safetydesk.console.tests.base import ConsoleTestCase


class SearchTests(ConsoleTestCase):
    first: Case
    second: Case
    other: Case

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.first = cls.open_case("Harassment on dewiki talk pages")
        cls.second = cls.open_case("Harassment at an edit-a-thon")
        cls.other = cls.open_case("Copyright complaint")

    def test_it_redirects_straight_to_a_case_by_its_reference(self) -> None:
        self.login(self.specialist)
        response = self.client.get(reverse("console:search"), {"q": self.second.reference.lower()})
        self.assertRedirects(response, reverse("console:case", args=[self.second.reference]))

    def test_it_redirects_by_the_number_alone(self) -> None:
        self.login(self.specialist)
        response = self.client.get(reverse("console:search"), {"q": str(self.other.pk)})
        self.assertRedirects(response, reverse("console:case", args=[self.other.reference]))

    def test_it_lists_cases_matching_every_word(self) -> None:
        self.login(self.specialist)
        response = self.client.get(reverse("console:search"), {"q": "harassment"})
        assert sorted(self.listed(response)) == sorted([self.first.reference, self.second.reference])
        self.assertContains(response, "2 cases match “harassment”")
        response = self.client.get(reverse("console:search"), {"q": "harassment dewiki"})
        assert self.listed(response) == [self.first.reference]

    def test_it_does_not_redirect_when_the_words_match_a_single_title(self) -> None:
        self.login(self.specialist)
        response = self.client.get(reverse("console:search"), {"q": "copyright"})
        assert response.status_code == 200
        assert self.listed(response) == [self.other.reference]

    def test_it_says_when_nothing_matches(self) -> None:
        self.login(self.specialist)
        response = self.client.get(reverse("console:search"), {"q": "zebra"})
        self.assertContains(response, "No case you can see matches.")
        self.assertContains(response, 'value="zebra"')
