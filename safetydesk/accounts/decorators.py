"""View decorators that decide who gets into the console (ARCHITECTURE §7).

- `verified_login_required`: logged in, and — when settings.REQUIRE_2FA is on — verified with
  a TOTP code in this session. Someone with no confirmed device is sent to enroll one first;
  someone with a device who has not entered a code is sent to the code step.
- `staff_required` (also exported as `require_staff`): the above, plus at least one role;
  a logged-in account with no role at all gets 403.

Sudo mode for sensitive steps is separate: see safetydesk.accounts.sudo.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django_otp import user_has_device

ViewFunc = Callable[..., HttpResponse]


def second_factor_redirect(request: HttpRequest) -> HttpResponseRedirect | None:
    """Where a logged-in user must go before using the console, or None if nowhere."""
    user: Any = request.user
    if not settings.REQUIRE_2FA or user.is_verified():
        return None
    query = "?" + urlencode({"next": request.get_full_path()})
    if user_has_device(user, confirmed=True):
        return HttpResponseRedirect(reverse("accounts:verify") + query)
    return HttpResponseRedirect(reverse("accounts:totp_setup") + query)


def verified_login_required(view_func: ViewFunc) -> ViewFunc:
    @wraps(view_func)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if redirect := second_factor_redirect(request):
            return redirect
        return view_func(request, *args, **kwargs)

    return wrapper


def staff_required(view_func: ViewFunc) -> ViewFunc:
    @wraps(view_func)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if redirect := second_factor_redirect(request):
            return redirect
        if not request.user.roles:
            raise PermissionDenied("This account has no role in Safetydesk.")
        return view_func(request, *args, **kwargs)

    return wrapper


require_staff = staff_required
