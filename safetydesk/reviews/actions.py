"""The review cycle of an office action (DOMAIN §3.1-§3.2, §4.3, §7.1).

A recommendation is submitted on an office-action investigation; its review steps come from the
review matrix for the recommended types. Reviewers sign in turn, each by the stage's role:
concur, or dissent (recorded; the file goes on to the next stage with it), or send it back
(more research, or a proposed modification: it returns to the investigation and the author
submits a new one). Separation of duties: the author never signs a stage, and one person signs
only one stage of a case. The decision needs every step to have concurred, or an override by a
role the matrix allows, with its reason. Deciding makes the office actions, ready to carry out.
"""

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from safetydesk.accounts.permissions import can_work_case
from safetydesk.audit.log import record_audit
from safetydesk.audit.models import AuditEventType
from safetydesk.cases.actions import lock_case
from safetydesk.cases.models import Case, CaseEvent, CaseKind
from safetydesk.enforcement.actions import CONTENT_OPERATIONS, ban_in_force
from safetydesk.enforcement.models import ActionType, EventBanScope, OfficeAction
from safetydesk.investigations.actions import warnings_of
from safetydesk.lib.errors import Refusal
from safetydesk.reviews.matrix import matrix
from safetydesk.reviews.models import DirectBanJustification, Recommendation, RecommendationStatus, ReviewStep, Verdict
from safetydesk.wiki.models import Wiki

# Types that act against an account: they need one named.
ACCOUNT_TYPES = frozenset(
    {
        ActionType.FOUNDATION_GLOBAL_BAN,
        ActionType.FOUNDATION_EVENT_BAN,
        ActionType.CONDUCT_WARNING,
        ActionType.INTERACTION_BAN,
        ActionType.ADVANCED_RIGHTS_REMOVAL,
        ActionType.PARTIAL_FOUNDATION_BAN,
        ActionType.CHILD_PROTECTION_ACTION,
        ActionType.GLOBAL_LOCK,
        ActionType.BAN_LIFT,
    }
)
SENDS_BACK = frozenset({Verdict.MORE_RESEARCH, Verdict.MODIFY})


class ReviewRefusal(Refusal):
    code = "review_refused"
    http_status = 422


class ReviewNotPermitted(ReviewRefusal):
    code = "review_not_permitted"
    http_status = 403


def _timeline(case: Case, actor: Any, **data: Any) -> None:
    """A row on the case's timeline; the case's version moves on, as for every change to it, so
    that a form opened before this one is told the case changed."""
    from safetydesk.reviews.presenters import CASE_EVENT_REVIEW

    Case.objects.filter(pk=case.pk).update(version=F("version") + 1, updated_at=timezone.now())
    CaseEvent.objects.create(case=case, actor=actor, kind=CASE_EVENT_REVIEW, data=data)


# --- submitting -----------------------------------------------------------------------------


