from collections.abc import Callable

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safetydesk.cases.actions import PartyData, do_add_note, do_add_party, do_assign_case, do_capture_evidence
from safetydesk.cases.models import Case, CaseEvent
from safetydesk.console.tests.base import ConsoleTestCase


class CasePageQueryCountTests(ConsoleTestCase):
    def case_with_events(self, count: int, makers: list[Callable[[Case, int], object]]) -> Case:
        """A case whose timeline has `count` rows: opened, then the makers in turn."""
        case = self.open_case(f"Case with {count} events")
        for i in range(count - 1):
            makers[i % len(makers)](case, i)
        assert CaseEvent.objects.filter(case=case).count() == count
        return case

    def note(self, case: Case, i: int) -> object:
        return do_add_note(case=case, acting_user=[self.specialist, self.manager][i % 2], body=f"Note {i}")

    def evidence(self, case: Case, i: int) -> object:
        return do_capture_evidence(
            case=case, acting_user=self.manager, kind="diff", permalink=f"https://en.wikipedia.org/?oldid={i}"
        )

    def party(self, case: Case, i: int) -> object:
        return do_add_party(case=case, acting_user=self.oncall, party=PartyData(role="witness", real_name=f"W{i}"))

    def assignment(self, case: Case, i: int) -> object:
        people = [self.specialist, self.manager, self.director, self.oncall, self.legal]
        return do_assign_case(
            case=case, acting_user=self.specialist, lead=people[i % 5], assistants=[people[(i + 1) % 5]]
        )

    def queries(self, case: Case) -> int:
        with CaptureQueriesContext(connection) as captured:
            response = self.client.get(reverse("console:case", args=[case.reference]))
        assert response.status_code == 200
        return len(captured)

    def test_it_runs_the_same_queries_for_2_and_20_events(self) -> None:
        self.login(self.specialist)
        small = self.case_with_events(2, [self.note])
        large = self.case_with_events(20, [self.note, self.evidence, self.party])
        assert self.queries(small) == self.queries(large)

    def test_it_names_assigned_people_in_one_query_however_many_assignments(self) -> None:
        self.login(self.specialist)
        small = self.case_with_events(2, [self.assignment])
        large = self.case_with_events(20, [self.assignment])
        assert self.queries(small) == self.queries(large)

    def test_it_runs_the_same_queries_for_an_auditor(self) -> None:
        self.login(self.auditor)
        small = self.case_with_events(2, [self.note])
        large = self.case_with_events(20, [self.note, self.evidence, self.party])
        assert self.queries(small) == self.queries(large)
