"""What the console shows of enforcement outside a case's panel."""

from typing import Any

from safetydesk.accounts.permissions import visible_cases
from safetydesk.enforcement.models import ActionStatus, OfficeAction

ATTENTION_LIMIT = 20


def needing_attention(user: Any) -> list[OfficeAction]:
    """Office actions a wiki refused or kept failing, on cases the user can see, oldest first:
    someone must fix the cause and try again, or carry the step out by hand."""
    return list(
        OfficeAction.objects.filter(status=ActionStatus.NEEDS_ATTENTION, case__in=visible_cases(user))
        .select_related("case")
        .order_by("decided_at", "pk")[:ATTENTION_LIMIT]
    )
