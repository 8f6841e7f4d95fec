"""POST /cases/{reference}/transitions along every path of the general report track."""

from typing import Any

from django.core import mail

from safetydesk.api.tests.base import ApiTestCase
from safetydesk.cases.actions import PartyData, do_assign_case
from safetydesk.cases.models import Case, CaseEvent, PartyRole


class TransitionTests(ApiTestCase):
    def take(self, case: Case, transition: str, user: Any = None, **data: str) -> Any:
        fresh = Case.objects.get(pk=case.pk)
        payload = {"transition": transition, "data": data, "expected_version": fresh.version}
        return self.post(f"/cases/{case.reference}/transitions", payload, user or self.specialist)

    def walk(self, case: Case, *transitions: str) -> None:
        for name in transitions:
            assert self.take(case, name).status_code == 200, name

    def last_event(self, case: Case) -> CaseEvent:
        return CaseEvent.objects.filter(case=case).order_by("id").last()  # type: ignore[return-value]

    def test_it_acknowledges(self) -> None:
        case = self.open_case()

        response = self.take(case, "acknowledge")

        assert response.status_code == 200, response.content
        body = response.json()
        assert (body["state"], body["version"]) == ("ACKNOWLEDGED", 2)
        assert [t["name"] for t in body["transitions"]] == ["triage"]
        case.refresh_from_db()
        assert (case.state, case.version) == ("ACKNOWLEDGED", 2)
        assert case.acknowledged_at is not None
        event = self.last_event(case)
        assert (event.transition, event.from_state, event.to_state, event.actor) == (
            "acknowledge",
            "RECEIVED",
            "ACKNOWLEDGED",
            self.specialist,
        )

    def test_it_triages_with_an_assessment(self) -> None:
        case = self.open_case()
        self.walk(case, "acknowledge")

        body = self.take(case, "triage", triage_note="Within scope: cross-wiki harassment.").json()

        assert body["state"] == "TRIAGED"
        assert self.last_event(case).data == {"triage_note": "Within scope: cross-wiki harassment."}

    def test_it_defers_to_the_community_and_writes_to_the_reporter(self) -> None:
        case = self.open_case(parties=[PartyData(role=PartyRole.REPORTER, email="reporter@example.org")])
        self.walk(case, "acknowledge", "triage")

        with self.captureOnCommitCallbacks(execute=True):
            response = self.take(
                case,
                "defer",
                routed_to="arbcom",
                routed_url="https://en.wikipedia.org/wiki/WP:ARBCOM",
                reply_template="defer_local",
            )

        body = response.json()
        assert (body["state"], body["routed_to"], body["reply_template"]) == (
            "CLOSED_DEFERRED_TO_COMMUNITY",
            "arbcom",
            "defer_local",
        )
        assert body["closed_at"] is not None
        case.refresh_from_db()
        assert case.closed_at is not None
        assert case.routed_url == "https://en.wikipedia.org/wiki/WP:ARBCOM"
        assert [m.to for m in mail.outbox] == [["reporter@example.org"]]
        assert case.reference in mail.outbox[0].subject

    def test_it_declines_with_a_reason(self) -> None:
        case = self.open_case()
        self.walk(case, "acknowledge", "triage")

        body = self.take(case, "decline", closure_reason="A content dispute; not for T&S.").json()

        assert (body["state"], body["closure_reason"]) == ("CLOSED_DECLINED", "A content dispute; not for T&S.")
        assert Case.objects.get(pk=case.pk).closed_at is not None

    def test_it_prioritises_and_starts_an_investigation_once_a_lead_is_set(self) -> None:
        case = self.open_case()
        self.walk(case, "acknowledge", "triage", "prioritise")
        assert Case.objects.get(pk=case.pk).state == "PRIORITISED"
        do_assign_case(case=case, acting_user=self.manager, lead=self.specialist)

        body = self.take(case, "start_investigation").json()

        assert body["state"] == "UNDER_INVESTIGATION"
        assert {t["name"] for t in body["transitions"]} == {"close_no_action"}

    def test_it_closes_without_action_from_each_open_stage(self) -> None:
        for stages in (("acknowledge", "triage"), ("acknowledge", "triage", "prioritise")):
            case = self.open_case()
            self.walk(case, *stages)

            body = self.take(case, "close_no_action", closure_reason="No policy breach found.").json()

            assert (body["state"], body["closed_at"] is not None) == ("CLOSED_NO_ACTION", True)

        case = self.open_case()
        self.walk(case, "acknowledge", "triage", "prioritise")
        do_assign_case(case=case, acting_user=self.manager, lead=self.specialist)
        self.walk(case, "start_investigation")
        assert self.take(case, "close_no_action", closure_reason="Insufficient evidence.").json()["state"] == (
            "CLOSED_NO_ACTION"
        )

    def test_it_leaves_reopening_to_the_console(self) -> None:
        case = self.open_case()
        self.walk(case, "acknowledge", "triage")
        assert self.take(case, "decline", closure_reason="Out of scope.").status_code == 200
        before = self.snapshot(case)

        response = self.take(case, "reopen", self.manager, reopen_reason="New evidence arrived.")

        error = self.assert_error(response, 403, "reauthentication_required")
        assert error["details"] == {"transition": "reopen"}
        self.assert_unchanged(case, before)
