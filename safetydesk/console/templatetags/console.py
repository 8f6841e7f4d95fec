"""Small display filters for the console templates."""

import zoneinfo
from typing import Any

from django import template
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe

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


@register.simple_tag(takes_context=True)
def kind_panel(context: template.Context, case: Any) -> SafeString:
    """`{% kind_panel case %}`: the panel the app of a case kind adds to the case page, from its
    template `<kind>/case_panel.html` (emergency/case_panel.html …); nothing if it has none."""
    try:
        panel = get_template(f"{case.kind}/case_panel.html")
    except TemplateDoesNotExist:
        return mark_safe("")
    values: dict[str, Any] = {str(key): value for key, value in context.flatten().items()}
    return mark_safe(panel.render(values, context.get("request")))  # noqa: S308 (a rendered template)
