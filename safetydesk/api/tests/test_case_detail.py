"""GET /cases/{reference}: the whole case file, and the steps the user may take next."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from safetydesk.accounts.models import User
from safetydesk.api.tests.base import ApiTestCase
from safetydesk.cases.actions import PartyData, do_add_note, do_assign_case, do_capture_evidence
from safetydesk.cases.models import Case, Evidence, EvidenceKind, PartyRole


class CaseDetailTests(ApiTestCase):
    def triaged_case(self) -> Case:
        case = self.open_case(
            summary="Repeated insults on a talk page.",
            projects=["enwiki"],
            parties=[
                PartyData(role=PartyRole.REPORTER, wiki_username="Reporter1", email="reporter@example.org"),
                PartyData(role=PartyRole.SUBJECT, real_name="Pat Subject", ip_or_range="198.51.100.7"),
            ],
        )
        return self.move(case, "acknowledge", "triage")

    def test_it_shows_the_case_file(self) -> None:
        case = self.triaged_case()
        do_capture_evidence(
            case=case,
            acting_user=self.specialist,
            kind=EvidenceKind.DIFF,
            permalink="https://en.wikipedia.org/w/index.php?diff=123",
            content="the diff",
            description="First insult",
        )
        do_add_note(case=case, acting_user=self.specialist, body="Checked the history.")

        body = self.get(f"/cases/{case.reference}", self.specialist).json()

        assert body["reference"] == case.reference
        assert body["state"] == "TRIAGED"
        assert body["version"] == Case.objects.get(pk=case.pk).version
        assert body["summary"] == "Repeated insults on a talk page."
        assert body["projects"] == ["enwiki"]
        assert body["created_by"] == {"id": self.specialist.pk, "username": "sam"}
        assert [(p["role"], p["display_name"]) for p in body["parties"]] == [
            ("reporter", "Reporter1"),
            ("subject", "Pat Subject"),
        ]
        (evidence,) = body["evidence"]
        stored = Evidence.objects.get(case=case)
        assert evidence["kind"] == "diff"
        assert evidence["permalink"] == "https://en.wikipedia.org/w/index.php?diff=123"
        assert evidence["sha256"] == stored.sha256
        assert evidence["captured_at"]
        assert [n["body"] for n in body["notes"]] == ["Checked the history."]
        assert body["notes"][0]["author"]["username"] == "sam"
        assert [(e["kind"], e["transition"]) for e in body["timeline"]] == [
            ("created", ""),
            ("transition", "acknowledge"),
            ("transition", "triage"),
            ("evidence", ""),
            ("note", ""),
        ]
        assert body["timeline"][1]["from_state"] == "RECEIVED"
        assert body["timeline"][1]["to_state"] == "ACKNOWLEDGED"

    def test_it_keeps_contact_details_and_evidence_content_out(self) -> None:
        case = self.triaged_case()
        do_capture_evidence(case=case, acting_user=self.specialist, kind=EvidenceKind.STATEMENT, content="secret text")

        content = self.get(f"/cases/{case.reference}", self.specialist).content.decode()

        for private in ("reporter@example.org", "198.51.100.7", "secret text"):
            assert private not in content

    def test_it_lists_the_transitions_with_their_fields(self) -> None:
        case = self.triaged_case()

        transitions = {
            t["name"]: t for t in self.get(f"/cases/{case.reference}", self.specialist).json()["transitions"]
        }

        assert set(transitions) == {"defer", "decline", "prioritise", "close_no_action"}
        assert all(t["allowed"] and t["blocked_by"] is None for t in transitions.values())
        venue, link, reply = transitions["defer"]["fields"]
        assert (venue["name"], venue["kind"], venue["required"]) == ("routed_to", "choice", True)
        assert {"value": "arbcom", "label": "Arbitration Committee"} in venue["choices"]
        assert (link["name"], link["kind"], link["required"], link["choices"]) == ("routed_url", "url", False, [])
        assert reply["name"] == "reply_template"
        assert transitions["decline"]["fields"] == [
            {"name": "closure_reason", "label": "Reason", "kind": "textarea", "required": True, "choices": []}
        ]

    def test_it_says_why_a_transition_is_blocked(self) -> None:
        case = self.move(self.triaged_case(), "prioritise")

        def options(user: User) -> dict[str, dict[str, object]]:
            return {t["name"]: t for t in self.get(f"/cases/{case.reference}", user).json()["transitions"]}

        start = options(self.specialist)["start_investigation"]
        assert start["allowed"] is False
        assert start["blocked_by"] == "Assign a lead before starting the investigation."
        assert options(self.auditor)["close_no_action"]["allowed"] is False
        assert "Only these roles" in str(options(self.auditor)["close_no_action"]["blocked_by"])

        do_assign_case(case=case, acting_user=self.manager, lead=self.specialist)
        assert options(self.specialist)["start_investigation"]["allowed"] is True

    def test_it_offers_sensitive_steps_only_in_the_console(self) -> None:
        case = self.move(self.triaged_case(), "decline", closure_reason="Not ours.")

        (reopen,) = self.get(f"/cases/{case.reference}", self.manager).json()["transitions"]

        assert reopen["name"] == "reopen"
        assert reopen["allowed"] is False
        assert "re-authentication in the console" in reopen["blocked_by"]

    def test_it_loads_in_a_fixed_number_of_queries(self) -> None:
        case = self.triaged_case()
        # One of each to start with, so that every prefetch already runs once.
        do_add_note(case=case, acting_user=self.specialist, body="First note")
        do_capture_evidence(
            case=case, acting_user=self.specialist, kind=EvidenceKind.DIFF, permalink="https://w.example/0"
        )
        do_assign_case(case=case, acting_user=self.manager, lead=self.specialist, assistants=[self.oncall])

        def queries() -> int:
            with CaptureQueriesContext(connection) as context:
                assert self.get(f"/cases/{case.reference}", self.specialist).status_code == 200
            return len(context.captured_queries)

        queries()  # stamps the token's last use
        before = queries()
        for i in range(1, 11):
            do_add_note(case=case, acting_user=self.manager, body=f"Note {i}")
            do_capture_evidence(
                case=case, acting_user=self.oncall, kind=EvidenceKind.DIFF, permalink=f"https://w.example/{i}"
            )
        do_assign_case(
            case=case, acting_user=self.manager, lead=self.specialist, assistants=[self.oncall, self.manager]
        )

        assert queries() == before

    def test_it_answers_404_for_an_unknown_reference(self) -> None:
        self.assert_error(self.get("/cases/SD-1999-999999", self.specialist), 404, "not_found")
