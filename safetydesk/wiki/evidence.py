"""Evidence captured from a wiki by its permalink (issue 5, "investigation workspace"): the
revision is read through the Action API and stored on the case with its text, author, time and
comment, fixed by SHA-256 (cases.Evidence), so that a later deletion or suppression on the wiki
loses nothing. A diff is captured as its newer revision; the link says which diff it was."""

import re
import urllib.parse
from typing import Any

from django.utils.translation import gettext as _

from safetydesk.accounts.permissions import can_work_case
from safetydesk.cases.actions import check_permalink, do_capture_evidence
from safetydesk.cases.errors import InvalidData, RoleNotPermitted
from safetydesk.cases.models import Case, Evidence, EvidenceKind
from safetydesk.wiki.actions import logged_in_client
from safetydesk.wiki.errors import WikiError
from safetydesk.wiki.models import Wiki

SPECIAL_LINK = re.compile(r"Special:(?:PermanentLink|PermaLink|Diff)/(\d+)(?:/(\d+))?$", re.IGNORECASE)


def revision_of(permalink: str) -> tuple[int, bool] | None:
    """(revision id, is a diff) named by a permalink: ?oldid=N, ?diff=N (or diff=next|prev with
    oldid=N), Special:PermanentLink/N, Special:Diff/N or /A/B; None if it names no revision."""
    parts = urllib.parse.urlsplit(permalink)
    query = dict(urllib.parse.parse_qsl(parts.query))
    diff, oldid = query.get("diff", ""), query.get("oldid", "")
    if diff.isdigit():
        return int(diff), True
    if oldid.isdigit():
        return int(oldid), bool(diff)
    title = query.get("title") or urllib.parse.unquote(parts.path.rsplit("/wiki/", 1)[-1])
    match = SPECIAL_LINK.search(title)
    if match:
        return int(match.group(2) or match.group(1)), "diff" in title.lower()
    return None


def wiki_for(permalink: str) -> Wiki | None:
    """The registered wiki serving the permalink's host (by its API address)."""
    host = urllib.parse.urlsplit(permalink).netloc.lower()
    wikis = Wiki.objects.only("pk", "name", "api_url")  # not the bot passwords of every wiki
    return next((w for w in wikis if urllib.parse.urlsplit(w.api_url).netloc.lower() == host), None)


def do_capture_from_wiki(*, case: Case, acting_user: Any, permalink: str, description: str = "") -> Evidence:
    """Read the revision a permalink names from its wiki and keep it as evidence on the case.
    Who may not change the case, or a link to no configured wiki, is refused before the wiki is
    asked anything (do_capture_evidence checks both again when it stores)."""
    if not can_work_case(acting_user, case):
        raise RoleNotPermitted(_("You may read this case but not change it."))
    check_permalink(permalink)
    named = revision_of(permalink)
    if named is None:
        raise InvalidData(
            _("This link names no revision: use a permanent link or a diff (…?oldid=123 or …?diff=123)."),
            details={"field": "permalink"},
        )
    wiki = wiki_for(permalink)
    if wiki is None:
        raise InvalidData(
            _("No registered wiki serves this link; add the wiki first (safetydesk wiki add)."),
            details={"field": "permalink"},
        )
    revid, is_diff = named
    try:
        revision = logged_in_client(wiki).revision(revid)
    except WikiError as error:
        raise InvalidData(
            _("%(wiki)s could not be read (%(error)s); nothing was captured. Try again later.")
            % {"wiki": wiki.name, "error": error.code},
            details={"field": "permalink", "transient": error.transient},
        ) from error
    if revision is None:
        raise InvalidData(
            _("%(wiki)s has no revision %(revid)s that the office account may read.")
            % {"wiki": wiki.name, "revid": revid},
            details={"field": "permalink"},
        )
    content = (
        f"Wiki: {wiki.name}\nPage: {revision['title']}\nRevision: {revision['revid']}\n"
        f"Author: {revision['user']}\nTime: {revision['timestamp']}\nComment: {revision['comment']}\n"
        f"Wiki SHA-1: {revision['sha1']}\n\n{revision['content']}"
    )
    return do_capture_evidence(
        case=case, acting_user=acting_user, kind=EvidenceKind.DIFF if is_diff else EvidenceKind.REVISION,
        permalink=permalink, content=content, description=description or revision["title"],
    )  # fmt: skip
