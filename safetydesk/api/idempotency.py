"""`Idempotency-Key` for create calls: a retried request gets the first result back.

A client that lost the answer to POST /cases (timeout, dropped connection) sends the same
request with the same key again; it must not open a second case (ARCHITECTURE §6.4).
"""

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction

from safetydesk.accounts.models import User
from safetydesk.api.errors import IdempotencyKeyReused
from safetydesk.api.models import ApiIdempotencyKey

MAX_KEY_LENGTH = 255


@dataclass(frozen=True)
class Outcome:
    reference: str
    replayed: bool


def request_fingerprint(payload: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str).encode()).hexdigest()


def run_once(*, user: User, key: str, fingerprint: str, run: Callable[[], str]) -> Outcome:
    """Call `run` (which creates something and returns its reference) unless this user already
    sent this key; then return what the first call produced.

    `run` and the key row commit together, so a failed `run` leaves the key free for a retry.
    Two concurrent requests with one key race on the unique constraint; the loser's work is
    rolled back and it answers with the winner's result.
    """
    earlier = _earlier(user, key, fingerprint)
    if earlier is not None:
        return earlier
    try:
        with transaction.atomic():
            reference = run()
            ApiIdempotencyKey.objects.create(
                user=user, key=key, request_hash=fingerprint, response_reference=reference
            )
    except IntegrityError:
        earlier = _earlier(user, key, fingerprint)
        if earlier is None:
            raise
        return earlier
    return Outcome(reference=reference, replayed=False)


def _earlier(user: User, key: str, fingerprint: str) -> Outcome | None:
    row = ApiIdempotencyKey.objects.filter(user=user, key=key).first()
    if row is None:
        return None
    if row.request_hash != fingerprint:
        raise IdempotencyKeyReused(
            "This Idempotency-Key was already used for a different request; use a new key."
        )
    return Outcome(reference=row.response_reference, replayed=True)
