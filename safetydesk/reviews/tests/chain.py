"""A recommendation taken through every stage of its review chain, each by a different person."""

from safetydesk.accounts.models import User
from safetydesk.accounts.roles import Role
from safetydesk.lib.testing import make_staff
from safetydesk.reviews.actions import do_review
from safetydesk.reviews.models import Recommendation, Verdict

STAGE_ROLES = {
    "team": Role.MANAGER,
    "director": Role.DIRECTOR,
    "chief": Role.DEPT_CHIEF,
    "legal": Role.LEGAL_COUNSEL,
    "comms": Role.COMMS,
    "executive": Role.EXECUTIVE,
}


def concur_at_every_stage(recommendation: Recommendation) -> list[User]:
    """A new reviewer of the stage's role concurs at each stage, in order; returns them."""
    reviewers = []
    for step in recommendation.steps.order_by("position"):
        reviewer = make_staff(f"{step.stage}-{recommendation.pk}", STAGE_ROLES[step.stage])
        do_review(step=step, acting_user=reviewer, verdict=Verdict.CONCUR)
        reviewers.append(reviewer)
    return reviewers
