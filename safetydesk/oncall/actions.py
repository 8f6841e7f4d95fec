"""Every change to the rota, the fallback list, pagings and alerts (ARCHITECTURE §6).

Each action runs in one transaction with its audit row (and the case's timeline row when it is
about a case); a refusal raises an OncallRefusal subclass and writes nothing. Paging itself
(opening pages, escalating) is in oncall.paging.
"""

import datetime as dt
import logging
import zoneinfo
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safetydesk.accounts.permissions import can_acknowledge_page, can_be_on_call, can_manage_rota
from safetydesk.audit.log import record_audit
from safetydesk.audit.models import AuditEventType
from safetydesk.cases.models import Case, CaseEvent
from safetydesk.lib.errors import Refusal
from safetydesk.oncall.models import (
    CASE_EVENT_PAGING,
    AlertKind,
    Channel,
    FallbackContact,
    Level,
    OncallAlert,
    Page,
    PageDelivery,
    Paging,
    Shift,
)
from safetydesk.oncall.rota import fallback_contacts, gaps

logger = logging.getLogger("safetydesk.oncall")

SYSTEM_ACTOR = "oncall"
# How the "page" step names who took it (a system transition: no person did).
PAGING_ACTOR = "oncall:paging"
# A shift longer than this is almost certainly a typo in a date.
MAX_SHIFT = dt.timedelta(days=31)


class OncallRefusal(Refusal):
    code = "oncall_refused"
    http_status = 422


class OncallNotPermitted(OncallRefusal):
    code = "oncall_not_permitted"
    http_status = 403


def _require_rota_keeper(acting_user: Any) -> None:
    if not can_manage_rota(acting_user):
        raise OncallNotPermitted(_("Only managers and directors may change the on-call rota."))


def check_time_zone(name: str) -> str:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise OncallRefusal(
            _("“%(zone)s” is not a time zone.") % {"zone": name}, details={"field": "time_zone"}
        ) from None
    return name


def check_shift(
    *,
    user: Any,
    level: int,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    is_override: bool,
    exclude: int = 0,
) -> None:
    """A person who may be on call, a known level, a window that ends after it starts, in the
    future, and (for an ordinary shift) no overlap with another ordinary shift of the level."""
    if not can_be_on_call(user):
        raise OncallRefusal(
            _("%(person)s cannot be put on call (an active on-call responder, specialist or manager is needed).")
            % {"person": user},
            details={"field": "user"},
        )
    if level not in Level.values:
        raise OncallRefusal(_("There is no rota level %(level)s.") % {"level": level}, details={"field": "level"})
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise OncallRefusal(_("Times need a time zone."), details={"field": "starts_at"})
    if ends_at <= starts_at:
        raise OncallRefusal(_("A shift must end after it starts."), details={"field": "ends_at"})
    if ends_at <= timezone.now():
        raise OncallRefusal(_("This shift would already be over."), details={"field": "ends_at"})
    if ends_at - starts_at > MAX_SHIFT:
        raise OncallRefusal(_("A shift may last 31 days at most."), details={"field": "ends_at"})
    if is_override:
        return
    clash = (
        Shift.objects.filter(
            cancelled_at__isnull=True, is_override=False, level=level, starts_at__lt=ends_at, ends_at__gt=starts_at
        )
        .exclude(pk=exclude)
        .select_related("user")
        .first()
    )
    if clash is not None:
        raise OncallRefusal(
            _(
                "This overlaps the shift of %(person)s at the same level (%(start)s to %(end)s UTC). "
                "Hand that shift over, change it, or add an override instead."
            )
            % {
                "person": clash.user,
                "start": f"{clash.starts_at:%Y-%m-%d %H:%M}",
                "end": f"{clash.ends_at:%Y-%m-%d %H:%M}",
            },
            details={"field": "starts_at", "clash": clash.pk},
        )


def _shift_data(shift: Shift) -> dict[str, Any]:
    return {
        "user": shift.user_id,
        "level": shift.level,
        "starts_at": shift.starts_at.isoformat(),
        "ends_at": shift.ends_at.isoformat(),
        "time_zone": shift.time_zone,
        "override": shift.is_override,
    }


