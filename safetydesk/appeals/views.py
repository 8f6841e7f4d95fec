"""The Appeal panel's forms on an appeal case (posted from the case page), the case-file
preview, and the committee roster. Each post: access_case, one action, a message, back to the
panel (reviews.views.on_case_panel)."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safetydesk.accounts.decorators import staff_required
from safetydesk.accounts.permissions import access_case, can_keep_committee, can_see_member_identity
from safetydesk.appeals import committee
from safetydesk.appeals.actions import (
    AppealRefusal,
    do_decide_eligibility,
    do_prepare_case_file,
    do_propose_lifting,
    do_register_appeal,
    do_withhold_evidence,
)
from safetydesk.appeals.case_file import draft, for_display
from safetydesk.appeals.complaints import do_decide_complaint
from safetydesk.appeals.models import Appeal, CommitteeMember, Complaint, PanelSeat
from safetydesk.appeals.panel import do_draw_panel, do_recuse
from safetydesk.cases.models import Case, Evidence
from safetydesk.lib.http import client_ip
from safetydesk.reviews.views import on_case_panel

ANCHOR = "appeal"


def _appeal(case: Case) -> Appeal:
    appeal = Appeal.objects.filter(case=case).first()
    if appeal is None:
        raise AppealRefusal(_("Register the appeal first: the decision appealed and the appellant."))
    return appeal


def _post(request: HttpRequest, reference: str, run: Any) -> HttpResponse:
    return on_case_panel(request, reference, run, anchor=ANCHOR)


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@staff_required
@require_POST
def register(request: HttpRequest, reference: str) -> HttpResponse:
    data = request.POST

    def run(case: Case, user: Any) -> str:
        do_register_appeal(
            case=case, acting_user=user, original_reference=data.get("original_reference", ""),
            appellant=data.get("appellant", ""), grounds=data.get("grounds", ""),
            new_evidence=data.get("new_evidence", ""), office_action_id=_int(data.get("office_action")),
        )  # fmt: skip
        return _("The appeal is registered against the decision.")

    return _post(request, reference, run)


@staff_required
@require_POST
def eligibility(request: HttpRequest, reference: str) -> HttpResponse:
    data = request.POST

    def run(case: Case, user: Any) -> str:
        eligible = data.get("eligible") == "yes"
        do_decide_eligibility(appeal=_appeal(case), acting_user=user, eligible=eligible,
                              reason=data.get("reason", ""), note=data.get("note", ""))  # fmt: skip
        return (
            _("Found eligible; the appellant is told.") if eligible else _("Found not eligible; the appellant is told.")
        )

    return _post(request, reference, run)


@staff_required
@require_POST
def prepare(request: HttpRequest, reference: str) -> HttpResponse:
    def run(case: Case, user: Any) -> str:
        do_prepare_case_file(appeal=_appeal(case), acting_user=user, summary=request.POST.get("summary", ""))
        return _("The case file is prepared and frozen: the panel will read exactly this.")

    return _post(request, reference, run)


@staff_required
@require_POST
def draw(request: HttpRequest, reference: str) -> HttpResponse:
    def run(case: Case, user: Any) -> str:
        seats = do_draw_panel(appeal=_appeal(case), acting_user=user)
        return _("Panel drawn: %(members)s.") % {"members": ", ".join(s.member.pseudonym for s in seats)}

    return _post(request, reference, run)


@staff_required
@require_POST
def recuse(request: HttpRequest, reference: str, seat_id: int) -> HttpResponse:
    def run(case: Case, user: Any) -> str:
        seat = get_object_or_404(PanelSeat, pk=seat_id, appeal__case=case)
        replacement = do_recuse(seat=seat, acting_user=user, reason=request.POST.get("reason", ""))
        if replacement is None:
            return _("Recusal recorded. No other member can sit on this appeal: add members to the committee.")
        return _("Recusal recorded; %(member)s takes the seat.") % {"member": replacement.member.pseudonym}

    return _post(request, reference, run)


@staff_required
@require_POST
def lifting(request: HttpRequest, reference: str) -> HttpResponse:
    def run(case: Case, user: Any) -> str:
        recommendation = do_propose_lifting(appeal=_appeal(case), acting_user=user)
        if recommendation is None:
            return _("The event ban is lifted: it is off the list organisers see.")
        return _("The lifting is proposed on %(reference)s and goes through the ban's review chain.") % {
            "reference": recommendation.case.reference
        }

    return _post(request, reference, run)


@staff_required
@require_POST
def decide_complaint(request: HttpRequest, reference: str, complaint_id: int) -> HttpResponse:
    def run(case: Case, user: Any) -> str:
        complaint = get_object_or_404(Complaint, pk=complaint_id, case=case)
        do_decide_complaint(complaint=complaint, acting_user=user, outcome=request.POST.get("outcome", ""),
                            reply=request.POST.get("reply", ""))  # fmt: skip
        return _("The complaint is decided; the reasoned reply goes to the complainant.")

    return _post(request, reference, run)


@staff_required
@require_POST
def withhold(request: HttpRequest, reference: str, evidence_id: int) -> HttpResponse:
    def run(case: Case, user: Any) -> str:
        evidence = get_object_or_404(Evidence, pk=evidence_id, case=_appeal(case).original_case)
        withheld = request.POST.get("withheld") == "yes"
        do_withhold_evidence(evidence=evidence, acting_user=user, withheld=withheld)
        return _("Withheld from the committee.") if withheld else _("Released to the committee's file.")

    return _post(request, reference, run)


@staff_required
@require_GET
def case_file_preview(request: HttpRequest, reference: str) -> HttpResponse:
    """What the panel reads, exactly: the frozen file once prepared, else the file as it would
    be prepared now."""
    case = access_case(request.user, reference, ip_address=client_ip(request))
    appeal = Appeal.objects.filter(case=case).first()
    if appeal is None:
        raise Http404("No appeal registered on this case")
    prepared = getattr(appeal, "case_file", None)
    content = prepared.content if prepared is not None else draft(appeal)
    return render(request, "appeals/case_file_preview.html", {
        "nav": "queue", "case": case, "prepared": prepared, "file": for_display(content),
    })  # fmt: skip


@staff_required
@require_http_methods(["GET", "POST"])
def roster(request: HttpRequest) -> HttpResponse:
    """The committee's members by pseudonym; legal counsel keep it and alone see identities."""
    if not request.user.can_read_internal:  # type: ignore[union-attr]
        raise PermissionDenied
    may_keep = can_keep_committee(request.user)
    if request.method == "POST":
        if not may_keep:
            raise PermissionDenied
        try:
            member = committee.do_save_member(acting_user=request.user, data=request.POST)
            messages.success(request, _("%(member)s is saved.") % {"member": member.pseudonym})
        except AppealRefusal as refusal:
            messages.error(request, refusal.message)
        return redirect("appeals:roster")
    members = list(CommitteeMember.objects.select_related("user"))
    show_identity = can_see_member_identity(request.user)
    if show_identity and members:
        committee.record_identities_read(request.user, members)
    return render(request, "appeals/roster.html", {
        "nav": "committee", "members": members, "may_keep": may_keep, "show_identity": show_identity,
    })  # fmt: skip
