"""What a URL in a legal notice names: a page on one of the wikis, a search, or another site.

DOMAIN §9.2: the Foundation requires exact URLs ("a link to search engine results" could not be
processed); a URL on a site the platform does not run is "not a Wikimedia site" (§9.3)."""

import re
from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from django.utils.translation import gettext as _

from safetydesk.intake.wikis import is_wiki_host
from safetydesk.legal.errors import LegalRefusal
from safetydesk.wiki.models import Wiki

SEARCH_HOSTS = re.compile(r"(^|\.)(google|bing|duckduckgo|yahoo|yandex|baidu|ecosia|qwant)\.[a-z.]+$")
SEARCH_TITLES = re.compile(r"^Special:(Search|MediaSearch)\b", re.IGNORECASE)


class UrlRefused(LegalRefusal):
    code = "url_refused"


@dataclass(frozen=True)
class NamedPage:
    url: str
    wiki: str  # the registry's name of the wiki, "" when it is not registered here
    title: str
    hosted: bool  # on a site the platform runs

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def _title(path: str, query: dict[str, list[str]]) -> str:
    if "title" in query:
        return query["title"][0]
    if "/wiki/" in path:
        return unquote(path.split("/wiki/", 1)[1])
    return ""


def _registered(netloc: str) -> Wiki | None:
    return next((w for w in Wiki.objects.all() if urlsplit(w.api_url).netloc.lower() == netloc), None)


def name_page(url: str) -> NamedPage:
    """The page `url` names; a refusal that says why for a search, or for what is not a link."""
    url = url.strip()
    try:
        parts = urlsplit(url if "://" in url else f"https://{url}")
    except ValueError:
        raise UrlRefused(_("“%(url)s” is not a web link.") % {"url": url[:200]}) from None
    host = (parts.hostname or "").lower()
    if parts.scheme not in {"http", "https"} or not host:
        raise UrlRefused(_("“%(url)s” is not a web link.") % {"url": url[:200]})
    query = parse_qs(parts.query)
    title = _title(parts.path, query).replace("_", " ").strip()
    if SEARCH_HOSTS.search(host) or "search" in query or SEARCH_TITLES.match(title):
        raise UrlRefused(
            _(
                "“%(url)s” is a search, not a page. A notice must name the exact URL of each page "
                "or file; ask the claimant for them."
            )
            % {"url": url[:200]},
            details={"url": url},
        )
    wiki = _registered(parts.netloc.lower())
    hosted = wiki is not None or is_wiki_host(host)
    if hosted and not title:
        raise UrlRefused(_("“%(url)s” does not name a page.") % {"url": url[:200]}, details={"url": url})
    return NamedPage(url=url, wiki=wiki.name if wiki else "", title=title, hosted=hosted)
