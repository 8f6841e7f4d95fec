"""What one execution does on one wiki: read first, act, read the log back.

Reading first is what makes an execution safe to run again: a worker that died after the wiki
acted leaves the execution to be retried, and the retry finds the office account's block (or
the lock) already there and only records it. Each step returns the id of the wiki's log entry
that shows it done; an act the log does not show yet is a transient error (tried again)."""

from typing import Any

from safetydesk.wiki.client import WikiClient
from safetydesk.wiki.errors import TransientWikiError


def block(client: WikiClient, target: str, *, expiry: str, reason: str) -> int:
    """An office block of `target`: placed once; any other block already there (a community
    admin's, or the office account's for another reason) is replaced, since an office action
    overrides local ones. Ours is the office account's block with the office reason."""
    blocks = client.active_blocks(target)
    if any(b.get("by") == client.account and b.get("reason") == reason for b in blocks):
        entry = _newest(client.log_events("block", title=f"User:{target}"), client.account, BLOCKS, reason)
        if entry is not None:
            return int(entry["logid"])
    client.block(target, expiry=expiry, reason=reason, reblock=bool(blocks))
    entry = _newest(client.log_events("block", title=f"User:{target}"), client.account, BLOCKS, reason)
    if entry is None:
        raise TransientWikiError("unverified", "the block is not in the wiki's block log yet", wiki=client.name)
    return int(entry["logid"])


def global_lock(client: WikiClient, target: str, *, reason: str) -> int:
    """A CentralAuth lock of the global account `target`, unless it is locked already."""
    if not client.global_account(target).get("locked"):
        client.lock(target, reason=reason)
    log = client.log_events("globalauth", title=f"User:{target}@global")
    entry = _newest(log, client.account, ("setstatus",), reason)
    if entry is None:
        raise TransientWikiError("unverified", "the lock is not in the wiki's global account log yet", wiki=client.name)
    return int(entry["logid"])


def unblock(client: WikiClient, target: str, *, reason: str) -> int | None:
    """Remove the office account's block of `target`, if it is there (a community block is not
    ours to lift). The id of our unblock in the log; None when there was nothing of ours to lift
    (the account was never blocked here, or someone with permission already unblocked it)."""
    if any(b.get("by") == client.account for b in client.active_blocks(target)):
        client.unblock(target, reason=reason)
        entry = _newest(client.log_events("block", title=f"User:{target}"), client.account, ("unblock",), reason)
        if entry is None:
            raise TransientWikiError("unverified", "the unblock is not in the wiki's block log yet", wiki=client.name)
        return int(entry["logid"])
    entry = _newest(client.log_events("block", title=f"User:{target}"), client.account, ("unblock",), reason)
    return int(entry["logid"]) if entry is not None else None


def global_unlock(client: WikiClient, target: str, *, reason: str) -> int | None:
    """Unlock the global account `target`, unless it is unlocked already."""
    if client.global_account(target).get("locked"):
        client.lock(target, reason=reason, locked="unlock")
        entry = _newest(client.log_events("globalauth", title=f"User:{target}@global"), client.account,
                        ("setstatus",), reason)  # fmt: skip
        if entry is None:
            raise TransientWikiError("unverified", "the unlock is not in the global account log yet", wiki=client.name)
        return int(entry["logid"])
    return None


def talk_page_notice(client: WikiClient, target: str, *, heading: str, text: str, marker: str, summary: str) -> int:
    """Leave a notice as a new section of the user's talk page, once: `marker` (an HTML comment
    naming the execution) is looked for in the page first. Returns the id of the revision by the
    office account that carries it."""
    title = f"User talk:{target}"
    found = _revision_with(client.page_revisions(title), client.account, marker)
    if found is None:
        client.new_section(title, heading=heading, text=f"{text}\n\n{marker}", summary=summary)
        found = _revision_with(client.page_revisions(title), client.account, marker)
        if found is None:
            raise TransientWikiError("unverified", "the notice is not on the talk page yet", wiki=client.name)
    return found


def _revision_with(revisions: list[dict[str, Any]], account: str, marker: str) -> int | None:
    """The oldest revision by `account` whose text has `marker` (the edit that added it)."""
    ours = [r for r in revisions if r["user"] == account and marker in r["content"]]
    return int(ours[-1]["revid"]) if ours else None


BLOCKS = ("block", "reblock")


def _newest(log: list[dict[str, Any]], account: str, actions: tuple[str, ...], reason: str) -> dict[str, Any] | None:
    """The newest entry by `account` of one of `actions` with `reason` (logs list the newest first)."""
    return next(
        (e for e in log if e.get("user") == account and e.get("action") in actions and e.get("comment") == reason),
        None,
    )
