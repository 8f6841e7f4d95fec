"""Administrators edit message templates in the console: the grid of what is in force, an editor
with a preview, saving (checked and audited), and going back to the default."""

from django.core import mail
from django.urls import reverse

from safetydesk.audit.models import AuditEvent, AuditEventType
from safetydesk.cases.actions import do_create_case
from safetydesk.console.tests.base import ConsoleTestCase
from safetydesk.notify.actions import do_queue_notice
from safetydesk.notify.models import NoticeTemplate

EDIT_ES = reverse("notify:template_edit", args=["ack_general", "es"])


class TemplateConsoleTests(ConsoleTestCase):
    def test_only_administrators_get_in(self) -> None:
        for person in (self.specialist, self.manager, self.auditor, self.crc):
            with self.subTest(person=person.username):
                self.login(person)
                assert self.client.get(reverse("notify:templates")).status_code == 403
                assert self.client.post(EDIT_ES, {"subject": "x", "body": "y"}).status_code == 403
        assert not NoticeTemplate.objects.exists()

    def test_the_grid_says_what_is_in_force_for_each_language(self) -> None:
        NoticeTemplate.objects.create(
            key="ack_legal", language="ja", subject="件名", body="本文", updated_by=self.admin
        )
        self.login(self.admin)
        response = self.client.get(reverse("notify:templates"))
        html = self.html(response)
        assert response.status_code == 200
        assert 'aria-current="page">Message templates</a>' in html
        assert "Acknowledgement: emergency (threat of harm)" in html
        legal_row = html[html.index("<code class=\"muted\">ack_legal</code>") :]
        legal_row = legal_row[: legal_row.index("</tr>")]
        assert legal_row.count(">default</a>") == 5  # en es fr de ar
        assert legal_row.count(">edited</a>") == 1  # ja
        assert "Ada Admin" in legal_row

    def test_saving_a_wording_changes_the_next_message(self) -> None:
        self.login(self.admin)
        page = self.client.get(EDIT_ES)
        self.assertContains(page, "Hemos recibido su reporte")  # the default, to start from
        self.assertContains(page, "Preview")

        response = self.client.post(
            EDIT_ES,
            {"subject": "Recibimos su reporte", "body": "Gracias.\r\n\r\nReferencia: {{ reference }}\r\n", "save": "1"},
        )
        assert response.status_code == 302
        template = NoticeTemplate.objects.get(key="ack_general", language="es")
        assert (template.subject, template.body, template.updated_by) == (
            "Recibimos su reporte", "Gracias.\n\nReferencia: {{ reference }}\n", self.admin,
        )
        audit = AuditEvent.objects.get(event_type=AuditEventType.NOTICE_TEMPLATE_EDITED)
        assert (audit.actor, audit.data) == (self.admin, {"key": "ack_general", "language": "es", "change": "created"})

        case = do_create_case(acting_user=self.specialist, title="Report")
        with self.captureOnCommitCallbacks(execute=True):
            do_queue_notice(
                case=case, item=None, recipient="r@example.org", key="ack_general", language="es", context={}
            )
        assert mail.outbox[0].subject == f"[{case.reference}] Recibimos su reporte"
        assert mail.outbox[0].body == f"Gracias.\n\nReferencia: {case.reference}\n"

    def test_a_template_that_cannot_be_used_is_refused_with_the_reason(self) -> None:
        self.login(self.admin)
        response = self.client.post(
            EDIT_ES, {"subject": "Hola", "body": "{% load static %}{{ case.summary }}", "save": "1"}
        )
        assert response.status_code == 400
        self.assertContains(response, "Nothing was changed.", status_code=400)
        self.assertContains(response, "is not allowed here", status_code=400)
        self.assertContains(response, "{% load static %}", status_code=400)  # the input is kept
        assert not NoticeTemplate.objects.exists()
        assert not AuditEvent.objects.filter(event_type=AuditEventType.NOTICE_TEMPLATE_EDITED).exists()

    def test_preview_renders_without_saving(self) -> None:
        self.login(self.admin)
        response = self.client.post(
            EDIT_ES,
            {"subject": "Asunto {{ reference }}", "body": "{% if dsa_notice %}Con DSA{% endif %} {{ general_address }}",
             "preview": "1"},
        )
        assert response.status_code == 200
        preview = self.section(response, "preview-h")
        assert "Con DSA ca@example.org" in preview
        assert "Asunto SD-" in preview
        assert not NoticeTemplate.objects.exists()

    def test_reset_goes_back_to_the_default(self) -> None:
        NoticeTemplate.objects.create(key="ack_general", language="es", subject="Viejo", body="Texto")
        self.login(self.admin)
        response = self.client.post(reverse("notify:template_reset", args=["ack_general", "es"]), follow=True)
        self.assertContains(response, "the default wording is used again")
        self.assertContains(response, "Hemos recibido su reporte")
        assert not NoticeTemplate.objects.exists()
        audit = AuditEvent.objects.get(event_type=AuditEventType.NOTICE_TEMPLATE_EDITED)
        assert audit.data["change"] == "reset to default"

    def test_an_unknown_template_or_language_is_404(self) -> None:
        self.login(self.admin)
        assert self.client.get(reverse("notify:template_edit", args=["ack_nothing", "es"])).status_code == 404
        assert self.client.get(reverse("notify:template_edit", args=["ack_general", "pt"])).status_code == 404
        reset = reverse("notify:template_reset", args=["ack_general", "pt"])
        assert self.client.post(reset).status_code == 404
