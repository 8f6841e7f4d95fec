"""The committee member's side (/crc/): the appeals they sit on, each appeal's redacted case
file with the vote and the conflict declaration; and the public tally. A member reaches nothing
else: these views never touch the live case, and every reading of a file is audited."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from safetydesk.accounts.decorators import staff_required
from safetydesk.accounts.permissions import can_read_panel_file, can_sit_on_panels
from safetydesk.appeals.actions import AppealRefusal
from safetydesk.appeals.case_file import for_display
from safetydesk.appeals.models import Outcome, PanelSeat, SeatStatus
from safetydesk.appeals.panel import do_cast_vote, do_recuse
from safetydesk.appeals.tally import tally
from safetydesk.audit.log import record_audit
from safetydesk.audit.models import AuditEventType
from safetydesk.lib.http import client_ip


def _member(request: HttpRequest) -> Any:
    if not can_sit_on_panels(request.user):
        raise PermissionDenied("Only members of the Case Review Committee")
    return request.user


def _seat(request: HttpRequest, seat_id: int) -> PanelSeat:
    """The member's own seat, if they still hold it: 404 for any other (never "forbidden",
    so that seat numbers cannot be probed)."""
    seat = PanelSeat.objects.select_related("member", "appeal__case", "appeal__case_file").filter(pk=seat_id).first()
    if seat is None or not can_read_panel_file(request.user, seat):
        raise Http404("No such seat")
    return seat


@staff_required
@require_GET
def my_panels(request: HttpRequest) -> HttpResponse:
    member = _member(request)
    seats = PanelSeat.objects.filter(member__user=member, status=SeatStatus.SEATED).select_related("appeal__case")
    return render(request, "appeals/my_panels.html", {"nav": "crc", "seats": seats})


@staff_required
@require_GET
def seat_file(request: HttpRequest, seat_id: int) -> HttpResponse:
    _member(request)
    seat = _seat(request, seat_id)
    record_audit(event_type=AuditEventType.APPEAL_CASE_FILE_VIEWED, actor=request.user, subject=seat.appeal,
                 data={"seat": seat.pk}, ip_address=client_ip(request))  # fmt: skip
    response = render(request, "appeals/seat_file.html", {
        "nav": "crc", "seat": seat, "file": for_display(seat.appeal.case_file.content), "outcomes": Outcome.choices,
        "open": seat.appeal.outcome == "",
    })  # fmt: skip
    response["Cache-Control"] = "no-store"
    return response


@staff_required
@require_POST
def vote(request: HttpRequest, seat_id: int) -> HttpResponse:
    _member(request)
    seat = _seat(request, seat_id)
    try:
        do_cast_vote(seat=seat, acting_user=request.user, vote=request.POST.get("vote", ""),
                     note=request.POST.get("note", ""))  # fmt: skip
        messages.success(request, _("Your vote is recorded. It is final."))
    except AppealRefusal as refusal:
        messages.error(request, refusal.message)
    return redirect("crc:seat", seat_id=seat.pk)


@staff_required
@require_POST
def declare_conflict(request: HttpRequest, seat_id: int) -> HttpResponse:
    _member(request)
    seat = _seat(request, seat_id)
    try:
        do_recuse(seat=seat, acting_user=request.user, reason=request.POST.get("reason", ""))
    except AppealRefusal as refusal:
        messages.error(request, refusal.message)
        return redirect("crc:seat", seat_id=seat.pk)
    messages.success(request, _("You have recused yourself; another member takes your seat."))
    return redirect("crc:panels")


@require_GET
def public_tally(request: HttpRequest) -> HttpResponse:
    return render(request, "appeals/tally.html", {"rows": tally()})


@require_GET
def public_tally_json(request: HttpRequest) -> JsonResponse:
    response = JsonResponse({"unit": "percent of cases reviewed", "periods": tally()})
    response["Access-Control-Allow-Origin"] = "*"
    return response