@transaction.atomic
def do_submit_recommendation(
    *,
    case: Case,
    acting_user: Any,
    action_types: Iterable[str],
    rationale: str,
    target: str = "",
    scope: str = "",
    expiry: str = "infinite",
    prior_warnings: Iterable[dict[str, str]] = (),
    direct_ban_justification: str = "",
    include_conditional: Iterable[str] = (),
    wiki: Wiki | None = None,
    page: str = "",
    revisions: Iterable[int] = (),
) -> Recommendation:
    case = lock_case(case, None)
    if not can_work_case(acting_user, case):
        raise ReviewNotPermitted(_("You may not recommend office actions on this case."))
    if case.kind != CaseKind.OFFICE_ACTION:
        raise ReviewRefusal(_("Office actions are recommended on office-action investigations only."))
    if case.recommendations.filter(status=RecommendationStatus.IN_REVIEW).exists():
        raise ReviewRefusal(_("This case already has a recommendation in review."))
    table = matrix()
    types = list(dict.fromkeys(action_types))
    unknown = [t for t in types if t not in table.required]
    if not types or unknown:
        raise ReviewRefusal(
            _("Choose one or more office actions the review matrix knows."), details={"field": "action_types"}
        )
    if not rationale.strip():
        raise ReviewRefusal(_("Give the rationale for the recommendation."), details={"field": "rationale"})
    target = target.strip()
    if set(types) & ACCOUNT_TYPES and not target:
        raise ReviewRefusal(_("Name the account the action is against."), details={"field": "target"})
    if ActionType.BAN_LIFT in types:
        _lifted_ban(types, target)
    details = _content_target(types, wiki, page, list(revisions))
    scope = scope.strip()
    if ActionType.FOUNDATION_EVENT_BAN in types and scope not in EventBanScope.values:
        raise ReviewRefusal(
            _("Say which events the event ban covers: all funded events, the listed events, or affiliate events too."),
            details={"field": "scope"},
        )
    # Warnings on the investigation file count, as typed ones do (DOMAIN §7.1).
    warnings = list(prior_warnings) or (warnings_of(case, target) if target else [])
    direct = ActionType.FOUNDATION_GLOBAL_BAN in types and not warnings
    if direct and direct_ban_justification not in DirectBanJustification.values:
        raise ReviewRefusal(
            _(
                "A global ban without prior warnings needs the direct-ban justification: a severe, "
                "repeated violation of the Terms of Use, or a warning that was not practical."
            ),
            details={"field": "direct_ban_justification"},
        )
    recommendation = Recommendation.objects.create(
        case=case, author=acting_user, action_types=types, target=target, scope=scope[:200],
        expiry=expiry.strip() or "infinite", rationale=rationale.strip(), prior_warnings=warnings,
        direct_ban_justification=direct_ban_justification if not warnings else "", matrix_version=table.version,
        wiki=wiki if details else None, details=details,
    )  # fmt: skip
    include = frozenset(include_conditional)
    for position, stage in enumerate(table.stages_for(types, include), start=1):
        required = any(stage.key in table.required[t] for t in types)
        ReviewStep.objects.create(
            recommendation=recommendation, position=position, stage=stage.key, role=stage.role, required=required
        )
    stages = list(recommendation.steps.values_list("stage", flat=True))
    record_audit(
        event_type=AuditEventType.RECOMMENDATION_SUBMITTED, actor=acting_user, subject=recommendation,
        data={"case": case.pk, "action_types": types, "stages": stages, "matrix_version": table.version},
    )  # fmt: skip
    _timeline(case, acting_user, record="recommendation", recommendation=recommendation.pk, stages=stages)
    return recommendation


def _content_target(types: list[str], wiki: Wiki | None, page: str, revisions: list[int]) -> dict[str, Any]:
    """For actions on content: the page (and revisions) on the wiki they are carried out on."""
    if not set(types) & set(CONTENT_OPERATIONS):
        return {}
    page = " ".join(page.split())
    if wiki is None or not page:
        raise ReviewRefusal(_("Name the wiki and the page the action is on."), details={"field": "page"})
    if ActionType.REVISION_SUPPRESSION in types and not revisions:
        raise ReviewRefusal(_("List the revision ids to suppress."), details={"field": "revisions"})
    return {"page": page[:255], "revisions": sorted(set(revisions))}


def _lifted_ban(types: list[str], target: str) -> OfficeAction | None:
    """For a lifting: the ban in force it lifts (refused when there is none, or when the
    lifting is mixed with other actions)."""
    if ActionType.BAN_LIFT not in types:
        return None
    if len(types) > 1:
        raise ReviewRefusal(_("Recommend a lifting on its own."), details={"field": "action_types"})
    ban = ban_in_force(target)
    if ban is None:
        raise ReviewRefusal(
            _("No Foundation global ban is in force against this account."), details={"field": "target"}
        )
    return ban


# --- reviewing ------------------------------------------------------------------------------


@transaction.atomic
def do_review(*, step: ReviewStep, acting_user: Any, verdict: str, note: str = "") -> ReviewStep:
    step = ReviewStep.objects.select_related("recommendation__case").get(pk=step.pk)
    recommendation = Recommendation.objects.select_for_update().get(pk=step.recommendation_id)
    case = recommendation.case
    if not can_work_case(acting_user, case):
        raise ReviewNotPermitted(_("You may not review recommendations on this case."))
    if recommendation.status != RecommendationStatus.IN_REVIEW:
        raise ReviewRefusal(_("This recommendation is no longer in review."))
    if verdict not in Verdict.values:
        raise ReviewRefusal(_("Choose concur, dissent, more research or a modification."), details={"field": "verdict"})
    waiting = recommendation.steps.filter(verdict="").order_by("position").first()
    if waiting is None or waiting.pk != step.pk:
        raise ReviewRefusal(
            _("The stages are signed in turn; this one waits for “%(stage)s”.") % {"stage": _stage_label(waiting)}
            if waiting is not None
            else _("Every stage of this recommendation is signed.")
        )
    if not acting_user.has_role(step.role):
        raise ReviewNotPermitted(_("This stage is signed by the role “%(role)s”.") % {"role": step.role})
    if acting_user.pk == recommendation.author_id:
        raise ReviewNotPermitted(_("The author of a recommendation cannot sign any of its review stages."))
    # Stages are unique within a recommendation, and this one is unsigned: any other stage this
    # person signed on the case, in this recommendation or an earlier one, is a second stage.
    signed = ReviewStep.objects.filter(recommendation__case=case, reviewer=acting_user).exclude(verdict="")
    if signed.exclude(stage=step.stage).exists():
        raise ReviewNotPermitted(_("You have already signed a stage of this case; one person signs one stage."))
    if (verdict in SENDS_BACK or verdict == Verdict.DISSENT) and not note.strip():
        raise ReviewRefusal(_("Say why: the note goes with the file."), details={"field": "note"})
    step.verdict, step.reviewer, step.note, step.decided_at = verdict, acting_user, note.strip(), timezone.now()
    step.save(update_fields=["verdict", "reviewer", "note", "decided_at"])
    if verdict in SENDS_BACK:
        recommendation.status = RecommendationStatus.RETURNED
        recommendation.save(update_fields=["status"])
    record_audit(
        event_type=AuditEventType.REVIEW_SIGNED, actor=acting_user, subject=step,
        data={"recommendation": recommendation.pk, "stage": step.stage, "verdict": verdict},
    )  # fmt: skip
    _timeline(case, acting_user, record="review", recommendation=recommendation.pk, stage=step.stage, verdict=verdict)
    return step


