"""Evidence by permalink from a real wiki: the revision's text, author and time are kept with
their SHA-256, and stay when the page is deleted on the wiki."""

import secrets

import pytest
from django.urls import reverse

from safetydesk.cases.actions import do_create_case
from safetydesk.cases.errors import InvalidData
from safetydesk.cases.models import CaseKind, EvidenceKind
from safetydesk.lib.testing import PersonaTestCase, force_login_verified
from safetydesk.wiki.actions import logged_in_client
from safetydesk.wiki.devwiki import DevWiki
from safetydesk.wiki.evidence import do_capture_from_wiki, revision_of
from safetydesk.wiki.models import Wiki
from safetydesk.wiki.tests.farm import register


def test_permalinks_name_their_revision() -> None:
    assert revision_of("https://en.wikipedia.org/w/index.php?title=X&oldid=123") == (123, False)
    assert revision_of("https://en.wikipedia.org/w/index.php?title=X&diff=456&oldid=123") == (456, True)
    assert revision_of("https://en.wikipedia.org/w/index.php?diff=next&oldid=123") == (123, True)
    assert revision_of("https://en.wikipedia.org/wiki/Special:PermanentLink/789") == (789, False)
    assert revision_of("https://en.wikipedia.org/wiki/Special:Diff/100/200") == (200, True)
    assert revision_of("https://en.wikipedia.org/wiki/Main_Page") is None


@pytest.mark.usefixtures("farm")
class CaptureFromWikiTests(PersonaTestCase):
    farm: list[DevWiki]

    def setUp(self) -> None:
        register(self.farm[:1])
        self.wiki = Wiki.objects.get(name=self.farm[0].name)
        self.case = do_create_case(acting_user=None, title="Doxxing", kind=CaseKind.OFFICE_ACTION)

    def test_a_revision_is_kept_with_its_text_and_survives_deletion_on_the_wiki(self) -> None:
        client = logged_in_client(self.wiki)
        title = f"User talk:Target{secrets.token_hex(3)}"
        edit = client.edit(title, text="I know where you live: 12 Example Street.", summary="threat")
        permalink = f"{self.farm[0].url}/index.php?title={title.replace(' ', '_')}&oldid={edit['newrevid']}"

        evidence = do_capture_from_wiki(case=self.case, acting_user=self.specialist, permalink=permalink)

        assert evidence.kind == EvidenceKind.REVISION
        assert "I know where you live: 12 Example Street." in evidence.content
        assert f"Revision: {edit['newrevid']}" in evidence.content
        assert "Author: TSOffice" in evidence.content
        assert evidence.is_intact
        client.post("delete", title=title, reason="Office action")
        assert client.revision(edit["newrevid"]) is None  # deleted: only our copy has it now

    def test_links_that_name_no_revision_or_no_registered_wiki_are_refused_and_nothing_is_kept(self) -> None:
        cases = [
            (f"{self.farm[0].url}/index.php?title=Main_Page", "names no revision"),
            ("https://en.wikipedia.org/w/index.php?oldid=1", "No registered wiki"),
            (f"{self.farm[0].url}/index.php?oldid=99999999", "has no revision 99999999"),
        ]
        for permalink, message in cases:
            with self.subTest(permalink=permalink), pytest.raises(InvalidData, match=message):
                do_capture_from_wiki(case=self.case, acting_user=self.specialist, permalink=permalink)
        assert not self.case.evidence.exists()

    def test_the_api_captures_from_the_wiki_and_refuses_a_link_to_nothing(self) -> None:
        from safetydesk.accounts.actions import do_create_api_token

        _row, token = do_create_api_token(acting_user=self.specialist, name="evidence")
        client = logged_in_client(self.wiki)
        edit = client.edit(f"User talk:Api{secrets.token_hex(3)}", text="Evidence by API.", summary="x")
        url = f"/api/v1/cases/{self.case.reference}/evidence/from-wiki"
        auth = {"authorization": f"Bearer {token}"}
        ok = self.client.post(url, {"permalink": f"{self.farm[0].url}/index.php?oldid={edit['newrevid']}"},
                              content_type="application/json", headers=auth)  # fmt: skip
        assert ok.status_code == 201, ok.content
        assert ok.json()["evidence"]["kind"] == "revision"
        bad = self.client.post(url, {"permalink": f"{self.farm[0].url}/index.php?title=Main_Page"},
                               content_type="application/json", headers=auth)  # fmt: skip
        assert bad.status_code == 422
        assert bad.json()["error"]["details"] == {"field": "permalink"}
        assert self.case.evidence.count() == 1

    def test_the_case_page_captures_from_the_wiki(self) -> None:
        edit = logged_in_client(self.wiki).edit(f"User talk:Form{secrets.token_hex(3)}", text="Seen.", summary="x")
        force_login_verified(self.client, self.specialist)
        url = reverse("investigations:capture_evidence", args=[self.case.reference])
        page = self.client.post(url, {"permalink": f"{self.farm[0].url}/index.php?oldid={edit['newrevid']}"},
                                follow=True).content.decode()  # fmt: skip
        assert "Captured: User talk:Form" in page
        refused = self.client.post(url, {"permalink": "https://example.com/?oldid=1"}, follow=True).content.decode()
        assert "No registered wiki serves this link" in refused
        assert self.case.evidence.count() == 1
