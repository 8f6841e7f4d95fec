"""Each field of the public report form, checked on its own (issue 3 part 3, bad input)."""

from typing import Any

from django.test import TestCase, override_settings

from safetydesk.intake.forms import Category, ReportForm
from safetydesk.intake.models import IntakeItem
from safetydesk.intake.tests.test_report_form_support import form_data, post_report


def errors_of(**overrides: Any) -> dict[str, list[str]]:
    form = ReportForm(form_data(**overrides))
    form.is_valid()
    return {name: [str(m) for m in messages] for name, messages in form.errors.items()}


class ReportFormFieldTests(TestCase):
    def test_it_accepts_a_complete_report(self) -> None:
        form = ReportForm(form_data())
        assert form.is_valid(), form.errors
        assert form.cleaned_data["where"] == "https://en.wikipedia.org/w/index.php?diff=1234567&oldid=1234560"

    def test_it_accepts_a_report_with_only_what_happened_and_a_category(self) -> None:
        form = ReportForm(form_data(where="", who=""))
        assert form.is_valid(), form.errors

    def test_it_needs_what_happened(self) -> None:
        assert errors_of(body="   ") == {"body": ["Describe what happened."]}

    def test_it_refuses_what_happened_over_10000_characters_and_says_how_long_it_is(self) -> None:
        assert ReportForm(form_data(body="x" * 10_000)).is_valid()
        errors = errors_of(body="x" * 10_001)
        assert errors == {
            "body": [
                "This is too long: the limit is 10,000 characters and this has 10,001. Please shorten it; you can "
                "send another report for the rest."
            ]
        }

    def test_browser_line_endings_do_not_count_twice(self) -> None:
        form = ReportForm(form_data(body="a\r\n" * 5000))  # 15,000 characters as sent, 10,000 as written
        assert form.is_valid(), form.errors
        assert form.cleaned_data["body"] == ("a\n" * 5000).strip()

    def test_it_needs_a_category_from_the_list(self) -> None:
        assert errors_of(category=None) == {"category": ["Choose the kind of problem."]}
        assert errors_of(category="murder") == {"category": ["Choose one of the kinds of problem listed."]}

    def test_the_categories_are_reportincidents_with_the_threat_types_first(self) -> None:
        values = [value for value, _label in Category.choices]
        assert values[:3] == ["threats-self-harm", "threats-physical-harm", "threats-public-harm"]
        assert set(values[3:]) == {
            "intimidation", "sexual-harassment", "doxing", "hate-or-discrimination", "trolling", "spam",
            "something-else",
        }

    def test_an_unknown_wiki_link_is_refused_with_a_clear_message(self) -> None:
        errors = errors_of(where="https://example.com/some/page")
        assert list(errors) == ["where"]
        assert errors["where"][0].startswith("example.com is not one of the wikis this form is for.")

    def test_a_script_link_is_refused(self) -> None:
        assert errors_of(where="javascript:alert(document.cookie)") == {
            "where": ["Only web links (starting with https:// or http://) can be accepted here."]
        }

    def test_line_breaks_in_one_line_fields_are_refused(self) -> None:
        message = "This must be on a single line: line breaks are not allowed."
        for field, value in (
            ("email", "reporter@example.org\r\nBcc: everyone@example.org"),
            ("email", "reporter@example.org\n"),
            ("name", "Ana\r\nSubject: free money"),
            ("name", "Ana\rX"),
            ("who", "Troll\nCc: x@example.org"),
            ("who", "Troll\u2028two"),
            ("where", "https://en.wikipedia.org/wiki/A\r\nB"),
        ):
            with self.subTest(field=field, value=value):
                assert errors_of(**{field: value}) == {field: [message]}

    def test_the_username_is_at_most_255_characters(self) -> None:
        assert "who" in errors_of(who="x" * 256)
        assert errors_of(who="x" * 255) == {}

    def test_the_email_must_be_an_address(self) -> None:
        assert errors_of(email="not an address") == {"email": ["Enter an email address like name@example.org."]}

    def test_a_reply_needs_an_email(self) -> None:
        assert errors_of(wants_reply="on") == {
            "email": ["To get a reply, give an email address, or untick “I want a reply”."]
        }
        assert errors_of(wants_reply="on", email="ana@example.org") == {}

    def test_the_email_is_optional_without_a_reply(self) -> None:
        assert errors_of(email="") == {}

    def test_the_honeypot_and_the_token_are_never_errors(self) -> None:
        # Bots get the same answer as people; the view reads the signals instead.
        assert errors_of(website="http://spam.example", started="forged") == {}


class ReportFormPostTests(TestCase):
    """The same rules through the page, as a browser without JavaScript sends them."""

    def test_a_refused_form_keeps_what_was_written_and_stores_nothing(self) -> None:
        body = "Someone posted my home address on a talk page."
        response = post_report(self.client, form_data(body=body, where="https://example.com/x", email="a@b\r\nc"))
        assert response.status_code == 200
        html = response.content.decode()
        assert body in html
        assert 'role="alert"' in html
        assert '<a href="#id_where">example.com is not one of the wikis this form is for.' in html
        assert '<a href="#id_email">This must be on a single line: line breaks are not allowed.</a>' in html
        assert 'aria-describedby="where-hint where-error"' in html
        assert 'aria-invalid="true"' in html
        assert "<title>Error: Report a safety problem" in html
        assert IntakeItem.objects.count() == 0

    def test_a_missing_category_links_the_summary_to_the_first_choice(self) -> None:
        response = post_report(self.client, form_data(category=None))
        html = response.content.decode()
        assert '<a href="#id_category_0">Choose the kind of problem.</a>' in html
        assert 'id="id_category_0"' in html
        assert 'aria-describedby="category-error"' in html

    @override_settings(INTAKE_FORM_MAX_BODY_CHARS=50)
    def test_the_length_limit_comes_from_settings(self) -> None:
        response = post_report(self.client, form_data(body="y" * 51))
        assert "the limit is 50 characters and this has 51" in response.content.decode()
        assert IntakeItem.objects.count() == 0
