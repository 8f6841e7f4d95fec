"""Intake in the staff console: the quarantine, an item as it came, its attachments, and
re-processing (ARCHITECTURE §6.4: "a failed parse keeps the raw message in quarantine, visible
in the console").

Who sees what:
- An item that belongs to a case is seen by whoever may see the case (accounts.permissions.
  access_case: 404 otherwise, and an audited view for restricted and child-safety cases).
- An item without a case (quarantined, or dismissed before a case existed) takes the
  confidentiality of the channel it came in on, under the same rule as cases
  (accounts.permissions.may_read_level): child-safety items are read only by holders of the
  child-safety clearance. The item's metadata (when, where, how big, what went wrong) is always shown, so the
  quarantine can still be worked.
- Media of child-safety items are never served, to anyone (DOMAIN §6.3); attachments are always
  downloads, never shown inline (ARCHITECTURE §7).
"""

import re
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from safetydesk.accounts.permissions import access_case, may_read_level
from safetydesk.audit.log import record_audit
from safetydesk.audit.models import AuditEventType
from safetydesk.cases.models import Case, CaseKind, Confidentiality, Priority
from safetydesk.console.views import staff_required
from safetydesk.intake.attachments import read_attachment
from safetydesk.intake.channels import registry
from safetydesk.intake.models import Attachment, IntakeItem, IntakeStatus
from safetydesk.intake.pipeline import reprocess_item
from safetydesk.intake.presenters import (
    channel_label,
    flags_of,
    highlight,
    is_child_safety,
    raw_source,
    urgency_of,
)
from safetydesk.lib.http import client_ip

QUARANTINE_PAGE_SIZE = 50
REPROCESSABLE = frozenset({IntakeStatus.QUARANTINED, IntakeStatus.RECEIVED})
# What the quarantine list reads of each item: never the message itself.
_LIST_COLUMNS = ("id", "channel", "recipient", "received_at", "raw_size", "error", "attempts", "status")


@dataclass(frozen=True)
class ItemAccess:
    item: IntakeItem
    case: Case | None
    content_visible: bool  # sender, subject, body, filenames, the raw message
    child_safety: bool  # media never served

    @property
    def media_allowed(self) -> bool:
        return self.content_visible and not self.child_safety


def _may_read_caseless(user: Any, item: IntakeItem) -> bool:
    channel = registry().channels.get(item.channel)
    level = channel.confidentiality if channel is not None else Confidentiality.INTERNAL
    return may_read_level(user, level, member=False)


def access_intake_item(user: Any, item_id: int, *, ip_address: str | None = None) -> ItemAccess:
    """The item if this user may open it (Http404 otherwise, as for cases), and how much of it
    they may see. Content of an item that belongs to a case is seen by whoever may see the case."""
    # The raw message can be megabytes: read only when a page shows it (quarantined items).
    item = IntakeItem.objects.select_related("case").defer("raw").filter(pk=item_id).first()
    if item is None:
        raise Http404("No such intake item")
    case = item.case
    if case is not None:
        case = access_case(user, case.reference, ip_address=ip_address)
        visible = True
    else:
        visible = _may_read_caseless(user, item)
    return ItemAccess(item, case, visible, is_child_safety(item, case))


def _page(request: HttpRequest) -> int:
    raw = request.GET.get("page", "1")
    return int(raw) if raw.isdigit() and 0 < int(raw) < 100_000 else 1


@staff_required
@require_GET
def quarantine(request: HttpRequest) -> HttpResponse:
    """Items that could not be processed, newest first: when, where, how big, what went wrong."""
    page = _page(request)
    waiting = IntakeItem.objects.filter(status=IntakeStatus.QUARANTINED)
    # One page and whether another follows (uses the partial index intake_item_quarantine).
    start = (page - 1) * QUARANTINE_PAGE_SIZE
    rows = list(waiting.only(*_LIST_COLUMNS).order_by("-received_at", "-id")[start : start + QUARANTINE_PAGE_SIZE + 1])
    has_next = len(rows) > QUARANTINE_PAGE_SIZE
    rows = rows[:QUARANTINE_PAGE_SIZE]
    channels = registry().channels
    items = [
        {
            "item": item,
            "channel": channel_label(item.channel),
            # Mail to the emergency address that could not be processed may be a threat to life.
            "urgent": item.channel in channels and channels[item.channel].priority == Priority.P0,
        }
        for item in rows
    ]
    return render(
        request,
        "intake/console/quarantine.html",
        {
            "nav": "intake",
            "rows": items,
            "total": waiting.count(),
            "page": page,
            "has_next": has_next,
            "can_reprocess": request.user.is_casework_staff,  # type: ignore[union-attr]
        },
    )


