from io import StringIO

from django.core.management import call_command
from django.core.management.base import CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from safetydesk.audit.models import AuditEvent, AuditEventType
from safetydesk.lib.testing import PersonaTestCase


class ResetTotpCommandTests(PersonaTestCase):
    def test_it_removes_the_devices_and_audits_the_reason(self) -> None:
        TOTPDevice.objects.create(user=self.specialist, name="old phone", confirmed=True)
        out = StringIO()
        call_command("resettotp", "sam", reason="lost phone, checked by video call", stdout=out)
        assert not TOTPDevice.objects.filter(user=self.specialist).exists()
        event = AuditEvent.objects.get(event_type=AuditEventType.TOTP_RESET)
        assert event.subject_id == str(self.specialist.pk)
        assert event.data["devices_removed"] == 1
        assert "lost phone" in event.data["reason"]
        assert "Removed 1" in out.getvalue()

    def test_it_refuses_an_unknown_user_and_changes_nothing(self) -> None:
        TOTPDevice.objects.create(user=self.specialist, name="phone", confirmed=True)
        with self.assertRaisesMessage(CommandError, "No account named 'nobody'"):
            call_command("resettotp", "nobody", reason="x")
        assert TOTPDevice.objects.count() == 1

    def test_it_refuses_a_blank_reason(self) -> None:
        TOTPDevice.objects.create(user=self.specialist, name="phone", confirmed=True)
        with self.assertRaisesMessage(CommandError, "reason is required"):
            call_command("resettotp", "sam", reason="  ")
        assert TOTPDevice.objects.count() == 1
        assert not AuditEvent.objects.filter(event_type=AuditEventType.TOTP_RESET).exists()
