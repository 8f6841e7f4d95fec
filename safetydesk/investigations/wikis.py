"""The accounts of a case's subjects on each wiki of the farm, read live (public data of the
wikis: existence, edit count, registration, block). Network calls: never inside a transaction."""

from dataclasses import dataclass
from typing import Any

from safetydesk.wiki.actions import logged_in_client
from safetydesk.wiki.errors import WikiError
from safetydesk.wiki.models import Wiki


@dataclass(frozen=True)
class AccountOnWiki:
    wiki: str
    account: str
    info: dict[str, Any]
    error: str = ""


def accounts_on_wikis(accounts: list[str]) -> list[AccountOnWiki]:
    rows = []
    for wiki in Wiki.objects.order_by("name"):
        try:
            client = logged_in_client(wiki)
        except WikiError as error:
            rows += [AccountOnWiki(wiki.name, account, {}, f"{error.code}: {error.info}") for account in accounts]
            continue
        for account in accounts:
            try:
                rows.append(AccountOnWiki(wiki.name, account, client.user_info(account)))
            except WikiError as error:
                rows.append(AccountOnWiki(wiki.name, account, {}, f"{error.code}: {error.info}"))
    return rows
