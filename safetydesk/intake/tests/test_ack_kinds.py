"""Each kind of case gets its own acknowledgement: emergency guidance first, child protection
without a word of the report, legal and appeals with what happens next."""

from django.core import mail

from safetydesk.cases.models import CaseKind, Priority
from safetydesk.intake.tests.helpers import AckTestCase, email_bytes
from safetydesk.notify.models import Notice


class AckKindTests(AckTestCase):
    def test_an_emergency_report_gets_the_emergency_guidance_first(self) -> None:
        raw = email_bytes(
            sender="witness@example.net",
            to="emergency@example.org",
            subject="Threat on a talk page",
            body="A user wrote on his talk page that he will bring a gun to school tomorrow.",
            message_id="<threat-1@example.net>",
        )
        item = self.email(raw, to="emergency@example.org")
        assert (item.case.kind, item.case.priority) == (CaseKind.EMERGENCY, Priority.P0)

        message = self.only_mail()
        assert message.subject == f"[{item.case.reference}] We have received your emergency report"
        first_paragraph = message.body.split("\n\n", 1)[0]
        assert first_paragraph.startswith("If you or someone else is in immediate danger, contact your local emergency")
        body = message.body
        assert body.index("emergency services") < body.index(item.case.reference)
        assert "24 hours a day, 7 days a week" in body
        assert "If you get no answer from us within 1 hour, please write to ca@example.org" in body
        assert Notice.objects.get(intake_item=item).key == "ack_emergency"

    def test_a_threat_sent_to_the_general_address_is_acknowledged_as_an_emergency(self) -> None:
        item = self.submit(
            sender="friend@example.org",
            subject="Please help",
            body="My friend posted on his user page: I'm going to kill myself tonight.",
            language="en",
        )
        assert item.case.kind == CaseKind.EMERGENCY
        assert Notice.objects.get(intake_item=item).key == "ack_emergency"
        assert self.only_mail().body.startswith("If you or someone else is in immediate danger")

    def test_a_spanish_emergency_acknowledgement_starts_with_the_guidance_in_spanish(self) -> None:
        item = self.submit(
            channel="webform",
            sender="lucia@example.es",
            subject="Amenaza",
            body="Un usuario escribió que va a matar a otro editor.",
            language="es",
            kind=CaseKind.EMERGENCY,
            priority=Priority.P0,
        )
        message = self.only_mail()
        assert message.subject == f"[{item.case.reference}] Hemos recibido su reporte de emergencia"
        assert message.body.startswith("Si usted u otra persona corre un peligro inmediato")
        assert "Si no recibe respuesta nuestra en 1 hora, escriba a ca@example.org" in message.body

    def test_a_child_protection_acknowledgement_repeats_nothing_of_the_report(self) -> None:
        subject = "Images on Commons"
        body = "The file File:Example-upload.jpg shows abuse. Uploaded by User:Uploader123."
        raw = email_bytes(
            sender="reporter@example.org", to="legal-reports@example.org", subject=subject, body=body,
            message_id="<cp-1@example.org>",
        )
        item = self.email(raw, to="legal-reports@example.org")
        assert item.case.kind == CaseKind.CHILD_PROTECTION

        message = self.only_mail()
        assert Notice.objects.get(intake_item=item).key == "ack_child_protection"
        assert item.case.reference in message.body
        for words in ("Images on Commons", "Example-upload", "Uploader123", "abuse"):
            assert words not in message.subject
            assert words not in message.body
        assert "do not send the material itself again" in message.body

    def test_legal_and_appeal_reports_get_their_own_acknowledgements(self) -> None:
        legal = email_bytes(
            sender="counsel@lawfirm.example", to="legal@example.org", subject="DMCA takedown notice",
            body="Under 17 U.S.C. 512(c) I request removal of my copyrighted photograph at the link below. "
            "I have a good faith belief that the use is not authorized. Signed, A. Owner.",
            message_id="<dmca-1@lawfirm.example>",
        )
        appeal = email_bytes(
            sender="banned@example.org", to="appeals@example.org", subject="Appeal of my global ban",
            body="I would like to appeal the global ban placed on my account last month.",
            message_id="<appeal-1@example.org>",
        )
        legal_item = self.email(legal, to="legal@example.org")
        appeal_item = self.email(appeal, to="appeals@example.org")
        assert Notice.objects.get(intake_item=legal_item).key == "ack_legal"
        assert Notice.objects.get(intake_item=appeal_item).key == "ack_appeal"
        subjects = [m.subject for m in mail.outbox]
        assert subjects == [
            f"[{legal_item.case.reference}] We have received your message",
            f"[{appeal_item.case.reference}] We have received your appeal",
        ]
