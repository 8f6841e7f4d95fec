"""Acknowledgements go out in the reporter's language, with the case reference, after commit;
English when there is no template in that language."""

from django.core import mail

from safetydesk.intake.models import IntakeStatus
from safetydesk.intake.pipeline import process_item, receive_submission
from safetydesk.intake.submission import Submission
from safetydesk.intake.tests.helpers import AckTestCase, email_bytes
from safetydesk.notify.models import Notice, NoticeStatus, NoticeTemplate


class AckLanguageTests(AckTestCase):
    def test_it_acknowledges_a_spanish_report_in_spanish(self) -> None:
        item = self.submit(
            sender="rocio@example.org",
            subject="Acoso en eswiki",
            body="Un usuario me acosa en mi página de discusión desde hace semanas.",
            language="es",
        )
        assert item.status == IntakeStatus.ACCEPTED
        reference = item.case.reference

        message = self.only_mail()
        assert message.to == ["rocio@example.org"]
        assert message.subject == f"[{reference}] Hemos recibido su reporte"
        assert f"su número de referencia es {reference}" in message.body
        assert "Qué ocurrirá a continuación" in message.body
        assert "We have received" not in message.body
        notice = Notice.objects.get(intake_item=item)
        assert (notice.key, notice.language, notice.status) == ("ack_general", "es", NoticeStatus.SENT)
        assert notice.case == item.case

    def test_it_falls_back_to_english_for_a_language_without_templates(self) -> None:
        item = self.submit(
            sender="joao@example.org",
            subject="Assédio na wiki",
            body="Um usuário está me perseguindo em várias páginas de discussão.",
            language="pt",
        )
        message = self.only_mail()
        assert message.subject == f"[{item.case.reference}] We have received your report"
        assert Notice.objects.get(intake_item=item).language == "en"

    def test_an_administrators_wording_is_what_goes_out(self) -> None:
        NoticeTemplate.objects.create(
            key="ack_general",
            language="de",
            subject="Danke für Ihre Meldung",
            body="Ihre Meldung {{ reference }} ist bei uns angekommen.\n\nIhr Team",
        )
        item = self.submit(
            sender="kai@example.org", subject="Vandalismus", body="Jemand löscht Artikel.", language="de"
        )
        message = self.only_mail()
        assert message.subject == f"[{item.case.reference}] Danke für Ihre Meldung"
        assert message.body == f"Ihre Meldung {item.case.reference} ist bei uns angekommen.\n\nIhr Team\n"

    def test_an_email_report_is_answered_in_its_thread_and_marked_automatic(self) -> None:
        raw = email_bytes(
            sender="Marie Dupont <marie@example.fr>",
            to="ca@example.org",
            subject="Harcèlement sur frwiki",
            body="Bonjour, un contributeur me harcèle depuis deux semaines sur ma page de discussion. "
            "Il revient chaque jour avec de nouveaux messages insultants.",
            message_id="<report-1@example.fr>",
            Content_Language="fr",
        )
        item = self.email(raw)
        assert item.status == IntakeStatus.ACCEPTED
        message = self.only_mail()
        assert message.to == ["marie@example.fr"]
        assert message.extra_headers["In-Reply-To"] == "<report-1@example.fr>"
        assert message.extra_headers["Auto-Submitted"] == "auto-replied"
        assert message.extra_headers["Message-ID"] == Notice.objects.get(intake_item=item).message_id
        assert item.case.reference in message.subject
        assert item.language == "fr"
        assert message.subject.endswith("Nous avons bien reçu votre signalement")

    def test_a_dsa_notice_gets_a_confirmation_of_receipt(self) -> None:
        item = self.submit(
            sender="notifier@example.eu",
            subject="Illegal content",
            body="This page publishes my home address and phone number.",
            language="en",
            meta={"dsa_notice": {"explanation": "doxxing", "urls": ["https://en.wikipedia.org/wiki/X"]}},
            flags=("dsa_notice",),
        )
        message = self.only_mail()
        assert "Confirmation of receipt (EU Digital Services Act, Article 16)" in message.body
        assert f"{item.received_at:%Y-%m-%d %H:%M} UTC" in message.body

    def test_nothing_is_sent_before_the_item_is_committed(self) -> None:
        item = receive_submission("webform", Submission(sender="ana@example.org", body="Spam links everywhere."))
        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            process_item(item)
        assert mail.outbox == []
        assert not Notice.objects.exists()
        assert len(callbacks) == 1  # after_intake, once the item is committed
