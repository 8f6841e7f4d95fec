"""The case page's Intake panel: `{% load intake_console %}{% intake_section case %}`.

The console's case view already decided the user may see the case (access_case); the panel
shows only what that case holds.
"""

from typing import Any

from django import template

from safetydesk.intake.presenters import case_intake_section

register = template.Library()


@register.inclusion_tag("intake/console/case_section.html")
def intake_section(case: Any) -> dict[str, Any]:
    return {"case": case, "intake": case_intake_section(case)}
