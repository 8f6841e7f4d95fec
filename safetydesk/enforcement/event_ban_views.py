"""The restricted event-ban list in the console (/event-bans/), and the page organisers open
with the link and access code of a share (/event-list/<token>/). STYLE: views parse with a form,
check access in accounts.permissions, call one action, then redirect or render."""

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safetydesk.accounts.decorators import staff_required
from safetydesk.accounts.permissions import can_keep_event_bans, can_read_event_bans
from safetydesk.enforcement import event_bans
from safetydesk.enforcement.forms import CodeForm, EntryForm, EventForm, ShareForm
from safetydesk.enforcement.models import Event, EventBan, EventBanScope, EventListShare
from safetydesk.lib.errors import Refusal
from safetydesk.lib.http import client_ip

View = Callable[..., HttpResponse]


def reader(view: View) -> View:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not can_read_event_bans(request.user):
            return render(request, "console/forbidden.html", status=403)
        return view(request, *args, **kwargs)

    return staff_required(wrapped)


def _list_page(request: HttpRequest, *, event_form: EventForm | None = None, status: int = 200) -> HttpResponse:
    bans = event_bans.read_list(acting_user=request.user, ip_address=client_ip(request))
    today = timezone.localdate()
    events = Event.objects.filter(ends_on__gte=today - dt.timedelta(days=30)).prefetch_related("shares")
    response = render(
        request,
        "enforcement/event_bans.html",
        {
            "nav": "event_bans",
            "bans": bans,
            "events": events,
            "now": timezone.now(),
            "may_keep": can_keep_event_bans(request.user),
            "event_form": event_form or EventForm(),
            "share_form": ShareForm(),
            "LISTED": EventBanScope.LISTED,
        },
        status=status,
    )
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@reader
def event_ban_list(request: HttpRequest) -> HttpResponse:
    return _list_page(request)


def _done(request: HttpRequest, run: Callable[[], str]) -> HttpResponse:
    try:
        messages.success(request, run())
    except Refusal as refusal:
        messages.error(request, _("Nothing was changed.") + " " + refusal.message)
    return redirect("event_bans:list")


@require_POST
@reader
def event_add(request: HttpRequest) -> HttpResponse:
    form = EventForm(request.POST)
    if not form.is_valid():
        return _list_page(request, event_form=form, status=422)

    def run() -> str:
        event = event_bans.do_add_event(acting_user=request.user, **form.cleaned_data)
        return _("%(event)s was added.") % {"event": event.name}

    return _done(request, run)


@require_POST
@reader
def ban_name_event(request: HttpRequest, ban_id: int) -> HttpResponse:
    ban = get_object_or_404(EventBan, pk=ban_id)
    event = Event.objects.filter(pk=request.POST.get("event") or 0).first()

    def run() -> str:
        if event is None:
            raise event_bans.EventBanRefusal(_("Choose the event."))
        event_bans.do_name_event_on_ban(acting_user=request.user, ban=ban, event=event)
        return _("The ban now names %(event)s.") % {"event": event.name}

    return _done(request, run)


@require_POST
@reader
def ban_entry(request: HttpRequest, ban_id: int) -> HttpResponse:
    ban = get_object_or_404(EventBan, pk=ban_id)
    form = EntryForm(request.POST)
    form.is_valid()  # both fields are optional text

    def run() -> str:
        event_bans.do_update_entry(acting_user=request.user, ban=ban, **form.cleaned_data)
        return _("The entry is updated.")

    return _done(request, run)


@require_POST
@reader
def event_share(request: HttpRequest, event_id: int) -> HttpResponse:
    event = get_object_or_404(Event, pk=event_id)
    form = ShareForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Nothing was changed.") + " " + _("Name the organisers and the agreement."))
        return redirect("event_bans:list")
    try:
        new = event_bans.do_share_list(acting_user=request.user, event=event, **form.cleaned_data)
    except Refusal as refusal:
        messages.error(request, _("Nothing was changed.") + " " + refusal.message)
        return redirect("event_bans:list")
    # Shown once, never stored: the link and the code go to the organisers by separate channels.
    response = render(
        request,
        "enforcement/event_list_shared.html",
        {
            "nav": "event_bans",
            "share": new.share,
            "link": request.build_absolute_uri(reverse("event_list:shared", args=[new.token])),
            "code": new.code,
        },
    )
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@reader
def share_revoke(request: HttpRequest, share_id: int) -> HttpResponse:
    share = get_object_or_404(EventListShare, pk=share_id)

    def run() -> str:
        event_bans.do_revoke_share(acting_user=request.user, share=share)
        return _("The organisers can no longer open the list.")

    return _done(request, run)


# --- the organisers' page (no login: the link and the code) ------------------------------------


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    # The link is a secret: never sent to another site. (Not "no-referrer": the browser would
    # then post the access code with Origin: null, which CSRF protection refuses.)
    response["Referrer-Policy"] = "same-origin"
    return response


@never_cache
@csrf_protect
@require_http_methods(["GET", "POST"])
def shared_list(request: HttpRequest, token: str) -> HttpResponse:
    share = event_bans.find_share(token)
    if share is None:
        raise Http404("No such list")
    form = CodeForm(request.POST or None)
    is_open = share.is_open(timezone.now())
    context: dict[str, Any] = {"event": share.event, "form": form, "bans": None, "refusal": "", "open": is_open}
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            context["bans"] = event_bans.do_view_shared_list(
                share=share, code=form.cleaned_data["code"], ip_address=client_ip(request)
            )
        except Refusal as refusal:
            context["refusal"], status = refusal.message, refusal.http_status
    elif not is_open:
        context["refusal"], status = _("Access to this list has ended."), 410
    return _private(render(request, "enforcement/event_list_shared_view.html", context, status=status))
