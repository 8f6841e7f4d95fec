"""A thin client for the MediaWiki Action API (INTEROP §4), logged in with a bot password.

    client = WikiClient("https://en.wikipedia.org/w/api.php", name="enwiki")
    client.login("TSOffice@safetydesk", password)
    client.block("Vandal", expiry="infinite", reason="Office action")

Every request asks for JSON (formatversion 2) and carries `maxlag` (settings.WIKI_MAXLAG), as
Wikimedia asks of non-interactive clients; a `maxlag` answer is waited out (its Retry-After, at
least settings.WIKI_MAXLAG_WAIT_SECONDS) and retried a few times before it is raised as a
TransientWikiError. Other failures are raised at once, transient or permanent (wiki.errors):
retrying those is the caller's decision (the enforcement outbox retries with its own backoff).

A bad CSRF token (a session that expired) is fetched again once. Nothing here knows about
cases: it sends what it is given, and reasons are the caller's responsibility.
"""

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from http.cookiejar import CookieJar
from typing import Any

from django.conf import settings

from safetydesk.wiki.errors import PermanentWikiError, TransientWikiError, WikiError, WikiLoginFailed, api_error


class WikiClient:
    def __init__(
        self,
        api_url: str,
        *,
        name: str = "",
        timeout: float | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.api_url = api_url
        self.name = name or urllib.parse.urlsplit(api_url).netloc
        self.timeout = timeout if timeout is not None else settings.WIKI_TIMEOUT_SECONDS
        self.sleep = sleep
        self._opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        self._tokens: dict[str, str] = {}
        # The account logged in as (what the wiki's logs name as the performer).
        self.account = ""

    # --- session ----------------------------------------------------------------------------

    def login(self, username: str, password: str) -> str:
        """Log in with a bot password (`User@AppId`); returns the account name the wiki names."""
        token = self.query(meta="tokens", type="login")["tokens"]["logintoken"]
        result = self._call({"action": "login", "lgname": username, "lgpassword": password, "lgtoken": token}, True)
        login = result.get("login", {})
        if login.get("result") != "Success":
            reason = login.get("reason") or login.get("result") or "no reason given"
            if isinstance(reason, dict):  # formatversion 2 may give a message object
                reason = reason.get("text") or reason.get("key") or json.dumps(reason)
            raise WikiLoginFailed("login-failed", str(reason), wiki=self.name)
        self._tokens.clear()
        self.account = str(login.get("lgusername", username.partition("@")[0]))
        return self.account

    def token(self, kind: str = "csrf") -> str:
        if kind not in self._tokens:
            token = self.query(meta="tokens", type=kind).get("tokens", {}).get(f"{kind}token")
            if not token:
                raise PermanentWikiError("no-token", f"the wiki gives no {kind} token", wiki=self.name)
            self._tokens[kind] = str(token)
        return self._tokens[kind]

    # --- reading ----------------------------------------------------------------------------

    def query(self, **params: Any) -> dict[str, Any]:
        """`action=query` with these parameters; returns the `query` object."""
        return dict(self._call({"action": "query", **params}, False).get("query", {}))

    def site(self) -> dict[str, Any]:
        """The wiki's generator and name, and the extensions it runs (by name)."""
        info = self.query(meta="siteinfo", siprop="general|extensions")
        general = info.get("general", {})
        return {
            "sitename": general.get("sitename", ""),
            "generator": general.get("generator", ""),
            "extensions": sorted(e.get("name", "") for e in info.get("extensions", [])),
        }

    def me(self) -> dict[str, Any]:
        """The logged-in account: name, groups and rights (what the bot password's grants allow)."""
        user = self.query(meta="userinfo", uiprop="groups|rights")["userinfo"]
        return {"name": user.get("name", ""), "groups": user.get("groups", []), "rights": user.get("rights", [])}

    def log_events(self, log_type: str, *, title: str = "", limit: int = 50) -> list[dict[str, Any]]:
        """The newest entries of one log (block, delete, suppress, protect …), optionally for one
        title (a block's title is User:Name)."""
        params: dict[str, Any] = {"list": "logevents", "letype": log_type, "lelimit": limit}
        if title:
            params["letitle"] = title
        return list(self.query(**params).get("logevents", []))

    def user_info(self, user: str) -> dict[str, Any]:
        """An account on this wiki: whether it exists, its edit count, registration and block."""
        users = self.query(list="users", ususers=user, usprop="editcount|registration|blockinfo").get("users", [])
        found: dict[str, Any] = users[0] if users else {"missing": True}
        return {
            "exists": not found.get("missing", False) and not found.get("invalid", False),
            "editcount": found.get("editcount"),
            "registration": found.get("registration") or "",
            "blocked": "blockid" in found,
            "blocked_by": found.get("blockedby", ""),
        }

    def active_blocks(self, user: str) -> list[dict[str, Any]]:
        return list(
            self.query(list="blocks", bkusers=user, bkprop="id|user|by|timestamp|expiry|reason").get("blocks", [])
        )

    # --- acting -----------------------------------------------------------------------------

    def post(self, action: str, *, kind: str = "csrf", **params: Any) -> dict[str, Any]:
        """A write: POST with a token of `kind` (csrf unless the module has a kind of its own);
        a stale token is fetched again once."""
        for attempt in (1, 2):
            try:
                return self._call({"action": action, **params, "token": self.token(kind)}, True)
            except PermanentWikiError as error:
                if error.code != "badtoken" or attempt == 2:
                    raise
                self._tokens.pop(kind, None)
        raise AssertionError("unreachable")

    def block(self, user: str, *, expiry: str, reason: str, reblock: bool = False) -> dict[str, Any]:
        """A sitewide block of an account, with account creation and autoblock on."""
        params: dict[str, Any] = {"user": user, "expiry": expiry, "reason": reason, "nocreate": 1, "autoblock": 1}
        if reblock:
            params["reblock"] = 1
        return dict(self.post("block", **params)["block"])

    def unblock(self, user: str, *, reason: str) -> dict[str, Any]:
        return dict(self.post("unblock", user=user, reason=reason)["unblock"])

    def edit(self, title: str, *, text: str, summary: str) -> dict[str, Any]:
        """Replace a page's text (creating it if need be); the answer names the new revision."""
        return dict(self.post("edit", title=title, text=text, summary=summary)["edit"])

    def new_section(self, title: str, *, heading: str, text: str, summary: str) -> dict[str, Any]:
        """Add a section at the end of a page (creating the page if need be), as a notice on a
        user talk page is left."""
        return dict(self.post("edit", title=title, section="new", sectiontitle=heading, text=text,
                              summary=summary)["edit"])  # fmt: skip

    def page_info(self, title: str) -> dict[str, Any]:
        """Whether a page exists, and its protections ([{"type": "edit", "level": "sysop", …}])."""
        pages = self.query(titles=title, prop="info", inprop="protection").get("pages", [])
        page: dict[str, Any] = pages[0] if pages else {"missing": True}
        return {"exists": not page.get("missing", False), "protection": list(page.get("protection", []))}

    def revision_flags(self, revids: list[int]) -> dict[int, dict[str, bool]]:
        """For each revision: whether its text is hidden, and whether what is hidden is
        suppressed (the API says so alongside the properties asked for)."""
        query = self.query(revids="|".join(map(str, revids)), prop="revisions", rvprop="ids|sha1|comment")
        flags: dict[int, dict[str, bool]] = {}
        for page in query.get("pages", []):
            for revision in page.get("revisions", []):
                flags[int(revision["revid"])] = {
                    "texthidden": bool(revision.get("sha1hidden")), "suppressed": bool(revision.get("suppressed")),
                }  # fmt: skip
        return flags

    def delete(self, title: str, *, reason: str) -> dict[str, Any]:
        return dict(self.post("delete", title=title, reason=reason)["delete"])

    def undelete(self, title: str, *, reason: str) -> dict[str, Any]:
        """Restore a deleted page with all its deleted revisions (and, for a file, the file)."""
        return dict(self.post("undelete", title=title, reason=reason)["undelete"])

    def suppress_revisions(self, title: str, revids: list[int], *, hide: str, reason: str) -> dict[str, Any]:
        """Revision deletion of `hide` (content|comment|user) with suppression: hidden from
        administrators too."""
        answer = dict(self.post("revisiondelete", type="revision", target=title, ids="|".join(map(str, revids)),
                                hide=hide, suppress="yes", reason=reason)["revisiondelete"])  # fmt: skip
        # Each revision answers on its own: a refusal (the current revision's text cannot be
        # hidden) comes back inside a "Success".
        for item in answer.get("items", []):
            for error in item.get("errors", []):
                raise PermanentWikiError(error.get("code", "revdelete"), f"revision {item.get('id')}: "
                                         f"{error.get('code', '')}", wiki=self.name)  # fmt: skip
        return answer

    def protect(self, title: str, *, protections: str, expiry: str, reason: str) -> dict[str, Any]:
        return dict(self.post("protect", title=title, protections=protections, expiry=expiry, reason=reason)["protect"])

    def page_revisions(self, title: str, *, limit: int = 20) -> list[dict[str, Any]]:
        """The newest revisions of a page, newest first: revid, user, comment and wikitext; [] if
        the page does not exist."""
        query = self.query(titles=title, prop="revisions", rvprop="ids|user|comment|content", rvslots="main",
                           rvlimit=limit)  # fmt: skip
        pages = query.get("pages", [])
        if not pages or "revisions" not in pages[0]:
            return []
        return [
            {"revid": r["revid"], "user": r.get("user", ""), "comment": r.get("comment", ""),
             "content": r.get("slots", {}).get("main", {}).get("content", "")}
            for r in pages[0]["revisions"]
        ]  # fmt: skip

    def revision(self, revid: int) -> dict[str, Any] | None:
        """One revision with its page, author, time, comment, SHA-1 and wikitext; None if the
        wiki has no such revision (or it is deleted and the account may not read it)."""
        query = self.query(
            revids=revid, prop="revisions", rvprop="ids|timestamp|user|comment|sha1|content", rvslots="main"
        )
        pages = query.get("pages", [])
        if not pages or "revisions" not in pages[0]:
            return None
        page, revision = pages[0], pages[0]["revisions"][0]
        slot = revision.get("slots", {}).get("main", {})
        return {
            "revid": revision["revid"], "title": page.get("title", ""), "timestamp": revision.get("timestamp", ""),
            "user": revision.get("user", ""), "comment": revision.get("comment", ""), "sha1": revision.get("sha1", ""),
            "content": slot.get("content", ""),
        }  # fmt: skip

    # CentralAuth (INTEROP §4.1): only on a wiki that runs it; elsewhere the API says `badvalue`.

    def global_account(self, user: str) -> dict[str, Any]:
        """`meta=globaluserinfo`: whether the global account exists and is locked."""
        return dict(self.query(meta="globaluserinfo", guiuser=user).get("globaluserinfo", {}))

    def lock(self, user: str, *, reason: str, locked: str = "lock") -> dict[str, Any]:
        """Lock (or with locked="unlock", unlock) a global account (its own token type,
        `setglobalaccountstatus`)."""
        module = "setglobalaccountstatus"
        return dict(self.post(module, kind=module, user=user, locked=locked, reason=reason))

    # --- the wire ---------------------------------------------------------------------------

    def _call(self, params: dict[str, Any], write: bool) -> dict[str, Any]:
        params = {**params, "format": "json", "formatversion": 2, "maxlag": settings.WIKI_MAXLAG}
        for attempt in range(settings.WIKI_MAXLAG_RETRIES + 1):
            body, retry_after = self._send(params, write)
            error = body.get("error")
            if not error:
                return body
            failure = api_error(
                str(error.get("code", "")), str(error.get("info", "")), wiki=self.name, retry_after=retry_after
            )
            if failure.code != "maxlag" or attempt == settings.WIKI_MAXLAG_RETRIES:
                raise failure
            self.sleep(max(retry_after or 0.0, settings.WIKI_MAXLAG_WAIT_SECONDS))
        raise AssertionError("unreachable")

    def _send(self, params: dict[str, Any], write: bool) -> tuple[dict[str, Any], float | None]:
        encoded = urllib.parse.urlencode({k: v for k, v in params.items() if v is not None})
        if write:
            # api_url is http(s) only: wiki.actions.check_api_url admits nothing else.
            request = urllib.request.Request(self.api_url, data=encoded.encode(), method="POST")  # noqa: S310
        else:
            request = urllib.request.Request(f"{self.api_url}?{encoded}")  # noqa: S310
        request.add_header("User-Agent", settings.WIKI_USER_AGENT)
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                raw = response.read()
                retry_after = _seconds(response.headers.get("Retry-After"))
        except urllib.error.HTTPError as exc:
            kind = TransientWikiError if exc.code >= 500 or exc.code == 429 else PermanentWikiError
            raise kind(f"http-{exc.code}", f"the wiki answered HTTP {exc.code} {exc.reason}", wiki=self.name) from exc
        except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
            reason = getattr(exc, "reason", exc)
            raise TransientWikiError("unreachable", f"the wiki did not answer: {reason}", wiki=self.name) from exc
        try:
            body = json.loads(raw)
        except ValueError as exc:
            raise TransientWikiError("bad-response", "the wiki's answer was not JSON", wiki=self.name) from exc
        if not isinstance(body, dict):
            raise TransientWikiError("bad-response", "the wiki's answer was not a JSON object", wiki=self.name)
        return body, retry_after


def _seconds(value: str | None) -> float | None:
    try:
        return float(value) if value else None
    except ValueError:
        return None


__all__ = ["WikiClient", "WikiError"]
