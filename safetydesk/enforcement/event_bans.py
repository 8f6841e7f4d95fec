"""Foundation event bans (DOMAIN §8): the restricted list, the events, and its shares.

Carrying out an event ban (enforcement.actions.do_carry_out) puts the person on the list; there
is nothing to do on a wiki. The list is never public: T&S, Legal and the C-level read it in the
console (accounts.permissions.can_read_event_bans; every reading is audited), and the organisers
of one event may be shown the entries that apply to their event, under a recorded NDA or grant
agreement, through a link and an access code given once, until the event's last day plus
settings.EVENT_LIST_GRACE_DAYS. Every view of a share, and every refused attempt, is audited.
"""

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from safetydesk.accounts.permissions import can_keep_event_bans, can_read_event_bans
from safetydesk.audit.log import record_audit
from safetydesk.audit.models import AuditEventType
from safetydesk.cases.models import PartyRole
from safetydesk.enforcement.models import (
    ActionStatus,
    Event,
    EventBan,
    EventBanScope,
    EventBanStatus,
    EventListShare,
    OfficeAction,
)
from safetydesk.intake.grouping import normalize_username
from safetydesk.intake.limits import hit
from safetydesk.lib.errors import Refusal

SYSTEM_ACTOR = "enforcement"


class EventBanRefusal(Refusal):
    code = "event_ban_refused"
    http_status = 422


class EventBanNotPermitted(EventBanRefusal):
    code = "event_ban_not_permitted"
    http_status = 403


def _keeper(user: Any) -> None:
    if not can_keep_event_bans(user):
        raise EventBanNotPermitted(_("Only the Trust and Safety team keeps the event-ban list."))


# --- the list -------------------------------------------------------------------------------


def list_event_ban(action: OfficeAction) -> EventBan:
    """The list entry of a decided event ban; inside the transaction that carries it out. Names
    and aliases come from the case's subject whose account the action names."""
    if action.scope not in EventBanScope.values:
        raise EventBanRefusal(_("This event ban has no scope; it cannot be listed."), details={"field": "scope"})
    subjects = [
        party for party in action.case.parties.filter(role=PartyRole.SUBJECT)
        if normalize_username(party.wiki_username) == normalize_username(action.target)
    ]  # fmt: skip
    ban = EventBan.objects.create(
        office_action=action,
        scope=action.scope,
        usernames=action.target,
        names="\n".join(p.real_name for p in subjects if p.real_name),
        ends_at=_end_of(action.expiry),
    )
    record_audit(
        event_type=AuditEventType.EVENT_BAN_LISTED, actor=SYSTEM_ACTOR, subject=ban,
        data={"case": action.case_id, "office_action": action.pk, "scope": ban.scope},
    )  # fmt: skip
    return ban


def _end_of(expiry: str) -> dt.datetime | None:
    """A MediaWiki-style expiry as an end time: "infinite" (and anything unreadable) is none; an
    ISO date or time is taken as given."""
    if expiry.strip().lower() in {"", "infinite", "indefinite", "infinity", "never"}:
        return None
    try:
        end = dt.datetime.fromisoformat(expiry.strip())
    except ValueError:
        return None
    return end if end.tzinfo else end.replace(tzinfo=dt.UTC)


def active_bans() -> QuerySet[EventBan]:
    return EventBan.objects.filter(status=EventBanStatus.ACTIVE).select_related("office_action__case")


def bans_for_event(event: Event) -> QuerySet[EventBan]:
    """The active bans an event's organisers must know of: every ban whose scope covers it."""
    covers = Q(scope=EventBanScope.AFFILIATE) | Q(scope=EventBanScope.LISTED, events=event)
    if not event.by_affiliate:
        covers |= Q(scope=EventBanScope.ALL_FUNDED)
    return active_bans().filter(covers).distinct().order_by("starts_at", "pk")


def read_list(*, acting_user: Any, ip_address: str | None = None) -> QuerySet[EventBan]:
    """The whole list, for the console: refused to anyone outside T&S, Legal and the C-level,
    and audited for everyone else."""
    if not can_read_event_bans(acting_user):
        raise EventBanNotPermitted(_("The event-ban list is restricted to Trust and Safety, Legal and executives."))
    record_audit(event_type=AuditEventType.EVENT_BAN_LIST_READ, actor=acting_user, ip_address=ip_address)
    return active_bans().prefetch_related("events")


