"""Personal API tokens: `Authorization: Bearer sdt_…`.

Only the SHA-256 of a token is stored (accounts.models.ApiToken). A request is let in when the
token exists, is not revoked, belongs to an active user, and that user has a role that may
read internal case files; which cases and which changes is then decided per case by
accounts.permissions and the actions, exactly as in the console.
"""

import copy
import datetime as dt
from typing import Any

from django.conf import settings
from django.db.models import OuterRef, Q
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from safetydesk.accounts.models import ApiToken, User, hash_token, role_names
from safetydesk.api.errors import RoleNotPermitted, Unauthenticated

# `last_used_at` is for the token's owner ("is this token still in use?"), so minute precision
# is plenty and saves a write on nearly every request.
LAST_USED_PRECISION = dt.timedelta(minutes=1)


class TokenAuth(HttpBearer):
    openapi_bearerFormat = "sdt_…"
    openapi_description = (
        "A personal API token, sent as `Authorization: Bearer sdt_…`. The token's owner must have "
        "a role that may read internal case files; what they may change follows their roles."
    )

    def __call__(self, request: HttpRequest) -> User:
        value = request.headers.get(self.header, "")
        scheme, _, token = value.partition(" ")
        if not value:
            raise Unauthenticated("Send an API token: Authorization: Bearer sdt_…", details={"reason": "missing_token"})
        if scheme.lower() != self.openapi_scheme or not token.strip():
            raise Unauthenticated(
                "Use the Bearer scheme: Authorization: Bearer sdt_…", details={"reason": "wrong_scheme"}
            )
        return self.authenticate(request, token.strip())

    def authenticate(self, request: HttpRequest, token: str) -> User:
        row = recent_token(hash_token(token)) if token.startswith(ApiToken.PREFIX) else None
        if row is None:
            raise Unauthenticated("This API token is not valid.", details={"reason": "invalid_token"})
        if row.revoked_at is not None:
            raise Unauthenticated("This API token has been revoked.", details={"reason": "revoked_token"})
        user = row.user
        if not user.is_active:
            raise Unauthenticated(
                "The account this token belongs to is deactivated.", details={"reason": "inactive_user"}
            )
        record_token_use(row)
        user.prime_roles(getattr(row, "role_names", None))  # annotated by recent_token
        if not user.can_read_internal:
            raise RoleNotPermitted("Your roles do not allow reading case files through the API.")
        # Code shared with the console reads request.user.
        request.user = user
        return user


# Tokens looked up in the last API_TOKEN_CACHE_SECONDS, by hash: (valid until, the row with its
# user and role names). Looking a token up costs about as much as the rest of a report's
# intake; the price is that a revocation in another worker process, a deactivation or a role
# change takes up to that long to reach this one (a revocation in this one is at once).
_RECENT: dict[str, tuple[dt.datetime, ApiToken]] = {}
_RECENT_MAX = 1000


def recent_token(token_hash: str) -> ApiToken | None:
    """The token row (with `user` and `role_names`), from this process's short cache when it
    was read within API_TOKEN_CACHE_SECONDS; a copy, so no request sees another's changes."""
    seconds = settings.API_TOKEN_CACHE_SECONDS
    now = timezone.now()
    hit = _RECENT.get(token_hash) if seconds > 0 else None
    if hit is not None and hit[0] > now:
        return _copy(hit[1])
    row = (
        ApiToken.objects.select_related("user")
        .annotate(role_names=role_names(OuterRef("user_id")))
        .filter(token_hash=token_hash)
        .first()
    )
    if row is not None and seconds > 0:
        if len(_RECENT) >= _RECENT_MAX:
            _RECENT.clear()
        _RECENT[token_hash] = (now + dt.timedelta(seconds=seconds), row)
        return _copy(row)
    return row


def _copy(row: ApiToken) -> ApiToken:
    fresh = copy.copy(row)
    fresh.user = copy.copy(row.user)
    return fresh


def forget_token(token_hash: str) -> None:
    """Drop a token from this process's cache (its revocation takes effect here at once)."""
    _RECENT.pop(token_hash, None)


def record_token_use(token: ApiToken, now: dt.datetime | None = None) -> bool:
    """Stamp `last_used_at`, at most once per LAST_USED_PRECISION. True if this call wrote.

    The row already in hand answers "recent enough?" without a query; the conditional UPDATE
    makes concurrent requests agree on one writer.
    """
    now = now or timezone.now()
    threshold = now - LAST_USED_PRECISION
    if token.last_used_at is not None and token.last_used_at > threshold:
        return False
    stale = Q(last_used_at__isnull=True) | Q(last_used_at__lte=threshold)
    written = ApiToken.objects.filter(stale, pk=token.pk).update(last_used_at=now) == 1
    if written:
        token.last_used_at = now
        cached = _RECENT.get(token.token_hash)
        if cached is not None:  # so the cached row does not try the same write again
            cached[1].last_used_at = now
    return written


def acting_user(request: HttpRequest) -> User:
    """The user a request was authenticated as (set by TokenAuth)."""
    user: Any = getattr(request, "auth", None)
    if not isinstance(user, User):
        raise Unauthenticated("Send an API token: Authorization: Bearer sdt_…", details={"reason": "missing_token"})
    return user
