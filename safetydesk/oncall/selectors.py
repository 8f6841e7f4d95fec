"""The reads the emergency board and the rota page share (query counts kept flat)."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, OuterRef, Q, Subquery
from django.utils import timezone

from safetydesk.accounts.models import User
from safetydesk.accounts.permissions import visible_cases_q
from safetydesk.cases.models import Case, CaseKind
from safetydesk.oncall.models import AlertKind, DeliveryStatus, Level, OncallAlert, Page, PageDelivery, Paging, Shift


@dataclass(frozen=True)
class BoardCase:
    case: Case
    paging: Paging | None
    pages: list[Page]  # the current round's pages
    now: dt.datetime

    @property
    def received_for(self) -> dt.timedelta:
        return self.now - self.case.opened_at

    @property
    def paged_at(self) -> dt.datetime | None:
        return self.paging.first_delivered_at if self.paging is not None else None

    @property
    def acknowledged_at(self) -> dt.datetime | None:
        return self.paging.acknowledged_at if self.paging is not None else None

    @property
    def overdue(self) -> bool:
        """Not acknowledged and past the next escalation, or never paged at all."""
        if self.paging is None:
            return True
        return self.paging.acknowledged_at is None and (
            self.paging.escalate_at is not None and self.paging.escalate_at <= self.now
        )

    @property
    def ack_page(self) -> Page | None:
        return self.pages[0] if self.pages else None


def open_emergencies(user: Any, now: dt.datetime | None = None) -> list[BoardCase]:
    """Open emergency cases the user may see, unacknowledged first, oldest first. Three queries."""
    now = now or timezone.now()
    cases = list(
        Case.objects.filter(visible_cases_q(user), kind=CaseKind.EMERGENCY, closed_at__isnull=True)
        .select_related("paging", "paging__acknowledged_by", "lead")
        .order_by("opened_at", "id")[:100]
    )
    pagings = [c.paging for c in cases if hasattr(c, "paging")]
    by_paging: dict[int, list[Page]] = {}
    if pagings:
        for page in Page.objects.filter(paging__in=pagings).select_related("recipient").order_by("round", "id"):
            by_paging.setdefault(page.paging_id, []).append(page)
    rows = []
    for case in cases:
        paging = getattr(case, "paging", None)
        pages = by_paging.get(paging.pk, []) if paging is not None else []
        current = [p for p in pages if paging is not None and p.round == paging.round]
        rows.append(BoardCase(case, paging, current, now))
    rows.sort(key=lambda r: (r.acknowledged_at is not None, r.case.opened_at))
    return rows


@dataclass(frozen=True)
class OnCallNow:
    level: int
    label: Any
    shift: Shift | None
    next_user: User | None
    next_at: dt.datetime | None


def on_call_now(now: dt.datetime | None = None) -> list[OnCallNow]:
    """Each level's shift now and who comes next: one query (the rules of oncall.rota, applied
    to the shifts that have not ended)."""
    now = now or timezone.now()
    shifts = list(
        Shift.objects.filter(cancelled_at__isnull=True, ends_at__gt=now)
        .select_related("user")
        .order_by("starts_at", "id")[:1000]
    )
    rows = []
    for level in Level:
        mine = [s for s in shifts if s.level == level]
        covering = [s for s in mine if s.starts_at <= now]
        overrides = sorted((s for s in covering if s.is_override), key=lambda s: (s.created_at, s.id))
        ordinary = [s for s in covering if not s.is_override]
        current = overrides[-1] if overrides else (ordinary[-1] if ordinary else None)
        after = current.ends_at if current is not None else now
        following = next((s for s in mine if s.starts_at >= after and s is not current), None)
        rows.append(
            OnCallNow(
                level,
                level.label,
                current,
                following.user if following else None,
                following.starts_at if following else None,
            )
        )
    return rows


def open_alerts() -> list[OncallAlert]:
    return list(
        OncallAlert.objects.filter(resolved_at__isnull=True)
        .select_related("delivery", "delivery__page__case")
        .order_by("kind", "starts_at", "id")[:50]
    )


@dataclass(frozen=True)
class ChannelHealth:
    channel: str
    target: str
    failed: int
    retrying: int
    last_error: str
    last_failed_at: dt.datetime | None


def failing_channels(
    now: dt.datetime | None = None, window: dt.timedelta = dt.timedelta(hours=24)
) -> list[ChannelHealth]:
    """Page channels with failures in the window: given up (failed) or retrying (pending after
    an error), each with its latest error. One query."""
    now = now or timezone.now()
    rows = (
        PageDelivery.objects.filter(page__isnull=False, created_at__gte=now - window)
        .filter(Q(status=DeliveryStatus.FAILED) | Q(status=DeliveryStatus.PENDING, attempts__gt=0))
        .values("channel", "target")
        .annotate(
            failed=Count("id", filter=Q(status=DeliveryStatus.FAILED)),
            retrying=Count("id", filter=Q(status=DeliveryStatus.PENDING)),
            last=Max("created_at"),
            last_error=Subquery(
                PageDelivery.objects.filter(channel=OuterRef("channel"), target=OuterRef("target"))
                .exclude(last_error="")
                .order_by("-id")
                .values("last_error")[:1]
            ),
        )
        .order_by("channel", "target")
    )
    health = []
    for row in rows:
        health.append(
            ChannelHealth(
                row["channel"],
                _display_target(row["channel"], row["target"]),
                row["failed"],
                row["retrying"],
                row["last_error"] or "",
                row["last"],
            )
        )
    return health


def _display_target(channel: str, target: str) -> str:
    """Webhook URLs may carry a token in their path or query: show the host only."""
    if channel != "webhook":
        return target
    from urllib.parse import urlsplit

    parts = urlsplit(target)
    return f"{parts.scheme}://{parts.netloc}/…"


def upcoming_shifts(now: dt.datetime | None = None, days: int = 14) -> list[Shift]:
    now = now or timezone.now()
    return list(
        Shift.objects.filter(cancelled_at__isnull=True, ends_at__gt=now, starts_at__lt=now + dt.timedelta(days=days))
        .select_related("user")
        .order_by("level", "starts_at", "id")
    )


def open_gap_alerts() -> list[OncallAlert]:
    return [a for a in open_alerts() if a.kind == AlertKind.ROTA_GAP]
