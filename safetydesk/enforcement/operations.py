"""What one execution does on one wiki: read first, act, read the log back.

Reading first is what makes an execution safe to run again: a worker that died after the wiki
acted leaves the execution to be retried, and the retry finds the office account's block (or
the lock) already there and only records it. Each step returns the id of the wiki's log entry
that shows it done; an act the log does not show yet is a transient error (tried again)."""

from typing import Any

from safetydesk.wiki.client import WikiClient
from safetydesk.wiki.errors import PermanentWikiError, TransientWikiError


def block(client: WikiClient, target: str, *, expiry: str, reason: str) -> int:
    """An office block of `target`: placed once; any other block already there (a community
    admin's, or the office account's for another reason) is replaced, since an office action
    overrides local ones. Ours is the office account's block with the office reason."""
    blocks = client.active_blocks(target)
    title = f"User:{target}"
    if any(b.get("by") == client.account and b.get("reason") == reason for b in blocks):
        done = _found(client, "block", title, BLOCKS, reason)
        if done is not None:
            return done
    client.block(target, expiry=expiry, reason=reason, reblock=bool(blocks))
    return _logged(client, "block", title, BLOCKS, reason)


def global_lock(client: WikiClient, target: str, *, reason: str) -> int:
    """A CentralAuth lock of the global account `target`, unless it is locked already."""
    if not client.global_account(target).get("locked"):
        client.lock(target, reason=reason)
    return _logged(client, "globalauth", f"User:{target}@global", ("setstatus",), reason)


def unblock(client: WikiClient, target: str, *, reason: str) -> int | None:
    """Remove the office account's block of `target`, if it is there (a community block is not
    ours to lift). The id of our unblock in the log; None when there was nothing of ours to lift
    (the account was never blocked here, or someone with permission already unblocked it)."""
    title = f"User:{target}"
    if any(b.get("by") == client.account for b in client.active_blocks(target)):
        client.unblock(target, reason=reason)
        return _logged(client, "block", title, ("unblock",), reason)
    return _found(client, "block", title, ("unblock",), reason)


def global_unlock(client: WikiClient, target: str, *, reason: str) -> int | None:
    """Unlock the global account `target`, unless it is unlocked already."""
    if client.global_account(target).get("locked"):
        client.lock(target, reason=reason, locked="unlock")
        return _logged(client, "globalauth", f"User:{target}@global", ("setstatus",), reason)
    return None


def delete_page(client: WikiClient, title: str, *, reason: str) -> int | None:
    """Delete a page, unless it is gone already. The id of our deletion in the log; None when the
    page was never there or someone else removed it (nothing of ours to show)."""
    if client.page_info(title)["exists"]:
        client.delete(title, reason=reason)
        return _logged(client, "delete", title, ("delete",), reason)
    return _found(client, "delete", title, ("delete",), reason)


def undelete_page(client: WikiClient, title: str, *, reason: str) -> int | None:
    """Restore a deleted page (and a file's file), unless it is back already. The id of our
    restoration in the log; None when the page is back by someone else's hand."""
    if not client.page_info(title)["exists"]:
        client.undelete(title, reason=reason)
        return _logged(client, "delete", title, ("restore",), reason)
    return _found(client, "delete", title, ("restore",), reason)


def suppress_revisions(client: WikiClient, title: str, revids: list[int], *, hide: str, reason: str) -> int:
    """Hide revisions' `hide` parts with suppression, those not suppressed already."""
    flags = client.revision_flags(revids)
    missing = [r for r in revids if r not in flags]
    if missing:
        raise PermanentWikiError("nosuchrevid", f"no revision {missing} on this wiki", wiki=client.name)
    todo = [r for r in revids if not flags[r]["suppressed"]]
    if todo:
        client.suppress_revisions(title, todo, hide=hide, reason=reason)
    return _logged(client, "suppress", title, ("revision",), reason)


def protect_page(client: WikiClient, title: str, *, protections: str, expiry: str, reason: str) -> int:
    """Office protection of a page (e.g. edit=sysop|move=sysop), unless it has it already."""
    wanted = dict(p.split("=", 1) for p in protections.split("|"))
    current = {p["type"]: p["level"] for p in client.page_info(title)["protection"]}
    if any(current.get(kind) != level for kind, level in wanted.items()):
        client.protect(title, protections=protections, expiry=expiry, reason=reason)
    return _logged(client, "protect", title, ("protect", "modify"), reason)


def edit_page(client: WikiClient, title: str, *, text: str, reason: str) -> int:
    """An office edit: the page's text becomes `text`, unless our last edit already made it so.
    The id of the revision that carries it."""
    revisions = client.page_revisions(title, limit=1)
    if revisions and revisions[0]["user"] == client.account and revisions[0]["content"].strip() == text.strip():
        return int(revisions[0]["revid"])
    result = client.edit(title, text=text, summary=reason)
    if "newrevid" not in result:  # "nochange": someone else's edit already says it
        return int(client.page_revisions(title, limit=1)[0]["revid"])
    return int(result["newrevid"])


def _found(client: WikiClient, log_type: str, title: str, actions: tuple[str, ...], reason: str) -> int | None:
    """The id of the newest entry of `log_type` for `title` that shows our act, if any."""
    entry = _newest(client.log_events(log_type, title=title), client.account, actions, reason)
    return int(entry["logid"]) if entry is not None else None


def _logged(client: WikiClient, log_type: str, title: str, actions: tuple[str, ...], reason: str) -> int:
    """As _found, after acting: a log that does not show it yet is a transient error."""
    found = _found(client, log_type, title, actions, reason)
    if found is None:
        raise TransientWikiError("unverified", f"not in the wiki's {log_type} log yet", wiki=client.name)
    return found


def talk_page_notice(client: WikiClient, target: str, *, heading: str, text: str, marker: str, summary: str) -> int:
    """Leave a notice as a new section of the user's talk page, once (new_section_once)."""
    return new_section_once(client, f"User talk:{target}", heading=heading, text=text, marker=marker,
                            summary=summary)  # fmt: skip


def new_section_once(client: WikiClient, title: str, *, heading: str, text: str, marker: str, summary: str) -> int:
    """Add a section to a page, once: `marker` (an HTML comment naming the execution) is looked
    for in the page first. Returns the id of the revision by the office account that carries it."""
    found = _revision_with(client.page_revisions(title), client.account, marker)
    if found is None:
        client.new_section(title, heading=heading, text=f"{text}\n\n{marker}", summary=summary)
        found = _revision_with(client.page_revisions(title), client.account, marker)
        if found is None:
            raise TransientWikiError("unverified", "the section is not on the page yet", wiki=client.name)
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
