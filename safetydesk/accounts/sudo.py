"""Sudo mode: a recent re-authentication (password + TOTP) before sensitive steps.

The grant lives in the session for settings.SUDO_MINUTES. Views call `has_sudo(request)` and,
when it is missing, answer with `sudo_redirect(request)`, which returns the user to the same
page after re-authenticating.
"""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse

SESSION_KEY = "sudo_until"


def grant_sudo(request: HttpRequest) -> None:
    request.session[SESSION_KEY] = time.time() + settings.SUDO_MINUTES * 60


def has_sudo(request: HttpRequest) -> bool:
    return float(request.session.get(SESSION_KEY, 0)) > time.time()


def sudo_redirect(request: HttpRequest, next_url: str | None = None) -> HttpResponseRedirect:
    target = next_url or request.get_full_path()
    return HttpResponseRedirect(reverse("accounts:sudo") + "?" + urlencode({"next": target}))
