"""Abuse of the public form (issue 3 part 8): bots are kept but open no case; floods are
refused before anything is stored; oversized requests are refused with a page, not a crash."""

from typing import Any
from urllib.parse import parse_qs, urlsplit

from django.core import signing
from django.test import TestCase, override_settings
from django.urls import reverse

from safetydesk.audit.models import AuditEvent, AuditEventType
from safetydesk.cases.models import Case
from safetydesk.intake.models import DismissalReason, IntakeItem, IntakeStatus, RateCounter
from safetydesk.intake.tests.test_report_form_support import aged_token, form_data, post_report, screenshot
from safetydesk.intake.views import RECEIPT_SALT


def receipt_item(response: Any) -> IntakeItem:
    assert response.status_code == 302, response.status_code
    receipt = parse_qs(urlsplit(response["Location"]).query)["receipt"][0]
    return IntakeItem.objects.get(pk=signing.loads(receipt, salt=RECEIPT_SALT)["i"])


class SpamTests(TestCase):
    def assert_kept_as_spam(self, response: Any, signals: list[str]) -> IntakeItem:
        item = receipt_item(response)
        assert item.status == IntakeStatus.DISMISSED
        assert item.dismissal_reason == DismissalReason.SPAM
        assert "spam_suspected" in item.flags
        assert item.case is None
        assert Case.objects.count() == 0
        assert item.classification["spam_signals"] == signals
        assert item.body.startswith("An account keeps reverting my edits")
        dismissal = AuditEvent.objects.get(event_type=AuditEventType.INTAKE_DISMISSED, subject_id=str(item.pk))
        assert dismissal.data == {"reason": "SPAM", "signals": signals}
        assert dismissal.ip_address == "127.0.0.1"
        # The bot is told the same as a person: received, with a reference.
        page = self.client.get(response["Location"])
        assert page.status_code == 200
        assert f"R-{item.pk}" in page.content.decode()
        return item

    def test_a_filled_honeypot_is_kept_and_dismissed_as_spam(self) -> None:
        response = post_report(self.client, form_data(website="https://cheap-pills.example"))
        self.assert_kept_as_spam(response, ["honeypot"])

    def test_a_form_sent_faster_than_a_person_can_type_is_kept_and_dismissed_as_spam(self) -> None:
        response = post_report(self.client, form_data(started=aged_token(seconds=1)))
        self.assert_kept_as_spam(response, ["too_fast"])

    def test_a_form_without_our_token_is_kept_and_dismissed_as_spam(self) -> None:
        for started in ("", "forged-token"):
            with self.subTest(started=started):
                response = post_report(self.client, form_data(started=started))
                self.assert_kept_as_spam(response, ["no_form_token"])

    @override_settings(INTAKE_FORM_MIN_SECONDS=30)
    def test_the_minimum_time_comes_from_settings(self) -> None:
        response = post_report(self.client, form_data(started=aged_token(seconds=20)))
        self.assert_kept_as_spam(response, ["too_fast"])

    def test_a_person_who_takes_their_time_is_not_spam(self) -> None:
        response = post_report(self.client, form_data(started=aged_token(seconds=3 * 3600)))
        item = receipt_item(response)
        assert "spam_suspected" not in item.flags
        assert item.dismissal_reason != DismissalReason.SPAM


@override_settings(INTAKE_FORM_LIMIT_PER_IP=3, INTAKE_FORM_LIMIT_PER_EMAIL=2)
class RateLimitTests(TestCase):
    def test_it_refuses_the_report_over_the_limit_per_address_and_stores_nothing(self) -> None:
        for _ in range(3):
            assert post_report(self.client, form_data()).status_code == 302
        assert IntakeItem.objects.count() == 3

        body = "A fourth report, from the same address, within the hour."
        response = post_report(self.client, form_data(body=body))

        assert response.status_code == 429
        assert 0 < int(response["Retry-After"]) <= 3600
        html = response.content.decode()
        assert "Please wait before sending another report" in html
        assert "Nothing from this attempt was saved." in html
        assert body in html  # given back, so the person can keep a copy
        assert "emergency@example.org" in html
        assert IntakeItem.objects.count() == 3

    def test_another_address_is_counted_separately(self) -> None:
        for _ in range(3):
            post_report(self.client, form_data())
        assert post_report(self.client, form_data(), REMOTE_ADDR="203.0.113.9").status_code == 302

    def test_it_refuses_the_report_over_the_limit_per_email_and_stores_nothing(self) -> None:
        for address in ("198.51.100.1", "198.51.100.2"):
            assert post_report(self.client, form_data(email="Ana@Example.org"), REMOTE_ADDR=address).status_code == 302

        response = post_report(self.client, form_data(email="ana@example.org"), REMOTE_ADDR="198.51.100.3")

        assert response.status_code == 429
        assert IntakeItem.objects.count() == 2
        # The counters know the email only by its keyed hash.
        assert not RateCounter.objects.filter(key__icontains="example.org").exists()

    def test_invalid_forms_do_not_use_up_the_limit(self) -> None:
        for _ in range(5):
            assert post_report(self.client, form_data(body="")).status_code == 200
        assert post_report(self.client, form_data()).status_code == 302


class OversizedRequestTests(TestCase):
    def test_a_one_megabyte_report_is_refused_with_a_message(self) -> None:
        response = post_report(self.client, form_data(body="A" * 1_000_000))
        assert response.status_code == 200
        assert "the limit is 10,000 characters and this has 1,000,000" in response.content.decode()
        assert IntakeItem.objects.count() == 0

    def test_a_body_larger_than_django_reads_gets_a_page_not_a_crash(self) -> None:
        response = post_report(self.client, form_data(body="A" * 3_000_000))
        assert response.status_code == 413
        html = response.content.decode()
        assert "This report is too large to send" in html
        assert "10,000 characters of text and 5 screenshots of up to 5 MB each" in html
        assert IntakeItem.objects.count() == 0

    @override_settings(INTAKE_FORM_MAX_REQUEST_BYTES=100_000)
    def test_a_request_larger_than_the_form_allows_is_refused_before_it_is_read(self) -> None:
        big = screenshot(content=b"\x89PNG\r\n\x1a\n" + b"\0" * 200_000)
        response = post_report(self.client, {**form_data(), "screenshots": big})
        assert response.status_code == 413
        assert IntakeItem.objects.count() == 0

    def test_more_files_than_django_accepts_gets_a_page(self) -> None:
        files = [screenshot(name=f"{n}.png") for n in range(25)]
        response = post_report(self.client, {**form_data(), "screenshots": files})
        assert response.status_code == 413
        assert IntakeItem.objects.count() == 0

    def test_the_form_checks_csrf(self) -> None:
        from django.test import Client

        strict = Client(enforce_csrf_checks=True)
        response = strict.post(reverse("intake:report"), form_data())
        assert response.status_code == 403
        assert IntakeItem.objects.count() == 0
