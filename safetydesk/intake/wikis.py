"""The wikis the team looks after, and the links reporters give to pages and diffs on them.

A report's "where" is a link to a page, a revision or a diff on one of the configured wikis
(settings.INTAKE_WIKI_HOSTS: each host and its subdomains). `check_permalink` accepts what a
person pastes from the address bar (with or without https://, with non-ASCII titles) and
returns one normalised form, so the same page reported twice gives the same link.
"""

import re
import unicodedata
from urllib.parse import quote, urlsplit, urlunsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_PERMALINK_CHARS = 1000  # cases.Evidence.permalink holds this many
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
_HOST_AND_PORT = re.compile(r"^[^/:?#@]+:\d+(?:[/?#]|$)")
# Characters a URL may carry as they are; everything else in the path, query and fragment is
# percent-encoded (spaces, non-ASCII titles). "%" is kept so existing escapes stay as they are.
_SAFE = "/:@!$&'()*+,;=-._~%?"


def wiki_hosts() -> list[str]:
    return [host.strip().lower().rstrip(".") for host in settings.INTAKE_WIKI_HOSTS if host.strip()]


def is_wiki_host(host: str) -> bool:
    """True for a configured host or any subdomain of one (en.wikipedia.org, en.m.wikipedia.org)."""
    host = host.lower().rstrip(".")
    return any(host == known or host.endswith(f".{known}") for known in wiki_hosts())


def check_permalink(value: str) -> str:
    """The normalised http(s) link to a page or diff on a configured wiki; ValidationError
    with a message the reporter can act on otherwise."""
    text = value.strip()
    if not text:
        raise ValidationError(_("Enter a link to the page or the diff."), code="required")
    if len(text) > MAX_PERMALINK_CHARS:
        raise _too_long()
    if any(unicodedata.category(char) in {"Cc", "Zl", "Zp"} for char in text):
        raise ValidationError(_("Enter one link, on one line."), code="lines")
    if text.startswith("//"):
        text = f"https:{text}"
    scheme = _SCHEME.match(text)
    if scheme is None or _HOST_AND_PORT.match(text):
        text = f"https://{text}"  # pasted without the scheme: en.wikipedia.org/wiki/…
    elif scheme.group(1).lower() not in {"http", "https"}:
        raise ValidationError(
            _("Only web links (starting with https:// or http://) can be accepted here."), code="scheme"
        )
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        raise _not_a_link() from None
    host = (parts.hostname or "").rstrip(".")
    if (
        not text[len(parts.scheme) :].startswith("://")
        or not host
        or parts.username is not None
        or parts.password is not None
        or any(char.isspace() or char == "\\" for char in parts.netloc)
    ):
        raise _not_a_link()
    if not is_wiki_host(host):
        raise ValidationError(
            _(
                "%(host)s is not one of the wikis this form is for. Give a link to the page or the diff on "
                "the wiki (for example https://en.wikipedia.org/wiki/…). If it happened somewhere else, "
                "describe it under “What happened?”."
            )
            % {"host": host[:100]},
            code="unknown_wiki",
        )

    scheme_name = parts.scheme.lower()
    netloc = host if port in (None, {"http": 80, "https": 443}[scheme_name]) else f"{host}:{port}"
    normalised = urlunsplit(
        (
            scheme_name,
            netloc,
            quote(parts.path or "/", safe=_SAFE),
            quote(parts.query, safe=_SAFE),
            quote(parts.fragment, safe=_SAFE),
        )
    )
    if len(normalised) > MAX_PERMALINK_CHARS:
        raise _too_long()
    return normalised


def _not_a_link() -> ValidationError:
    return ValidationError(_("This does not look like a web link. Copy it from the address bar."), code="invalid")


def _too_long() -> ValidationError:
    return ValidationError(
        _("This link is too long (the limit is %(limit)s characters). Copy it again from the address bar.")
        % {"limit": MAX_PERMALINK_CHARS},
        code="too_long",
    )