@transaction.atomic
def do_update_entry(*, acting_user: Any, ban: EventBan, names: str, aliases: str) -> EventBan:
    """What organisers see to recognise the person: names and known aliases (never a photo)."""
    _keeper(acting_user)
    ban = EventBan.objects.select_for_update().get(pk=ban.pk)
    if ban.status != EventBanStatus.ACTIVE:
        raise EventBanRefusal(_("This event ban is no longer active."))
    ban.names, ban.aliases = _lines(names), _lines(aliases)
    ban.save(update_fields=["names", "aliases"])
    record_audit(
        event_type=AuditEventType.EVENT_BAN_UPDATED, actor=acting_user, subject=ban,
        data={"names": len(ban.names.splitlines()), "aliases": len(ban.aliases.splitlines())},
    )  # fmt: skip
    return ban


def _lines(text: str) -> str:
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())[:2000]


# --- events ---------------------------------------------------------------------------------


@transaction.atomic
def do_add_event(
    *, acting_user: Any, name: str, starts_on: dt.date, ends_on: dt.date, location: str = "", by_affiliate: bool = False
) -> Event:
    _keeper(acting_user)
    name = " ".join(name.split())
    if not name:
        raise EventBanRefusal(_("Name the event."), details={"field": "name"})
    if ends_on < starts_on:
        raise EventBanRefusal(_("The event cannot end before it starts."), details={"field": "ends_on"})
    event = Event.objects.create(
        name=name[:200], starts_on=starts_on, ends_on=ends_on, location=location.strip()[:200],
        by_affiliate=by_affiliate, created_by=acting_user,
    )  # fmt: skip
    record_audit(event_type=AuditEventType.EVENT_ADDED, actor=acting_user, subject=event, data={"name": event.name})
    return event


@transaction.atomic
def do_name_event_on_ban(*, acting_user: Any, ban: EventBan, event: Event) -> EventBan:
    """Name an event on a ban whose scope is the listed events."""
    _keeper(acting_user)
    ban = EventBan.objects.select_for_update().get(pk=ban.pk)
    if ban.status != EventBanStatus.ACTIVE:
        raise EventBanRefusal(_("This event ban is no longer active."))
    if ban.scope != EventBanScope.LISTED:
        raise EventBanRefusal(_("This ban already covers every event of its scope; there is nothing to name."))
    ban.events.add(event)
    record_audit(
        event_type=AuditEventType.EVENT_BAN_EVENT_LISTED, actor=acting_user, subject=ban, data={"event": event.pk}
    )
    return ban


# --- shares ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewShare:
    """A share and its secrets, shown once to the person who made it."""

    share: EventListShare
    token: str
    code: str


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def share_expiry(event: Event) -> dt.datetime:
    """Midnight UTC after the event's last day, plus the grace period."""
    last = dt.datetime.combine(event.ends_on, dt.time.min, tzinfo=dt.UTC) + dt.timedelta(days=1)
    return last + dt.timedelta(days=settings.EVENT_LIST_GRACE_DAYS)


@transaction.atomic
def do_share_list(*, acting_user: Any, event: Event, organisers: str, agreement: str) -> NewShare:
    """Share the event's entries with its named organisers, under a recorded agreement."""
    _keeper(acting_user)
    organisers, agreement = organisers.strip(), agreement.strip()
    if not organisers:
        raise EventBanRefusal(_("Name the organisers who may see the list."), details={"field": "organisers"})
    if not agreement:
        raise EventBanRefusal(
            _("Record the signed NDA or the grant agreement that binds them to confidentiality."),
            details={"field": "agreement"},
        )
    expires = share_expiry(event)
    if expires <= timezone.now():
        raise EventBanRefusal(_("This event is over; its list can no longer be shared."))
    token, code = secrets.token_urlsafe(32), _access_code()
    share = EventListShare.objects.create(
        event=event, organisers=organisers[:5000], agreement=agreement[:2000], token_hash=hash_token(token),
        code_hash=make_password(code), shared_by=acting_user, access_expires_at=expires,
    )  # fmt: skip
    record_audit(
        event_type=AuditEventType.EVENT_LIST_SHARED, actor=acting_user, subject=share,
        data={"event": event.pk, "expires": expires.isoformat()},
    )  # fmt: skip
    return NewShare(share, token, code)


def _access_code() -> str:
    """Twelve characters people can read out: no 0/O or 1/l/I."""
    alphabet = "23456789abcdefghjkmnpqrstuvwxyz"
    raw = "".join(secrets.choice(alphabet) for _ in range(12))
    return "-".join(raw[i : i + 4] for i in range(0, 12, 4))


@transaction.atomic
def do_revoke_share(*, acting_user: Any, share: EventListShare) -> EventListShare:
    _keeper(acting_user)
    share = EventListShare.objects.select_for_update().get(pk=share.pk)
    if share.revoked_at is not None:
        raise EventBanRefusal(_("This share was already ended."))
    share.revoked_at, share.revoked_by = timezone.now(), acting_user
    share.save(update_fields=["revoked_at", "revoked_by"])
    record_audit(event_type=AuditEventType.EVENT_LIST_SHARE_REVOKED, actor=acting_user, subject=share)
    return share


