"""A webhook that times out or answers 500 is retried with backoff, then reported on the board
when it keeps failing; the signature verifies; a 4xx is final at once."""

import datetime as dt
import hashlib
import hmac
import json

import time_machine
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from safetydesk.audit.models import AuditEvent, AuditEventType
from safetydesk.lib.testing import force_login_verified
from safetydesk.oncall.models import AlertKind, Channel, DeliveryStatus, OncallAlert, PageDelivery
from safetydesk.oncall.tasks import sweep_deliveries
from safetydesk.oncall.tests.helpers import OncallTestCase, WebhookReceiver, webhook_settings

RETRY = [10, 30, 60]


@override_settings(ONCALL_PAGE_BY_EMAIL=False, ONCALL_RETRY_SECONDS=RETRY)
class WebhookRetryTests(OncallTestCase):
    def setUp(self) -> None:
        now = timezone.now()
        self.shift(self.oncall, now - dt.timedelta(hours=1), now + dt.timedelta(hours=8))

    def webhook(self) -> PageDelivery:
        return PageDelivery.objects.get(channel=Channel.WEBHOOK)

    def test_a_500_then_a_timeout_are_retried_with_backoff_then_delivered(self) -> None:
        with (
            WebhookReceiver(script=[500, "hang"], hang_seconds=2) as receiver,
            webhook_settings(receiver.url),
            time_machine.travel(timezone.now(), tick=False) as clock,
        ):
            self.emergency()
            delivery = self.webhook()
            assert (delivery.status, delivery.attempts, delivery.last_error) == (DeliveryStatus.PENDING, 1, "HTTP 500")
            assert delivery.next_attempt_at == timezone.now() + dt.timedelta(seconds=RETRY[0])
            assert sweep_deliveries() == 0  # not due yet

            clock.shift(dt.timedelta(seconds=RETRY[0] + 30))
            assert sweep_deliveries() == 1
            delivery.refresh_from_db()
            assert (delivery.status, delivery.attempts, delivery.last_error) == (DeliveryStatus.PENDING, 2, "timed out")
            assert delivery.next_attempt_at == timezone.now() + dt.timedelta(seconds=RETRY[1])

            clock.shift(dt.timedelta(seconds=RETRY[1] + 30))
            assert sweep_deliveries() == 1
        delivery.refresh_from_db()
        assert (delivery.status, delivery.attempts) == (DeliveryStatus.DELIVERED, 3)
        assert len(receiver.received) == 3
        headers, body = receiver.received[-1]
        expected = "sha256=" + hmac.new(b"test-webhook-secret", body, hashlib.sha256).hexdigest()
        assert headers["X-Safetydesk-Signature"] == expected
        assert headers["X-Safetydesk-Delivery"] == str(delivery.pk)
        assert json.loads(body)["priority"] == "P0"
        failures = AuditEvent.objects.filter(event_type=AuditEventType.PAGE_DELIVERY_FAILED).count()
        assert failures == 2
        assert not OncallAlert.objects.exists()

    def test_a_webhook_that_keeps_failing_is_reported_on_the_board(self) -> None:
        with (
            WebhookReceiver(script=[500] * 10) as receiver,
            webhook_settings(receiver.url),
            time_machine.travel(timezone.now(), tick=False) as clock,
        ):
            case = self.emergency()
            for wait in RETRY:
                clock.shift(dt.timedelta(seconds=wait + 30))
                assert sweep_deliveries() == 1
        delivery = self.webhook()
        assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, len(RETRY) + 1)
        [alert] = OncallAlert.objects.all()
        assert (alert.kind, alert.delivery) == (AlertKind.CHANNEL_FAILED, delivery)
        force_login_verified(self.client, self.manager)
        board = self.client.get(reverse("oncall:board")).content.decode()
        assert "Paging channel failed" in board
        assert case.reference in board
        assert "HTTP 500" in board
        assert "Failing channel" in board

    def test_a_client_error_is_final_at_once(self) -> None:
        with WebhookReceiver(script=[404]) as receiver, webhook_settings(receiver.url):
            self.emergency()
        delivery = self.webhook()
        assert (delivery.status, delivery.attempts, delivery.last_error) == (DeliveryStatus.FAILED, 1, "HTTP 404")
        assert OncallAlert.objects.filter(kind=AlertKind.CHANNEL_FAILED).count() == 1