@transaction.atomic
def do_add_shift(
    *,
    acting_user: Any,
    user: Any,
    level: int,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    time_zone: str = "",
    is_override: bool = False,
    note: str = "",
) -> Shift:
    """Put `user` on call at `level` from `starts_at` to `ends_at` (aware datetimes, stored in
    UTC; `time_zone` is the zone they were entered in, by default the responder's)."""
    _require_rota_keeper(acting_user)
    time_zone = check_time_zone(time_zone or getattr(user, "time_zone", "") or "UTC")
    check_shift(user=user, level=level, starts_at=starts_at, ends_at=ends_at, is_override=is_override)
    shift = Shift.objects.create(
        user=user,
        level=level,
        starts_at=starts_at.astimezone(dt.UTC),
        ends_at=ends_at.astimezone(dt.UTC),
        time_zone=time_zone,
        is_override=is_override,
        note=note.strip()[:200],
        created_by=acting_user,
    )
    record_audit(
        event_type=AuditEventType.ONCALL_SHIFT_ADDED, actor=acting_user, subject=shift, data=_shift_data(shift)
    )
    return shift


@transaction.atomic
def do_cancel_shift(*, acting_user: Any, shift: Shift) -> Shift:
    """Take a shift off the rota (it is kept, marked cancelled). Cancelling it twice changes nothing."""
    _require_rota_keeper(acting_user)
    shift = Shift.objects.select_for_update().get(pk=shift.pk)
    if shift.cancelled_at is not None:
        return shift
    if shift.ends_at <= timezone.now():
        raise OncallRefusal(_("This shift is over; past shifts stay on the record."))
    shift.cancelled_at = timezone.now()
    shift.save(update_fields=["cancelled_at"])
    record_audit(
        event_type=AuditEventType.ONCALL_SHIFT_CANCELLED, actor=acting_user, subject=shift, data=_shift_data(shift)
    )
    return shift


@transaction.atomic
def do_hand_over_shift(*, acting_user: Any, shift: Shift, to_user: Any, at: dt.datetime | None = None) -> Shift:
    """Hand the rest of `shift` (from `at`, default now) over to `to_user`: the shift ends at
    `at` and a new one, same level and kind, runs from `at` to the old end. The responder may
    hand over their own shift; managers and directors any shift. Returns the new shift."""
    shift = Shift.objects.select_for_update().select_related("user").get(pk=shift.pk)
    if not (can_manage_rota(acting_user) or getattr(acting_user, "pk", None) == shift.user_id):
        raise OncallNotPermitted(_("Only the responder on this shift, a manager or a director may hand it over."))
    now = timezone.now()
    at = at or now
    if shift.cancelled_at is not None:
        raise OncallRefusal(_("This shift was cancelled."))
    if to_user is None or to_user.pk == shift.user_id:
        raise OncallRefusal(_("Hand the shift over to someone else."), details={"field": "to_user"})
    if not (shift.starts_at <= at < shift.ends_at) and not (at < shift.starts_at):
        raise OncallRefusal(_("This shift is over; there is nothing left to hand over."))
    at = max(at, shift.starts_at)
    if not can_be_on_call(to_user):
        raise OncallRefusal(
            _("%(person)s cannot be put on call (an active on-call responder, specialist or manager is needed).")
            % {"person": to_user},
            details={"field": "to_user"},
        )
    old_end = shift.ends_at
    if at <= shift.starts_at:
        shift.cancelled_at = now  # handed over before it began: all of it goes
        shift.save(update_fields=["cancelled_at"])
    else:
        shift.ends_at = at
        shift.save(update_fields=["ends_at"])
    new = Shift.objects.create(
        user=to_user,
        level=shift.level,
        starts_at=at,
        ends_at=old_end,
        time_zone=check_time_zone(getattr(to_user, "time_zone", "") or "UTC") if to_user.time_zone else "UTC",
        is_override=shift.is_override,
        note=shift.note,
        created_by=acting_user,
    )
    record_audit(
        event_type=AuditEventType.ONCALL_SHIFT_HANDED_OVER,
        actor=acting_user,
        subject=new,
        data={
            "from_shift": shift.pk,
            "from_user": shift.user_id,
            "to_user": to_user.pk,
            "at": at.isoformat(),
            **_shift_data(new),
        },
    )
    return new


