"""The quarantine in the console: what could not be processed, shown without its content, and
re-processed once the cause is fixed."""

import re
import tempfile
from pathlib import Path

from django.core import mail
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safetydesk.audit.models import AuditEvent, AuditEventType
from safetydesk.console.tests.base import ConsoleTestCase
from safetydesk.intake.models import IntakeItem, IntakeStatus
from safetydesk.intake.pipeline import process_item, receive_email, receive_submission
from safetydesk.intake.submission import Submission
from safetydesk.intake.tests.helpers import IntakeMixin

# A registry without the web form's channel: what a bad edit of the channels file looks like.
BROKEN_CHANNELS = """
[[channel]]
key = "general"
label = "General reports (ca@)"
addresses = ["ca@example.org"]
kind = "general"
priority = "P2"
"""


class QuarantineTests(IntakeMixin, ConsoleTestCase):
    def setUp(self) -> None:
        directory = tempfile.TemporaryDirectory()
        self.addCleanup(directory.cleanup)
        self.broken = Path(directory.name) / "channels.toml"
        self.broken.write_text(BROKEN_CHANNELS)

    def quarantined(self, body: str = "Someone keeps deleting my sourced edits.", **fields: object) -> IntakeItem:
        """A web form report that fails to process because its channel is missing from the
        registry (a misconfiguration), so it lands in quarantine."""
        item = receive_submission("webform", Submission(body=body, **fields))  # type: ignore[arg-type]
        with override_settings(INTAKE_CHANNELS_FILE=str(self.broken)), self.captureOnCommitCallbacks(execute=True):
            result = process_item(item)
        assert result.item.status == IntakeStatus.QUARANTINED, result.item.error
        return result.item

    def test_it_lists_quarantined_items_with_their_error_but_not_their_content(self) -> None:
        item = self.quarantined("Secret words of the report", sender="hidden.sender@example.org", subject="Private")
        accepted = self.submit(sender="ok@example.org", body="An accepted report.", language="en")
        self.login(self.specialist)

        response = self.client.get(reverse("intake_console:quarantine"))
        html = self.html(response)
        assert response.status_code == 200
        assert reverse("intake_console:item", args=[item.pk]) in html
        assert reverse("intake_console:item", args=[accepted.pk]) not in html
        assert "No intake channel &#x27;webform&#x27;" in html  # the error, escaped
        assert "Public report form" in html  # the channel's label
        for secret in ("Secret words", "hidden.sender", "Private"):
            assert secret not in html
        assert 'aria-current="page">Intake</a>' in html

    def test_it_marks_what_came_to_the_emergency_address(self) -> None:
        emergency = receive_email(b"\x00not a message", recipient="emergency@example.org")
        general = receive_email(b"\x00not a message either", recipient="ca@example.org")
        for item in (emergency, general):
            process_item(item)
        self.login(self.oncall)
        html = self.html(self.client.get(reverse("intake_console:quarantine")))
        found = re.findall(r'<a class="ref" href="/intake/items/(\d+)/">(.*?)</tr>', html, re.S)
        rows = {int(pk): row for pk, row in found}
        assert 'class="badge prio prio-p0"' in rows[emergency.pk]
        assert "prio-p0" not in rows[general.pk]
        assert "could not be parsed" in rows[emergency.pk]

    def test_it_runs_the_same_queries_for_one_and_thirty_items(self) -> None:
        self.login(self.specialist)
        self.quarantined()

        def queries() -> int:
            with CaptureQueriesContext(connection) as captured:
                assert self.client.get(reverse("intake_console:quarantine")).status_code == 200
            return len(captured)

        one = queries()
        for n in range(29):
            self.quarantined(f"Report number {n}")
        assert queries() == one

    def test_reprocessing_after_the_fix_opens_the_case_and_acknowledges(self) -> None:
        item = self.quarantined(sender="rocio@example.org", body="Un usuario me insulta.", language="es")
        assert mail.outbox == []
        self.login(self.specialist)

        # The channels file is fixed (the default registry is back); a person re-processes.
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(reverse("intake_console:reprocess", args=[item.pk]))
        assert response.status_code == 302
        item.refresh_from_db()
        assert item.status == IntakeStatus.ACCEPTED
        assert item.case is not None
        assert item.error == ""
        assert mail.outbox[0].subject == f"[{item.case.reference}] Hemos recibido su reporte"
        audit = AuditEvent.objects.filter(event_type=AuditEventType.INTAKE_REPROCESSED).get()
        assert (audit.actor, audit.subject_id) == (self.specialist, str(item.pk))
        page = self.client.get(response["Location"])
        self.assertContains(page, f"case {item.case.reference}")
        assert str(item.pk) not in self.html(self.client.get(reverse("intake_console:quarantine"))).split("<tbody>")[-1]

    def test_reprocessing_while_the_cause_remains_says_so(self) -> None:
        item = self.quarantined()
        self.login(self.specialist)
        with override_settings(INTAKE_CHANNELS_FILE=str(self.broken)):
            response = self.client.post(reverse("intake_console:reprocess", args=[item.pk]), follow=True)
        self.assertContains(response, "Still quarantined: could not be processed")
        item.refresh_from_db()
        assert (item.status, item.attempts) == (IntakeStatus.QUARANTINED, 2)

    def test_an_item_already_processed_is_left_alone(self) -> None:
        item = self.submit(sender="ok@example.org", body="An accepted report.", language="en")
        self.login(self.specialist)
        response = self.client.post(reverse("intake_console:reprocess", args=[item.pk]), follow=True)
        self.assertContains(response, "already processed; nothing was done")
        assert not AuditEvent.objects.filter(event_type=AuditEventType.INTAKE_REPROCESSED).exists()

    def test_read_only_staff_see_the_quarantine_but_cannot_reprocess(self) -> None:
        item = self.quarantined()
        self.login(self.auditor)
        response = self.client.get(reverse("intake_console:quarantine"))
        assert response.status_code == 200
        assert reverse("intake_console:reprocess", args=[item.pk]) not in self.html(response)
        assert self.client.post(reverse("intake_console:reprocess", args=[item.pk])).status_code == 403
        item.refresh_from_db()
        assert item.status == IntakeStatus.QUARANTINED

    def test_people_who_cannot_read_case_files_are_kept_out(self) -> None:
        item = self.quarantined()
        for person in (self.crc, self.admin):
            with self.subTest(person=person.username):
                self.login(person)
                # A committee volunteer is sent to their panels; nobody else gets anything.
                refused = (302,) if person == self.crc else (403,)
                assert self.client.get(reverse("intake_console:quarantine")).status_code in refused
                assert self.client.get(reverse("intake_console:item", args=[item.pk])).status_code in refused
                assert self.client.post(reverse("intake_console:reprocess", args=[item.pk])).status_code == 403
        self.client.logout()
        response = self.client.get(reverse("intake_console:quarantine"))
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]

    def test_reprocessing_is_a_post(self) -> None:
        item = self.quarantined()
        self.login(self.specialist)
        assert self.client.get(reverse("intake_console:reprocess", args=[item.pk])).status_code == 405
