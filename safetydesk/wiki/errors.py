"""What can go wrong when Safetydesk calls a wiki, split by what the caller should do next.

A transient error (the wiki is down, slow, lagged, read-only, rate-limiting) is worth trying
again later; a permanent one (bad credentials, a missing right, the user is already blocked,
a bad parameter) will fail the same way until a person changes something."""

from typing import Any

# Error codes of the Action API that clear by themselves (INTEROP §4.1, Manual:Maxlag).
TRANSIENT_CODES = frozenset({"maxlag", "readonly", "ratelimited"})


class WikiError(Exception):
    transient = False

    def __init__(self, code: str, info: str, *, wiki: str = "") -> None:
        super().__init__(f"{wiki + ': ' if wiki else ''}{code}: {info}")
        self.code = code
        self.info = info
        self.wiki = wiki


class TransientWikiError(WikiError):
    transient = True

    def __init__(self, code: str, info: str, *, retry_after: float | None = None, **kwargs: Any) -> None:
        super().__init__(code, info, **kwargs)
        self.retry_after = retry_after


class PermanentWikiError(WikiError):
    pass


class WikiLoginFailed(PermanentWikiError):
    """The wiki refused the bot password (wrong, revoked, or not of the form it accepts)."""


def api_error(code: str, info: str, *, wiki: str, retry_after: float | None = None) -> WikiError:
    """The exception for an `error` object of the Action API."""
    if code in TRANSIENT_CODES or code.startswith("internal_api_error"):
        return TransientWikiError(code, info, wiki=wiki, retry_after=retry_after)
    return PermanentWikiError(code, info, wiki=wiki)
