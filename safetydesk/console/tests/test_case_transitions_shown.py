import re

from django.urls import reverse

from safetydesk.accounts.models import User
from safetydesk.cases.models import Case
from safetydesk.console.tests.base import ConsoleTestCase


class TransitionsShownTests(ConsoleTestCase):
    def actions(self, case: Case, user: User | None = None) -> str:
        self.login(user or self.specialist)
        response = self.client.get(reverse("console:case", args=[case.reference]))
        assert response.status_code == 200
        return self.section(response, "actions-h")

    def test_it_shows_allowed_transitions_as_buttons(self) -> None:
        case = self.take(self.open_case(), "acknowledge")
        self.take(case, "triage")
        actions = self.actions(case)
        # No fields: a one-click form with the style the workflow asks for.
        one_click = re.compile(
            rf'action="/cases/{case.reference}/transition/prioritise/">\s*'
            r'<input type="hidden" name="csrfmiddlewaretoken"[^>]*>'
            r'<input type="hidden" name="version" value="\d+">\s*'
            r'<button class="btn btn-primary">Prioritise for investigation</button>'
        )
        assert one_click.search(actions)
        # Fields: the button opens the form in place.
        assert '<summary class="btn btn-danger">Decline (out of scope)…</summary>' in actions
        assert '<summary class="btn btn-default">Defer to community…</summary>' in actions
        assert "disabled" not in actions

    def test_it_shows_a_blocked_guard_disabled_with_its_reason_as_text(self) -> None:
        case = self.take(self.open_case(), "acknowledge")
        self.take(case, "triage")
        self.take(case, "prioritise")
        actions = self.actions(case)
        button = (
            '<button type="button" class="btn" disabled aria-describedby="why-start_investigation">'
            "Start investigation</button>"
        )
        assert button in actions
        reason = re.search(r'<p class="blocked-reason" id="why-start_investigation">(.*?)</p>', actions, re.S)
        assert reason is not None
        assert "Assign a lead before starting the investigation." in reason.group(1)
        assert "/transition/start_investigation/" not in actions

    def test_it_shows_a_role_block_with_its_reason(self) -> None:
        case = self.take(self.open_case(), "acknowledge")
        self.take(case, "triage")
        self.take(case, "decline", closure_reason="Content dispute.")
        actions = self.actions(case)
        assert 'disabled aria-describedby="why-reopen">Reopen</button>' in actions
        assert "Only these roles may reopen: T&amp;S director, T&amp;S manager." in actions

    def test_it_shows_a_sensitive_transition_as_a_link_to_its_form_for_a_manager(self) -> None:
        case = self.take(self.open_case(), "acknowledge")
        self.take(case, "triage")
        self.take(case, "decline", closure_reason="Content dispute.")
        actions = self.actions(case, self.manager)
        assert f'<a class="btn btn-default" href="/cases/{case.reference}/transition/reopen/">Reopen…</a>' in actions
        assert "Asks for your password and code again first." in actions
