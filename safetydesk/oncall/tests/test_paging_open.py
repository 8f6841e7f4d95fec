"""An emergency case pages the current on-call responder inside its creating transaction; with
nobody on call, the fallback list is paged. Delivery goes out on commit by email and webhook."""

import datetime as dt

from django.core import mail
from django.test import override_settings
from django.utils import timezone

from safetydesk.audit.models import AuditEvent, AuditEventType
from safetydesk.cases.actions import do_create_case
from safetydesk.cases.models import CaseEvent, CaseKind
from safetydesk.oncall.actions import do_add_fallback_contact
from safetydesk.oncall.models import DeliveryStatus, Page, PageDelivery, Paging
from safetydesk.oncall.paging import open_pages_for_case
from safetydesk.oncall.tests.helpers import OncallTestCase, WebhookReceiver, webhook_settings


class OpenPagesTests(OncallTestCase):
    def setUp(self) -> None:
        now = timezone.now()
        self.shift(self.oncall, now - dt.timedelta(hours=1), now + dt.timedelta(hours=8))

    def test_it_pages_the_responder_on_call_by_email(self) -> None:
        case = self.emergency()
        [page] = Page.objects.filter(case=case)
        assert (page.recipient, page.step, page.round) == (self.oncall, "primary", 0)
        [delivery] = PageDelivery.objects.filter(page=page)
        assert (delivery.channel, delivery.status, delivery.attempts) == ("email", DeliveryStatus.DELIVERED, 1)
        [message] = mail.outbox
        assert message.to == [self.oncall.email]
        assert case.reference in message.subject
        assert f"/oncall/pages/{page.pk}/acknowledge/" in message.body
        paging = Paging.objects.get(case=case)
        assert paging.first_delivered_at is not None
        assert AuditEvent.objects.filter(event_type=AuditEventType.PAGES_OPENED, subject_id=str(case.pk)).exists()
        assert CaseEvent.objects.filter(case=case, kind="paging").count() == 1

    def test_no_threat_text_or_title_leaves(self) -> None:
        with WebhookReceiver() as receiver, webhook_settings(receiver.url):
            self.emergency(title="Jane Doe threatened at 12 Elm Street")
        [message] = mail.outbox
        [(_headers, body)] = receiver.received
        for text in (message.subject, message.body, body.decode()):
            assert "Jane" not in text
            assert "Elm" not in text
            assert "hurt" not in text

    def test_the_pages_are_written_in_the_creating_transaction(self) -> None:
        # Rolled back with the case: no page without its case, and no case without its page.
        try:
            with self.captureOnCommitCallbacks(execute=True):
                from django.db import transaction

                with transaction.atomic():
                    case = do_create_case(acting_user=None, title="x", kind=CaseKind.EMERGENCY)
                    open_pages_for_case(case)
                    assert Page.objects.filter(case=case).exists()
                    raise RuntimeError("crash before commit")
        except RuntimeError:
            pass
        assert not Page.objects.exists()
        assert mail.outbox == []

    def test_opening_twice_pages_once(self) -> None:
        case = self.emergency()
        with self.captureOnCommitCallbacks(execute=True):
            open_pages_for_case(case)
        assert Page.objects.filter(case=case).count() == 1
        assert len(mail.outbox) == 1


class NobodyOnCallTests(OncallTestCase):
    def test_it_pages_the_fallback_list(self) -> None:
        do_add_fallback_contact(acting_user=self.manager, user=self.director)
        do_add_fallback_contact(acting_user=self.manager, user=self.oncall2)
        case = self.emergency()
        pages = Page.objects.filter(case=case).order_by("id")
        assert [(p.recipient, p.step) for p in pages] == [(self.director, "fallback"), (self.oncall2, "fallback")]
        assert sorted(m.to[0] for m in mail.outbox) == sorted([self.director.email, self.oncall2.email])

    def test_an_empty_fallback_list_means_the_managers_and_directors(self) -> None:
        case = self.emergency()
        assert {p.recipient for p in Page.objects.filter(case=case)} == {self.manager, self.director}

    @override_settings(ONCALL_PAGE_BY_EMAIL=False)
    def test_every_configured_webhook_gets_the_page(self) -> None:
        with (
            WebhookReceiver() as one,
            WebhookReceiver() as two,
            override_settings(ONCALL_WEBHOOK_URLS=[one.url, two.url], ONCALL_WEBHOOK_SECRET="s"),
        ):
            case = self.emergency()
        assert len(one.received) == len(two.received) == 2  # manager and director
        assert {p["case"] for p in one.payloads()} == {case.reference}
