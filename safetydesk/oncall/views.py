"""The emergency board, the rota, and acknowledging a page (STYLE: views parse with a form, check
access in accounts.permissions, call one action, then redirect or render)."""

from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safetydesk.accounts.decorators import staff_required
from safetydesk.accounts.models import User
from safetydesk.accounts.permissions import can_acknowledge_page, can_manage_rota, can_see_case, can_view_oncall
from safetydesk.lib.errors import Refusal
from safetydesk.lib.http import client_ip
from safetydesk.oncall import selectors
from safetydesk.oncall.actions import (
    do_acknowledge_page,
    do_add_fallback_contact,
    do_add_shift,
    do_cancel_shift,
    do_hand_over_shift,
    do_remove_fallback_contact,
    do_resolve_alert,
)
from safetydesk.oncall.forms import FallbackForm, HandOverForm, ShiftForm
from safetydesk.oncall.models import FallbackContact, OncallAlert, Page, Shift
from safetydesk.oncall.paging import escalate_after

View = Callable[..., HttpResponse]
# The board reloads itself this often (a meta refresh: no script needed).
BOARD_REFRESH_SECONDS = 30


def oncall_reader(view: View) -> View:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not can_view_oncall(request.user):
            return render(request, "console/forbidden.html", status=403)
        return view(request, *args, **kwargs)

    return staff_required(wrapped)


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


@require_GET
@oncall_reader
def board(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    return render(
        request,
        "oncall/board.html",
        {
            "nav": "oncall",
            "now": now,
            "cases": selectors.open_emergencies(request.user, now),
            "on_call": selectors.on_call_now(now),
            "alerts": selectors.open_alerts(),
            "channels": selectors.failing_channels(now),
            "escalate_minutes": int(escalate_after().total_seconds() // 60),
            "refresh_seconds": BOARD_REFRESH_SECONDS,
            "may_manage": can_manage_rota(request.user),
        },
    )


def _rota_page(
    request: HttpRequest, *, form: ShiftForm | None = None, refusal: str = "", status: int = 200
) -> HttpResponse:
    return render(
        request,
        "oncall/rota.html",
        {
            "nav": "oncall",
            "shifts": selectors.upcoming_shifts(),
            "on_call": selectors.on_call_now(),
            "gap_alerts": selectors.open_gap_alerts(),
            "fallback": FallbackContact.objects.select_related("user"),
            "form": form or ShiftForm(),
            "fallback_form": FallbackForm(),
            "handover_form": HandOverForm(),
            "may_manage": can_manage_rota(request.user),
            "me": request.user,
            "refusal": refusal,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@oncall_reader
def rota(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _rota_page(request)
    form = ShiftForm(request.POST)
    if not form.is_valid():
        return _rota_page(request, form=form, status=422)
    data = form.cleaned_data
    try:
        do_add_shift(
            acting_user=request.user,
            user=data["user"],
            level=data["level"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            time_zone=data["time_zone"],
            is_override=data["is_override"],
            note=data["note"],
        )
    except Refusal as refusal:
        return _rota_page(request, form=form, refusal=refusal.message, status=refusal.http_status)
    messages.success(request, _("The shift is on the rota."))
    return redirect("oncall:rota")


def _refused(request: HttpRequest, refusal: Refusal, to: str = "oncall:rota") -> HttpResponse:
    messages.error(request, _("Nothing was changed.") + " " + refusal.message)
    return redirect(to)


@require_POST
@oncall_reader
def shift_cancel(request: HttpRequest, shift_id: int) -> HttpResponse:
    shift = get_object_or_404(Shift, pk=shift_id)
    try:
        do_cancel_shift(acting_user=request.user, shift=shift)
    except Refusal as refusal:
        return _refused(request, refusal)
    messages.success(request, _("The shift was taken off the rota."))
    return redirect("oncall:rota")


@require_POST
@oncall_reader
def shift_hand_over(request: HttpRequest, shift_id: int) -> HttpResponse:
    shift = get_object_or_404(Shift, pk=shift_id)
    form = HandOverForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Nothing was changed.") + " " + _("Choose whom to hand the shift over to."))
        return redirect("oncall:rota")
    try:
        new = do_hand_over_shift(acting_user=request.user, shift=shift, to_user=form.cleaned_data["to_user"])
    except Refusal as refusal:
        return _refused(request, refusal)
    messages.success(request, _("Handed over to %(person)s.") % {"person": new.user})
    return redirect("oncall:rota")


@require_POST
@oncall_reader
def fallback_add(request: HttpRequest) -> HttpResponse:
    form = FallbackForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Nothing was changed.") + " " + _("Choose someone to add."))
        return redirect("oncall:rota")
    try:
        do_add_fallback_contact(acting_user=request.user, user=form.cleaned_data["user"])
    except Refusal as refusal:
        return _refused(request, refusal)
    messages.success(request, _("Added to the fallback list."))
    return redirect("oncall:rota")


@require_POST
@oncall_reader
def fallback_remove(request: HttpRequest, contact_id: int) -> HttpResponse:
    contact = get_object_or_404(FallbackContact, pk=contact_id)
    try:
        do_remove_fallback_contact(acting_user=request.user, contact=contact)
    except Refusal as refusal:
        return _refused(request, refusal)
    messages.success(request, _("Removed from the fallback list."))
    return redirect("oncall:rota")


@require_http_methods(["GET", "POST"])
@oncall_reader
def acknowledge(request: HttpRequest, page_id: int) -> HttpResponse:
    """GET (the link in the page email, after login): one button. POST: acknowledge."""
    page = Page.objects.select_related("case", "paging", "paging__acknowledged_by").filter(pk=page_id).first()
    if page is None or not can_see_case(request.user, page.case):
        raise Http404("No such page")
    if request.method == "GET":
        return render(
            request,
            "oncall/acknowledge.html",
            {"nav": "oncall", "page": page, "may_acknowledge": can_acknowledge_page(request.user, page.case)},
        )
    try:
        paging = do_acknowledge_page(acting_user=request.user, page=page, ip_address=client_ip(request))
    except Refusal as refusal:
        return _refused(request, refusal, to="oncall:board")
    if paging.acknowledged_by_id == request.user.pk:
        messages.success(
            request, _("%(reference)s acknowledged: escalation stopped.") % {"reference": page.case.reference}
        )
    else:
        messages.info(
            request,
            _("%(reference)s was already acknowledged by %(person)s.")
            % {"reference": page.case.reference, "person": paging.acknowledged_by},
        )
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("oncall:board")


@require_POST
@oncall_reader
def alert_resolve(request: HttpRequest, alert_id: int) -> HttpResponse:
    alert = get_object_or_404(OncallAlert, pk=alert_id)
    try:
        do_resolve_alert(acting_user=request.user, alert=alert)
    except Refusal as refusal:
        return _refused(request, refusal, to="oncall:board")
    messages.success(request, _("The alert was taken off the board."))
    return redirect("oncall:board")
