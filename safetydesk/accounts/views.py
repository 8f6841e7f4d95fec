"""Signing in and out, TOTP enrollment, sudo re-authentication, API tokens, personal settings.

Sign-in is one flow in up to two steps:

1. `login`: username and password. A wrong password, an unknown username, a locked and a
   deactivated account all get the same message (LOGIN_FAILED_MESSAGE), which mentions that
   accounts lock after repeated failures. So the page never says whether a username exists,
   and while an account is locked it never says whether a guessed password was right.
2. When the password was right the session holds a short-lived *pending login* (not yet a
   login). With a confirmed TOTP device the person goes to `verify` for a code; without one,
   when settings.REQUIRE_2FA is on, to `totp_setup` to enroll. Only after the code is the
   person logged in (django.contrib.auth.login plus django_otp.login). With REQUIRE_2FA off
   and no device, the password alone logs in.

A wrong code counts towards the lockout like a wrong password. The code step is only reached
with the right password, so there (and only there) a lock is named as such.
"""

import time
from base64 import b32encode
from typing import Any, cast
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp import verify_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from safetydesk.accounts.actions import (
    AccountLockedError,
    InvalidCodeError,
    confirmed_totp_device,
    do_create_api_token,
    do_enroll_totp_device,
    do_grant_sudo,
    do_record_login_failure,
    do_record_login_success,
    do_record_logout,
    do_revoke_api_token,
    do_start_totp_enrollment,
)
from safetydesk.accounts.decorators import verified_login_required
from safetydesk.accounts.forms import (
    LOGIN_FAILED_MESSAGE,
    ApiTokenForm,
    CodeForm,
    LanguageForm,
    LoginForm,
    SudoForm,
)
from safetydesk.accounts.models import ApiToken, User
from safetydesk.accounts.roles import Role
from safetydesk.accounts.sudo import has_sudo, sudo_redirect
from safetydesk.lib.http import client_ip

PENDING_LOGIN_KEY = "accounts_pending_login"
# Time between a right password and the code (or the end of enrollment).
PENDING_LOGIN_SECONDS = 10 * 60
LOGIN_BACKEND = "django.contrib.auth.backends.ModelBackend"



def _safe_next(request: HttpRequest, url: str | None, default: str) -> str:
    """`url` if it points into this site, otherwise `default` (a URL or URL name)."""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return resolve_url(default)


def _requested_next(request: HttpRequest) -> str:
    return request.POST.get("next") or request.GET.get("next") or ""


def _with_next(url_name: str, next_url: str) -> str:
    url = reverse(url_name)
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


# --- The pending login ----------------------------------------------------------------------


def _start_pending_login(request: HttpRequest, user: User, next_url: str) -> None:
    # A new session key, as at a login: whoever planted the old key must not inherit the
    # pending login (and with it, the chance to enroll their own authenticator).
    request.session.cycle_key()
    request.session[PENDING_LOGIN_KEY] = {
        "user_id": user.pk,
        # Ties the pending login to the password it was proven with.
        "auth_hash": user.get_session_auth_hash(),
        "started": time.time(),
        "next": next_url,
    }


def _pending_login(request: HttpRequest) -> tuple[User, str] | None:
    """The person who gave the right password in this session (and where they were going),
    if that was recent and nothing about the account has changed since."""
    pending = request.session.get(PENDING_LOGIN_KEY)
    if not isinstance(pending, dict) or not isinstance(pending.get("user_id"), int):
        return None
    user = User.objects.filter(pk=pending["user_id"], is_active=True).first()
    if (
        user is None
        or time.time() - float(pending.get("started", 0)) > PENDING_LOGIN_SECONDS
        or not constant_time_compare(str(pending.get("auth_hash", "")), user.get_session_auth_hash())
    ):
        request.session.pop(PENDING_LOGIN_KEY, None)
        return None
    return user, str(pending.get("next", ""))


def _second_factor_subject(request: HttpRequest) -> tuple[User, bool, str] | None:
    """Who is at the code or enrollment step: (user, whether the login is still pending,
    where to go next). A logged-in person who has not given a code yet counts too."""
    # A pending login wins: it is newer than any session it was started from.
    pending = _pending_login(request)
    if pending is not None:
        user, next_url = pending
        return user, True, _requested_next(request) or next_url
    if request.user.is_authenticated:
        return cast(User, request.user), False, _requested_next(request)
    return None


def _complete_login(request: HttpRequest, user: User, device: TOTPDevice | None, next_url: str) -> HttpResponse:
    try:
        do_record_login_success(
            acting_user=user, method="password+totp" if device else "password", ip_address=client_ip(request)
        )
    except AccountLockedError:
        return _end_locked(request)
    # Called again for someone already logged in, this still rotates the session key as the
    # session gains its second factor.
    auth_login(request, user, backend=LOGIN_BACKEND)
    if device is not None:
        otp_login(request, device)
    request.session.pop(PENDING_LOGIN_KEY, None)
    return HttpResponseRedirect(_safe_next(request, next_url, settings.LOGIN_REDIRECT_URL))


