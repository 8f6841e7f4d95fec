"""The general report track end to end, through actions only (DOMAIN §3.2)."""

import datetime as dt

import pytest
import time_machine
from django.core import mail

from safetydesk.audit.log import verify_chain
from safetydesk.audit.models import AuditEvent, AuditEventType
from safetydesk.cases import workflows as general
from safetydesk.cases.actions import PartyData, do_assign_case, do_create_case, do_transition
from safetydesk.cases.errors import RoleNotPermitted
from safetydesk.cases.models import Case, CaseEvent, CaseEventKind
from safetydesk.lib.testing import PersonaTestCase

MONDAY = dt.datetime(2026, 11, 16, 9, 0, tzinfo=dt.UTC)


class GeneralTrackTestCase(PersonaTestCase):
    def open_case(self, **fields: object) -> Case:
        fields.setdefault("title", "Harassment on de.wikipedia")
        return do_create_case(acting_user=self.specialist, **fields)  # type: ignore[arg-type]

    def step(self, case: Case, transition: str, user: object = None, **data: str) -> Case:
        """Take one transition and check it wrote exactly one timeline row and one audit row."""
        events, audits = CaseEvent.objects.filter(case=case).count(), AuditEvent.objects.count()
        moved = do_transition(
            case=case, transition=transition, acting_user=user or self.specialist, data=data,
            expected_version=case.version,
        )
        assert CaseEvent.objects.filter(case=case).count() == events + 1
        assert AuditEvent.objects.count() == audits + 1
        assert moved.version == case.version + 1
        return moved

    def triaged(self, **fields: object) -> Case:
        """A case reported the Friday before MONDAY and triaged that day."""
        with time_machine.travel(MONDAY - dt.timedelta(days=3), tick=False):
            case = self.open_case(**fields)
            case = self.step(case, "acknowledge")
            return self.step(case, "triage", triage_note="Cross-wiki pattern")


class HappyPathTests(GeneralTrackTestCase):
    def test_it_runs_from_received_to_closed_no_action(self) -> None:
        with time_machine.travel(MONDAY, tick=False):
            case = self.open_case()
            assert case.state == general.RECEIVED
            case = self.step(case, "acknowledge")
            assert case.state == general.ACKNOWLEDGED
            case = self.step(case, "triage", triage_note="Needs a closer look")
            assert case.state == general.TRIAGED
            case = self.step(case, "prioritise")
            assert case.state == general.PRIORITISED
            case = do_assign_case(case=case, acting_user=self.manager, lead=self.specialist)
            case = self.step(case, "start_investigation")
            assert case.state == general.UNDER_INVESTIGATION
        with time_machine.travel(MONDAY + dt.timedelta(days=9), tick=False):
            case = self.step(case, "close_no_action", closure_reason="Conduct did not breach the UCoC")

        stored = Case.objects.get(pk=case.pk)
        assert stored.state == general.CLOSED_NO_ACTION
        assert stored.is_closed
        assert stored.closed_at == MONDAY + dt.timedelta(days=9)
        assert stored.acknowledged_at == MONDAY
        assert stored.sla_due_at is None
        assert stored.closure_reason == "Conduct did not breach the UCoC"
        transitions = list(
            CaseEvent.objects.filter(case=case, kind=CaseEventKind.TRANSITION).values_list(
                "transition", "from_state", "to_state"
            )
        )
        assert transitions == [
            ("acknowledge", "RECEIVED", "ACKNOWLEDGED"),
            ("triage", "ACKNOWLEDGED", "TRIAGED"),
            ("prioritise", "TRIAGED", "PRIORITISED"),
            ("start_investigation", "PRIORITISED", "UNDER_INVESTIGATION"),
            ("close_no_action", "UNDER_INVESTIGATION", "CLOSED_NO_ACTION"),
        ]
        triage = CaseEvent.objects.get(case=case, transition="triage")
        assert triage.actor == self.specialist
        assert triage.data == {"triage_note": "Needs a closer look"}
        audits = AuditEvent.objects.filter(subject_type="cases.case", subject_id=str(case.pk))
        assert [a.data.get("transition") for a in audits.filter(event_type=AuditEventType.CASE_TRANSITIONED)] == [
            "acknowledge", "triage", "prioritise", "start_investigation", "close_no_action",
        ]
        assert verify_chain() is None

    def test_the_audit_trail_holds_no_reason_text(self) -> None:
        case = self.triaged()
        self.step(case, "decline", closure_reason="Private details about the reporter")

        assert not any("Private details" in str(a.data) for a in AuditEvent.objects.all())

    def test_a_kind_without_its_own_track_follows_the_general_one(self) -> None:
        case = self.open_case(kind="access_request")

        assert case.state == general.RECEIVED
        assert self.step(case, "acknowledge").state == general.ACKNOWLEDGED


