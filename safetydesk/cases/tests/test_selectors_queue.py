"""The queue, the dashboard and search: filters, working order, flat query counts."""

import datetime as dt

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from safetydesk.cases.actions import do_assign_case, do_create_case, do_transition
from safetydesk.cases.models import Case
from safetydesk.cases.selectors import QueueFilters, dashboard, page_of, queue, search
from safetydesk.lib.testing import PersonaTestCase

# Monday 16 November 2026; "now" in these tests is Tuesday morning.
MONDAY = dt.datetime(2026, 11, 16, 10, 0, tzinfo=dt.UTC)
NOW = dt.datetime(2026, 11, 17, 9, 0, tzinfo=dt.UTC)


class QueueTestCase(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        sam = cls.specialist
        with time_machine.travel(MONDAY, tick=False):
            cls.mine = do_create_case(acting_user=sam, title="Vandalism spree on commons", language="en")
            cls.mine = do_assign_case(case=cls.mine, acting_user=sam, lead=sam)
            cls.emergency = do_create_case(
                acting_user=sam, title="Suicide threat", kind="emergency", priority="P0", language="ja",
                opened_at=MONDAY + dt.timedelta(hours=1),
            )
            cls.german = do_create_case(acting_user=sam, title="Belästigung", priority="P1", language="de")
            cls.german = do_transition(case=cls.german, transition="acknowledge", acting_user=sam)
            cls.german = do_assign_case(case=cls.german, acting_user=cls.manager, lead=cls.manager)
            # Opened last Thursday: its acknowledgement was due Monday 10:00, so it is overdue now.
            cls.late = do_create_case(
                acting_user=sam, title="Harassment by email", opened_at=MONDAY - dt.timedelta(days=4)
            )
            cls.closed = do_create_case(acting_user=sam, title="Spree of spam", priority="P3")
            cls.closed = do_transition(case=cls.closed, transition="acknowledge", acting_user=sam)
            cls.closed = do_transition(case=cls.closed, transition="triage", acting_user=sam)
            cls.closed = do_transition(
                case=cls.closed, transition="decline", acting_user=sam, data={"closure_reason": "Spam"}
            )
            cls.hidden = do_create_case(
                acting_user=cls.manager, title="Vandalism by a staff member", confidentiality="restricted"
            )

    def listed(self, user: object = None, **filters: object) -> list[Case]:
        with time_machine.travel(NOW, tick=False):
            return list(queue(user or self.specialist, QueueFilters(**filters)))  # type: ignore[arg-type]


class QueueFilterTests(QueueTestCase):
    def test_it_lists_open_visible_cases_by_priority_then_deadline(self) -> None:
        assert self.listed() == [self.emergency, self.german, self.late, self.mine]

    def test_it_filters_by_kind(self) -> None:
        assert self.listed(kind="emergency") == [self.emergency]

    def test_it_filters_by_state(self) -> None:
        assert self.listed(state="ACKNOWLEDGED") == [self.german]

    def test_it_filters_by_priority(self) -> None:
        assert self.listed(priority="P2") == [self.late, self.mine]

    def test_it_filters_by_language(self) -> None:
        assert self.listed(language="de") == [self.german]

    def test_it_filters_by_assignee(self) -> None:
        assert self.listed(assignee="me") == [self.mine]
        assert self.listed(self.manager, assignee="me") == [self.german]
        assert self.listed(assignee="none") == [self.emergency, self.late]
        assert self.listed(assignee=str(self.manager.pk)) == [self.german]

    def test_it_filters_overdue_cases(self) -> None:
        assert self.listed(overdue=True) == [self.late]

    def test_it_filters_by_status(self) -> None:
        assert self.listed(status="closed") == [self.closed]
        assert self.listed(status="all") == [self.emergency, self.german, self.late, self.mine, self.closed]

    def test_it_lists_closed_cases_most_recently_closed_first(self) -> None:
        with time_machine.travel(NOW - dt.timedelta(hours=1), tick=False):
            urgent = do_create_case(acting_user=self.specialist, title="Closed later", priority="P0")
            for step in ("acknowledge", "triage"):
                urgent = do_transition(case=urgent, transition=step, acting_user=self.specialist)
            do_transition(
                case=urgent, transition="decline", acting_user=self.specialist, data={"closure_reason": "Not T&S"}
            )
        assert [c.title for c in self.listed(status="closed")] == ["Closed later", "Spree of spam"]

    def test_filters_combine(self) -> None:
        assert self.listed(priority="P2", assignee="none") == [self.late]
        assert self.listed(priority="P2", language="de") == []

    def test_a_restricted_case_shows_only_to_its_members(self) -> None:
        assert self.hidden not in self.listed(status="all")
        assert self.hidden in self.listed(self.manager)
        assert self.listed(self.crc) == []

    def test_it_reads_filters_from_request_parameters(self) -> None:
        filters = QueueFilters.from_params(
            {"kind": "bogus", "priority": "P9", "status": "deleted", "overdue": "yes", "assignee": "me", "state": " X "}
        )

        assert filters == QueueFilters(kind="", priority="", status="open", overdue=True, assignee="me", state="X")
        assert QueueFilters.from_params({}).is_default()
        assert QueueFilters.from_params({"kind": "dmca", "status": "closed"}) == QueueFilters(
            kind="dmca", status="closed"
        )

    def test_it_pages_without_counting(self) -> None:
        with time_machine.travel(NOW, tick=False):
            first, more = page_of(queue(self.specialist, QueueFilters()), 1, 3)
            last, no_more = page_of(queue(self.specialist, QueueFilters()), 2, 3)

        assert (first, more) == ([self.emergency, self.german, self.late], True)
        assert (last, no_more) == ([self.mine], False)


class QueryCountTests(PersonaTestCase):
    def add_cases(self, count: int) -> None:
        for i in range(count):
            case = do_create_case(acting_user=self.specialist, title=f"Report {i}", priority=f"P{i % 4}")
            if i % 2:
                do_assign_case(case=case, acting_user=self.specialist, lead=[self.specialist, self.manager][i % 4 // 2])

    def page_queries(self) -> int:
        with CaptureQueriesContext(connection) as queries:
            rows, _ = page_of(queue(self.specialist, QueueFilters(status="all")), 1, 50)
            assert all(str(case.lead) for case in rows if case.lead_id)
        return len(queries)

    def dashboard_queries(self) -> int:
        with CaptureQueriesContext(connection) as queries:
            board = dashboard(self.specialist)
            assert all(str(case.lead) for case in board.mine + board.overdue + board.unassigned if case.lead_id)
        return len(queries)

    def test_the_queue_page_costs_the_same_for_5_and_40_cases(self) -> None:
        assert self.specialist.roles  # the persona's roles are loaded once per request, not per case
        self.add_cases(5)
        with self.assertNumQueries(1):
            page_of(queue(self.specialist, QueueFilters()), 1, 50)
        small = self.page_queries()

        self.add_cases(35)

        assert self.page_queries() == small == 1

    def test_the_dashboard_costs_the_same_for_5_and_40_cases(self) -> None:
        assert self.specialist.roles
        self.add_cases(5)
        small = self.dashboard_queries()

        self.add_cases(35)

        assert self.dashboard_queries() == small == 4


class DashboardTests(QueueTestCase):
    def test_it_counts_what_needs_attention(self) -> None:
        with time_machine.travel(NOW, tick=False):
            board = dashboard(self.specialist)

        assert board.counts == {"mine": 1, "overdue": 1, "unassigned": 2, "open": 4}
        assert board.mine == [self.mine]
        assert board.overdue == [self.late]
        assert board.unassigned == [self.emergency, self.late]

    def test_it_counts_a_managers_view(self) -> None:
        with time_machine.travel(NOW, tick=False):
            board = dashboard(self.manager)

        # The manager also sees the restricted case they opened (unassigned, not yet due).
        assert board.counts == {"mine": 1, "overdue": 1, "unassigned": 3, "open": 5}

    def test_it_limits_the_lists(self) -> None:
        with time_machine.travel(NOW, tick=False):
            board = dashboard(self.specialist, limit=1)

        assert board.unassigned == [self.emergency]
        assert board.counts["unassigned"] == 2


class SearchTests(QueueTestCase):
    def test_it_finds_a_case_by_its_full_reference(self) -> None:
        assert search(self.specialist, self.german.reference) == [self.german]
        assert search(self.specialist, f"  {self.german.reference.lower()} ") == [self.german]

    def test_it_finds_a_case_by_its_number_alone(self) -> None:
        assert search(self.specialist, str(self.late.pk)) == [self.late]
        assert search(self.specialist, str(self.late.pk).zfill(6)) == [self.late]

    def test_it_finds_cases_by_title_words_newest_first(self) -> None:
        assert search(self.specialist, "spree") == [self.closed, self.mine]
        assert search(self.specialist, "COMMONS vandalism") == [self.mine]
        assert search(self.specialist, "vandalism email") == []

    def test_it_finds_nothing_the_user_may_not_see(self) -> None:
        assert search(self.specialist, self.hidden.reference) == []
        assert search(self.specialist, "staff member") == []
        assert search(self.manager, "staff member") == [self.hidden]
        assert search(self.crc, self.mine.reference) == []

    def test_it_finds_nothing_for_blank_text(self) -> None:
        assert search(self.specialist, "   ") == []
