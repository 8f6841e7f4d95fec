"""POST /cases/{reference}/assign sets the lead and assistants through do_assign_case."""

from typing import Any

from django.core import mail

from safetydesk.api.tests.base import ApiTestCase
from safetydesk.cases.models import Case, CaseEvent


class AssignCaseTests(ApiTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.case = self.open_case()

    def assign(self, payload: dict[str, Any], user: Any = None) -> Any:
        return self.post(f"/cases/{self.case.reference}/assign", payload, user or self.manager)

    def test_it_sets_the_lead_and_assistants_and_tells_the_lead(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            response = self.assign(
                {"lead": self.specialist.pk, "assistants": [self.oncall.pk, self.oncall.pk], "expected_version": 1}
            )

        assert response.status_code == 200, response.content
        body = response.json()
        assert body["lead"] == {"id": self.specialist.pk, "username": "sam"}
        assert body["assistants"] == [{"id": self.oncall.pk, "username": "oli"}]
        assert body["version"] == 2
        case = Case.objects.get(pk=self.case.pk)
        assert case.lead == self.specialist
        assert set(case.members.all()) == {self.specialist, self.oncall}
        event = CaseEvent.objects.filter(case=case).last()
        assert event is not None
        assert (event.kind, event.actor, event.data) == (
            "assigned",
            self.manager,
            {"lead": self.specialist.pk, "assistants": [self.oncall.pk]},
        )
        assert [m.to for m in mail.outbox] == [[self.specialist.email]]

    def test_it_clears_the_lead(self) -> None:
        self.assign({"lead": self.specialist.pk, "expected_version": 1})

        body = self.assign({"lead": None, "expected_version": 2}).json()

        assert (body["lead"], body["assistants"]) == (None, [])
        assert Case.objects.get(pk=self.case.pk).lead is None

    def test_it_refuses_unknown_people(self) -> None:
        before = self.snapshot(self.case)

        error = self.assert_error(
            self.assign({"lead": 987654, "assistants": [self.oncall.pk], "expected_version": 1}), 422, "invalid_data"
        )

        assert error["details"] == {"field": "lead", "unknown": [987654]}
        error = self.assert_error(
            self.assign({"lead": self.specialist.pk, "assistants": [987655], "expected_version": 1}),
            422,
            "invalid_data",
        )
        assert error["details"] == {"field": "assistants", "unknown": [987655]}
        self.assert_unchanged(self.case, before)

    def test_it_refuses_someone_who_does_not_work_cases(self) -> None:
        before = self.snapshot(self.case)

        for person in (self.crc, self.auditor, self.outsider):
            self.assert_error(self.assign({"lead": person.pk, "expected_version": 1}), 422, "invalid_data")

        self.assert_unchanged(self.case, before)

    def test_it_refuses_a_read_only_role(self) -> None:
        before = self.snapshot(self.case)

        self.assert_error(
            self.assign({"lead": self.auditor.pk, "expected_version": 1}, self.auditor), 403, "role_not_permitted"
        )

        self.assert_unchanged(self.case, before)

    def test_it_refuses_a_stale_version(self) -> None:
        self.assign({"lead": self.specialist.pk, "expected_version": 1})
        before = self.snapshot(self.case)

        error = self.assert_error(self.assign({"lead": self.oncall.pk, "expected_version": 1}), 409, "stale_case")

        assert error["details"] == {"current_version": 2}
        self.assert_unchanged(self.case, before)

    def test_it_needs_the_lead_said_explicitly(self) -> None:
        # Leaving "lead" out must not silently unassign the case.
        self.assign({"lead": self.specialist.pk, "expected_version": 1})
        before = self.snapshot(self.case)

        error = self.assert_error(self.assign({"assistants": [], "expected_version": 2}), 422, "invalid_request")

        assert [f["field"] for f in error["details"]["fields"]] == ["lead"]
        self.assert_unchanged(self.case, before)