def _end_locked(request: HttpRequest) -> HttpResponse:
    """Drop the pending login (or the session) of an account that is now locked."""
    request.session.pop(PENDING_LOGIN_KEY, None)
    if request.user.is_authenticated:
        auth_logout(request)
    messages.error(request, _("Too many failed attempts: this account is locked for a while. Try again later."))
    return redirect("accounts:login")


def _check_password(username: str, password: str) -> tuple[User | None, str]:
    """The account and why the attempt fails ("" when the password is right and the account
    may log in). The same password hashing work is done whether or not the account exists."""
    user = User.objects.filter(**{User.USERNAME_FIELD: username}).first()
    if user is None:
        User().set_password(password)  # as ModelBackend does, against timing probes
        return None, "unknown_user"
    password_ok = user.check_password(password)
    if user.is_locked:
        return user, "locked"
    if not user.is_active:
        return user, "inactive"
    if not password_ok:
        return user, "bad_password"
    return user, ""


# --- Views ----------------------------------------------------------------------------------


@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    next_url = _requested_next(request)
    user: Any = request.user
    if user.is_authenticated and (not settings.REQUIRE_2FA or user.is_verified()):
        return HttpResponseRedirect(_safe_next(request, next_url, settings.LOGIN_REDIRECT_URL))
    form = LoginForm(request.POST or None, initial={"next": next_url})
    if request.method == "POST" and form.is_valid():
        account, failure = _check_password(form.cleaned_data["username"], form.cleaned_data["password"])
        if account is None or failure:
            do_record_login_failure(acting_user=account, reason=failure, ip_address=client_ip(request))
            form.add_error(None, LOGIN_FAILED_MESSAGE)
        elif confirmed_totp_device(account) is not None:
            _start_pending_login(request, account, next_url)
            return redirect("accounts:verify")
        elif settings.REQUIRE_2FA:
            _start_pending_login(request, account, next_url)
            return redirect("accounts:totp_setup")
        else:
            return _complete_login(request, account, None, next_url)
    return render(request, "accounts/login.html", {"form": form})


@sensitive_post_parameters("code")
@never_cache
@require_http_methods(["GET", "POST"])
def verify_view(request: HttpRequest) -> HttpResponse:
    """The second step: a code from the person's confirmed TOTP device."""
    subject = _second_factor_subject(request)
    if subject is None:
        messages.info(request, _("Please sign in again."))
        return redirect("accounts:login")
    user, pending, next_url = subject
    devices = list(TOTPDevice.objects.devices_for_user(user, confirmed=True))
    if not devices:
        return redirect(_with_next("accounts:totp_setup", "" if pending else next_url))
    if not pending and cast(Any, user).is_verified():
        return HttpResponseRedirect(_safe_next(request, next_url, settings.LOGIN_REDIRECT_URL))
    form = CodeForm(request.POST or None, initial={"next": next_url})
    if request.method == "POST" and form.is_valid():
        if user.is_locked:
            do_record_login_failure(acting_user=user, reason="bad_code", ip_address=client_ip(request))
            return _end_locked(request)
        code = form.cleaned_data["code"]
        device = next((d for d in devices if verify_token(user, d.persistent_id, code) is not None), None)
        if device is not None:
            return _complete_login(request, user, device, next_url)
        if do_record_login_failure(acting_user=user, reason="bad_code", ip_address=client_ip(request)):
            return _end_locked(request)
        form.add_error("code", _("That code is not right. Codes change every 30 seconds: use the newest one."))
    return render(request, "accounts/verify.html", {"form": form, "pending": pending})


@sensitive_post_parameters("code")
@never_cache
@require_http_methods(["GET", "POST"])
def totp_setup_view(request: HttpRequest) -> HttpResponse:
    """Enroll an authenticator app: forced after the password when REQUIRE_2FA is on and the
    person has none; otherwise from the settings page. Replacing a device needs sudo."""
    subject = _second_factor_subject(request)
    if subject is None:
        return redirect("accounts:login")
    user, pending, next_url = subject
    if confirmed_totp_device(user) is not None:
        # Whoever has not yet given a code from the existing device must not get round it by
        # enrolling another.
        if pending or not cast(Any, user).is_verified():
            return redirect(_with_next("accounts:verify", "" if pending else next_url))
        if not has_sudo(request):
            return sudo_redirect(request)
    device = do_start_totp_enrollment(acting_user=user)
    form = CodeForm(request.POST or None, initial={"next": next_url})
    if request.method == "POST" and form.is_valid():
        try:
            device = do_enroll_totp_device(
                acting_user=user, device=device, token=form.cleaned_data["code"], ip_address=client_ip(request)
            )
        except InvalidCodeError:
            form.add_error(
                "code", _("That code is not right. Check that you scanned this page's code, then use the newest one.")
            )
        else:
            messages.success(request, _("Two-factor authentication is on. You will be asked for a code at sign-in."))
            if pending:
                return _complete_login(request, user, device, next_url)
            otp_login(request, device)
            return HttpResponseRedirect(_safe_next(request, next_url, "accounts:settings"))
    secret = b32encode(device.bin_key).decode()
    qr_svg = segno.make(device.config_url, error="m").svg_inline(
        scale=4, border=2, dark="#000", light="#fff", svgclass="totp-qr", title=_("QR code for your authenticator app")
    )
    return render(
        request,
        "accounts/totp_setup.html",
        {
            "form": form,
            "pending": pending,
            "qr_svg": mark_safe(qr_svg),  # noqa: S308 - segno's own SVG; the only text in it is our title
            "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
            "required": settings.REQUIRE_2FA,
        },
    )


