"""What the Office action panel of a case shows and offers to the person looking at it. The
actions decide again on submit; these only choose which forms to show."""

from dataclasses import dataclass, field
from typing import Any

from safetydesk.accounts.permissions import can_decide_evasion, can_work_case
from safetydesk.cases.models import Case
from safetydesk.enforcement.models import ActionStatus, ActionType, OfficeAction
from safetydesk.reviews.actions import decision_blockers
from safetydesk.reviews.matrix import matrix
from safetydesk.reviews.models import Recommendation, RecommendationStatus, ReviewStep


@dataclass(frozen=True)
class StepRow:
    step: ReviewStep
    label: str


@dataclass
class RecommendationView:
    recommendation: Recommendation
    rows: list[StepRow]
    can_sign: ReviewStep | None = None
    blockers: list[str] = field(default_factory=list)
    may_decide: bool = False
    needs_override: bool = False


@dataclass
class PanelView:
    recommendations: list[RecommendationView]
    actions: list[OfficeAction]
    may_recommend: bool
    may_carry_out: bool
    # May act on this case's executions at all (retry a failed one, confirm one done by hand),
    # and report ban evasion.
    may_carry_out_any: bool
    may_decide_evasion: bool
    action_types: list[tuple[str, str]]
    conditional_stages: list[tuple[str, str]]


def _may_sign(user: Any, step: ReviewStep, recommendation: Recommendation, signed_stages: set[str]) -> bool:
    if user.pk == recommendation.author_id or not user.has_role(step.role):
        return False
    return not signed_stages or signed_stages == {step.stage}


def office_action_panel(case: Case, user: Any) -> PanelView:
    table = matrix()
    works = can_work_case(user, case)
    recommendations = list(
        case.recommendations.select_related("author", "decided_by", "override_by").order_by("-submitted_at", "-id")
    )
    steps = list(ReviewStep.objects.filter(recommendation__case=case).select_related("reviewer").order_by("position"))
    signed_stages = {s.stage for s in steps if s.reviewer_id == user.pk and s.verdict}
    labels = {key: stage.name for key, stage in table.stages.items()}
    views = []
    for recommendation in recommendations:
        own = [s for s in steps if s.recommendation_id == recommendation.pk]
        view = RecommendationView(recommendation, [StepRow(s, labels.get(s.stage, s.stage)) for s in own])
        if recommendation.status == RecommendationStatus.IN_REVIEW and works:
            waiting = next((s for s in own if not s.verdict), None)
            if waiting is not None and _may_sign(user, waiting, recommendation, signed_stages):
                view.can_sign = waiting
            view.blockers = decision_blockers(recommendation, own)
            view.needs_override = bool(view.blockers)
            may_override = bool(user.roles & table.override_roles)
            view.may_decide = user.pk != recommendation.author_id and (not view.blockers or may_override)
        views.append(view)
    actions = list(
        case.office_actions.prefetch_related(
            "executions__wiki", "evasions__reported_by", "evasions__decided_by", "ban_reviews__reviewed_by"
        )
        .select_related("evasion_of", "wiki")
        .order_by("-decided_at", "-id")
    )
    in_review = any(r.status == RecommendationStatus.IN_REVIEW for r in recommendations)
    types = [(t, str(ActionType(t).label)) for t in table.required if t in ActionType.values]
    conditional = sorted({key for keys in table.conditional.values() for key in keys})
    return PanelView(
        recommendations=views,
        actions=actions,
        may_recommend=works and not in_review,
        may_carry_out=works and any(a.status == ActionStatus.APPROVED for a in actions),
        may_carry_out_any=works,
        may_decide_evasion=works and can_decide_evasion(user),
        action_types=types,
        conditional_stages=[(key, labels[key]) for key in conditional],
    )
