"""Disclosures to law enforcement: made without the review chain, Legal told at once, reminded
until they confirm within the window (DOMAIN §5.4, §5.5)."""

import datetime as dt

import pytest
import time_machine
from django.test import override_settings

from safetydesk.audit.models import AuditEvent, AuditEventType
from safetydesk.cases.errors import InvalidData, RoleNotPermitted
from safetydesk.emergency.actions import do_confirm_disclosure, do_record_disclosure
from safetydesk.emergency.jobs import remind_legal_of_disclosures
from safetydesk.emergency.models import Disclosure
from safetydesk.emergency.tests.base import EmergencyTestCase, disclosure_data
from safetydesk.notify.models import Notice

T0 = dt.datetime(2026, 3, 14, 2, 0, tzinfo=dt.UTC)  # a Saturday night: emergencies keep no office hours


class DisclosureTests(EmergencyTestCase):
    def legal_notices(self) -> list[Notice]:
        # The recipient is encrypted, so it is compared here rather than in SQL.
        notices = Notice.objects.filter(key="disclosure_legal_review")
        return [n for n in notices if n.recipient == self.legal.email]

    def test_it_lets_the_on_call_responder_disclose_and_tells_legal_at_once(self) -> None:
        with time_machine.travel(T0, tick=False), self.captureOnCommitCallbacks(execute=True):
            disclosure = self.disclose()
        assert disclosure.disclosed_by == self.oncall
        assert disclosure.threat_type == "public_harm"  # from the triage
        assert disclosure.legal_due_at == T0 + dt.timedelta(hours=24)
        notices = self.legal_notices()
        assert len(notices) == 1
        assert disclosure.case.reference in notices[0].body
        assert "FBI" not in notices[0].body  # the email names the case, nothing more
        assert AuditEvent.objects.filter(event_type=AuditEventType.DISCLOSURE_RECORDED).count() == 1

    def test_it_reminds_legal_until_they_confirm(self) -> None:
        with time_machine.travel(T0, tick=False), self.captureOnCommitCallbacks(execute=True):
            disclosure = self.disclose()
        with time_machine.travel(T0 + dt.timedelta(hours=3), tick=False):
            assert remind_legal_of_disclosures() == 0  # not yet: reminded every 4 hours
        with time_machine.travel(T0 + dt.timedelta(hours=4, minutes=1), tick=False):
            assert remind_legal_of_disclosures() == 1
            assert remind_legal_of_disclosures() == 0  # one round per interval
        assert len(self.legal_notices()) == 2
        with time_machine.travel(T0 + dt.timedelta(hours=25), tick=False):
            assert Disclosure.objects.get(pk=disclosure.pk).legal_overdue()
            assert remind_legal_of_disclosures() == 1
            do_confirm_disclosure(disclosure=disclosure, acting_user=self.legal, note="Fine under 2702(b)(8).")
        with time_machine.travel(T0 + dt.timedelta(hours=40), tick=False):
            assert remind_legal_of_disclosures() == 0
        assert len(self.legal_notices()) == 3
        confirmed = Disclosure.objects.get(pk=disclosure.pk)
        assert confirmed.legal_confirmed_by == self.legal
        assert not confirmed.legal_overdue()
        audit = AuditEvent.objects.get(event_type=AuditEventType.DISCLOSURE_CONFIRMED)
        assert audit.data["overdue"] is True

    @override_settings(EMERGENCY_DISCLOSURE_CONFIRM_HOURS=12, EMERGENCY_DISCLOSURE_REMIND_HOURS=1)
    def test_it_takes_the_window_and_the_interval_from_settings(self) -> None:
        with time_machine.travel(T0, tick=False), self.captureOnCommitCallbacks(execute=True):
            disclosure = self.disclose()
        assert disclosure.legal_due_at == T0 + dt.timedelta(hours=12)
        with time_machine.travel(T0 + dt.timedelta(hours=1), tick=False):
            assert remind_legal_of_disclosures() == 1

    def test_it_lets_only_legal_counsel_confirm(self) -> None:
        disclosure = self.disclose()
        for person in (self.oncall, self.manager, self.director, self.auditor):
            with self.subTest(person=person.username), pytest.raises(RoleNotPermitted):
                do_confirm_disclosure(disclosure=disclosure, acting_user=person)
        assert Disclosure.objects.get(pk=disclosure.pk).legal_confirmed_at is None

    def test_it_refuses_a_second_confirmation(self) -> None:
        disclosure = self.disclose()
        do_confirm_disclosure(disclosure=disclosure, acting_user=self.legal)
        with pytest.raises(InvalidData, match="already confirmed"):
            do_confirm_disclosure(disclosure=disclosure, acting_user=self.legal)

    def test_it_refuses_disclosures_to_people_not_allowed_to_make_them(self) -> None:
        case = self.triaged()[0]
        for person in (self.specialist, self.auditor):
            with self.subTest(person=person.username), pytest.raises(RoleNotPermitted):
                do_record_disclosure(case=case, acting_user=person, disclosure=disclosure_data())
        assert not Disclosure.objects.exists()

    def test_it_refuses_incoherent_disclosures_and_writes_nothing(self) -> None:
        case = self.triaged()[0]
        cases = {
            "data_elements": disclosure_data(data_elements=()),
            "produced": disclosure_data(produced=False, data_elements=()),
            "legal_basis": disclosure_data(kind="emergency_request"),
            "country": disclosure_data(country="United States"),
            "recipient_agency": disclosure_data(recipient_agency=""),
            "disclosed_at": disclosure_data(disclosed_at=dt.datetime.now(dt.UTC) + dt.timedelta(days=1)),
        }
        # Run what a refused action would have queued after commit: nothing may reach Legal.
        with self.captureOnCommitCallbacks(execute=True):
            for field, data in cases.items():
                with self.subTest(field=field), pytest.raises(InvalidData) as refused:
                    do_record_disclosure(case=case, acting_user=self.oncall, disclosure=data)
                assert field in refused.value.details["fields"]
        assert not Disclosure.objects.exists()
        assert not Notice.objects.exists()

    def test_it_records_an_emergency_request_answered_with_nothing(self) -> None:
        disclosure = self.disclose(
            kind="emergency_request",
            legal_basis="emergency_request",
            produced=False,
            data_elements=(),
            request_reference="NTOC-2026-17",
        )
        assert disclosure.produced is False
