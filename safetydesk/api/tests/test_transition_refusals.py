"""Every way a transition is refused over the API, and that nothing changes when it is."""

from typing import Any

from safetydesk.api.tests.base import ApiTestCase
from safetydesk.cases.models import Case


class TransitionRefusalTests(ApiTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.case = self.move(self.open_case(), "acknowledge", "triage", "prioritise")
        self.before = self.snapshot(self.case)

    def take(self, transition: str, user: Any = None, expected_version: int | None = None, **data: str) -> Any:
        payload = {
            "transition": transition,
            "data": data,
            "expected_version": expected_version or self.before.version,
        }
        return self.post(f"/cases/{self.case.reference}/transitions", payload, user or self.specialist)

    def tearDown(self) -> None:
        # Every test here is a refusal: state, version, lead and timeline must be as they were.
        self.assert_unchanged(self.case, self.before)
        super().tearDown()

    def test_it_refuses_an_unknown_transition(self) -> None:
        error = self.assert_error(self.take("escalate_to_the_moon"), 400, "unknown_transition")

        assert error["details"] == {"transition": "escalate_to_the_moon"}
        assert "start_investigation" in error["message"]

    def test_it_refuses_when_a_guard_is_not_met(self) -> None:
        error = self.assert_error(self.take("start_investigation"), 409, "guard_failed")

        assert error["message"] == "Assign a lead before starting the investigation."

    def test_it_refuses_a_role_that_may_not_change_cases(self) -> None:
        error = self.assert_error(
            self.take("close_no_action", self.auditor, closure_reason="x"), 403, "role_not_permitted"
        )

        assert error["message"] == "You may read this case but not change it."

    def test_it_refuses_a_stale_version(self) -> None:
        error = self.assert_error(
            self.take("close_no_action", expected_version=self.before.version - 1, closure_reason="x"),
            409,
            "stale_case",
        )

        assert error["details"] == {"current_version": self.before.version}

    def test_it_refuses_a_transition_not_available_from_this_state(self) -> None:
        error = self.assert_error(self.take("acknowledge"), 409, "transition_not_available")

        assert error["details"] == {"state": "PRIORITISED", "transition": "acknowledge"}

    def test_it_refuses_missing_transition_data(self) -> None:
        error = self.assert_error(self.take("close_no_action"), 422, "invalid_data")

        assert set(error["details"]["fields"]) == {"closure_reason"}

    def test_it_refuses_a_case_worker_without_a_case_role(self) -> None:
        self.assert_error(self.take("close_no_action", self.crc, closure_reason="x"), 403, "role_not_permitted")
        self.assert_error(self.take("close_no_action", self.outsider, closure_reason="x"), 403, "role_not_permitted")

    def test_it_refuses_a_version_that_moved_on_after_another_users_change(self) -> None:
        other = self.post(f"/cases/{self.case.reference}/notes", {"body": "Meanwhile, a note."}, self.manager)
        assert other.status_code == 201
        self.before = self.snapshot(self.case)

        error = self.assert_error(
            self.take("close_no_action", expected_version=self.before.version - 1, closure_reason="x"),
            409,
            "stale_case",
        )
        assert error["details"]["current_version"] == Case.objects.get(pk=self.case.pk).version
