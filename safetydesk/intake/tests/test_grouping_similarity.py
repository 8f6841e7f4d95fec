"""What counts as the same target and as near-identical text for mass-report grouping."""

from django.test import SimpleTestCase, override_settings
from hypothesis import given
from hypothesis import strategies as st

from safetydesk.intake.grouping import normalize_username, page_of, similarity, target_key, target_of
from safetydesk.intake.submission import Submission

TEMPLATE = (
    "The user Example has been vandalising the article about the city hall for three days, replacing "
    "the history section with insults, and nobody on the wiki has stopped them yet."
)


def about(**meta: str) -> Submission:
    return Submission(body="x", meta=meta)


class TargetTests(SimpleTestCase):
    def test_it_prefers_the_reported_user_to_the_page(self) -> None:
        submission = about(reported_user="Example", permalink="https://en.wikipedia.org/wiki/Talk:City")

        assert target_of(submission) == "user:Example"

    def test_it_writes_user_names_as_mediawiki_does(self) -> None:
        for given_name in (
            "Example user",
            "example_user",
            "User:Example user",
            "  Example   user ",
            "user: Example_user",
        ):
            with self.subTest(name=given_name):
                assert normalize_username(given_name) == "Example user"
        # Only the first letter is case-insensitive on the wikis.
        assert normalize_username("Example User") != normalize_username("Example user")
        assert normalize_username("2001:db8::1") == normalize_username("2001:0DB8:0:0::1") == "2001:DB8::1"
        assert normalize_username("   ") == ""

    def test_it_takes_the_page_from_any_form_of_link(self) -> None:
        same_page = [
            "https://en.wikipedia.org/wiki/Talk:City_hall",
            "https://EN.wikipedia.org/wiki/Talk:City%20hall#Section",
            "https://en.wikipedia.org/w/index.php?title=Talk:City_hall&diff=123&oldid=122",
            "https://en.wikipedia.org/wiki/talk:City_hall?action=history",
        ]
        pages = {page_of(link) for link in same_page}
        assert pages == {"en.wikipedia.org/Talk:City hall"}
        assert page_of("https://en.wikipedia.org/w/index.php?oldid=987") == "en.wikipedia.org/oldid:987"
        assert page_of("https://en.wikipedia.org/w/index.php?diff=55") == "en.wikipedia.org/diff:55"
        assert page_of("https://de.wikipedia.org/wiki/Talk:City_hall") != page_of(same_page[0])
        assert page_of("not a link") == ""
        assert page_of("https://en.wikipedia.org/") == ""

    def test_it_hashes_the_target_and_has_none_without_one(self) -> None:
        key = target_key(about(reported_user="Example"))

        assert len(key) == 64
        assert "Example" not in key
        assert key == target_key(about(reported_user="User:example"))
        assert key != target_key(about(reported_user="Another"))
        assert target_key(about()) == ""
        assert target_key(about(reported_user=" ", permalink="")) == ""

    def test_it_keys_targets_with_the_secret_key(self) -> None:
        key = target_key(about(reported_user="Example"))

        with override_settings(SECRET_KEY="another-secret-key-" * 3):
            assert target_key(about(reported_user="Example")) != key

    @given(st.text(max_size=80))
    def test_it_never_fails_on_any_name_or_link(self, text: str) -> None:
        assert isinstance(target_key(about(reported_user=text)), str)
        assert isinstance(page_of(text), str)
        assert isinstance(page_of(f"https://en.wikipedia.org/wiki/{text}"), str)


class SimilarityTests(SimpleTestCase):
    def test_it_sees_copies_with_other_case_spacing_and_punctuation_as_identical(self) -> None:
        copy = TEMPLATE.upper().replace(",", "").replace(" ", "  \n")

        assert similarity(TEMPLATE, copy) == 1.0

    def test_it_sees_one_changed_word_as_near_identical(self) -> None:
        changed = TEMPLATE.replace("three days", "four days")

        assert similarity(TEMPLATE, changed) >= 0.8

    def test_it_sees_a_different_report_about_the_same_thing_as_different(self) -> None:
        other = (
            "Example keeps removing the history section of the city hall article and writes insults "
            "in the edit summaries; please look at it."
        )

        assert similarity(TEMPLATE, other) < 0.5

    def test_it_sees_the_same_words_in_another_order_as_different(self) -> None:
        shuffled = " ".join(sorted(TEMPLATE.split()))

        assert similarity(TEMPLATE, shuffled) < 0.3

    def test_it_compares_japanese_character_by_character(self) -> None:
        report = "利用者Exampleが市役所の記事を三日間荒らし続けています。誰も止めていません。"

        assert similarity(report, report.replace("三日間", "四日間")) >= 0.8
        assert similarity(report, "利用者Exampleは親切で、記事の改善に協力してくれました。") < 0.5

    def test_it_finds_nothing_alike_in_empty_text(self) -> None:
        assert similarity("", TEMPLATE) == 0.0
        assert similarity("!!!", "???") == 0.0

    @given(st.text(max_size=200), st.text(max_size=200))
    def test_it_is_symmetric_and_between_0_and_1(self, a: str, b: str) -> None:
        assert 0.0 <= similarity(a, b) == similarity(b, a) <= 1.0
        if a.strip() and any(ch.isalnum() for ch in a):
            assert similarity(a, a) == 1.0