@transaction.atomic
def do_add_fallback_contact(*, acting_user: Any, user: Any) -> FallbackContact:
    """Add `user` to the end of the fallback list (paged when nobody is on call)."""
    _require_rota_keeper(acting_user)
    if not can_be_on_call(user):
        raise OncallRefusal(
            _(
                "%(person)s cannot be on the fallback list "
                "(an active on-call responder, specialist or manager is needed)."
            )
            % {"person": user},
            details={"field": "user"},
        )
    existing = FallbackContact.objects.filter(user=user).first()
    if existing is not None:
        return existing
    last = FallbackContact.objects.order_by("-position").values_list("position", flat=True).first()
    contact = FallbackContact.objects.create(user=user, position=(last or 0) + 1, added_by=acting_user)
    record_audit(
        event_type=AuditEventType.ONCALL_FALLBACK_ADDED,
        actor=acting_user,
        subject=contact,
        data={"user": user.pk, "position": contact.position},
    )
    return contact


@transaction.atomic
def do_remove_fallback_contact(*, acting_user: Any, contact: FallbackContact) -> None:
    _require_rota_keeper(acting_user)
    data = {"user": contact.user_id, "position": contact.position}
    deleted, _rows = FallbackContact.objects.filter(pk=contact.pk).delete()
    if deleted:
        record_audit(event_type=AuditEventType.ONCALL_FALLBACK_REMOVED, actor=acting_user, data=data)


@transaction.atomic
def do_acknowledge_page(*, acting_user: Any, page: Page, ip_address: str | None = None) -> Paging:
    """Acknowledge the paging `page` belongs to: escalation stops for the case. Acknowledging an
    acknowledged paging changes nothing (the first acknowledgement stands)."""
    paging = Paging.objects.select_for_update().select_related("case").get(pk=page.paging_id)
    if not can_acknowledge_page(acting_user, paging.case):
        raise OncallNotPermitted(_("You may not work this case, so you cannot acknowledge its page."))
    if paging.acknowledged_at is not None:
        return paging
    paging.acknowledged_at = timezone.now()
    paging.acknowledged_by = acting_user
    paging.escalate_at = None
    paging.save(update_fields=["acknowledged_at", "acknowledged_by", "escalate_at"])
    data = {"page": page.pk, "round": paging.round}
    CaseEvent.objects.create(
        case=paging.case, actor=acting_user, kind=CASE_EVENT_PAGING, data={"event": "acknowledged", **data}
    )
    record_audit(
        event_type=AuditEventType.PAGE_ACKNOWLEDGED,
        actor=acting_user,
        subject=paging.case,
        data=data,
        ip_address=ip_address,
    )
    return paging


@transaction.atomic
def do_resolve_alert(*, acting_user: Any, alert: OncallAlert) -> OncallAlert:
    """A manager takes an alert off the board (a failing channel they have dealt with)."""
    _require_rota_keeper(acting_user)
    alert = OncallAlert.objects.select_for_update().get(pk=alert.pk)
    if alert.resolved_at is not None:
        return alert
    alert.resolved_at = timezone.now()
    alert.resolved_by = acting_user
    alert.save(update_fields=["resolved_at", "resolved_by"])
    record_audit(
        event_type=AuditEventType.ONCALL_ALERT_RESOLVED,
        actor=acting_user,
        subject=alert,
        data={"kind": alert.kind, "reason": "dismissed"},
    )
    return alert


def _overlaps(alert: OncallAlert, start: dt.datetime, end: dt.datetime) -> bool:
    """Whether a gap alert's window touches [start, end] (a gap that grew is the same gap)."""
    return (
        alert.starts_at is not None and alert.ends_at is not None and alert.starts_at < end and alert.ends_at >= start
    )


def gap_horizon() -> dt.timedelta:
    return dt.timedelta(hours=settings.ONCALL_GAP_LOOKAHEAD_HOURS)


