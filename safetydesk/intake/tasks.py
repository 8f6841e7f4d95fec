"""What happens after an item is committed into a case (intake.pipeline enqueues `after_intake`
on commit for accepted and threaded items; tasks carry ids only).

The reporter is acknowledged (issue 3 part 7; DOMAIN §5.3, §6.2, §19.2) in their language, with
the case reference and what happens next, through notify: the one way anything is sent to a
party.
"""

import datetime as dt
from email.utils import parseaddr
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.tasks import task
from django.utils import timezone

from safetydesk.cases.models import Case, CaseKind
from safetydesk.intake.channels import registry
from safetydesk.intake.models import DismissalReason, IntakeItem, IntakeStatus

# Which acknowledgement each kind of case gets; every other kind gets ack_general.
ACK_TEMPLATES: dict[str, str] = {
    CaseKind.EMERGENCY: "ack_emergency",
    CaseKind.CHILD_PROTECTION: "ack_child_protection",
    CaseKind.DMCA: "ack_legal",
    CaseKind.LEGAL_REQUEST: "ack_legal",
    CaseKind.APPEAL: "ack_appeal",
}
ACK_GENERAL = "ack_general"
ACK_KEYS = frozenset({ACK_GENERAL, *ACK_TEMPLATES.values()})

# Flags (set by the channels) on items that must not be answered: spam, and automatic mail
# (auto-replies, bounces, list traffic), which would answer us back and loop.
NO_ACK_FLAGS = frozenset({"spam", "spam_suspected", "auto_submitted"})
# [P] At most this many acknowledgements to one address per hour: anyone can put any address on
# a report, and we must not become a way to fill someone's inbox.
ACKS_PER_ADDRESS_PER_HOUR = 5
# Local parts of addresses that are machines, not people.
MACHINE_SENDERS = frozenset({"mailer-daemon", "postmaster", "noreply", "no-reply", "do-not-reply", "donotreply"})


def ack_template_for(case: Case) -> str:
    return ACK_TEMPLATES.get(case.kind, ACK_GENERAL)


def our_addresses() -> set[str]:
    """Every address we receive at or send from: mail from one of them is our own coming back."""
    ours = set(registry().addresses())
    ours.add(parseaddr(settings.DEFAULT_FROM_EMAIL)[1].lower())
    return ours


def reporter_address(item: IntakeItem) -> str:
    """The address to acknowledge, or "" when there is none a person reads."""
    address = parseaddr(item.sender or "")[1].strip()
    try:
        validate_email(address)
    except ValidationError:
        return ""  # a wiki username (ReportIncident), or no sender at all
    local = address.split("@", 1)[0].lower()
    if local in MACHINE_SENDERS or address.lower() in our_addresses():
        return ""
    return address


def has_dsa_notice(item: IntakeItem) -> bool:
    """A notice of illegal content under DSA Art. 16 (the report form's `dsa_notice` meta)."""
    classification: dict[str, Any] = item.classification if isinstance(item.classification, dict) else {}
    meta = classification.get("meta") or {}
    return bool(isinstance(meta, dict) and meta.get("dsa_notice")) or "dsa_notice" in (item.flags or [])


def why_no_ack(item: IntakeItem) -> str:
    """Why this item gets no acknowledgement, or "" if it gets one."""
    if item.status == IntakeStatus.THREADED:
        # A threaded item is a reply in a conversation the reporter already had acknowledged,
        # or a near-identical mass report grouped into an existing case: answering every reply
        # would mail people for each message they send, and answering a flood of copies (whose
        # senders may be forged) would make us the flood.
        return "threaded"
    if item.status != IntakeStatus.ACCEPTED:
        return f"status {item.status}"  # dismissed (spam, duplicates), quarantined, not yet processed
    if item.dismissal_reason == DismissalReason.SPAM or NO_ACK_FLAGS & set(item.flags or []):
        return "spam or automatic mail"
    if item.case_id is None:
        return "no case"
    if not reporter_address(item):
        return "no reporter email"
    if item.notices.filter(key__in=ACK_KEYS).exists():
        return "already acknowledged"
    if _recent_acks_to_sender(item) >= ACKS_PER_ADDRESS_PER_HOUR:
        return "too many acknowledgements to this address"
    return ""


def _recent_acks_to_sender(item: IntakeItem) -> int:
    from safetydesk.notify.models import Notice

    since = timezone.now() - dt.timedelta(hours=1)
    return Notice.objects.filter(
        intake_item__sender_key=item.sender_key, key__in=ACK_KEYS, created_at__gte=since
    ).count()


@task()
def after_intake(item_id: int) -> str:
    """Acknowledge an accepted item's reporter. Returns the template queued, or why none was.

    Safe to run again (a retried task, a re-processed item): notify keeps at most one notice
    per item and template, and an item already acknowledged is not acknowledged again."""
    from safetydesk.notify.actions import do_queue_notice

    item = IntakeItem.objects.select_related("case").get(pk=item_id)
    reason = why_no_ack(item)
    if reason:
        return f"no acknowledgement: {reason}"
    case = item.case
    assert case is not None  # why_no_ack checked it
    key = ack_template_for(case)
    do_queue_notice(
        case=case,
        item=item,
        recipient=reporter_address(item),
        key=key,
        # The form's chosen language, else the detected one; notify falls back to English.
        language=item.language,
        context={
            "dsa_notice": has_dsa_notice(item),
            "received_at": f"{item.received_at.astimezone(dt.UTC):%Y-%m-%d %H:%M} UTC",
        },
        in_reply_to=item.message_id if item.message_id.startswith("<") else "",
    )
    return key