class DeferTests(GeneralTrackTestCase):
    def test_it_closes_routes_and_writes_to_the_reporter(self) -> None:
        case = self.triaged(
            parties=[
                PartyData(role="reporter", email="rae@example.net", language="en"),
                PartyData(role="reporter", wiki_username="AnonReporter"),  # no email: skipped
                PartyData(role="subject", wiki_username="Troll", email="troll@example.net"),
            ]
        )

        with time_machine.travel(MONDAY, tick=False), self.captureOnCommitCallbacks(execute=True) as callbacks:
            case = self.step(
                case, "defer", routed_to="local_admins",
                routed_url="https://de.wikipedia.org/wiki/Wikipedia:Administratoren/Notizen",
                reply_template="defer_local",
            )

        # The reply task after the transition commits, then notify's send after the notice commits.
        assert len(callbacks) == 2
        stored = Case.objects.get(pk=case.pk)
        assert stored.state == general.CLOSED_DEFERRED
        assert stored.closed_at == MONDAY
        assert stored.sla_due_at is None
        assert (stored.routed_to, stored.reply_template) == ("local_admins", "defer_local")
        assert stored.routed_url == "https://de.wikipedia.org/wiki/Wikipedia:Administratoren/Notizen"
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.to == ["rae@example.net"]
        assert message.subject == f"[{case.reference}] Your report: please use the local community process"
        assert "https://de.wikipedia.org/wiki/Wikipedia:Administratoren/Notizen" in message.body
        assert case.reference in message.body

    def test_it_sends_nothing_before_commit(self) -> None:
        case = self.triaged(parties=[PartyData(role="reporter", email="rae@example.net")])

        with self.captureOnCommitCallbacks(execute=False):
            self.step(case, "defer", routed_to="stewards", reply_template="defer_global")
            assert mail.outbox == []

    def test_it_sends_nothing_for_no_reply(self) -> None:
        case = self.triaged(parties=[PartyData(role="reporter", email="rae@example.net")])

        with self.captureOnCommitCallbacks(execute=True):
            case = self.step(case, "defer", routed_to="u4c", reply_template="no_reply")

        assert case.state == general.CLOSED_DEFERRED
        assert mail.outbox == []


class DeclineTests(GeneralTrackTestCase):
    def test_it_closes_with_the_reason_kept(self) -> None:
        case = self.triaged()

        with time_machine.travel(MONDAY, tick=False):
            case = self.step(case, "decline", closure_reason="Content dispute; out of scope")

        stored = Case.objects.get(pk=case.pk)
        assert stored.state == general.CLOSED_DECLINED
        assert stored.closed_at == MONDAY
        assert stored.sla_due_at is None
        assert stored.closure_reason == "Content dispute; out of scope"
        event = CaseEvent.objects.get(case=case, transition="decline")
        assert event.data == {"closure_reason": "Content dispute; out of scope"}


class ReopenTests(GeneralTrackTestCase):
    def deferred(self) -> Case:
        case = self.triaged()
        return self.step(
            case, "defer", routed_to="arbcom", routed_url="https://en.wikipedia.org/wiki/WP:ARBCOM",
            reply_template="no_reply",
        )

    def test_a_manager_reopens_and_the_closure_is_cleared(self) -> None:
        case = self.deferred()

        case = self.step(case, "reopen", user=self.manager, reopen_reason="ArbCom referred it back")

        stored = Case.objects.get(pk=case.pk)
        assert stored.state == general.TRIAGED
        assert stored.closed_at is None
        assert (stored.routed_to, stored.routed_url, stored.reply_template, stored.closure_reason) == ("", "", "", "")
        assert stored.sla_due_at == stored.target_due_at
        reopened = CaseEvent.objects.get(case=case, transition="reopen")
        assert reopened.data == {"reopen_reason": "ArbCom referred it back"}

    def test_a_director_may_reopen(self) -> None:
        case = self.deferred()

        assert self.step(case, "reopen", user=self.director, reopen_reason="New evidence").state == general.TRIAGED

    def test_a_specialist_may_not_reopen(self) -> None:
        case = self.deferred()

        with pytest.raises(RoleNotPermitted, match="T&S manager"):
            do_transition(case=case, transition="reopen", acting_user=self.specialist, data={"reopen_reason": "x"})
        assert Case.objects.get(pk=case.pk).state == general.CLOSED_DEFERRED

    def test_a_reopened_case_can_be_closed_again(self) -> None:
        case = self.step(self.deferred(), "reopen", user=self.manager, reopen_reason="Back")

        case = self.step(case, "decline", closure_reason="Still out of scope")

        assert Case.objects.get(pk=case.pk).closure_reason == "Still out of scope"
