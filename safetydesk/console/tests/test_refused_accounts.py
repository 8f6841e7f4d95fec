from django.urls import reverse

from safetydesk.cases.models import Case
from safetydesk.console.tests.base import ConsoleTestCase


class RefusedAccountTests(ConsoleTestCase):
    case: Case

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.case = cls.open_case()

    def urls(self) -> list[str]:
        return [
            reverse("console:dashboard"),
            reverse("console:queue"),
            reverse("console:search") + "?q=" + self.case.reference,
            reverse("console:case", args=[self.case.reference]),
        ]

    def test_it_sends_a_crc_member_to_their_panels(self) -> None:
        # CRC volunteers see redacted appeal files (/crc/), never the live case console.
        self.login(self.crc)
        for url in self.urls():
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertRedirects(response, reverse("crc:panels"), fetch_redirect_response=False)
                assert self.case.title not in response.content.decode()

    def test_it_refuses_an_account_without_a_role(self) -> None:
        self.login(self.outsider)
        for url in self.urls():
            with self.subTest(url=url):
                assert self.client.get(url).status_code == 403

    def test_it_refuses_changes_from_refused_accounts(self) -> None:
        for person in (self.crc, self.outsider, self.admin):
            with self.subTest(person=person.username):
                self.login(person)
                response = self.client.post(
                    reverse("console:case_transition", args=[self.case.reference, "acknowledge"]),
                    {"version": self.case.version},
                )
                assert response.status_code == 403
        assert self.fresh(self.case).state == "RECEIVED"
