"""GET /cases: the queue a user may see, filtered and paged like the console's."""

import datetime as dt

from django.test import override_settings
from django.utils import timezone

from safetydesk.accounts.models import User
from safetydesk.api.tests.base import ApiTestCase
from safetydesk.cases.actions import do_assign_case
from safetydesk.cases.models import Case, CaseKind, Confidentiality, Priority

SUMMARY_FIELDS = {
    "reference",
    "kind",
    "state",
    "state_label",
    "priority",
    "confidentiality",
    "title",
    "language",
    "lead",
    "opened_at",
    "sla_due_at",
    "overdue",
    "version",
}


class ListCasesTests(ApiTestCase):
    def references(self, query: str = "", user: User | None = None) -> list[str]:
        response = self.get(f"/cases{query}", user or self.specialist)
        assert response.status_code == 200, response.content
        return [item["reference"] for item in response.json()["items"]]

    def test_it_lists_open_cases_in_working_order_with_their_fields(self) -> None:
        low = self.open_case("Low", priority=Priority.P3)
        urgent = self.open_case("Urgent", priority=Priority.P0, language="de")
        do_assign_case(case=urgent, acting_user=self.manager, lead=self.specialist)

        body = self.get("/cases", self.specialist).json()

        assert body["next_page"] is None
        assert [i["reference"] for i in body["items"]] == [urgent.reference, low.reference]
        first = body["items"][0]
        assert set(first) == SUMMARY_FIELDS
        assert first["lead"] == {"id": self.specialist.pk, "username": "sam"}
        assert first["state"] == "RECEIVED"
        assert first["state_label"] == "Received"
        assert first["language"] == "de"
        assert first["version"] == 2
        assert first["overdue"] is False
        assert body["items"][1]["lead"] is None

    def test_it_filters_by_kind_state_priority_and_language(self) -> None:
        general = self.open_case("General")
        dmca = self.open_case("Takedown", kind=CaseKind.DMCA, priority=Priority.P1, language="ja")
        acknowledged = self.move(self.open_case("Seen"), "acknowledge")

        assert self.references("?kind=dmca") == [dmca.reference]
        assert self.references("?priority=P1") == [dmca.reference]
        assert self.references("?language=ja") == [dmca.reference]
        assert self.references("?state=ACKNOWLEDGED") == [acknowledged.reference]
        assert self.references("?kind=general&state=RECEIVED") == [general.reference]

    def test_it_filters_by_assignee(self) -> None:
        mine = self.open_case("Mine")
        managers = self.open_case("Managers")
        nobodys = self.open_case("Nobody's")
        do_assign_case(case=mine, acting_user=self.manager, lead=self.specialist)
        do_assign_case(case=managers, acting_user=self.manager, lead=self.manager)

        assert self.references("?assignee=me") == [mine.reference]
        assert self.references(f"?assignee={self.manager.pk}") == [managers.reference]
        assert self.references("?assignee=none") == [nobodys.reference]

    def test_it_filters_overdue_cases(self) -> None:
        late = self.open_case("Late", opened_at=timezone.now() - dt.timedelta(days=20))
        self.open_case("On time")

        body = self.get("/cases?overdue=true", self.specialist).json()

        assert [i["reference"] for i in body["items"]] == [late.reference]
        assert body["items"][0]["overdue"] is True

    def test_it_shows_open_closed_or_all_cases(self) -> None:
        still_open = self.open_case("Open")
        closed = self.move(self.open_case("Declined"), "acknowledge", "triage")
        closed = self.move(closed, "decline", closure_reason="Content dispute, not ours.")

        assert self.references() == [still_open.reference]
        assert self.references("?status=closed") == [closed.reference]
        assert set(self.references("?status=all")) == {still_open.reference, closed.reference}

    @override_settings(QUEUE_PAGE_SIZE=2)
    def test_it_pages_with_next_page_null_at_the_end(self) -> None:
        cases = [self.open_case(f"Case {i}") for i in range(5)]
        expected = [c.reference for c in Case.objects.order_by("priority", "sla_due_at", "id")]
        assert len(expected) == len(cases)

        first = self.get("/cases", self.specialist).json()
        second = self.get("/cases?page=2", self.specialist).json()
        third = self.get("/cases?page=3", self.specialist).json()

        assert (first["next_page"], second["next_page"], third["next_page"]) == (2, 3, None)
        seen = [i["reference"] for page in (first, second, third) for i in page["items"]]
        assert seen == expected
        assert self.get("/cases?page=4", self.specialist).json() == {"items": [], "next_page": None}

    def test_it_lists_only_cases_the_user_may_see(self) -> None:
        internal = self.open_case("Internal")
        restricted = do_assign_case(
            case=self.open_case("Restricted", confidentiality=Confidentiality.RESTRICTED),
            acting_user=self.specialist,
            lead=self.oncall,
        )
        privileged = self.open_case("Privileged", confidentiality=Confidentiality.LEGAL_PRIVILEGED)

        assert set(self.references(user=self.manager)) == {internal.reference}
        assert set(self.references(user=self.oncall)) == {internal.reference, restricted.reference}
        assert set(self.references(user=self.legal)) == {internal.reference, privileged.reference}
        assert set(self.references(user=self.auditor)) == {internal.reference}

    def test_it_refuses_filter_values_that_mean_nothing(self) -> None:
        self.open_case()
        for query in ("?priority=P9", "?kind=gossip", "?assignee=bob", "?status=everything", "?page=0", "?page=x"):
            error = self.assert_error(self.get(f"/cases{query}", self.specialist), 422, "invalid_request")
            assert error["details"]["fields"][0]["location"] == "query", query
