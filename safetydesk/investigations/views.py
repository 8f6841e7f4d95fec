"""The investigation panel's forms (posted from an office-action case page, no JavaScript), and
the live look-up of the subjects' accounts on the wikis."""

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from safetydesk.accounts.permissions import access_case
from safetydesk.cases.models import Case, PartyRole
from safetydesk.console.views import staff_required
from safetydesk.investigations.actions import (
    InvestigationRefusal,
    do_add_alternate,
    do_link_case,
    do_record_warning,
    do_save_report,
)
from safetydesk.investigations.wikis import accounts_on_wikis
from safetydesk.lib.http import client_ip
from safetydesk.reviews.views import on_case_panel
from safetydesk.wiki.evidence import do_capture_from_wiki

ANCHOR = "investigation"


def _post(request: HttpRequest, reference: str, run: Any) -> HttpResponse:
    return on_case_panel(request, reference, run, anchor=ANCHOR)


@staff_required
@require_POST
def link_case(request: HttpRequest, reference: str) -> HttpResponse:
    def run(case: Case, user: Any) -> str:
        link = do_link_case(
            case=case, acting_user=user, reference=request.POST.get("reference", ""), note=request.POST.get("note", "")
        )
        return _("Related to %(reference)s.") % {"reference": link.related.reference}

    return _post(request, reference, run)


@staff_required
@require_POST
def add_alternate(request: HttpRequest, reference: str) -> HttpResponse:
    data = request.POST

    def run(case: Case, user: Any) -> str:
        do_add_alternate(
            case=case, acting_user=user, account=data.get("account", ""), of_account=data.get("of_account", ""),
            basis=data.get("basis", ""), note=data.get("note", ""),
        )  # fmt: skip
        return _("The alternate account is on the file.")

    return _post(request, reference, run)


@staff_required
@require_POST
def record_warning(request: HttpRequest, reference: str) -> HttpResponse:
    data = request.POST

    def run(case: Case, user: Any) -> str:
        try:
            given_on = dt.date.fromisoformat(data.get("given_on", ""))
        except ValueError as error:
            raise InvestigationRefusal(_("Give the date of the warning (YYYY-MM-DD).")) from error
        do_record_warning(
            case=case, acting_user=user, account=data.get("account", ""), kind=data.get("kind", ""),
            given_on=given_on, link=data.get("link", ""), note=data.get("note", ""),
        )  # fmt: skip
        return _("The warning is on the file.")

    return _post(request, reference, run)


@staff_required
@require_POST
def save_report(request: HttpRequest, reference: str) -> HttpResponse:
    def run(case: Case, user: Any) -> str:
        try:
            base = int(request.POST.get("version", ""))
        except ValueError as error:
            raise InvestigationRefusal(_("Reload the page and try again.")) from error
        report = do_save_report(case=case, acting_user=user, text=request.POST.get("text", ""), base_version=base)
        return _("The report is saved (version %(version)s).") % {"version": report.version}

    return _post(request, reference, run)


@staff_required
@require_POST
def capture_evidence(request: HttpRequest, reference: str) -> HttpResponse:
    def run(case: Case, user: Any) -> str:
        evidence = do_capture_from_wiki(
            case=case, acting_user=user, permalink=request.POST.get("permalink", "").strip(),
            description=request.POST.get("description", ""),
        )  # fmt: skip
        return _("Captured: %(what)s (SHA-256 %(hash)s…).") % {
            "what": evidence.description, "hash": evidence.sha256[:12],
        }  # fmt: skip

    return _post(request, reference, run)


@staff_required
@require_GET
def accounts(request: HttpRequest, reference: str) -> HttpResponse:
    """The subjects' accounts (and their recorded alternates) on every wiki of the farm."""
    case = access_case(request.user, reference, ip_address=client_ip(request))
    names = [p.wiki_username for p in case.parties.filter(role=PartyRole.SUBJECT) if p.wiki_username]
    names += [a.account for a in case.alternate_accounts.all()]
    names = list(dict.fromkeys(names))
    return render(
        request,
        "investigations/accounts.html",
        {"nav": "queue", "case": case, "rows": accounts_on_wikis(names) if names else [], "names": names},
    )
