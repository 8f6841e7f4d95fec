import re

from django.urls import reverse

from safetydesk.cases.models import CaseEvent, CaseEventKind
from safetydesk.console.tests.base import ConsoleTestCase


class TransitionPostTests(ConsoleTestCase):
    def test_it_moves_the_state_and_adds_a_timeline_row(self) -> None:
        case = self.open_case()
        self.login(self.specialist)
        url = reverse("console:case_transition", args=[case.reference, "acknowledge"])
        response = self.client.post(url, {"version": case.version})

        self.assertRedirects(response, reverse("console:case", args=[case.reference]), fetch_redirect_response=False)
        case = self.fresh(case)
        assert case.state == "ACKNOWLEDGED"
        assert case.acknowledged_at is not None
        event = CaseEvent.objects.filter(case=case).order_by("-id").first()
        assert event is not None
        assert (event.kind, event.transition, event.from_state, event.to_state, event.actor) == (
            CaseEventKind.TRANSITION, "acknowledge", "RECEIVED", "ACKNOWLEDGED", self.specialist,
        )

        page = self.client.get(reverse("console:case", args=[case.reference]))
        self.assertContains(page, f"Acknowledge: {case.reference} is now “Acknowledged”.")
        self.assertContains(page, '<div class="messages" role="status">')
        timeline = page.content.decode().split('id="timeline-h"')[1]
        assert '<strong class="tl-title">Acknowledge</strong>' in timeline
        assert re.search(r'<span class="state">Received</span>.*?<span class="state">Acknowledged</span>', timeline)

    def test_it_saves_the_fields_of_a_transition_and_shows_them_readably(self) -> None:
        case = self.take(self.open_case(), "acknowledge")
        self.take(case, "triage")
        self.login(self.specialist)
        response = self.client.post(
            reverse("console:case_transition", args=[case.reference, "defer"]),
            {
                "version": self.fresh(case).version,
                "routed_to": "arbcom",
                "routed_url": "https://en.wikipedia.org/wiki/WP:ARC",
                "reply_template": "no_reply",
            },
        )
        self.assertRedirects(response, reverse("console:case", args=[case.reference]))
        case = self.fresh(case)
        assert (case.state, case.routed_to) == ("CLOSED_DEFERRED_TO_COMMUNITY", "arbcom")
        page = self.client.get(reverse("console:case", args=[case.reference]))
        timeline = page.content.decode().split('id="timeline-h"')[1]
        assert "<dt>Venue</dt><dd>Arbitration Committee</dd>" in timeline
        assert "<dt>Reply sent</dt><dd>No reply (reporter unreachable or anonymous)</dd>" in timeline

    def test_it_refuses_a_step_not_available_from_the_current_state(self) -> None:
        case = self.take(self.open_case(), "acknowledge")
        self.login(self.specialist)
        response = self.client.post(
            reverse("console:case_transition", args=[case.reference, "acknowledge"]),
            {"version": self.fresh(case).version},
        )
        self.assertContains(response, "“Acknowledge” cannot be taken from Acknowledged.", status_code=409)
        assert CaseEvent.objects.filter(case=case, transition="acknowledge").count() == 1

    def test_it_only_accepts_get_and_post(self) -> None:
        case = self.open_case()
        self.login(self.specialist)
        response = self.client.put(reverse("console:case_transition", args=[case.reference, "acknowledge"]))
        assert response.status_code == 405

    def test_it_refuses_a_guarded_step_with_the_guards_reason(self) -> None:
        case = self.take(self.open_case(), "acknowledge")
        self.take(case, "triage")
        self.take(case, "prioritise")
        self.login(self.specialist)
        response = self.client.post(
            reverse("console:case_transition", args=[case.reference, "start_investigation"]),
            {"version": self.fresh(case).version},
        )
        self.assertContains(response, "Assign a lead before starting the investigation.", status_code=409)
        assert self.fresh(case).state == "PRIORITISED"