def _stage_label(step: ReviewStep) -> str:
    stage = matrix().stages.get(step.stage)
    return stage.name if stage is not None else step.stage


# --- deciding -------------------------------------------------------------------------------


def decision_blockers(recommendation: Recommendation, steps: list[ReviewStep] | None = None) -> list[str]:
    """What stands between the recommendation and its decision without an override: each stage
    not signed, and each that did not concur. `steps`: its steps, if already read."""
    if steps is None:
        steps = list(recommendation.steps.order_by("position"))
    return [
        _("%(stage)s: %(state)s")
        % {"stage": _stage_label(step), "state": step.get_verdict_display() if step.verdict else _("not signed")}
        for step in steps
        if step.verdict != Verdict.CONCUR
    ]


@transaction.atomic
def do_decide(*, recommendation: Recommendation, acting_user: Any, override_reason: str = "") -> list[OfficeAction]:
    """Decide the recommended actions: they become office actions ready to be carried out."""
    recommendation = Recommendation.objects.select_for_update().select_related("case").get(pk=recommendation.pk)
    if not can_work_case(acting_user, recommendation.case):
        raise ReviewNotPermitted(_("You may not decide office actions on this case."))
    if recommendation.status != RecommendationStatus.IN_REVIEW:
        raise ReviewRefusal(_("This recommendation is no longer in review."))
    if acting_user.pk == recommendation.author_id:
        raise ReviewNotPermitted(_("The author of a recommendation cannot decide it."))
    blockers = decision_blockers(recommendation)
    if blockers and not override_reason.strip():
        raise ReviewRefusal(
            _("Every stage must concur before the decision, or an override be recorded: %(blockers)s.")
            % {"blockers": "; ".join(blockers)},
            details={"blockers": blockers},
        )
    if blockers and not acting_user.roles & matrix().override_roles:
        raise ReviewNotPermitted(_("Only the roles the review matrix names may override its review."))
    now = timezone.now()
    recommendation.status, recommendation.decided_at, recommendation.decided_by = (
        RecommendationStatus.DECIDED,
        now,
        acting_user,
    )
    if blockers:
        recommendation.override_by, recommendation.override_reason = acting_user, override_reason.strip()
    recommendation.save()
    # A lifting names its ban at the decision: the one in force then.
    lifts = _lifted_ban(recommendation.action_types, recommendation.target)
    actions = [
        OfficeAction.objects.create(
            case=recommendation.case,
            action_type=action_type,
            target=recommendation.target,
            expiry=recommendation.expiry,
            scope=recommendation.scope,
            decided_at=now,
            decided_by=acting_user,
            lifts=lifts if action_type == ActionType.BAN_LIFT else None,
            wiki=recommendation.wiki if action_type in CONTENT_OPERATIONS else None,
            details=recommendation.details if action_type in CONTENT_OPERATIONS else {},
        )
        for action_type in recommendation.action_types
    ]
    record_audit(
        event_type=AuditEventType.RECOMMENDATION_DECIDED, actor=acting_user, subject=recommendation,
        data={"office_actions": [a.pk for a in actions], "override": bool(blockers), "blockers": len(blockers)},
    )  # fmt: skip
    _timeline(recommendation.case, acting_user, record="decision", recommendation=recommendation.pk,
              override=bool(blockers))  # fmt: skip
    return actions


__all__ = ["do_decide", "do_review", "do_submit_recommendation"]
