"""The Office action panel's forms (posted from the case page, no JavaScript needed). Each view:
access_case (which also records the access), one action, a message, back to the panel."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from safetydesk.accounts.permissions import access_case
from safetydesk.accounts.sudo import has_sudo, sudo_redirect
from safetydesk.cases.models import Case
from safetydesk.console.views import staff_required
from safetydesk.enforcement.actions import do_carry_out, do_confirm_by_hand, do_retry_execution
from safetydesk.enforcement.evasion import do_decide_evasion, do_report_evasion
from safetydesk.enforcement.maintenance import do_check_wikis, do_complete_review
from safetydesk.enforcement.models import ActionExecution, BanReview, Evasion, OfficeAction
from safetydesk.lib.errors import Refusal
from safetydesk.lib.http import client_ip
from safetydesk.reviews.actions import ReviewRefusal, do_decide, do_review, do_submit_recommendation
from safetydesk.reviews.models import Recommendation, ReviewStep
from safetydesk.wiki.models import Wiki


def _panel_url(case: Case, anchor: str) -> str:
    return reverse("console:case", args=[case.reference]) + f"#{anchor}"


def on_case_panel(
    request: HttpRequest, reference: str, run: Callable[[Case, Any], str], *, anchor: str = "office-action",
    sensitive: bool = False,
) -> HttpResponse:
    """A panel form's post: access_case, one action (`run` returns the message), back to the
    panel; a refusal comes back as a message and changes nothing. `sensitive`: a step that acts
    on the wikis needs a recent re-authentication (ARCHITECTURE §7, sudo mode); without one the
    person confirms who they are and comes back to the panel."""
    case = access_case(request.user, reference, ip_address=client_ip(request))
    if sensitive and not has_sudo(request):
        return sudo_redirect(request, next_url=_panel_url(case, anchor))
    try:
        messages.success(request, run(case, request.user))
    except Refusal as refusal:
        messages.error(request, refusal.message)
    return redirect(_panel_url(case, anchor))


def parse_warnings(text: str) -> list[dict[str, str]]:
    """Prior warnings as typed, one a line: kind, date, link (the link may be left out)."""
    warnings = []
    for line in text.splitlines():
        parts = line.split(maxsplit=2)
        if parts:
            warnings.append(
                {
                    "kind": parts[0],
                    "date": parts[1] if len(parts) > 1 else "",
                    "link": parts[2] if len(parts) > 2 else "",
                }
            )
    return warnings


def parse_revisions(text: str) -> list[int]:
    """Revision ids as typed: separated by commas, spaces or new lines ("oldid=" copied from a
    permalink is understood)."""
    ids = []
    for token in text.replace(",", " ").split():
        digits = token.rpartition("=")[2]
        if not digits.isdigit():
            raise ReviewRefusal(
                _("“%(value)s” is not a revision id.") % {"value": token[:40]}, details={"field": "revisions"}
            )
        ids.append(int(digits))
    return ids


@staff_required
@require_POST
def recommend(request: HttpRequest, reference: str) -> HttpResponse:
    data = request.POST

    def run(case: Case, user: Any) -> str:
        wiki = Wiki.objects.filter(pk=data.get("wiki") or 0).first()
        do_submit_recommendation(
            case=case, acting_user=user, action_types=data.getlist("action_types"), rationale=data.get("rationale", ""),
            wiki=wiki, page=data.get("page", ""), revisions=parse_revisions(data.get("revisions", "")),
            target=data.get("target", ""), scope=data.get("scope", ""), expiry=data.get("expiry", "infinite"),
            prior_warnings=parse_warnings(data.get("prior_warnings", "")),
            direct_ban_justification=data.get("direct_ban_justification", ""),
            include_conditional=data.getlist("include_conditional"),
        )  # fmt: skip
        return _("The recommendation is submitted for review.")

    return on_case_panel(request, reference, run)


@staff_required
@require_POST
def sign(request: HttpRequest, reference: str, step_id: int) -> HttpResponse:
    def run(case: Case, user: Any) -> str:
        step = get_object_or_404(ReviewStep, pk=step_id, recommendation__case=case)
        do_review(
            step=step, acting_user=user, verdict=request.POST.get("verdict", ""), note=request.POST.get("note", "")
        )
        return _("Your review is recorded.")

    return on_case_panel(request, reference, run)


@staff_required
@require_POST
def decide(request: HttpRequest, reference: str, recommendation_id: int) -> HttpResponse:
    def run(case: Case, user: Any) -> str:
        recommendation = get_object_or_404(Recommendation, pk=recommendation_id, case=case)
        actions = do_decide(
            recommendation=recommendation, acting_user=user, override_reason=request.POST.get("override_reason", "")
        )
        return _("Decided: %(count)s office action(s) ready to carry out.") % {"count": len(actions)}

    return on_case_panel(request, reference, run)


@staff_required
@require_POST
def carry_out(request: HttpRequest, reference: str, action_id: int) -> HttpResponse:
    def run(case: Case, user: Any) -> str:
        action = get_object_or_404(OfficeAction, pk=action_id, case=case)
        do_carry_out(office_action=action, acting_user=user)
        return _("Sent to be carried out; the table shows each wiki's progress.")

    return on_case_panel(request, reference, run, sensitive=True)


@staff_required
@require_POST
def confirm(request: HttpRequest, reference: str, execution_id: int) -> HttpResponse:
    def run(case: Case, user: Any) -> str:
        execution = get_object_or_404(ActionExecution, pk=execution_id, office_action__case=case)
        do_confirm_by_hand(execution=execution, acting_user=user, note=request.POST.get("note", ""))
        return _("Recorded as carried out by hand.")

    return on_case_panel(request, reference, run)


@staff_required
@require_POST
def retry(request: HttpRequest, reference: str, execution_id: int) -> HttpResponse:
    def run(case: Case, user: Any) -> str:
        execution = get_object_or_404(ActionExecution, pk=execution_id, office_action__case=case)
        do_retry_execution(execution=execution, acting_user=user)
        return _("Sent again; the table shows how it goes.")

    return on_case_panel(request, reference, run, sensitive=True)


@staff_required
@require_POST
def report_evasion(request: HttpRequest, reference: str, action_id: int) -> HttpResponse:
    def run(case: Case, user: Any) -> str:
        ban = get_object_or_404(OfficeAction, pk=action_id, case=case)
        do_report_evasion(
            acting_user=user, ban=ban, account=request.POST.get("account", ""),
            evidence=request.POST.get("evidence", ""),
        )  # fmt: skip
        return _("Reported; a manager signs off the lock.")

    return on_case_panel(request, reference, run)


@staff_required
@require_POST
def decide_evasion(request: HttpRequest, reference: str, evasion_id: int) -> HttpResponse:
    lock = request.POST.get("decision") == "lock"

    def run(case: Case, user: Any) -> str:
        evasion = get_object_or_404(Evasion, pk=evasion_id, ban__case=case)
        do_decide_evasion(acting_user=user, evasion=evasion, lock=lock, note=request.POST.get("note", ""))
        return _("The account is being locked under the ban.") if lock else _("The report is dismissed.")

    return on_case_panel(request, reference, run, sensitive=lock)


@staff_required
@require_POST
def check_ban(request: HttpRequest, reference: str, review_id: int) -> HttpResponse:
    def run(case: Case, user: Any) -> str:
        review = get_object_or_404(BanReview.objects.select_related("ban__case"), pk=review_id, ban__case=case)
        missing = do_check_wikis(acting_user=user, review=review)
        if missing:
            return _("Not in place on: %(wikis)s. Carry it out there again.") % {"wikis": ", ".join(missing)}
        return _("In place on every wiki.")

    return on_case_panel(request, reference, run)


@staff_required
@require_POST
def complete_ban_review(request: HttpRequest, reference: str, review_id: int) -> HttpResponse:
    def run(case: Case, user: Any) -> str:
        review = get_object_or_404(BanReview, pk=review_id, ban__case=case)
        do_complete_review(
            acting_user=user, review=review, outcome=request.POST.get("outcome", ""), note=request.POST.get("note", "")
        )
        return _("The review is recorded.")

    return on_case_panel(request, reference, run)
