"""The public list of Foundation global bans (DOMAIN §4.5, §7.4): the account and the date of
the ban, nothing else. Never a reason, a case, a reviewer, a reporter; event bans are never
public. A ban is listed once it is carried out on the wikis."""

import datetime as dt
from dataclasses import dataclass

from safetydesk.enforcement.models import ActionStatus, ActionType, OfficeAction


@dataclass(frozen=True)
class PublicBan:
    account: str
    banned_on: dt.date  # UTC


def public_bans() -> list[PublicBan]:
    """Newest first; one row per account (an account banned twice is listed once, by its
    latest ban)."""
    actions = (
        OfficeAction.objects.filter(action_type=ActionType.FOUNDATION_GLOBAL_BAN, status=ActionStatus.ENFORCED)
        .order_by("-enforced_at", "-id")
        .only("target", "enforced_at")
    )
    seen: set[str] = set()
    bans = []
    for action in actions:
        if action.target in seen or action.enforced_at is None:
            continue
        seen.add(action.target)
        bans.append(PublicBan(action.target, action.enforced_at.astimezone(dt.UTC).date()))
    return bans


# --- the same list on a wiki page (optional: settings.BAN_LIST_WIKI and BAN_LIST_PAGE) ---------

NOTE = "Foundation global ban per WMF Global Ban Policy; see the WMFOffice log"


def ban_list_wikitext(bans: list[PublicBan]) -> str:
    """The list as a wiki table (DOMAIN §7.4 columns): account, date of ban (UTC), banned by, and
    a fixed note; never a reason."""
    rows = [
        '{| class="wikitable sortable"',
        "! Account !! Date of ban (UTC) !! Banned by !! Notes",
    ]
    for ban in bans:
        account = ban.account.replace("|", "&#124;").replace("[", "&#91;").replace("]", "&#93;")
        rows += ["|-", f"| [[User:{account}|{account}]] || {ban.banned_on.isoformat()} || WMF || {NOTE}"]
    rows.append("|}")
    return "\n".join(rows)
