"""A refused transition says why and writes nothing: state, version, timeline and audit unchanged."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from safetydesk.audit.models import AuditEvent
from safetydesk.cases import workflows as general
from safetydesk.cases.actions import do_assign_case, do_create_case, do_transition
from safetydesk.cases.errors import (
    CaseError,
    GuardFailed,
    InvalidData,
    RoleNotPermitted,
    StaleCase,
    TransitionNotAvailable,
    UnknownTransition,
)
from safetydesk.cases.models import Case, CaseEvent
from safetydesk.lib.testing import PersonaTestCase


class RefusalTestCase(PersonaTestCase):
    def setUp(self) -> None:
        case = do_create_case(acting_user=self.specialist, title="Doxxing on a talk page")
        case = do_transition(case=case, transition="acknowledge", acting_user=self.specialist)
        self.case = do_transition(case=case, transition="triage", acting_user=self.specialist)

    @contextmanager
    def refused(self, error: type[CaseError], match: str | None = None) -> Iterator[Any]:
        """Expect `error`, then check that nothing about the case or the audit trail moved."""
        before = self.snapshot()
        with pytest.raises(error, match=match) as raised:
            yield raised
        assert self.snapshot() == before

    def snapshot(self) -> tuple[Any, ...]:
        stored = Case.objects.get(pk=self.case.pk)
        return (
            stored.state, stored.version, stored.closed_at, stored.sla_due_at, stored.routed_to,
            stored.closure_reason, CaseEvent.objects.filter(case=stored).count(), AuditEvent.objects.count(),
        )

    def take(self, transition: str, user: Any = None, **kwargs: Any) -> Case:
        return do_transition(case=self.case, transition=transition, acting_user=user or self.specialist, **kwargs)


class UnknownAndUnavailableTests(RefusalTestCase):
    def test_it_refuses_an_unknown_transition(self) -> None:
        with self.refused(UnknownTransition, "escalate_to_board") as raised:
            self.take("escalate_to_board")

        assert raised.value.details == {"transition": "escalate_to_board"}
        assert "acknowledge" in raised.value.message  # names the known ones

    def test_it_refuses_a_transition_not_available_from_the_state(self) -> None:
        with self.refused(TransitionNotAvailable, "cannot be taken from Triaged") as raised:
            self.take("acknowledge")

        assert raised.value.details == {"state": general.TRIAGED, "transition": "acknowledge"}
        assert raised.value.http_status == 409

    def test_it_refuses_start_investigation_before_prioritising(self) -> None:
        with self.refused(TransitionNotAvailable):
            self.take("start_investigation")

    def test_it_refuses_to_reopen_an_open_case(self) -> None:
        with self.refused(TransitionNotAvailable):
            self.take("reopen", user=self.manager, data={"reopen_reason": "Why not"})


class RoleTests(RefusalTestCase):
    def test_it_refuses_the_auditor(self) -> None:
        with self.refused(RoleNotPermitted, "not change it"):
            self.take("prioritise", user=self.auditor)

    def test_it_refuses_a_crc_member(self) -> None:
        with self.refused(RoleNotPermitted):
            self.take("prioritise", user=self.crc)

    def test_it_refuses_an_outsider(self) -> None:
        with self.refused(RoleNotPermitted):
            self.take("prioritise", user=self.outsider)

    def test_it_refuses_legal_counsel_a_caseworker_step(self) -> None:
        # Legal counsel may read and annotate cases, but the general track's steps are case work.
        with self.refused(RoleNotPermitted, "Only these roles may prioritise") as raised:
            self.take("prioritise", user=self.legal)

        assert raised.value.details == {"transition": "prioritise"}

    def test_it_refuses_a_specialist_a_supervisor_step(self) -> None:
        case = do_transition(
            case=self.case, transition="decline", acting_user=self.specialist, data={"closure_reason": "Out of scope"}
        )
        self.case = case

        with self.refused(RoleNotPermitted, "T&S director, T&S manager"):
            self.take("reopen", data={"reopen_reason": "Second thoughts"})


class GuardTests(RefusalTestCase):
    def test_it_names_the_missing_lead(self) -> None:
        self.case = do_transition(case=self.case, transition="prioritise", acting_user=self.specialist)

        with self.refused(GuardFailed, "Assign a lead") as raised:
            self.take("start_investigation")

        assert raised.value.details == {"transition": "start_investigation"}

    def test_the_guard_passes_once_a_lead_is_assigned(self) -> None:
        self.case = do_transition(case=self.case, transition="prioritise", acting_user=self.specialist)
        self.case = do_assign_case(case=self.case, acting_user=self.manager, lead=self.oncall)

        assert self.take("start_investigation").state == general.UNDER_INVESTIGATION


class DataTests(RefusalTestCase):
    def test_it_refuses_a_missing_reason(self) -> None:
        with self.refused(InvalidData, "Reason is required") as raised:
            self.take("decline", data={})

        assert raised.value.details == {"fields": {"closure_reason": "Reason is required."}}
        assert raised.value.http_status == 422

    def test_it_treats_whitespace_as_missing(self) -> None:
        with self.refused(InvalidData) as raised:
            self.take("decline", data={"closure_reason": "   \n "})

        assert set(raised.value.details["fields"]) == {"closure_reason"}

    def test_it_reports_every_bad_field_at_once(self) -> None:
        with self.refused(InvalidData) as raised:
            self.take("defer", data={"routed_url": "not a link"})

        assert set(raised.value.details["fields"]) == {"routed_to", "routed_url", "reply_template"}
        assert raised.value.details["fields"]["routed_to"] == "Venue is required."

    def test_it_refuses_a_venue_that_is_not_a_choice(self) -> None:
        with self.refused(InvalidData) as raised:
            self.take("defer", data={"routed_to": "village_pump", "reply_template": "defer_local"})

        assert raised.value.details["fields"] == {"routed_to": "Venue: “village_pump” is not one of the choices."}

    def test_it_refuses_a_reply_that_is_not_a_defer_reply(self) -> None:
        with self.refused(InvalidData) as raised:
            self.take("defer", data={"routed_to": "stewards", "reply_template": "decline_rude"})

        assert set(raised.value.details["fields"]) == {"reply_template"}

    def test_it_refuses_a_non_http_link(self) -> None:
        with self.refused(InvalidData) as raised:
            self.take(
                "defer",
                data={"routed_to": "stewards", "reply_template": "no_reply", "routed_url": "javascript:alert(1)"},
            )

        assert raised.value.details["fields"] == {"routed_url": "Venue link must be an http(s) link."}

    def test_it_refuses_an_overlong_value(self) -> None:
        with self.refused(InvalidData, "too long"):
            self.take("decline", data={"closure_reason": "x" * 10_001})


class StaleTests(RefusalTestCase):
    def test_it_refuses_a_stale_version(self) -> None:
        seen = self.case.version
        do_transition(case=self.case, transition="prioritise", acting_user=self.manager)
        self.case = Case.objects.get(pk=self.case.pk)

        with self.refused(StaleCase, "changed by someone else") as raised:
            self.take("close_no_action", data={"closure_reason": "Nothing to do"}, expected_version=seen)

        assert raised.value.details == {"current_version": seen + 1}

    def test_it_accepts_the_current_version(self) -> None:
        moved = self.take("prioritise", expected_version=self.case.version)

        assert moved.version == self.case.version + 1
