"""The public ban list as a page and as JSON and CSV feeds (enforcement.public)."""

import csv
import io

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from safetydesk.enforcement.public import public_bans

# The list changes a few times a year: caches and mirrors may keep it five minutes.
PUBLIC = cache_control(public=True, max_age=300)


@require_GET
@PUBLIC
def ban_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "enforcement/ban_list.html",
        {"bans": public_bans(), "organisation": settings.BAN_LIST_ORGANISATION},
    )


@require_GET
@PUBLIC
def ban_list_json(request: HttpRequest) -> JsonResponse:
    return JsonResponse(
        {
            "banned_by": settings.BAN_LIST_ORGANISATION,
            "bans": [{"account": ban.account, "banned_on": ban.banned_on.isoformat()} for ban in public_bans()],
        },
        json_dumps_params={"ensure_ascii": False},
    )


@require_GET
@PUBLIC
def ban_list_csv(request: HttpRequest) -> HttpResponse:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["account", "banned_on"])
    for ban in public_bans():
        # A name starting with =, +, - or @ would be a formula to a spreadsheet: quote it as text.
        account = f"'{ban.account}" if ban.account[:1] in {"=", "+", "-", "@"} else ban.account
        writer.writerow([account, ban.banned_on.isoformat()])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="foundation-global-bans.csv"'
    return response
