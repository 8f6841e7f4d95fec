"""The Emergency panel's forms (posted from the case page, no JavaScript needed) and the
transparency counts page. Each view: parse with a form, access_case, one action, redirect."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from safetydesk.accounts.permissions import access_case, can_see_emergency_counts, visible_cases
from safetydesk.cases.errors import CaseError, InvalidData, StaleCase
from safetydesk.cases.models import Case
from safetydesk.console.views import staff_required
from safetydesk.emergency import actions, forms, selectors
from safetydesk.emergency.models import Disclosure, Referral
from safetydesk.lib.http import client_ip

Run = Callable[[Case, Any, Any], str]


def _case_url(case: Case) -> str:
    return reverse("console:case", args=[case.reference]) + "#emergency"


def _form_page(request: HttpRequest, case: Case, form: Any, *, title: str, status: int, refusal: str) -> HttpResponse:
    """A refused panel form on a page of its own, with what was typed and why it was refused."""
    return render(
        request,
        "emergency/form_page.html",
        {"nav": "case", "case": case, "form": form, "title": title, "refusal": refusal, "action": request.path},
        status=status,
    )


def _refusal(error: CaseError) -> str:
    if isinstance(error, StaleCase):
        return _("Someone else changed this case while you had it open. Check the case, then send the form again.")
    return error.message


def _panel_post(request: HttpRequest, reference: str, form_class: type, title: str, run: Run) -> HttpResponse:
    case = access_case(request.user, reference, ip_address=client_ip(request))
    form = form_class(request.POST)
    if not form.is_valid():
        return _form_page(
            request, case, form, title=title, status=400, refusal=_("Please correct the fields marked below.")
        )
    try:
        done = run(case, request.user, form)
    except CaseError as error:
        if isinstance(error, InvalidData):
            for name, message in error.details.get("fields", {}).items():
                form.add_error(name if name in form.fields else None, message)
        if isinstance(error, StaleCase):
            data = request.POST.copy()
            data["version"] = str(Case.objects.get(pk=case.pk).version)
            form = form_class(data)
            form.is_valid()
        return _form_page(request, case, form, title=title, status=error.http_status, refusal=_refusal(error))
    messages.success(request, done)
    return redirect(_case_url(case))


def _version(form: Any) -> int:
    return int(form.cleaned_data["version"])


@staff_required
@require_POST
def record_triage(request: HttpRequest, reference: str) -> HttpResponse:
    def run(case: Case, user: Any, form: Any) -> str:
        record = actions.do_record_triage(
            case=case, acting_user=user, triage=form.to_data(), expected_version=_version(form)
        )
        return _("Triage recorded: %(decision)s.") % {"decision": record.get_decision_display()}

    return _panel_post(request, reference, forms.TriageForm, _("Triage"), run)


@staff_required
@require_POST
def trace_location(request: HttpRequest, reference: str) -> HttpResponse:
    def run(case: Case, user: Any, form: Any) -> str:
        actions.do_trace_location(case=case, acting_user=user, location=form.to_data(), expected_version=_version(form))
        return _("Location recorded.")

    return _panel_post(request, reference, forms.LocationForm, _("Location trace"), run)


@staff_required
@require_POST
def refer(request: HttpRequest, reference: str) -> HttpResponse:
    def run(case: Case, user: Any, form: Any) -> str:
        row = actions.do_refer_to_law_enforcement(
            case=case, acting_user=user, referral=form.to_data(), expected_version=_version(form)
        )
        return _("Referral to %(agency)s recorded.") % {"agency": row.agency}

    return _panel_post(request, reference, forms.ReferralForm, _("Referral to law enforcement"), run)


@staff_required
@require_POST
def acknowledge_referral(request: HttpRequest, reference: str) -> HttpResponse:
    def run(case: Case, user: Any, form: Any) -> str:
        referral = Referral.objects.filter(case=case, pk=form.cleaned_data["referral"]).first()
        if referral is None:
            raise InvalidData(_("This case has no such referral."), details={"field": "referral"})
        data = form.cleaned_data
        actions.do_record_le_acknowledgement(
            referral=referral,
            acting_user=user,
            acknowledged_at=data.get("acknowledged_at"),
            contact=data.get("acknowledged_contact") or "",
            note=data.get("acknowledgement_note") or "",
            expected_version=_version(form),
        )
        return _("Acknowledgement by %(agency)s recorded.") % {"agency": referral.agency}

    return _panel_post(request, reference, forms.AcknowledgementForm, _("Acknowledgement by law enforcement"), run)


@staff_required
@require_POST
def add_follow_up(request: HttpRequest, reference: str) -> HttpResponse:
    def run(case: Case, user: Any, form: Any) -> str:
        actions.do_add_follow_up(
            case=case, acting_user=user, body=form.cleaned_data["body"], expected_version=_version(form)
        )
        return _("Follow-up recorded.")

    return _panel_post(request, reference, forms.FollowUpForm, _("Follow-up"), run)


@staff_required
@require_POST
def spawn_investigation(request: HttpRequest, reference: str) -> HttpResponse:
    def run(case: Case, user: Any, form: Any) -> str:
        investigation = actions.do_spawn_investigation(
            case=case, acting_user=user, title=form.cleaned_data["title"], reason=form.cleaned_data.get("reason") or ""
        )
        return _("Investigation %(reference)s opened.") % {"reference": investigation.reference}

    return _panel_post(request, reference, forms.InvestigationForm, _("Open an office-action investigation"), run)


@staff_required
@require_POST
def record_disclosure(request: HttpRequest, reference: str) -> HttpResponse:
    def run(case: Case, user: Any, form: Any) -> str:
        actions.do_record_disclosure(
            case=case, acting_user=user, disclosure=form.to_data(), expected_version=_version(form)
        )
        return _("Disclosure recorded. Legal has been told and must confirm it.")

    return _panel_post(request, reference, forms.DisclosureForm, _("Disclosure to law enforcement"), run)


@staff_required
@require_POST
def confirm_disclosure(request: HttpRequest, reference: str) -> HttpResponse:
    def run(case: Case, user: Any, form: Any) -> str:
        disclosure = Disclosure.objects.filter(case=case, pk=form.cleaned_data["disclosure"]).first()
        if disclosure is None:
            raise InvalidData(_("This case has no such disclosure."), details={"field": "disclosure"})
        actions.do_confirm_disclosure(
            disclosure=disclosure, acting_user=user, note=form.cleaned_data.get("legal_note") or ""
        )
        return _("Disclosure confirmed.")

    return _panel_post(request, reference, forms.ConfirmDisclosureForm, _("Confirm a disclosure"), run)


@staff_required
@require_POST
def record_functionary_report(request: HttpRequest, reference: str) -> HttpResponse:
    def run(case: Case, user: Any, form: Any) -> str:
        related = None
        wanted = (form.cleaned_data.get("related_case") or "").strip()
        if wanted:
            related = visible_cases(user).filter(reference=wanted).first()
            if related is None:
                raise InvalidData(
                    _("No case %(reference)s that you may see.") % {"reference": wanted},
                    details={"fields": {"related_case": _("No such case.")}},
                )
        row = actions.do_record_functionary_report(
            case=case, acting_user=user, report=form.to_data(related), expected_version=_version(form)
        )
        if row.late:
            return _("Report recorded. It came %(days)s days after the disclosure: flagged late.") % {
                "days": row.days_to_report
            }
        return _("Report recorded.")

    return _panel_post(request, reference, forms.FunctionaryReportForm, _("Functionary disclosure report"), run)


@staff_required
@require_GET
def counts(request: HttpRequest) -> HttpResponse:
    """The transparency report's Emergency Disclosures figures for a period (GET, bookmarkable)."""
    if not can_see_emergency_counts(request.user):
        return render(request, "console/forbidden.html", status=403)
    start, end = selectors.default_period()
    form = forms.PeriodForm(request.GET or {"start": start, "end": end})
    result = None
    if form.is_valid():
        result = selectors.emergency_counts(form.cleaned_data["start"], form.cleaned_data["end"])
    return render(
        request,
        "emergency/counts.html",
        {"nav": "emergency_counts", "form": form, "counts": result},
        status=200 if result is not None else 400,
    )
