"""The Office action panel on the case page: recommend, sign in turn, decide, carry out by hand,
each a plain form post; refusals come back as a message and change nothing."""

import pytest
from django.urls import reverse

from safetydesk.accounts.roles import Role
from safetydesk.cases.actions import do_create_case
from safetydesk.cases.models import CaseKind
from safetydesk.enforcement.models import ActionStatus, ExecutionStatus, OfficeAction
from safetydesk.lib.testing import PersonaTestCase, force_login_verified, grant_sudo, make_staff
from safetydesk.reviews.actions import ReviewRefusal
from safetydesk.reviews.models import Recommendation, RecommendationStatus, ReviewStep, Verdict
from safetydesk.reviews.views import parse_revisions, parse_warnings


class OfficeActionPanelTests(PersonaTestCase):
    def setUp(self) -> None:
        self.case = do_create_case(acting_user=None, title="Harassment at an editathon", kind=CaseKind.OFFICE_ACTION)
        self.page = reverse("console:case", args=[self.case.reference])

    def as_user(self, user: object) -> None:
        self.client.logout()
        force_login_verified(self.client, user)  # type: ignore[arg-type]

    def post(self, name: str, *args: object, **data: object) -> str:
        response = self.client.post(reverse(f"reviews:{name}", args=[self.case.reference, *args]), data, follow=True)
        assert response.status_code == 200
        return response.content.decode()

    def test_a_conduct_warning_from_recommendation_to_confirmation_through_the_panel(self) -> None:
        self.as_user(self.specialist)
        page = self.client.get(self.page).content.decode()
        assert 'id="office-action"' in page
        assert "Recommend an office action" in page
        page = self.post("recommend", action_types=["conduct_warning"], target="Rude Editor",
                         rationale="Insults at the editathon.", prior_warnings="community 2026-05-01")  # fmt: skip
        assert "The recommendation is submitted for review." in page
        recommendation = Recommendation.objects.get()
        assert recommendation.prior_warnings == [{"kind": "community", "date": "2026-05-01", "link": ""}]

        reviewers = {"team": self.manager, "director": self.director, "chief": make_staff("chloe", Role.DEPT_CHIEF),
                     "legal": self.legal}  # fmt: skip
        for step in recommendation.steps.order_by("position"):
            self.as_user(reviewers[step.stage])
            assert "Sign this stage" in self.client.get(self.page).content.decode()
            assert "Your review is recorded." in self.post("sign", step.pk, verdict=Verdict.CONCUR)

        self.as_user(make_staff("max", Role.MANAGER))
        assert "1 office action(s) ready to carry out" in self.post("decide", recommendation.pk)
        action = OfficeAction.objects.get()
        # Acting on the wikis needs a fresh re-authentication first (sudo mode).
        response = self.client.post(reverse("reviews:carry_out", args=[self.case.reference, action.pk]))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:sudo"))
        assert not action.executions.exists()
        grant_sudo(self.client)
        page = self.post("carry_out", action.pk)  # no wiki for a warning: it waits for a person
        assert "Confirm it is done" in page
        execution = action.executions.get()
        assert execution.status == ExecutionStatus.AWAITING_STAFF
        self.post("confirm", execution.pk, note="Warning left on the user's talk page, diff 12345")
        action.refresh_from_db()
        assert action.status == ActionStatus.ENFORCED

    def test_refusals_come_back_as_messages_and_change_nothing(self) -> None:
        self.as_user(self.specialist)
        page = self.post("recommend", action_types=["foundation_global_ban"], target="X", rationale="Because.")
        assert "direct-ban justification" in page
        assert not Recommendation.objects.exists()

        self.post("recommend", action_types=["conduct_warning"], target="X", rationale="Because.")
        director_step = ReviewStep.objects.get(stage="director")
        self.as_user(self.director)
        page = self.post("sign", director_step.pk, verdict=Verdict.CONCUR)
        assert "signed in turn" in page
        assert "Sign this stage" not in self.client.get(self.page).content.decode()  # not their turn
        director_step.refresh_from_db()
        assert director_step.verdict == ""
        assert Recommendation.objects.get().status == RecommendationStatus.IN_REVIEW

    def test_the_auditor_sees_the_panel_but_no_form(self) -> None:
        self.as_user(self.auditor)
        page = self.client.get(self.page).content.decode()
        assert 'id="office-action"' in page
        assert "Recommend an office action" not in page

    def test_prior_warnings_are_read_a_line_each(self) -> None:
        assert parse_warnings("community 2026-01-02 https://x.org/1\n\nfoundation 2026-03-04\n") == [
            {"kind": "community", "date": "2026-01-02", "link": "https://x.org/1"},
            {"kind": "foundation", "date": "2026-03-04", "link": ""},
        ]


def test_revision_ids_are_read_as_typed_or_copied_from_a_permalink() -> None:
    assert parse_revisions("12, oldid=34\n56") == [12, 34, 56]
    with pytest.raises(ReviewRefusal, match="is not a revision id"):
        parse_revisions("12 abc")