@sensitive_post_parameters("password", "code")
@never_cache
@require_http_methods(["GET", "POST"])
@verified_login_required
def sudo_view(request: HttpRequest) -> HttpResponse:
    """Re-authenticate before a sensitive step; then back to `next` if it is on this site."""
    user = cast(User, request.user)
    device_ids = [d.persistent_id for d in TOTPDevice.objects.devices_for_user(user, confirmed=True)]
    needs_code = bool(device_ids) or settings.REQUIRE_2FA
    next_url = _requested_next(request)
    form = SudoForm(request.POST or None, needs_code=needs_code, initial={"next": next_url})
    if request.method == "POST" and form.is_valid():
        failure = ""
        if user.is_locked:
            failure = "locked"
        elif not user.check_password(form.cleaned_data["password"]):
            failure = "bad_password"
        elif needs_code and not any(
            verify_token(user, device_id, form.cleaned_data["code"]) is not None for device_id in device_ids
        ):
            failure = "bad_code"
        if not failure:
            try:
                do_grant_sudo(acting_user=user, request=request, method="password+totp" if needs_code else "password")
            except AccountLockedError:
                failure = "locked"
            else:
                return HttpResponseRedirect(_safe_next(request, next_url, "accounts:settings"))
        if do_record_login_failure(acting_user=user, reason=failure, step="sudo", ip_address=client_ip(request)):
            return _end_locked(request)
        form.add_error(None, _("The password or the code was not right."))
    return render(
        request,
        "accounts/sudo.html",
        {"form": form, "needs_code": needs_code, "sudo_minutes": settings.SUDO_MINUTES},
    )


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        do_record_logout(acting_user=cast(User, request.user), ip_address=client_ip(request))
    auth_logout(request)
    messages.info(request, _("You are signed out."))
    return redirect("accounts:login")


@never_cache
@require_http_methods(["GET"])
@verified_login_required
def settings_view(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    role_labels = [Role(name).label for name in sorted(user.roles) if name in Role.values]
    return render(
        request,
        "accounts/settings.html",
        {
            "role_labels": role_labels,
            "totp_device": confirmed_totp_device(user),
            "require_2fa": settings.REQUIRE_2FA,
            "language_form": LanguageForm(initial={"language": get_language()}),
            "active_tokens": user.api_tokens.filter(revoked_at__isnull=True).count(),
        },
    )


@require_POST
@verified_login_required
def language_view(request: HttpRequest) -> HttpResponse:
    """Remember the interface language in the language cookie that LocaleMiddleware reads."""
    form = LanguageForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the listed languages."))
        return redirect("accounts:settings")
    response = redirect("accounts:settings")
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        form.cleaned_data["language"],
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


@never_cache
@require_http_methods(["GET", "POST"])
@verified_login_required
def tokens_view(request: HttpRequest) -> HttpResponse:
    """List the person's API tokens; POST creates one (in sudo mode) and shows it once."""
    user = cast(User, request.user)
    form = ApiTokenForm(request.POST or None)
    created: ApiToken | None = None
    raw_token = ""
    if request.method == "POST":
        if not has_sudo(request):
            messages.info(request, _("Confirm it is you, then create the token again."))
            return sudo_redirect(request, next_url=reverse("accounts:tokens"))
        if form.is_valid():
            created, raw_token = do_create_api_token(
                acting_user=user, name=form.cleaned_data["name"], ip_address=client_ip(request)
            )
            form = ApiTokenForm()
    # The page with the raw token is the response to the POST itself, so the token is never
    # stored anywhere to be shown again; never_cache keeps it out of caches.
    return render(
        request,
        "accounts/tokens.html",
        {
            "form": form,
            "tokens": list(ApiToken.objects.filter(user=user)),
            "created": created,
            "raw_token": raw_token,
            "sudo_active": has_sudo(request),
            "sudo_url": _with_next("accounts:sudo", reverse("accounts:tokens")),
        },
    )


@require_POST
@verified_login_required
def token_revoke_view(request: HttpRequest, token_id: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    if not has_sudo(request):
        messages.info(request, _("Confirm it is you, then revoke the token again."))
        return sudo_redirect(request, next_url=reverse("accounts:tokens"))
    if do_revoke_api_token(acting_user=cast(User, request.user), token=token, ip_address=client_ip(request)):
        messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("accounts:tokens")
