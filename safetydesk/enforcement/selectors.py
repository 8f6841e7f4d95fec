"""What the console shows of enforcement outside a case's panel."""

from typing import Any

from safetydesk.accounts.permissions import visible_cases
from safetydesk.enforcement.models import ActionStatus, BanReview, BanReviewStatus, OfficeAction

ATTENTION_LIMIT = 20


def needing_attention(user: Any) -> list[OfficeAction]:
    """Office actions a wiki refused or kept failing, on cases the user can see, oldest first:
    someone must fix the cause and try again, or carry the step out by hand."""
    return list(
        OfficeAction.objects.filter(status=ActionStatus.NEEDS_ATTENTION, case__in=visible_cases(user))
        .select_related("case")
        .order_by("decided_at", "pk")[:ATTENTION_LIMIT]
    )


def ban_reviews_due(user: Any) -> list[BanReview]:
    """Periodic reviews of bans in force that have come due, on cases the user can see."""
    return list(
        BanReview.objects.filter(status=BanReviewStatus.DUE, ban__case__in=visible_cases(user))
        .select_related("ban__case")
        .order_by("due_on", "pk")[:ATTENTION_LIMIT]
    )
