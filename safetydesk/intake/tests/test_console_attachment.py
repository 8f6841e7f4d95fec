"""Attachment downloads: always a download of octet-stream bytes, never inline, never sniffed;
never for child-safety items; audited."""

import tempfile

from django.test import override_settings
from django.urls import reverse

from safetydesk.audit.models import AuditEvent, AuditEventType
from safetydesk.console.tests.base import ConsoleTestCase
from safetydesk.intake.models import IntakeItem
from safetydesk.intake.submission import AttachmentData
from safetydesk.intake.tests.helpers import IntakeMixin

HTML_FILE = b"<html><body><script>alert(document.cookie)</script></body></html>"


class AttachmentDownloadTests(IntakeMixin, ConsoleTestCase):
    def setUp(self) -> None:
        directory = tempfile.TemporaryDirectory()
        self.addCleanup(directory.cleanup)
        self.enterContext(override_settings(ATTACHMENT_ROOT=directory.name))

    def with_attachment(self, channel: str = "webform", content: bytes = HTML_FILE, **fields: object) -> IntakeItem:
        return self.submit(
            channel=channel, sender="ana@example.org", body="See the attached page.", language="en",
            attachments=(AttachmentData('evil"\r\nX-Injected: 1.html', "text/html", content),), **fields,
        )

    def url(self, item: IntakeItem) -> str:
        return reverse("intake_console:attachment", args=[item.pk, item.attachments.get().pk])

    def test_it_is_served_as_a_download_never_inline(self) -> None:
        item = self.with_attachment()
        self.login(self.specialist)
        response = self.client.get(self.url(item), REMOTE_ADDR="10.0.0.7")
        assert response.status_code == 200
        assert response.content == HTML_FILE
        assert response["Content-Type"] == "application/octet-stream"
        assert response["X-Content-Type-Options"] == "nosniff"
        disposition = response["Content-Disposition"]
        assert disposition.startswith("attachment; ")
        assert "\r" not in disposition
        assert "\n" not in disposition
        assert "X-Injected" not in response.headers or response.headers.get("X-Injected") is None
        assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
        audit = AuditEvent.objects.get(event_type=AuditEventType.INTAKE_ATTACHMENT_DOWNLOADED)
        assert (audit.actor, audit.ip_address) == (self.specialist, "10.0.0.7")
        assert audit.data["sha256"] == item.attachments.get().sha256

    def test_a_file_over_the_size_cap_was_not_kept_and_is_not_served(self) -> None:
        with override_settings(INTAKE_MAX_ATTACHMENT_BYTES=10):
            item = self.with_attachment()
        attachment = item.attachments.get()
        assert attachment.refused
        self.login(self.specialist)
        assert self.client.get(self.url(item)).status_code == 404
        self.assertContains(self.client.get(reverse("intake_console:item", args=[item.pk])), "Not kept:")

    def test_child_safety_media_are_never_served_even_to_case_members(self) -> None:
        item = self.with_attachment(channel="child_protection")
        assert item.case.confidentiality == "child_safety"
        item.case.members.add(self.oncall)  # no action names members of such cases yet
        self.login(self.oncall)
        assert self.client.get(self.url(item)).status_code == 404
        page = self.client.get(reverse("intake_console:item", args=[item.pk]))
        assert page.status_code == 200
        assert self.url(item) not in self.html(page)
        self.assertContains(page, item.attachments.get().sha256)
        self.login(self.specialist)  # not a member: not even the page
        assert self.client.get(self.url(item)).status_code == 404
        assert self.client.get(reverse("intake_console:item", args=[item.pk])).status_code == 404
        assert not AuditEvent.objects.filter(event_type=AuditEventType.INTAKE_ATTACHMENT_DOWNLOADED).exists()

    def test_an_attachment_of_another_item_is_not_reachable_through_this_one(self) -> None:
        first = self.with_attachment()
        second = self.with_attachment(content=b"other")
        self.login(self.specialist)
        url = reverse("intake_console:attachment", args=[first.pk, second.attachments.get().pk])
        assert self.client.get(url).status_code == 404
