"""Small display filters for the console templates."""

import zoneinfo
from typing import Any

from django import template

from safetydesk.console.presenters import state_label as _state_label

register = template.Library()


@register.filter
def state_label(case: Any) -> str:
    """`{{ case|state_label }}`: the workflow's label for the case's current state."""
    return _state_label(case.kind, case.state)



@register.filter
def time_zone_of(user: Any) -> str:
    """The user's time zone if it is a real one; UTC otherwise (a bad value must not break pages)."""
    name = getattr(user, "time_zone", "") or "UTC"
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return "UTC"
    return name
