"""Writing the public list of Foundation global bans to a wiki page (issue 5, part 6; DOMAIN
§7.4), when settings.BAN_LIST_WIKI and BAN_LIST_PAGE name one: after every ban carried out or
lifted, and hourly as a safety net. The page is read first and edited only when it differs, so
running it again changes nothing."""

from typing import Any

from django.conf import settings
from django.db import transaction
from django.tasks import task

from safetydesk.audit.log import record_audit
from safetydesk.audit.models import AuditEventType
from safetydesk.enforcement.actions import SYSTEM_ACTOR, office_action_reason
from safetydesk.enforcement.public import ban_list_wikitext, public_bans
from safetydesk.wiki.actions import logged_in_client
from safetydesk.wiki.models import Wiki


def publish_ban_list() -> dict[str, Any]:
    """Bring the configured page up to date; says what it did (skipped, unchanged, edited)."""
    if not settings.BAN_LIST_WIKI or not settings.BAN_LIST_PAGE:
        return {"result": "skipped", "why": "no page configured"}
    wiki = Wiki.objects.get(name=settings.BAN_LIST_WIKI)
    text = ban_list_wikitext(public_bans())
    client = logged_in_client(wiki)
    current = client.page_revisions(settings.BAN_LIST_PAGE, limit=1)
    if current and current[0]["content"].strip() == text.strip():
        return {"result": "unchanged", "revid": current[0]["revid"]}
    revid = client.edit(settings.BAN_LIST_PAGE, text=text, summary=office_action_reason())["newrevid"]
    with transaction.atomic():
        record_audit(
            event_type=AuditEventType.BAN_LIST_PUBLISHED, actor=SYSTEM_ACTOR, subject=wiki,
            data={"page": settings.BAN_LIST_PAGE, "revid": revid},
        )  # fmt: skip
    return {"result": "edited", "revid": revid}


@task()
def publish_ban_list_task() -> dict[str, Any]:
    return publish_ban_list()


def publish_on_commit() -> None:
    """After a ban is carried out or lifted (inside its transaction)."""
    if settings.BAN_LIST_WIKI and settings.BAN_LIST_PAGE:
        transaction.on_commit(publish_ban_list_task.enqueue)
