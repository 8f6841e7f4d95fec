"""The Legal process panel's forms on a legal-request case: requests for user data (DOMAIN §11)
and foreign demands to remove content (§10); and the public applicable-law log."""

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from safetydesk.accounts.decorators import staff_required
from safetydesk.cases.actions import do_transition
from safetydesk.cases.models import Case
from safetydesk.legal import demands, user_data
from safetydesk.legal.errors import LegalRefusal
from safetydesk.legal.models import ContentDemand, DataElement, UserDataRequest
from safetydesk.legal.views import _lines
from safetydesk.reviews.views import on_case_panel

ANCHOR = "legal-process"
# Steps with nothing to record but the step itself (the engine checks the role and the state).
PLAIN_STEPS = frozenset({"close_unproduced", "user_challenged"})


def _post(request: HttpRequest, reference: str, run: Any) -> HttpResponse:
    return on_case_panel(request, reference, run, anchor=ANCHOR)


def _date(value: str | None) -> dt.date | None:
    try:
        return parse_date(value or "")
    except ValueError:
        raise LegalRefusal(_("Dates are YYYY-MM-DD.")) from None


def _request(case: Case) -> UserDataRequest:
    found = UserDataRequest.objects.filter(case=case).first()
    if found is None:
        raise LegalRefusal(_("Log the request first."))
    return found


def _demand(case: Case) -> ContentDemand:
    found = ContentDemand.objects.filter(case=case).first()
    if found is None:
        raise LegalRefusal(_("Log the demand first."))
    return found


@staff_required
@require_POST
def log_request(request: HttpRequest, reference: str) -> HttpResponse:
    data = request.POST

    def run(case: Case, user: Any) -> str:
        user_data.do_log_request(
            case=case, acting_user=user, request_type=data.get("request_type", ""),
            requester_name=data.get("requester_name", ""), accounts_named=_lines(data.get("accounts_named", "")),
            data_elements=data.getlist("data_elements"), requester_agency=data.get("requester_agency", ""),
            requester_country=data.get("requester_country", ""), requester_email=data.get("requester_email", ""),
            court=data.get("court", ""), docket=data.get("docket", ""), issued_on=_date(data.get("issued_on")),
            return_date=_date(data.get("return_date")), emergency=data.get("emergency") == "on",
            nondisclosure=data.get("nondisclosure") == "on", nondisclosure_until=_date(data.get("nondisclosure_until")),
        )  # fmt: skip
        return _("Logged: it goes to legal sufficiency review.")

    return _post(request, reference, run)


@staff_required
@require_POST
def review(request: HttpRequest, reference: str) -> HttpResponse:
    def run(case: Case, user: Any) -> str:
        reviewed = user_data.do_review_sufficiency(request=_request(case), acting_user=user,
                                                   outcome=request.POST.get("outcome", ""),
                                                   note=request.POST.get("note", ""))  # fmt: skip
        return _("Review recorded: %(outcome)s.") % {"outcome": reviewed.get_outcome_display()}

    return _post(request, reference, run)


@staff_required
@require_POST
def narrowed(request: HttpRequest, reference: str) -> HttpResponse:
    def run(case: Case, user: Any) -> str:
        user_data.do_narrowed(request=_request(case), acting_user=user,
                              data_elements=request.POST.getlist("data_elements"),
                              accounts_named=_lines(request.POST.get("accounts_named", "")))  # fmt: skip
        return _("The narrowed request is back in review.")

    return _post(request, reference, run)


@staff_required
@require_POST
def notify_user(request: HttpRequest, reference: str) -> HttpResponse:
    def run(case: Case, user: Any) -> str:
        done = user_data.do_notify_user(request=_request(case), acting_user=user)
        if done.objection_until:
            return _("The user is told; nothing is produced before %(date)s.") % {
                "date": done.objection_until.date().isoformat()
            }
        return _("A non-disclosure order forbids the notice: it is deferred to the order's end.")

    return _post(request, reference, run)


@staff_required
@require_POST
def produce(request: HttpRequest, reference: str) -> HttpResponse:
    data = request.POST

    def run(case: Case, user: Any) -> str:
        try:
            affected = int(data.get("accounts_affected", ""))
        except ValueError:
            raise LegalRefusal(_("Say how many accounts were actually affected.")) from None
        user_data.do_record_production(
            request=_request(case), acting_user=user, manifest_sha256=data.get("manifest_sha256", ""),
            data_found={key: data.get(f"found_{key}") == "on" for key in DataElement.values},
            accounts_affected=affected,
        )  # fmt: skip
        return _("The production is recorded.")

    return _post(request, reference, run)


@staff_required
@require_POST
def deferred_notice(request: HttpRequest, reference: str) -> HttpResponse:
    def run(case: Case, user: Any) -> str:
        user_data.do_send_deferred_notice(request=_request(case), acting_user=user)
        return _("The deferred notice is sent.")

    return _post(request, reference, run)


@staff_required
@require_POST
def step(request: HttpRequest, reference: str, name: str) -> HttpResponse:
    def run(case: Case, user: Any) -> str:
        if name not in PLAIN_STEPS:
            raise LegalRefusal(_("That step is not taken from here."))
        do_transition(case=case, transition=name, acting_user=user)
        return _("Recorded.")

    return _post(request, reference, run)


@staff_required
@require_POST
def log_demand(request: HttpRequest, reference: str) -> HttpResponse:
    data = request.POST

    def run(case: Case, user: Any) -> str:
        deadline = parse_datetime(data.get("deadline", "") + "T23:59:59+00:00") if data.get("deadline") else None
        demands.do_log_demand(
            case=case, acting_user=user, region_of_origin=data.get("region_of_origin", ""),
            authority=data.get("authority", ""), project=data.get("project", ""),
            content=_lines(data.get("content", "")), deadline=deadline, government=data.get("government") == "on",
            text_url=data.get("text_url", ""), nondisclosure=data.get("nondisclosure") == "on",
            eu_order=data.get("eu_order") == "on",
        )  # fmt: skip
        return _("Logged: the demand goes to legal review.")

    return _post(request, reference, run)


@staff_required
@require_POST
def demand_step(request: HttpRequest, reference: str, name: str) -> HttpResponse:
    data = request.POST

    def run(case: Case, user: Any) -> str:
        demand = _demand(case)
        if name == "community":
            demands.do_try_community(demand=demand, acting_user=user, avenue=data.get("avenue", ""))
        elif name == "resolved":
            demands.do_resolve_by_community(demand=demand, acting_user=user)
        elif name == "decide":
            demands.do_decide_removal(demand=demand, acting_user=user,
                                      community_informed=data.get("community_informed") == "on")  # fmt: skip
        elif name == "remove":
            demands.do_remove(demand=demand, acting_user=user)
        else:
            raise LegalRefusal(_("That step is not taken from here."))
        return _("Recorded.")

    return _post(request, reference, run)


@require_GET
def applicable_law_log(request: HttpRequest) -> HttpResponse:
    return render(request, "legal/applicable_law_log.html", {"rows": demands.applicable_law_log()})
