"""The review cycle: stages from the matrix, signed in turn by role, separation of duties,
dissent and send-back, the decision and its override."""

import pytest

from safetydesk.accounts.roles import Role
from safetydesk.audit.models import AuditEvent, AuditEventType
from safetydesk.cases.actions import do_create_case
from safetydesk.cases.models import CaseKind
from safetydesk.enforcement.models import ActionStatus, ActionType, OfficeAction
from safetydesk.lib.testing import PersonaTestCase, make_staff
from safetydesk.reviews.actions import (
    ReviewNotPermitted,
    ReviewRefusal,
    do_decide,
    do_review,
    do_submit_recommendation,
)
from safetydesk.reviews.models import DirectBanJustification, Recommendation, RecommendationStatus, Verdict

BAN = ActionType.FOUNDATION_GLOBAL_BAN
WARNED = [{"kind": "community", "date": "2026-01-10", "link": "https://en.wikipedia.org/w/index.php?oldid=1"}]


class ReviewCycleTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.chief = make_staff("chloe", Role.DEPT_CHIEF)
        cls.comms = make_staff("cole", Role.COMMS)
        cls.executive = make_staff("eve", Role.EXECUTIVE)
        cls.manager2 = make_staff("max", Role.MANAGER)

    def setUp(self) -> None:
        self.case = do_create_case(acting_user=None, title="Cross-wiki harassment", kind=CaseKind.OFFICE_ACTION)

    def recommend(self, **changes: object) -> Recommendation:
        values: dict[str, object] = {
            "case": self.case, "acting_user": self.specialist, "action_types": [BAN], "target": "Harasser",
            "rationale": "Sustained harassment on four wikis after two warnings.", "prior_warnings": WARNED,
        }  # fmt: skip
        return do_submit_recommendation(**{**values, **changes})  # type: ignore[arg-type]

    def sign_all(self, recommendation: Recommendation, verdicts: dict[str, str] | None = None) -> None:
        reviewers = {"team": self.manager, "director": self.director, "chief": self.chief, "legal": self.legal,
                     "comms": self.comms, "executive": self.executive}  # fmt: skip
        for step in recommendation.steps.order_by("position"):
            verdict = (verdicts or {}).get(step.stage, Verdict.CONCUR)
            do_review(step=step, acting_user=reviewers[step.stage], verdict=verdict, note="Reasons, for the file.")

    def test_a_global_ban_goes_through_every_stage_in_the_matrix_order(self) -> None:
        recommendation = self.recommend()
        steps = list(recommendation.steps.values_list("stage", "role", "required"))
        assert steps == [
            ("team", "manager", True),
            ("director", "director", True),
            ("chief", "dept_chief", True),
            ("legal", "legal_counsel", True),
            ("comms", "comms", True),
            ("executive", "executive", True),
        ]
        self.sign_all(recommendation)
        [action] = do_decide(recommendation=recommendation, acting_user=self.manager2)
        assert (action.action_type, action.target, action.status) == (BAN, "Harasser", ActionStatus.APPROVED)
        recommendation.refresh_from_db()
        assert recommendation.status == RecommendationStatus.DECIDED
        assert recommendation.override_by is None
        assert AuditEvent.objects.filter(event_type=AuditEventType.REVIEW_SIGNED).count() == 6
        assert self.case.events.filter(kind="review").count() == 8  # submitted, six stages, decided

    def test_conditional_stages_are_added_only_when_the_author_asks(self) -> None:
        warning = self.recommend(action_types=[ActionType.CONDUCT_WARNING])
        assert list(warning.steps.values_list("stage", flat=True)) == ["team", "director", "chief", "legal"]
        warning.status = RecommendationStatus.RETURNED
        warning.save()
        with_comms = self.recommend(action_types=[ActionType.CONDUCT_WARNING], include_conditional=["comms"])
        assert list(with_comms.steps.values_list("stage", "required")) == [
            ("team", True), ("director", True), ("chief", True), ("legal", True), ("comms", False),
        ]  # fmt: skip

    def test_bad_recommendations_are_refused_and_leave_nothing(self) -> None:
        general = do_create_case(acting_user=None, title="A report")
        cases = [
            ({"case": general}, "office-action investigations only"),
            ({"action_types": ["ban_forever"]}, "review matrix knows"),
            ({"action_types": []}, "review matrix knows"),
            ({"rationale": "  "}, "rationale"),
            ({"target": ""}, "Name the account"),
            ({"prior_warnings": []}, "direct-ban justification"),
        ]
        for changes, message in cases:
            with self.subTest(changes=changes), pytest.raises(ReviewRefusal, match=message):
                self.recommend(**changes)
        with pytest.raises(ReviewNotPermitted):
            self.recommend(acting_user=self.auditor)
        assert not Recommendation.objects.exists()

    def test_a_direct_ban_with_its_justification_is_accepted(self) -> None:
        not_practical = DirectBanJustification.WARNING_NOT_PRACTICAL
        direct = self.recommend(prior_warnings=[], direct_ban_justification=not_practical)
        assert direct.direct_ban_justification == not_practical
        with pytest.raises(ReviewRefusal, match="already has a recommendation in review"):
            self.recommend()

    def test_stages_are_signed_in_turn_by_their_role(self) -> None:
        recommendation = self.recommend()
        team, director = recommendation.steps.order_by("position")[:2]
        with pytest.raises(ReviewRefusal, match="in turn"):
            do_review(step=director, acting_user=self.director, verdict=Verdict.CONCUR)
        with pytest.raises(ReviewNotPermitted, match="role"):
            do_review(step=team, acting_user=self.legal, verdict=Verdict.CONCUR)

    def test_separation_of_duties(self) -> None:
        both = make_staff("bo", Role.MANAGER, Role.DIRECTOR)
        author = make_staff("al", Role.SPECIALIST, Role.MANAGER)
        recommendation = self.recommend(acting_user=author)
        team, director = recommendation.steps.order_by("position")[:2]
        with pytest.raises(ReviewNotPermitted, match="author"):
            do_review(step=team, acting_user=author, verdict=Verdict.CONCUR)
        do_review(step=team, acting_user=both, verdict=Verdict.CONCUR)
        with pytest.raises(ReviewNotPermitted, match="one person signs one stage"):
            do_review(step=director, acting_user=both, verdict=Verdict.CONCUR)
        with pytest.raises(ReviewNotPermitted, match="author"):
            do_decide(recommendation=recommendation, acting_user=author, override_reason="urgent")

    def test_a_dissent_travels_on_and_the_decision_then_needs_an_override_with_a_reason(self) -> None:
        recommendation = self.recommend()
        with pytest.raises(ReviewRefusal, match="Say why"):
            do_review(step=recommendation.steps.get(stage="team"), acting_user=self.manager, verdict=Verdict.DISSENT)
        self.sign_all(recommendation, {"legal": Verdict.DISSENT})
        with pytest.raises(ReviewRefusal, match="Every stage must concur") as refusal:
            do_decide(recommendation=recommendation, acting_user=self.manager2)
        assert refusal.value.details["blockers"] == ["Review by Legal: Dissent (recorded, goes on to the next stage)"]
        with pytest.raises(ReviewNotPermitted, match="override"):
            do_decide(recommendation=recommendation, acting_user=self.manager2, override_reason="Safety first")
        assert not OfficeAction.objects.exists()

        chief2 = make_staff("cyd", Role.DEPT_CHIEF)
        [action] = do_decide(recommendation=recommendation, acting_user=chief2, override_reason="Imminent risk")
        recommendation.refresh_from_db()
        assert (recommendation.override_by, recommendation.override_reason) == (chief2, "Imminent risk")
        assert action.status == ActionStatus.APPROVED

    def test_more_research_sends_it_back_and_a_new_recommendation_starts_over(self) -> None:
        recommendation = self.recommend()
        do_review(step=recommendation.steps.get(stage="team"), acting_user=self.manager, verdict=Verdict.CONCUR)
        director = recommendation.steps.get(stage="director")
        do_review(step=director, acting_user=self.director, verdict=Verdict.MORE_RESEARCH, note="Check the alt")
        recommendation.refresh_from_db()
        assert recommendation.status == RecommendationStatus.RETURNED
        with pytest.raises(ReviewRefusal, match="no longer in review"):
            do_review(step=recommendation.steps.get(stage="chief"), acting_user=self.chief, verdict=Verdict.CONCUR)
        with pytest.raises(ReviewRefusal, match="no longer in review"):
            do_decide(recommendation=recommendation, acting_user=self.executive, override_reason="x")

        again = self.recommend(rationale="Alternate confirmed by CheckUser.")
        # The same people sign the same stages of the new one; nobody takes a second stage.
        do_review(step=again.steps.get(stage="team"), acting_user=self.manager, verdict=Verdict.CONCUR)
        do_review(step=again.steps.get(stage="director"), acting_user=self.director, verdict=Verdict.CONCUR)
        assert again.steps.exclude(verdict="").count() == 2

    def test_who_signed_one_stage_of_a_case_cannot_sign_another_in_a_later_recommendation(self) -> None:
        both = make_staff("bo", Role.MANAGER, Role.DIRECTOR)
        first = self.recommend()
        do_review(step=first.steps.get(stage="team"), acting_user=both, verdict=Verdict.MODIFY, note="Narrow it")
        second = self.recommend(rationale="Narrowed.")
        do_review(step=second.steps.get(stage="team"), acting_user=self.manager, verdict=Verdict.CONCUR)
        with pytest.raises(ReviewNotPermitted, match="one person signs one stage"):
            do_review(step=second.steps.get(stage="director"), acting_user=both, verdict=Verdict.CONCUR)


def test_the_shipped_stage_names_are_translated() -> None:
    from django.utils import translation

    from safetydesk.reviews.matrix import matrix

    stages = matrix().stages
    with translation.override("es"):
        assert stages["legal"].name == "Revisión por el equipo jurídico"
    with translation.override("ja"):
        assert stages["team"].name == "チームおよびマネージャーによる審査"
    assert stages["executive"].name == "Review by the executive director"
