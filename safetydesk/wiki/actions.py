"""Adding wikis to the farm and checking that Safetydesk can act on them.

Every change is an audit row; the bot password never appears in one, nor in any output."""

import re
import urllib.parse
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safetydesk.accounts.permissions import can_manage_wikis
from safetydesk.audit.log import record_audit
from safetydesk.audit.models import AuditEventType
from safetydesk.lib.errors import Refusal
from safetydesk.wiki.client import WikiClient
from safetydesk.wiki.errors import WikiError
from safetydesk.wiki.models import Wiki

# The rights office actions need on a wiki (the bot password's grants must carry them):
# blocks, deletion, revision deletion with suppression, protection, edits (INTEROP §4.1).
REQUIRED_RIGHTS = ("block", "delete", "deleterevision", "suppressrevision", "protect", "edit")
NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


class WikiRefusal(Refusal):
    code = "wiki_refused"
    http_status = 422


class WikiNotPermitted(WikiRefusal):
    code = "wiki_not_permitted"
    http_status = 403


def _require_manager(actor: Any) -> None:
    if not can_manage_wikis(actor):
        raise WikiNotPermitted(_("Only administrators may add wikis or change their bot passwords."))


def check_api_url(url: str) -> str:
    url = url.strip()
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.netloc or not parts.path.endswith("api.php"):
        raise WikiRefusal(
            _("“%(url)s” is not the address of a wiki's api.php (e.g. https://en.wikipedia.org/w/api.php).")
            % {"url": url},
            details={"field": "api_url"},
        )
    return url


def do_add_wiki(
    *, acting_user: Any, name: str, api_url: str, bot_user: str, bot_password: str, replace: bool = False
) -> Wiki:
    """Register a wiki, or with `replace` change an existing one's address and bot password."""
    _require_manager(acting_user)
    name = name.strip().lower()
    if not NAME.match(name):
        raise WikiRefusal(
            _("A wiki's name is up to 64 lower-case letters, digits, “-” and “_” (e.g. enwiki)."),
            details={"field": "name"},
        )
    api_url = check_api_url(api_url)
    bot_user, bot_password = bot_user.strip(), bot_password.strip()
    if "@" not in bot_user:
        raise WikiRefusal(
            _("The bot user is the bot password's login name, Account@AppId (see Special:BotPasswords)."),
            details={"field": "bot_user"},
        )
    if not bot_password:
        raise WikiRefusal(_("The bot password is empty."), details={"field": "bot_password"})
    with transaction.atomic():
        wiki = Wiki.objects.select_for_update().filter(name=name).first()
        if wiki is not None and not replace:
            raise WikiRefusal(
                _("A wiki named %(name)s is already registered; replace it on purpose to change it.") % {"name": name},
                details={"field": "name"},
            )
        event = AuditEventType.WIKI_CHANGED if wiki is not None else AuditEventType.WIKI_ADDED
        if wiki is None:
            wiki = Wiki(name=name, added_by=acting_user if not isinstance(acting_user, str) else None)
        wiki.api_url, wiki.bot_user, wiki.bot_password = api_url, bot_user, bot_password
        wiki.last_check, wiki.last_checked_at = {}, None
        wiki.save()
        record_audit(
            event_type=event,
            actor=acting_user,
            subject=wiki,
            data={"name": name, "api_url": api_url, "bot_user": bot_user},
        )
    return wiki


def logged_in_client(wiki: Wiki, **kwargs: Any) -> WikiClient:
    client = WikiClient(wiki.api_url, name=wiki.name, **kwargs)
    client.login(wiki.bot_user, wiki.bot_password)
    return client


@dataclass(frozen=True)
class WikiCheck:
    ok: bool
    error: str = ""
    account: str = ""
    generator: str = ""
    groups: list[str] = field(default_factory=list)
    rights: list[str] = field(default_factory=list)
    missing_rights: list[str] = field(default_factory=list)
    has_centralauth: bool = False
    has_globalblocking: bool = False


def check_wiki(wiki: Wiki, *, acting_user: Any) -> WikiCheck:
    """Log in with the wiki's bot password and see what it may do; the result is kept on the
    wiki (and audited). Ok when the login works and every REQUIRED_RIGHTS right is granted."""
    try:
        client = logged_in_client(wiki)
        site, me = client.site(), client.me()
    except WikiError as error:
        result = WikiCheck(ok=False, error=f"{error.code}: {error.info}")
    else:
        rights = sorted(me["rights"])
        missing = [right for right in REQUIRED_RIGHTS if right not in rights]
        result = WikiCheck(
            ok=not missing,
            error=_("The bot password lacks rights: %(rights)s.") % {"rights": ", ".join(missing)} if missing else "",
            account=me["name"],
            generator=site["generator"],
            groups=sorted(me["groups"]),
            rights=rights,
            missing_rights=missing,
            has_centralauth="CentralAuth" in site["extensions"],
            has_globalblocking="GlobalBlocking" in site["extensions"],
        )
    with transaction.atomic():
        locked = Wiki.objects.select_for_update().get(pk=wiki.pk)
        locked.last_checked_at = timezone.now()
        locked.last_check = {
            k: v for k, v in result.__dict__.items() if k not in {"has_centralauth", "has_globalblocking"}
        }
        if result.account:  # what the wiki said about itself, when it answered
            locked.has_centralauth, locked.has_globalblocking = result.has_centralauth, result.has_globalblocking
        locked.save()
        record_audit(
            event_type=AuditEventType.WIKI_CHECKED,
            actor=acting_user,
            subject=locked,
            data={"ok": result.ok, "error": result.error[:200], "missing_rights": result.missing_rights},
        )
    wiki.refresh_from_db()
    return result
