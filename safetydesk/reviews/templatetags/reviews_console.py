"""The case page's Office action panel: `{% load reviews_console %}{% office_action_panel case %}`,
reached from the console's kind hook (templates/office_action/case_panel.html)."""

from typing import Any

from django import template

from safetydesk.enforcement.evasion import IN_FORCE
from safetydesk.enforcement.models import (
    ActionStatus,
    ActionType,
    BanReviewOutcome,
    BanReviewStatus,
    EvasionStatus,
    EventBanScope,
    ExecutionStatus,
)
from safetydesk.reviews import selectors
from safetydesk.reviews.models import DirectBanJustification, Verdict
from safetydesk.wiki.models import Wiki

register = template.Library()


@register.inclusion_tag("reviews/panel.html", takes_context=True)
def office_action_panel(context: template.Context, case: Any) -> dict[str, Any]:
    request = context["request"]
    return {
        "request": request,
        "case": case,
        "csrf_token": context.get("csrf_token"),
        "panel": selectors.office_action_panel(case, request.user),
        "verdicts": Verdict.choices,
        "justifications": DirectBanJustification.choices,
        "event_scopes": EventBanScope.choices,
        "wikis": Wiki.objects.order_by("name"),
        "APPROVED": ActionStatus.APPROVED,
        "AWAITING_STAFF": ExecutionStatus.AWAITING_STAFF,
        "FAILED": ExecutionStatus.FAILED,
        "GLOBAL_BAN": ActionType.FOUNDATION_GLOBAL_BAN,
        "IN_FORCE": sorted(IN_FORCE),
        "EVASION_REPORTED": EvasionStatus.REPORTED,
        "REVIEW_DUE": BanReviewStatus.DUE,
        "review_outcomes": BanReviewOutcome.choices,
    }
