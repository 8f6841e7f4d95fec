"""The emergency workflow (DOMAIN §5.4): its paths, guards and roles, the system's page step."""

import datetime as dt

import pytest

from safetydesk.audit.models import AuditEvent, AuditEventType
from safetydesk.cases.actions import do_transition
from safetydesk.cases.errors import GuardFailed, InvalidData, RoleNotPermitted, StaleCase, TransitionNotAvailable
from safetydesk.cases.models import CaseEvent, CaseEventKind
from safetydesk.emergency.actions import (
    LocationData,
    ReferralData,
    do_add_follow_up,
    do_record_le_acknowledgement,
    do_record_triage,
    do_refer_to_law_enforcement,
    do_trace_location,
)
from safetydesk.emergency.models import Referral, TriageRecord
from safetydesk.emergency.tests.base import EmergencyTestCase, triage_data


class EmergencyWorkflowTests(EmergencyTestCase):
    def test_it_opens_received(self) -> None:
        assert self.open_emergency().state == "EMERGENCY_RECEIVED"

    def test_it_lets_the_system_page_and_shows_no_person(self) -> None:
        case = do_transition(case=self.open_emergency(), transition="page", acting_user=None)
        assert case.state == "PAGED"
        event = CaseEvent.objects.filter(case=case, kind=CaseEventKind.TRANSITION).get()
        assert event.actor is None
        audit = AuditEvent.objects.filter(event_type=AuditEventType.CASE_TRANSITIONED, subject_id=str(case.pk)).get()
        assert audit.actor_label == "system"

    def test_it_names_the_part_of_the_system_that_paged(self) -> None:
        case = do_transition(case=self.open_emergency(), transition="page", acting_user="oncall:paging")
        audit = AuditEvent.objects.filter(event_type=AuditEventType.CASE_TRANSITIONED, subject_id=str(case.pk)).get()
        assert audit.actor_label == "oncall:paging"

    def test_it_refuses_the_page_step_to_people(self) -> None:
        case = self.open_emergency()
        with pytest.raises(RoleNotPermitted, match="by itself"):
            do_transition(case=case, transition="page", acting_user=self.manager)
        assert self.fresh(case).state == "EMERGENCY_RECEIVED"

    def test_it_refuses_the_system_a_step_that_needs_a_person(self) -> None:
        case, _record = self.triaged(decision="not_credible")
        with pytest.raises(RoleNotPermitted, match="needs a person"):
            do_transition(case=case, transition="close_monitored", acting_user=None, data={})

    def test_it_triages_straight_from_received_without_the_page(self) -> None:
        case, record = self.triaged()
        assert case.state == "TRIAGED"
        assert case.acknowledged_at is not None
        assert record.decided_by == self.oncall
        assert record.minor_suspected
        assert record.location_country == "US"
        assert AuditEvent.objects.filter(event_type=AuditEventType.EMERGENCY_TRIAGE_RECORDED).count() == 1

    def test_it_triages_from_paged(self) -> None:
        case = do_transition(case=self.open_emergency(), transition="page", acting_user=None)
        do_record_triage(case=case, acting_user=self.specialist, triage=triage_data())
        assert self.fresh(case).state == "TRIAGED"

    def test_it_refuses_the_bare_triage_step_without_a_record(self) -> None:
        case = self.open_emergency()
        with pytest.raises(GuardFailed, match="triage assessment"):
            do_transition(case=case, transition="triage", acting_user=self.oncall)

    def test_it_amends_the_triage_while_triaged(self) -> None:
        case, record = self.triaged()
        do_record_triage(case=case, acting_user=self.oncall, triage=triage_data(decision="not_credible"))
        assert TriageRecord.objects.get(pk=record.pk).decision == "not_credible"
        assert self.fresh(case).state == "TRIAGED"

    def test_it_follows_the_credible_path_to_closure(self) -> None:
        case = self.referred()
        assert case.state == "LE_REFERRED"
        referral = Referral.objects.get(case=case)
        do_record_le_acknowledgement(referral=referral, acting_user=self.oncall, contact="Sgt. Example #123")
        assert self.fresh(case).state == "LE_ACKNOWLEDGED"
        do_transition(case=self.fresh(case), transition="follow_up", acting_user=self.oncall)
        do_add_follow_up(case=case, acting_user=self.oncall, body="Police visited; the student is in care.")
        case = do_transition(
            case=self.fresh(case), transition="close", acting_user=self.oncall, data={"closure_reason": "Handled"}
        )
        assert case.state == "CLOSED"
        assert case.closed_at is not None
        record = TriageRecord.objects.get(case=case)
        assert record.location_traced_at is not None
        assert record.location_city == "Springfield"

    def test_it_closes_a_not_credible_threat_as_monitored_with_a_handoff(self) -> None:
        case, _record = self.triaged(decision="not_credible")
        case = do_transition(
            case=case,
            transition="close_monitored",
            acting_user=self.oncall,
            data={"closure_reason": "Song lyrics", "admin_handoff": "local_admins", "handoff_note": "Revdel asked"},
        )
        assert case.state == "CLOSED_MONITORED"
        event = CaseEvent.objects.filter(case=case, transition="close_monitored").get()
        assert event.data["admin_handoff"] == "local_admins"

    def test_it_refuses_to_close_a_credible_threat_as_monitored(self) -> None:
        case, _record = self.triaged()
        with pytest.raises(GuardFailed, match="referred to law enforcement"):
            do_transition(
                case=case,
                transition="close_monitored",
                acting_user=self.oncall,
                data={"closure_reason": "x", "admin_handoff": "none"},
            )

    def test_it_refuses_to_refer_a_threat_found_not_credible_and_writes_nothing(self) -> None:
        case, _record = self.triaged(decision="not_credible")
        version = self.fresh(case).version
        with pytest.raises(GuardFailed, match="credible and imminent"):
            do_refer_to_law_enforcement(
                case=case,
                acting_user=self.oncall,
                referral=ReferralData(agency="Police", jurisdiction="Somewhere", method="phone"),
            )
        assert not Referral.objects.exists()
        assert self.fresh(case).version == version

    def test_it_asks_the_reporter_for_more_and_comes_back_to_triage(self) -> None:
        case, _record = self.triaged(decision="insufficient_info")
        case = do_transition(
            case=case,
            transition="request_information",
            acting_user=self.oncall,
            data={"information_requested": "Which page? A diff?"},
        )
        assert case.state == "AWAITING_INFORMATION"
        do_record_triage(case=case, acting_user=self.oncall, triage=triage_data())
        assert self.fresh(case).state == "TRIAGED"

    def test_it_asks_for_more_only_when_information_is_insufficient(self) -> None:
        case, _record = self.triaged()
        with pytest.raises(GuardFailed):
            do_transition(
                case=case,
                transition="request_information",
                acting_user=self.oncall,
                data={"information_requested": "?"},
            )

    def test_it_refuses_a_location_trace_before_triage(self) -> None:
        with pytest.raises(TransitionNotAvailable):
            do_trace_location(case=self.open_emergency(), acting_user=self.oncall, location=LocationData("high", "US"))

    def test_it_refuses_bad_triage_input_naming_each_field_and_writes_nothing(self) -> None:
        case = self.open_emergency()
        bad = triage_data(threat_text=" ", decision="maybe", location_country="USA", permalink="javascript:alert(1)")
        with pytest.raises(InvalidData) as refused:
            do_record_triage(case=case, acting_user=self.oncall, triage=bad)
        assert set(refused.value.details["fields"]) == {"threat_text", "decision", "location_country", "permalink"}
        assert not TriageRecord.objects.exists()
        assert self.fresh(case).state == "EMERGENCY_RECEIVED"

    def test_it_refuses_triage_to_people_who_do_not_work_emergencies(self) -> None:
        case = self.open_emergency()
        for person in (self.auditor, self.legal, self.crc, self.outsider):
            with self.subTest(person=person.username), pytest.raises(RoleNotPermitted):
                do_record_triage(case=case, acting_user=person, triage=triage_data())
        assert not TriageRecord.objects.exists()

    def test_it_refuses_a_triage_on_a_stale_page(self) -> None:
        case = self.open_emergency()
        with pytest.raises(StaleCase):
            do_record_triage(
                case=case, acting_user=self.oncall, triage=triage_data(), expected_version=case.version + 1
            )

    def test_it_refuses_an_acknowledgement_before_the_referral(self) -> None:
        case = self.referred()
        referral = Referral.objects.get(case=case)
        with pytest.raises(InvalidData):
            do_record_le_acknowledgement(
                referral=referral, acting_user=self.oncall, acknowledged_at=referral.referred_at - dt.timedelta(hours=1)
            )
        assert self.fresh(case).state == "LE_REFERRED"

    def test_it_lets_managers_reopen_a_closed_emergency(self) -> None:
        case, _record = self.triaged(decision="not_credible")
        case = do_transition(
            case=case,
            transition="close_monitored",
            acting_user=self.oncall,
            data={"closure_reason": "x", "admin_handoff": "none"},
        )
        with pytest.raises(RoleNotPermitted):
            do_transition(case=case, transition="reopen", acting_user=self.oncall, data={"reopen_reason": "new"})
        case = do_transition(case=case, transition="reopen", acting_user=self.manager, data={"reopen_reason": "new"})
        assert case.state == "TRIAGED"
