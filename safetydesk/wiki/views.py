"""The wiki farm registry in the console (/wikis/): every staff reader sees which wikis office
actions go to and whether their bot password works; administrators add or replace a wiki (after
a fresh re-authentication: it is a credential) and check it. The bot password is never shown."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from safetydesk.accounts.decorators import staff_required
from safetydesk.accounts.permissions import can_manage_wikis
from safetydesk.accounts.sudo import has_sudo, sudo_redirect
from safetydesk.lib.errors import Refusal
from safetydesk.wiki.actions import check_wiki, do_add_wiki
from safetydesk.wiki.forms import WikiForm
from safetydesk.wiki.models import Wiki


def _page(request: HttpRequest, form: WikiForm | None = None, status: int = 200) -> HttpResponse:
    return render(
        request,
        "wiki/wikis.html",
        {
            "nav": "wikis",
            "wikis": Wiki.objects.all(),
            "form": form or WikiForm(),
            "may_manage": can_manage_wikis(request.user),
        },
        status=status,
    )


@staff_required
@require_GET
def wiki_list(request: HttpRequest) -> HttpResponse:
    if not (can_manage_wikis(request.user) or getattr(request.user, "can_read_internal", False)):
        return render(request, "console/forbidden.html", status=403)
    return _page(request)


@staff_required
@require_POST
def wiki_add(request: HttpRequest) -> HttpResponse:
    if not has_sudo(request):
        return sudo_redirect(request, next_url=reverse("wikis:list"))
    form = WikiForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=422)
    try:
        wiki = do_add_wiki(acting_user=request.user, **form.cleaned_data)
    except Refusal as refusal:
        if refusal.http_status == 403:  # not theirs to do: the form is not even shown to them
            messages.error(request, refusal.message)
            return redirect("wikis:list")
        form.add_error(None, refusal.message)
        return _page(request, form, status=refusal.http_status)
    messages.success(
        request, _("%(name)s is registered. Check it to see what the bot password may do.") % {"name": wiki.name}
    )
    return redirect("wikis:list")


@staff_required
@require_POST
def wiki_check(request: HttpRequest, name: str) -> HttpResponse:
    if not can_manage_wikis(request.user):
        return render(request, "console/forbidden.html", status=403)
    wiki = get_object_or_404(Wiki, name=name)
    result = check_wiki(wiki, acting_user=request.user)  # network: no transaction is open here
    if result.ok:
        messages.success(request, _("%(name)s: the office account may act there.") % {"name": wiki.name})
    else:
        messages.error(request, f"{wiki.name}: {result.error}")
    return redirect("wikis:list")
