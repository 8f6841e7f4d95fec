"""Per-wiki tokens for POST /api/v1/reportincident: `Authorization: Bearer sdw_…`.

A wiki running the ReportIncident extension files its emergency reports and its non-emergency
counts here instead of to Zendesk and the metrics stream (DOMAIN §16.4). Each wiki has its own
token, so one can be revoked without touching the others, and the wiki a report comes from is
known from the token rather than from anything in the payload. These tokens are not staff
ApiTokens: they open no case file and work on no other endpoint.

Only the SHA-256 of a token is stored; `safetydesk wikitoken add NAME` prints it once.
"""

import datetime as dt
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from safetydesk.accounts.models import hash_token
from safetydesk.api.errors import Unauthenticated
from safetydesk.audit.log import record_audit
from safetydesk.audit.models import AuditEventType
from safetydesk.intake.models import WikiIntakeToken
from safetydesk.intake.wikis import is_wiki_host

# `last_used_at` answers "is this wiki still sending?", so minute precision saves a write on
# nearly every request (as for staff tokens, api.auth).
LAST_USED_PRECISION = dt.timedelta(minutes=1)

WIKI_NAME_MAX = 100


def check_wiki_name(name: str) -> str:
    """The wiki's host name (en.wikipedia.org), lower-cased; it must be a configured wiki
    (settings.INTAKE_WIKI_HOSTS), since report links are built on it."""
    host = name.strip().lower().rstrip(".")
    if not host or len(host) > WIKI_NAME_MAX or any(c in host for c in "/:@?# \t") or not is_wiki_host(host):
        raise ValidationError(
            f"{name!r} is not the host name of a configured wiki (e.g. en.wikipedia.org; see SAFETYDESK_WIKI_HOSTS)."
        )
    return host


def generate_token() -> str:
    return WikiIntakeToken.PREFIX + secrets.token_urlsafe(32)


def do_create_wiki_token(*, acting_user: Any, wiki: str) -> tuple[WikiIntakeToken, str]:
    """Issue a token for `wiki`; returns the row and the token, which is never shown again.

    Earlier tokens of the wiki stay valid until revoked, so a wiki can switch without a gap.
    """
    wiki = check_wiki_name(wiki)
    raw = generate_token()
    with transaction.atomic():
        row = WikiIntakeToken.objects.create(wiki=wiki, hint=raw[:8], token_hash=hash_token(raw))
        record_audit(
            event_type=AuditEventType.API_TOKEN_CREATED,
            actor=acting_user,
            subject=row,
            data={"kind": "wiki_intake", "wiki": wiki, "hint": row.hint},
        )
    return row, raw


def do_revoke_wiki_tokens(*, acting_user: Any, wiki: str) -> int:
    """Revoke every active token of `wiki`; returns how many. Takes effect on the next request."""
    wiki = wiki.strip().lower().rstrip(".")
    with transaction.atomic():
        rows = list(WikiIntakeToken.objects.select_for_update().filter(wiki=wiki, revoked_at__isnull=True))
        now = timezone.now()
        for row in rows:
            row.revoked_at = now
            row.save(update_fields=["revoked_at"])
            record_audit(
                event_type=AuditEventType.API_TOKEN_REVOKED,
                actor=acting_user,
                subject=row,
                data={"kind": "wiki_intake", "wiki": wiki, "hint": row.hint},
            )
    return len(rows)


def authenticate_wiki_token(raw: str) -> WikiIntakeToken:
    """The active token row for `raw`; Unauthenticated (401) otherwise."""
    row = None
    if raw.startswith(WikiIntakeToken.PREFIX):
        row = WikiIntakeToken.objects.filter(token_hash=hash_token(raw)).first()
    if row is None:
        raise Unauthenticated("This wiki token is not valid.", details={"reason": "invalid_token"})
    if row.revoked_at is not None:
        raise Unauthenticated("This wiki token has been revoked.", details={"reason": "revoked_token"})
    record_wiki_token_use(row)
    return row


def record_wiki_token_use(token: WikiIntakeToken, now: dt.datetime | None = None) -> bool:
    """Stamp `last_used_at`, at most once per LAST_USED_PRECISION. True if this call wrote."""
    now = now or timezone.now()
    threshold = now - LAST_USED_PRECISION
    if token.last_used_at is not None and token.last_used_at > threshold:
        return False
    stale = Q(last_used_at__isnull=True) | Q(last_used_at__lte=threshold)
    written = WikiIntakeToken.objects.filter(stale, pk=token.pk).update(last_used_at=now) == 1
    if written:
        token.last_used_at = now
    return written


class WikiTokenAuth(HttpBearer):
    """Ninja authentication for the ReportIncident endpoint; `request.auth` is the token row."""

    openapi_bearerFormat = "sdw_…"
    openapi_description = (
        "A per-wiki intake token, sent as `Authorization: Bearer sdw_…` (issued with "
        "`safetydesk wikitoken add HOST`). It identifies the wiki the report comes from."
    )

    def __call__(self, request: HttpRequest) -> WikiIntakeToken:
        value = request.headers.get(self.header, "")
        scheme, _, token = value.partition(" ")
        if not value:
            raise Unauthenticated(
                "Send the wiki's token: Authorization: Bearer sdw_…", details={"reason": "missing_token"}
            )
        if scheme.lower() != self.openapi_scheme or not token.strip():
            raise Unauthenticated(
                "Use the Bearer scheme: Authorization: Bearer sdw_…", details={"reason": "wrong_scheme"}
            )
        return self.authenticate(request, token.strip())

    def authenticate(self, request: HttpRequest, token: str) -> WikiIntakeToken:
        return authenticate_wiki_token(token)
