"""What the tests on the real wiki farm (the `farm` fixture in safetydesk/conftest.py) share."""

import secrets
from collections.abc import Iterable

from safetydesk.wiki.actions import do_add_wiki
from safetydesk.wiki.client import WikiClient
from safetydesk.wiki.devwiki import DevWiki


def register(wikis: Iterable[DevWiki]) -> None:
    """Put the wikis in Safetydesk's farm registry, with their office bot passwords, as an
    operator would at the shell (`safetydesk wiki add`)."""
    for wiki in wikis:
        do_add_wiki(
            acting_user="cli:wiki", name=wiki.name, api_url=wiki.api_url, bot_user=wiki.bot_user,
            bot_password=wiki.bot_password,
        )  # fmt: skip


def create_user_everywhere(wikis: Iterable[DevWiki], name: str) -> str:
    for wiki in wikis:
        wiki.create_user(name)
    return name


def local_admin(wiki: DevWiki) -> WikiClient:
    """A logged-in client of a new local administrator of `wiki` (a community admin, not the
    office account), allowed to block."""
    name = f"Localadmin{secrets.token_hex(2)}"
    wiki.create_user(name, groups=("sysop",))
    login, password = wiki.create_bot_password("local", "basic,blockusers", account=name)
    client = WikiClient(wiki.api_url)
    client.login(login, password)
    return client
