"""From the public form to a case (issue 3 part 3, done-when): the item is committed first,
then processed; the receipt shows the case's reference, or the item's own if processing could
not finish; threats become P0 emergency cases and their receipt puts the guidance first."""

import tempfile
from typing import Any
from unittest import mock

from django.core import mail
from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import translation

from safetydesk.audit.models import AuditEvent, AuditEventType
from safetydesk.cases.models import Case, CaseKind, Confidentiality, PartyRole, Priority
from safetydesk.intake.attachments import attachment_path, read_attachment
from safetydesk.intake.models import DismissalReason, IntakeItem, IntakeStatus
from safetydesk.intake.pipeline import submission_of
from safetydesk.intake.tests.test_report_form_abuse import receipt_item
from safetydesk.intake.tests.test_report_form_support import form_data, png_bytes, post_report, screenshot


class ReportSubmissionTests(TestCase):
    def setUp(self) -> None:
        self.addCleanup(translation.deactivate)
        attachments = tempfile.TemporaryDirectory()
        self.addCleanup(attachments.cleanup)
        self.enterContext(override_settings(ATTACHMENT_ROOT=attachments.name))

    def send(self, data: dict[str, Any], **extra: Any) -> tuple[IntakeItem, str]:
        response = post_report(self.client, data, **extra)
        item = receipt_item(response)
        page = self.client.get(response["Location"], **extra)
        assert page.status_code == 200
        return item, page.content.decode()

    def test_it_opens_a_case_and_shows_its_reference_and_what_happens_next(self) -> None:
        item, html = self.send(form_data(email="ana@example.org", name="Ana", wants_reply="on"))

        assert item.status == IntakeStatus.ACCEPTED
        case = item.case
        assert case is not None
        assert (case.kind, case.priority, case.intake_channel) == (CaseKind.GENERAL, Priority.P2, "webform")
        assert case.title == "Web report: Harassment or intimidation"
        assert case.summary.startswith("An account keeps reverting my edits")
        assert "Where: https://en.wikipedia.org/w/index.php?diff=1234567&oldid=1234560" in case.summary
        parties = {(p.role, p.email, p.real_name, p.wiki_username) for p in case.parties.all()}
        assert parties == {
            (PartyRole.REPORTER, "ana@example.org", "Ana", ""),
            (PartyRole.SUBJECT, "", "", "Example troublemaker"),
        }
        assert item.classification["meta"]["category"] == "intimidation"
        assert item.classification["meta"]["wants_reply"] is True

        assert f'<strong class="reference-number">{case.reference}</strong>' in html
        assert "We will confirm by email within 2 business days that your report is being handled." in html
        assert "volunteer community of the wiki where they happened" in html
        assert '<section class="emergency"' not in html

    def test_a_threat_becomes_a_p0_emergency_case_and_its_receipt_starts_with_the_guidance(self) -> None:
        item, html = self.send(
            form_data(
                category="threats-physical-harm",
                body="He wrote on the village pump that he will come to the meetup on Saturday with a knife.",
                email="witness@example.org",
            )
        )

        case = item.case
        assert case is not None
        assert (case.kind, case.priority) == (CaseKind.EMERGENCY, Priority.P0)
        main = html[html.index('<main id="main"') :]
        assert main.index('<section class="emergency"') < main.index("<h1")
        assert "If someone is in immediate danger, call your local emergency number now." in main
        assert f'<strong class="reference-number">{case.reference}</strong>' in main
        assert "Yours will be looked at within 3 hours." in main
        assert "If you have not heard from us within 1 hour, please check your spam folder." in main
        assert "ca@example.org" in main  # the general address, the fallback (DOMAIN §5.3)
        assert "emergency@example.org" in main

    def test_a_threat_found_by_the_urgency_rules_gets_the_emergency_receipt_too(self) -> None:
        item, html = self.send(
            form_data(category="something-else", body="I am going to kill myself tonight. I can't go on.")
        )
        assert item.case is not None
        assert item.case.kind == CaseKind.EMERGENCY
        assert '<section class="emergency"' in html

    def test_a_spanish_report_is_in_spanish(self) -> None:
        item, html = self.send(
            form_data(body="Un usuario publicó mi dirección y mi número de teléfono en una página de discusión.",
                      category="doxing"),
            headers={"accept-language": "es"},
        )
        assert item.language == "es"
        assert item.case is not None
        assert item.case.language == "es"
        assert "Gracias. Hemos recibido su reporte." in html
        assert item.case.reference in html

    def test_a_screenshot_is_stored_as_an_attachment_with_its_sniffed_type(self) -> None:
        upload = screenshot("talk page.png", png_bytes(20, 10), content_type="application/octet-stream")
        item, _html = self.send({**form_data(), "screenshots": [upload]})

        attachment = item.attachments.get()
        assert attachment.sniffed_type == "image/png"
        assert attachment.declared_type == "application/octet-stream"
        assert attachment.filename == "talk page.png"
        assert attachment.size == len(png_bytes(20, 10))
        assert attachment.refused == ""
        assert attachment_path(attachment.sha256).exists()
        assert read_attachment(attachment) == png_bytes(20, 10)

    def test_the_same_form_sent_twice_is_one_case(self) -> None:
        data = form_data()
        first, _first_html = self.send(data)
        again, again_html = self.send(data)

        assert first.case is not None
        assert again.status == IntakeStatus.DISMISSED
        assert again.dismissal_reason == DismissalReason.DUPLICATE
        assert again.case == first.case
        assert Case.objects.count() == 1
        assert first.case.reference in again_html

    def test_a_report_that_cannot_be_processed_is_kept_and_gets_the_items_reference(self) -> None:
        with mock.patch("safetydesk.intake.pipeline._process", side_effect=RuntimeError("database hiccup")):
            item, html = self.send(form_data(category="threats-self-harm", body="She says she will end it tonight."))

        assert item.status == IntakeStatus.QUARANTINED
        assert "database hiccup" in item.error
        assert Case.objects.count() == 0
        assert submission_of(item).body.startswith("She says she will end it tonight.")  # nothing lost
        assert f'<strong class="reference-number">R-{item.pk}</strong>' in html
        assert "Thank you. We have received your report." in html
        assert html.index('<section class="emergency"') < html.index("<h1")

    def test_if_processing_crashes_outright_the_item_is_still_received(self) -> None:
        with mock.patch("safetydesk.intake.views.process_item", side_effect=RuntimeError("worker died")):
            item, html = self.send(form_data())
        assert item.status == IntakeStatus.RECEIVED  # the stuck-item sweep processes it later
        assert f"R-{item.pk}" in html

    def test_a_notice_of_illegal_content_sets_the_eu_nexus(self) -> None:
        item, _html = self.send(
            form_data(
                dsa_illegal="on", dsa_explanation="Defamation under German law (§ 186 StGB).",
                dsa_urls="https://de.wikipedia.org/wiki/Beispiel", dsa_good_faith="on",
                name="Max Muster", email="max@example.org",
            )
        )
        assert item.case is not None
        assert item.case.eu_nexus is True
        assert "dsa_notice" in item.flags
        assert item.classification["meta"]["dsa_notice"]["completeness"]["complete"] is True

    def test_a_child_sexual_abuse_notice_opens_a_child_safety_case(self) -> None:
        item, html = self.send(
            form_data(
                category="something-else", body="This page links to abuse images of a child.",
                dsa_illegal="on", dsa_csam="on", dsa_explanation="Child sexual abuse material.",
                dsa_urls="https://commons.wikimedia.org/wiki/File:Example.jpg", dsa_good_faith="on",
            )
        )
        assert item.channel == "child_protection"
        assert item.case is not None
        assert item.case.kind == CaseKind.CHILD_PROTECTION
        assert item.case.confidentiality == Confidentiality.CHILD_SAFETY
        assert item.case.reference in html

    def test_spam_gets_no_acknowledgement(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            response = post_report(self.client, form_data(website="http://x.example", email="bot@example.org"))
        assert receipt_item(response).dismissal_reason == DismissalReason.SPAM
        assert mail.outbox == []
        assert not AuditEvent.objects.filter(event_type=AuditEventType.INTAKE_ACCEPTED).exists()

    def test_a_receipt_that_is_not_ours_gets_a_page_saying_so(self) -> None:
        for query in ("", "?receipt=forged", "?receipt=" + "x" * 50):
            with self.subTest(query=query):
                response = self.client.get(reverse("intake:report_done") + query)
                assert response.status_code == 404
                assert "This confirmation link is not complete or not valid." in response.content.decode()
