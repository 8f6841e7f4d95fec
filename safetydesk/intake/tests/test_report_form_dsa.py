"""The EU Digital Services Act notice part of the form (DOMAIN §19.2): its fields are asked
for only when the reporter says the content is illegal, and the notice's completeness is
recorded in the submission's meta."""

from typing import Any

from django.test import TestCase

from safetydesk.intake.forms import ReportForm
from safetydesk.intake.tests.test_report_form_support import form_data, post_report, screenshot

NOTICE = {
    "dsa_illegal": "on",
    "dsa_explanation": "This page publishes my home address and calls for people to visit me.",
    "dsa_urls": "https://de.wikipedia.org/w/index.php?oldid=241000001\r\n\r\nde.wikipedia.org/wiki/Benutzer:Beispiel\r\n",
    "dsa_good_faith": "on",
    "name": "Anna Beispiel",
    "email": "anna@example.org",
}


def form_with(**overrides: Any) -> ReportForm:
    form = ReportForm(form_data(**overrides))
    form.is_valid()
    return form


class NoticeTests(TestCase):
    def test_nothing_about_a_notice_is_required_when_illegal_is_not_ticked(self) -> None:
        form = form_with()
        assert form.is_valid(), form.errors
        submission = form.submission(language="en")
        assert submission.meta["dsa_notice"] is None
        assert submission.meta["eu_nexus"] is False
        assert "dsa_notice" not in submission.flags

    def test_ticking_illegal_asks_for_every_element_of_a_notice(self) -> None:
        errors = form_with(dsa_illegal="on").errors
        assert errors == {
            "dsa_explanation": ["Explain why you believe the content is illegal."],
            "dsa_urls": ["Give at least one link to the content."],
            "dsa_good_faith": ["Confirm this statement to send a notice of illegal content."],
            "name": ["A notice of illegal content needs your name (not for child sexual abuse material)."],
            "email": ["A notice of illegal content needs your email address (not for child sexual abuse material)."],
        }

    def test_a_complete_notice_is_recorded_with_its_completeness(self) -> None:
        form = form_with(**NOTICE)
        assert form.is_valid(), form.errors
        submission = form.submission(language="de")
        notice = submission.meta["dsa_notice"]
        assert notice["urls"] == [
            "https://de.wikipedia.org/w/index.php?oldid=241000001",
            "https://de.wikipedia.org/wiki/Benutzer:Beispiel",
        ]
        assert notice["notifier_name"] == "Anna Beispiel"
        assert notice["notifier_email"] == "anna@example.org"
        assert notice["child_sexual_abuse"] is False
        assert notice["completeness"] == {
            "explanation": True, "urls": True, "name": True, "email": True, "good_faith": True,
            "identity_exempt": False, "complete": True,
        }
        assert submission.meta["eu_nexus"] is True
        assert "dsa_notice" in submission.flags
        assert "Notice of illegal content (EU DSA Art. 16)" in submission.body
        assert "https://de.wikipedia.org/wiki/Benutzer:Beispiel" in submission.body
        assert form.channel_key == "webform"

    def test_each_notice_link_must_be_a_wiki_link(self) -> None:
        errors = form_with(**{**NOTICE, "dsa_urls": "https://de.wikipedia.org/wiki/A\nhttps://evil.example/x"}).errors
        assert list(errors) == ["dsa_urls"]
        assert errors["dsa_urls"][0].startswith("Line 2: evil.example is not one of the wikis")

    def test_child_sexual_abuse_notices_need_no_name_or_email_and_go_to_child_protection(self) -> None:
        form = form_with(**{**NOTICE, "name": "", "email": "", "dsa_csam": "on"})
        assert form.is_valid(), form.errors
        notice = form.submission(language="en").meta["dsa_notice"]
        assert notice["completeness"]["identity_exempt"] is True
        assert notice["completeness"]["complete"] is True
        # The child-protection channel makes the case restricted (child-safety) from the start.
        assert form.channel_key == "child_protection"

    def test_child_sexual_abuse_notices_refuse_uploaded_images(self) -> None:
        form = ReportForm(form_data(**{**NOTICE, "dsa_csam": "on"}), {"screenshots": [screenshot()]})
        assert not form.is_valid()
        assert list(form.errors) == ["screenshots"]
        assert form.errors["screenshots"][0].startswith("Please do not upload images for a notice about child")

    def test_notice_fields_without_the_tick_are_pointed_out(self) -> None:
        errors = form_with(dsa_explanation="It is defamatory.").errors
        assert errors == {
            "dsa_illegal": [
                "You filled in the notice of illegal content: tick this box to send it, or clear those fields."
            ]
        }

    def test_the_notice_part_opens_by_itself_when_it_has_something_to_show(self) -> None:
        closed = self.client.get("/report/").content.decode()
        assert '<details class="dsa-notice">' in closed
        refused = post_report(self.client, form_data(dsa_illegal="on")).content.decode()
        assert '<details class="dsa-notice" open>' in refused
        assert '<a href="#id_dsa_good_faith">' in refused
