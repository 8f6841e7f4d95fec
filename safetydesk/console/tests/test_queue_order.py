import datetime as dt
import re

from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from safetydesk.cases.models import Priority
from safetydesk.console.tests.base import ConsoleTestCase


class QueueOrderTests(ConsoleTestCase):
    def test_it_orders_by_priority_then_deadline(self) -> None:
        now = timezone.now()
        p2_later = self.open_case("P2 opened today", priority=Priority.P2, opened_at=now)
        p2_sooner = self.open_case("P2 opened a week ago", priority=Priority.P2, opened_at=now - dt.timedelta(days=7))
        p0 = self.open_case("P0 threat", priority=Priority.P0, opened_at=now)
        p3 = self.open_case("P3 question", priority=Priority.P3, opened_at=now - dt.timedelta(days=30))
        p1 = self.open_case("P1 doxxing", priority=Priority.P1, opened_at=now)
        self.login(self.specialist)
        response = self.client.get(reverse("console:queue"))
        expected = [p0, p1, p2_sooner, p2_later, p3]
        assert self.listed(response) == [case.reference for case in expected]

    def test_it_shows_the_deadline_relative_and_absolute(self) -> None:
        case = self.open_case()
        self.login(self.specialist)
        response = self.client.get(reverse("console:queue"))
        due = timezone.localtime(case.sla_due_at, dt.UTC)
        self.assertContains(response, f'<time datetime="{due.isoformat()}" title="')
        self.assertContains(response, "from now</time>")

    @override_settings(QUEUE_PAGE_SIZE=3)
    def test_it_pages_with_next_and_previous_keeping_filters(self) -> None:
        cases = [self.open_case(f"Report {i}", language="de") for i in range(7)]
        self.open_case("English report", language="en")
        self.login(self.specialist)
        url = reverse("console:queue")

        first = self.client.get(url, {"language": "de"})
        assert self.listed(first) == [c.reference for c in cases[:3]]
        next_link = re.search(r'<a class="btn" rel="next" href="([^"]+)"', self.html(first))
        assert next_link is not None
        assert next_link.group(1).replace("&amp;", "&") == "?language=de&page=2"
        self.assertNotContains(first, 'rel="prev"')

        second = self.client.get(url, {"language": "de", "page": "2"})
        assert self.listed(second) == [c.reference for c in cases[3:6]]
        self.assertContains(second, 'rel="prev" href="?language=de&amp;page=1"')
        self.assertContains(second, "Cases 4\N{EN DASH}6")

        last = self.client.get(url, {"language": "de", "page": "3"})
        assert self.listed(last) == [cases[6].reference]
        self.assertNotContains(last, 'rel="next"')
