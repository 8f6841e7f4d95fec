"""The case page's Appeal panel: `{% load appeals_console %}{% appeal_panel case %}`, reached from
the console's kind hook (templates/appeal/case_panel.html)."""

from typing import Any

from django import template
from django.conf import settings

from safetydesk.accounts.permissions import can_decide_eligibility, can_work_case
from safetydesk.appeals.models import Appeal, ComplaintOutcome, IneligibleReason, Outcome, SeatStatus
from safetydesk.appeals.workflows import CASE_FILE_PREPARED, ELIGIBILITY_REVIEW, ELIGIBLE
from safetydesk.enforcement.models import ActionStatus, ActionType

register = template.Library()


@register.inclusion_tag("appeals/panel.html", takes_context=True)
def appeal_panel(context: template.Context, case: Any) -> dict[str, Any]:
    request = context["request"]
    appeal = (
        Appeal.objects.select_related("original_case", "office_action", "appellant", "lifting__case")
        .filter(case=case)
        .first()
    )
    seats = list(appeal.seats.select_related("member")) if appeal else []
    decided = bool(appeal and appeal.outcome)
    action = appeal.office_action if appeal else None
    return {
        "request": request,
        "case": case,
        "csrf_token": context.get("csrf_token"),
        "appeal": appeal,
        "may_work": can_work_case(request.user, case),
        "may_decide_eligibility": can_decide_eligibility(request.user, case),
        "in_eligibility_review": case.state == ELIGIBILITY_REVIEW,
        "to_prepare": case.state == ELIGIBLE,
        "to_draw": case.state == CASE_FILE_PREPARED,
        "in_scope": action is not None and action.action_type in settings.CRC_ELIGIBLE_ACTION_TYPES,
        "seats": seats,
        "seated": [s for s in seats if s.status == SeatStatus.SEATED],
        "votes_shown": decided,  # votes are the panel's own until its outcome
        "panel_size": settings.CRC_PANEL_SIZE,
        "evidence": list(appeal.original_case.evidence.all()) if appeal and not case.closed_at else [],
        "may_propose_lifting": bool(
            appeal
            and appeal.outcome == Outcome.OVERTURNED
            and appeal.lifting_id is None
            and action is not None
            and action.status != ActionStatus.LIFTED
            and action.action_type in {ActionType.FOUNDATION_GLOBAL_BAN, ActionType.FOUNDATION_EVENT_BAN}
        ),
        "complaints": list(case.complaints.all()),
        "reasons": IneligibleReason.choices,
        "complaint_outcomes": ComplaintOutcome.choices,
        "RECUSED": SeatStatus.RECUSED,
    }
