"""The investigation panel of an office-action case: `{% investigation_panel case %}`."""

from typing import Any

from django import template
from django.conf import settings
from django.utils import timezone

from safetydesk.accounts.permissions import can_work_case
from safetydesk.investigations.models import Basis, InvestigationReport, RelatedCase, WarningKind

register = template.Library()


@register.inclusion_tag("investigations/panel.html", takes_context=True)
def investigation_panel(context: template.Context, case: Any) -> dict[str, Any]:
    request = context["request"]
    report = InvestigationReport.objects.filter(case=case).select_related("updated_by").first()
    related = RelatedCase.objects.filter(case=case).select_related("related")
    related_to = RelatedCase.objects.filter(related=case).select_related("case")
    return {
        "request": request,
        "case": case,
        "csrf_token": context.get("csrf_token"),
        "may_work": can_work_case(request.user, case),
        "related": [link.related for link in related] + [link.case for link in related_to],
        "alternates": list(case.alternate_accounts.all()),
        "warnings": list(case.prior_warnings.all()),
        "report": report,
        "bases": Basis.choices,
        "warning_kinds": WarningKind.choices,
        # The form's example is a reference as this installation writes them.
        "reference_example": f"{settings.CASE_REFERENCE_PREFIX}-{timezone.now().year}-000123",
    }