@staff_required
@require_GET
def item_detail(request: HttpRequest, item_id: int) -> HttpResponse:
    access = access_intake_item(request.user, item_id, ip_address=client_ip(request))
    item = access.item
    urgency = urgency_of(item)
    rules = urgency.rules if urgency is not None else []
    show_raw = access.content_visible and not access.child_safety and item.status in REPROCESSABLE
    classification: dict[str, Any] = item.classification if isinstance(item.classification, dict) else {}
    return render(
        request,
        "intake/console/item.html",
        {
            "nav": "intake",
            "item": item,
            "case": access.case,
            "content_visible": access.content_visible,
            "media_allowed": access.media_allowed,
            "child_safety": access.child_safety,
            "channel": channel_label(item.channel),
            "flags": flags_of(item),
            "urgency": urgency,
            "decided_kind": dict(CaseKind.choices).get(classification.get("kind", ""), ""),
            "decided_priority": dict(Priority.choices).get(classification.get("priority", ""), ""),
            "subject": highlight(item.subject, rules) if access.content_visible else [],
            "body": highlight(item.body, rules) if access.content_visible else [],
            "raw": raw_source(item) if show_raw else "",
            "attachments": list(item.attachments.all()),
            "can_reprocess": item.status in REPROCESSABLE and request.user.is_casework_staff,  # type: ignore[union-attr]
        },
    )


@staff_required
@require_POST
def reprocess(request: HttpRequest, item_id: int) -> HttpResponse:
    """Run a quarantined (or stuck) item through the pipeline again, after its cause was fixed."""
    access = access_intake_item(request.user, item_id, ip_address=client_ip(request))
    if not request.user.is_casework_staff:  # type: ignore[union-attr]
        return render(request, "console/forbidden.html", status=403)
    item = access.item
    if item.status not in REPROCESSABLE:
        messages.info(request, _("This item was already processed; nothing was done."))
        return redirect(reverse("intake_console:item", args=[item.pk]))
    result = reprocess_item(item, acting_user=request.user)
    item = result.item
    if item.status == IntakeStatus.QUARANTINED:
        messages.error(request, _("Still quarantined: %(error)s") % {"error": item.error})
    elif item.case is not None:
        messages.success(
            request,
            _("Processed: %(status)s, case %(reference)s.")
            % {"status": item.get_status_display(), "reference": item.case.reference},
        )
    else:
        messages.success(request, _("Processed: %(status)s.") % {"status": item.get_status_display()})
    return redirect(reverse("intake_console:item", args=[item.pk]))


_UNSAFE_FILENAME = re.compile(r"[\x00-\x1f\x7f/\\]+")


def _download_name(attachment: Attachment) -> str:
    name = _UNSAFE_FILENAME.sub("_", attachment.filename or "").strip(" .")
    return name[:150] or f"attachment-{attachment.sha256[:12]}"


@staff_required
@require_GET
def attachment_download(request: HttpRequest, item_id: int, attachment_id: int) -> HttpResponse:
    """The attachment as a download (never inline, never sniffed); never for child-safety items."""
    ip_address = client_ip(request)
    access = access_intake_item(request.user, item_id, ip_address=ip_address)
    if not access.media_allowed:
        raise Http404("No such attachment")
    attachment = Attachment.objects.filter(pk=attachment_id, item=access.item).first()
    if attachment is None or attachment.refused:
        raise Http404("No such attachment")
    try:
        content = read_attachment(attachment)
    except FileNotFoundError:
        raise Http404("The attachment's file is missing") from None
    record_audit(
        event_type=AuditEventType.INTAKE_ATTACHMENT_DOWNLOADED,
        actor=request.user,
        subject=attachment,
        data={"item": access.item.pk, "sha256": attachment.sha256},
        ip_address=ip_address,
    )
    response = HttpResponse(content, content_type="application/octet-stream")
    response["Content-Disposition"] = content_disposition_header(True, _download_name(attachment))
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