class ShareClosed(EventBanRefusal):
    code = "event_list_closed"
    http_status = 410


class WrongCode(EventBanRefusal):
    code = "event_list_wrong_code"
    http_status = 403


def find_share(token: str) -> EventListShare | None:
    return EventListShare.objects.select_related("event").filter(token_hash=hash_token(token)).first()


def do_view_shared_list(*, share: EventListShare, code: str, ip_address: str | None) -> list[EventBan]:
    """The entries an organiser may see, after the access code; every view and every refusal is
    on the audit chain. Past its end, or revoked, a share shows nothing whatever the code."""
    with transaction.atomic():
        outcome = _view(share, code, ip_address)
    if isinstance(outcome, EventBanRefusal):
        raise outcome  # after the commit: the refusal stays on the record
    return outcome


def _view(share: EventListShare, code: str, ip_address: str | None) -> list[EventBan] | EventBanRefusal:
    actor = f"organiser:share-{share.pk}"
    if not share.is_open(timezone.now()):
        _refused(share, actor, ip_address, "closed")
        return ShareClosed(_("Access to this list has ended. Ask the Trust and Safety team if you still need it."))
    allowed = hit(f"event-list:{share.pk}", limit=settings.EVENT_LIST_CODE_ATTEMPTS_PER_HOUR, window_seconds=3600)
    if not allowed or not check_password(code.strip().lower(), share.code_hash):
        _refused(share, actor, ip_address, "wrong code" if allowed else "too many attempts")
        return WrongCode(_("That access code is not right for this list."))
    bans = list(bans_for_event(share.event))
    EventListShare.objects.filter(pk=share.pk).update(views=F("views") + 1)
    record_audit(
        event_type=AuditEventType.EVENT_LIST_VIEWED, actor=actor, subject=share, ip_address=ip_address,
        data={"event": share.event_id, "entries": [ban.pk for ban in bans]},
    )  # fmt: skip
    return bans


def _refused(share: EventListShare, actor: str, ip_address: str | None, reason: str) -> None:
    record_audit(
        event_type=AuditEventType.EVENT_LIST_VIEW_REFUSED, actor=actor, subject=share, ip_address=ip_address,
        data={"reason": reason},
    )  # fmt: skip


# --- ends -----------------------------------------------------------------------------------


@transaction.atomic
@transaction.atomic
def do_lift_event_ban(*, acting_user: Any, ban: EventBan, reason: str) -> EventBan:
    """Lift an event ban (after the Case Review Committee overturned it): off the list organisers
    see at once, and the office action is lifted."""
    ban = EventBan.objects.select_for_update().select_related("office_action").get(pk=ban.pk)
    _keeper(acting_user)
    if ban.status != EventBanStatus.ACTIVE:
        raise EventBanRefusal(_("This event ban is not active."))
    now = timezone.now()
    ban.status, ban.ended_at = EventBanStatus.LIFTED, now
    ban.save(update_fields=["status", "ended_at"])
    OfficeAction.objects.filter(pk=ban.office_action_id).update(status=ActionStatus.LIFTED, lifted_at=now)
    record_audit(event_type=AuditEventType.OFFICE_ACTION_LIFTED, actor=acting_user, subject=ban.office_action,
                 data={"event_ban": ban.pk, "reason": reason[:200]})  # fmt: skip
    return ban


@transaction.atomic
def close_ended(now: dt.datetime | None = None) -> tuple[int, int]:
    """Record the shares whose access has run out, and end the bans whose time is up (the
    periodic job). Returns (shares, bans). Access itself never depends on this having run."""
    now = now or timezone.now()
    shares = list(
        EventListShare.objects.select_for_update().filter(revoked_at__isnull=True, access_expires_at__lte=now)
    )
    for share in shares:
        share.revoked_at = share.access_expires_at
        share.save(update_fields=["revoked_at"])
        record_audit(event_type=AuditEventType.EVENT_LIST_SHARE_EXPIRED, actor=SYSTEM_ACTOR, subject=share)
    bans = list(EventBan.objects.select_for_update().filter(status=EventBanStatus.ACTIVE, ends_at__lte=now))
    for ban in bans:
        ban.status, ban.ended_at = EventBanStatus.EXPIRED, now
        ban.save(update_fields=["status", "ended_at"])
        record_audit(event_type=AuditEventType.EVENT_BAN_ENDED, actor=SYSTEM_ACTOR, subject=ban)
    return len(shares), len(bans)
