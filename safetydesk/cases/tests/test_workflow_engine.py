"""The engine itself: declarations are checked, and `evaluate` says what a user may do and why not."""

import pytest

from safetydesk.accounts.roles import Role
from safetydesk.cases.actions import do_assign_case, do_create_case, do_transition
from safetydesk.cases.workflow import Field, State, Transition, Workflow, evaluate, workflow_for
from safetydesk.lib.testing import PersonaTestCase

A, B = State("A", "A"), State("B", "B")


class DeclarationTests(PersonaTestCase):
    def test_it_refuses_an_undeclared_initial_state(self) -> None:
        with pytest.raises(ValueError, match="initial state Z"):
            Workflow(kind="t", initial="Z", states=(A, B), transitions=())

    def test_it_refuses_a_transition_to_an_undeclared_state(self) -> None:
        step = Transition("go", "Go", frozenset({"A"}), "C", frozenset({Role.SPECIALIST}))

        with pytest.raises(ValueError, match=r"t.go: undeclared states \['C'\]"):
            Workflow(kind="t", initial="A", states=(A, B), transitions=(step,))

    def test_it_refuses_a_transition_declared_twice(self) -> None:
        step = Transition("go", "Go", frozenset({"A"}), "B", frozenset({Role.SPECIALIST}))

        with pytest.raises(ValueError, match="declared twice"):
            Workflow(kind="t", initial="A", states=(A, B), transitions=(step, step))

    def test_unknown_kinds_follow_the_general_track(self) -> None:
        assert workflow_for("no_such_kind").kind == "general"
        assert workflow_for("general").initial == "RECEIVED"


class FieldTests(PersonaTestCase):
    def test_an_optional_field_may_be_empty(self) -> None:
        assert Field("note", "Note", required=False).clean(None) == ("", None)

    def test_it_strips_values(self) -> None:
        assert Field("note", "Note").clean("  kept  ") == ("kept", None)

    def test_it_accepts_https_links_only(self) -> None:
        link = Field("url", "Link", kind="url")

        assert link.clean("https://meta.wikimedia.org/wiki/Stewards")[1] is None
        assert link.clean("ftp://example.org/x")[1] == "Link must be an http(s) link."


class EvaluateTests(PersonaTestCase):
    def setUp(self) -> None:
        case = do_create_case(acting_user=self.specialist, title="Threats in edit summaries")
        case = do_transition(case=case, transition="acknowledge", acting_user=self.specialist)
        case = do_transition(case=case, transition="triage", acting_user=self.specialist)
        self.case = do_transition(case=case, transition="prioritise", acting_user=self.specialist)

    def options(self, user: object) -> dict[str, str | None]:
        return {o.transition.name: o.blocked_by for o in evaluate(self.case, user)}  # type: ignore[arg-type]

    def test_it_lists_the_transitions_out_of_the_state_with_the_guard_reason(self) -> None:
        assert self.options(self.specialist) == {
            "start_investigation": "Assign a lead before starting the investigation.",
            "close_no_action": None,
        }

    def test_the_guard_clears_once_a_lead_is_assigned(self) -> None:
        self.case = do_assign_case(case=self.case, acting_user=self.manager, lead=self.specialist)

        assert self.options(self.specialist) == {"start_investigation": None, "close_no_action": None}

    def test_it_gives_the_role_reason_to_a_read_only_user(self) -> None:
        options = self.options(self.auditor)

        assert set(options) == {"start_investigation", "close_no_action"}
        assert options["close_no_action"].startswith("Only these roles may close — no action:")
        assert "T&S specialist" in options["close_no_action"]
