"""Links to pages and diffs on the configured wikis (intake.wikis.check_permalink)."""

import string

import pytest
from django.core.exceptions import ValidationError
from django.test import SimpleTestCase, override_settings
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from safetydesk.intake.wikis import MAX_PERMALINK_CHARS, check_permalink, is_wiki_host


class PermalinkTests(SimpleTestCase):
    def assert_refused(self, value: str, code: str) -> ValidationError:
        with pytest.raises(ValidationError) as caught:
            check_permalink(value)
        assert caught.value.code == code, (value, caught.value.code)
        return caught.value

    def test_it_accepts_diffs_and_pages_on_wikimedia_projects(self) -> None:
        for link in (
            "https://en.wikipedia.org/w/index.php?diff=1234567&oldid=1234560",
            "https://de.wikipedia.org/wiki/Spezial:Diff/241000001",
            "https://commons.wikimedia.org/wiki/File:Example.jpg",
            "https://www.wikidata.org/wiki/Q42",
            "https://meta.wikimedia.org/wiki/User_talk:Example#Threat",
            "https://www.mediawiki.org/wiki/Project:Support_desk",
            "https://fr.wiktionary.org/wiki/bonjour",
            "http://localhost:8080/index.php?title=Main_Page&oldid=3",
            "http://127.0.0.1:8080/index.php?diff=5",
        ):
            with self.subTest(link=link):
                assert check_permalink(link) == link

    def test_it_normalises_what_people_paste(self) -> None:
        cases = {
            "en.wikipedia.org/wiki/Talk:Example": "https://en.wikipedia.org/wiki/Talk:Example",
            "  HTTPS://EN.Wikipedia.ORG/wiki/Example  ": "https://en.wikipedia.org/wiki/Example",
            "https://en.wikipedia.org:443/wiki/Example": "https://en.wikipedia.org/wiki/Example",
            "https://en.wikipedia.org": "https://en.wikipedia.org/",
            "//ja.wikipedia.org/wiki/x": "https://ja.wikipedia.org/wiki/x",
            "https://ja.wikipedia.org/wiki/利用者‐会話:例": (  # noqa: RUF001 (a Japanese hyphen, as pasted)
                "https://ja.wikipedia.org/wiki/%E5%88%A9%E7%94%A8%E8%80%85%E2%80%90%E4%BC%9A%E8%A9%B1:%E4%BE%8B"
            ),
            "https://en.wikipedia.org/wiki/Some Page": "https://en.wikipedia.org/wiki/Some%20Page",
            "https://en.wikipedia.org/wiki/A%C3%A9": "https://en.wikipedia.org/wiki/A%C3%A9",
            "https://en.m.wikipedia.org./wiki/X": "https://en.m.wikipedia.org/wiki/X",
        }
        for pasted, expected in cases.items():
            with self.subTest(pasted=pasted):
                assert check_permalink(pasted) == expected

    def test_an_unknown_wiki_gets_a_message_naming_it(self) -> None:
        error = self.assert_refused("https://evil.example.com/wiki/Foo", "unknown_wiki")
        assert "evil.example.com is not one of the wikis this form is for" in error.messages[0]
        assert "describe it under “What happened?”." in error.messages[0]
        # Look-alikes are not subdomains.
        self.assert_refused("https://wikipedia.org.evil.example/wiki/Foo", "unknown_wiki")
        self.assert_refused("https://notwikipedia.org/wiki/Foo", "unknown_wiki")
        self.assert_refused("https://en.wikipedia.org@evil.example/", "invalid")

    def test_other_schemes_are_refused(self) -> None:
        for link in ("javascript:alert(1)", "ftp://en.wikipedia.org/x", "data:text/html,hi", "file:///etc/passwd",
                     "mailto:someone@wikipedia.org"):
            with self.subTest(link=link):
                self.assert_refused(link, "scheme")

    def test_broken_links_are_refused(self) -> None:
        self.assert_refused("https:/en.wikipedia.org/wiki/X", "invalid")
        self.assert_refused("https://en.wikipedia.org:99999/", "invalid")
        self.assert_refused("https://en.wiki pedia.org/", "invalid")
        self.assert_refused("https://en.wikipedia.org/wiki/A\r\nB", "lines")
        self.assert_refused("https://" + "a" * MAX_PERMALINK_CHARS, "too_long")
        self.assert_refused("   ", "required")

    @override_settings(INTAKE_WIKI_HOSTS=["wiki.example.org"])
    def test_the_hosts_come_from_settings(self) -> None:
        assert check_permalink("https://fr.wiki.example.org/x") == "https://fr.wiki.example.org/x"
        self.assert_refused("https://en.wikipedia.org/wiki/X", "unknown_wiki")
        assert is_wiki_host("WIKI.example.org.")


class PermalinkPropertyTests(SimpleTestCase):
    @hypothesis_settings(max_examples=300, deadline=None)
    @given(st.text(max_size=300))
    def test_any_text_is_either_a_wiki_link_or_a_validation_error(self, text: str) -> None:
        try:
            link = check_permalink(text)
        except ValidationError:
            return
        assert link.startswith(("https://", "http://"))
        assert is_wiki_host(link.split("://", 1)[1].split("/", 1)[0].rsplit(":", 1)[0])
        assert len(link) <= MAX_PERMALINK_CHARS
        assert all(33 <= ord(char) < 127 for char in link)

    @hypothesis_settings(max_examples=300, deadline=None)
    @given(
        st.sampled_from(["en.wikipedia.org", "commons.wikimedia.org", "www.wikidata.org", "localhost:8080"]),
        st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), max_size=80),
        st.text(alphabet=string.ascii_letters + string.digits + "=&%", max_size=40),
    )
    def test_normalising_twice_changes_nothing(self, host: str, path: str, query: str) -> None:
        try:
            once = check_permalink(f"https://{host}/{path}?{query}")
        except ValidationError:
            return
        assert check_permalink(once) == once
