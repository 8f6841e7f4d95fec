"""The case page's Emergency and Functionary report panels:
`{% load emergency_console %}{% emergency_panel case %}` / `{% functionary_report_panel case %}`,
reached from the console's kind hook (templates/<kind>/case_panel.html).

The console's case view already decided the user may see the case (access_case); these decide
which forms to offer through accounts.permissions, and the actions decide again on submit.
"""

from typing import Any

from django import template
from django.utils import timezone

from safetydesk.accounts.permissions import (
    can_confirm_disclosure,
    can_record_disclosure,
    can_record_functionary_report,
    can_work_emergency,
    visible_cases,
)
from safetydesk.emergency import forms, selectors
from safetydesk.emergency.models import FunctionaryDisclosureReport, TriageDecision
from safetydesk.emergency.workflows import FOLLOW_UP_STATES, LOCATION_TRACED, REFER_SOURCES, TRIAGE_SOURCES, TRIAGED

register = template.Library()


@register.inclusion_tag("emergency/panel.html", takes_context=True)
def emergency_panel(context: template.Context, case: Any) -> dict[str, Any]:
    user = context["request"].user
    record = selectors.emergency_record(case)
    initial = {"version": case.version}
    works = can_work_emergency(user, case)
    triage = record.triage
    credible = triage is not None and triage.decision == TriageDecision.CREDIBLE_IMMINENT
    triage_form = None
    if works and case.state in TRIAGE_SOURCES | {TRIAGED}:
        values = {**initial}
        if triage is not None:
            values.update({name: getattr(triage, name) for name in forms.TriageForm.base_fields if name != "version"})
        triage_form = forms.TriageForm(initial=values)
    return {
        "request": context["request"],
        "csrf_token": context.get("csrf_token"),
        "case": case,
        "record": record,
        "now": timezone.now(),
        # Only the reports whose own case the viewer may open (they can be restricted).
        "functionary_reports": list(
            FunctionaryDisclosureReport.objects.filter(related_case=case, case__in=visible_cases(user)).select_related(
                "case"
            )
        ),
        "triage_form": triage_form,
        "location_form": (
            forms.LocationForm(initial=initial)
            if works and credible and case.state in {TRIAGED, LOCATION_TRACED}
            else None
        ),
        "referral_form": (
            forms.ReferralForm(initial=initial)
            if works and credible and case.state in REFER_SOURCES | FOLLOW_UP_STATES
            else None
        ),
        "may_acknowledge": works and case.state in FOLLOW_UP_STATES,
        "follow_up_form": forms.FollowUpForm(initial=initial) if works and case.state in FOLLOW_UP_STATES else None,
        "investigation_form": forms.InvestigationForm(initial=initial) if works else None,
        "disclosure_form": forms.DisclosureForm(initial=initial) if can_record_disclosure(user, case) else None,
        "may_confirm": can_confirm_disclosure(user, case),
    }


@register.inclusion_tag("emergency/functionary_panel.html", takes_context=True)
def functionary_report_panel(context: template.Context, case: Any) -> dict[str, Any]:
    user = context["request"].user
    report = selectors.functionary_report(case)
    form = None
    if can_record_functionary_report(user, case):
        values: dict[str, Any] = {"version": case.version}
        if report is not None:
            values.update(
                {name: getattr(report, name) for name in forms.FunctionaryReportForm.base_fields if name != "version"}
            )
            values["related_case"] = report.related_case.reference if report.related_case else ""
        form = forms.FunctionaryReportForm(initial=values)
    return {
        "request": context["request"],
        "csrf_token": context.get("csrf_token"),
        "case": case,
        "report": report,
        "form": form,
    }