def _managers_to_tell() -> list[Any]:
    from safetydesk.accounts.models import User
    from safetydesk.accounts.permissions import ROTA_KEEPERS

    people = list(User.objects.filter(is_active=True, groups__name__in=ROTA_KEEPERS).distinct().order_by("id"))
    return [p for p in people if p.email] or [p for p in fallback_contacts() if p.email]


def do_check_rota_gaps(*, now: dt.datetime | None = None) -> list[OncallAlert]:
    """Raise an alert (on the board, and by email to managers and directors) for every stretch
    of the next settings.ONCALL_GAP_LOOKAHEAD_HOURS in which a level has nobody on call, before
    it starts; resolve alerts whose gap was filled or is over. Returns the alerts raised."""
    now = now or timezone.now()
    raised: list[OncallAlert] = []
    delivery_ids: list[int] = []
    to_tell: list[Any] | None = None  # read once, at the first gap
    with transaction.atomic():
        for level in Level:
            found = gaps(level, now, now + gap_horizon())
            open_alerts = list(
                OncallAlert.objects.select_for_update().filter(
                    kind=AlertKind.ROTA_GAP, level=level, resolved_at__isnull=True
                )
            )
            for gap in found:
                match = next((a for a in open_alerts if _overlaps(a, gap.starts_at, gap.ends_at)), None)
                if match is not None:
                    if match.ends_at is None or gap.ends_at > match.ends_at:
                        match.ends_at = gap.ends_at
                        match.save(update_fields=["ends_at"])
                    continue
                alert = OncallAlert.objects.create(
                    kind=AlertKind.ROTA_GAP, level=level, starts_at=gap.starts_at, ends_at=gap.ends_at, created_at=now
                )
                open_alerts.append(alert)
                raised.append(alert)
                record_audit(
                    event_type=AuditEventType.ONCALL_ALERT_RAISED,
                    actor=SYSTEM_ACTOR,
                    subject=alert,
                    data={
                        "kind": alert.kind,
                        "level": level,
                        "starts_at": gap.starts_at.isoformat(),
                        "ends_at": gap.ends_at.isoformat(),
                    },
                )
                if to_tell is None:
                    to_tell = _managers_to_tell()
                for person in to_tell:
                    delivery = PageDelivery.objects.create(
                        alert=alert, channel=Channel.EMAIL, target=person.email, next_attempt_at=now, created_at=now
                    )
                    delivery_ids.append(delivery.pk)
            for alert in open_alerts:
                assert alert.starts_at is not None
                assert alert.ends_at is not None
                window_start = max(alert.starts_at, now)
                still = alert.ends_at > now and any(
                    g.starts_at < alert.ends_at and g.ends_at > window_start for g in found
                )
                if not still:
                    alert.resolved_at = now
                    alert.save(update_fields=["resolved_at"])
                    record_audit(
                        event_type=AuditEventType.ONCALL_ALERT_RESOLVED,
                        actor=SYSTEM_ACTOR,
                        subject=alert,
                        data={"kind": alert.kind, "reason": "filled" if alert.ends_at > now else "over"},
                    )
        from safetydesk.oncall.paging import deliver_on_commit

        deliver_on_commit(delivery_ids)
    return raised


def mark_case_paged(case_id: int) -> None:
    """After a page has left: move the case RECEIVED → PAGED by the emergency workflow's "page"
    transition, if it has one and the case is still where it applies. Runs after commit."""
    from safetydesk.cases.actions import do_transition
    from safetydesk.cases.errors import CaseError
    from safetydesk.cases.workflow import workflow_for

    case = Case.objects.filter(pk=case_id).first()
    if case is None:
        return
    step = workflow_for(case.kind).transition("page")
    if step is None or case.state not in step.sources:
        return
    try:
        do_transition(case=case, transition="page", acting_user=PAGING_ACTOR, data={})
    except CaseError as refusal:
        # Another delivery of the same page moved it first, or the workflow refuses the system.
        logger.info("case %s not moved to paged: %s", case.reference, refusal.message)
