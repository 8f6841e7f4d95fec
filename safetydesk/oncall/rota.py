"""Reading the rota: who is on call at a level at an instant, the escalation chain, and gaps.

Resolution at one level and instant: the newest override covering the instant wins; else the
ordinary shift covering it (ordinary shifts of a level never overlap; a handover ends one where
the next begins, so the boundary instant belongs to the later shift). Used by paging (inside the
emergency's creating transaction), by the board and by the gap job.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safetydesk.accounts.models import User
from safetydesk.accounts.roles import Role
from safetydesk.oncall.models import FallbackContact, Level, Shift

# The step names of the escalation chain, as stored on Page.step.
STEP_LABELS = {
    "primary": _("Primary"),
    "secondary": _("Secondary (escalation)"),
    "fallback": _("Fallback list"),
}
LEVEL_STEPS = {Level.PRIMARY: "primary", Level.SECONDARY: "secondary"}


def live_shifts() -> QuerySet[Shift]:
    return Shift.objects.filter(cancelled_at__isnull=True)


def covering_shifts(at: dt.datetime) -> dict[int, Shift]:
    """For each level someone covers at `at`, the shift that puts them on call there: the newest
    override, else the latest ordinary shift. One query for every level (an emergency's paging
    reads them while the reporter waits for the answer); few shifts cover any one instant."""
    chosen: dict[int, tuple[tuple[bool, dt.datetime, int], Shift]] = {}
    for shift in live_shifts().filter(starts_at__lte=at, ends_at__gt=at).select_related("user"):
        rank = (shift.is_override, shift.created_at if shift.is_override else shift.starts_at, shift.pk)
        if shift.level not in chosen or rank > chosen[shift.level][0]:
            chosen[shift.level] = (rank, shift)
    return {level: shift for level, (_rank, shift) in chosen.items()}


def covering_shift(level: int, at: dt.datetime) -> Shift | None:
    """The shift that puts someone on call at `level` at `at`, or None (a gap)."""
    return covering_shifts(at).get(level)


def _on_call(shift: Shift | None) -> User | None:
    return shift.user if shift is not None and shift.user.is_active else None


def current_responder(level: int, at: dt.datetime | None = None) -> User | None:
    """Who is on call at `level` at `at` (default now); None when nobody is."""
    return _on_call(covering_shift(level, at or timezone.now()))


def fallback_contacts() -> list[User]:
    """The fallback list; when managers have left it empty, every active manager and director,
    so that someone is always paged."""
    people = [c.user for c in FallbackContact.objects.select_related("user") if c.user.is_active]
    if people:
        return people
    return list(
        User.objects.filter(is_active=True, groups__name__in=[Role.MANAGER, Role.DIRECTOR]).distinct().order_by("id")
    )


@dataclass(frozen=True)
class Step:
    name: str  # primary | secondary | fallback
    people: tuple[User, ...]

    @property
    def label(self) -> Any:
        return STEP_LABELS[self.name]


def escalation_chain(at: dt.datetime | None = None) -> list[Step]:
    """Whom to page, in order, for an emergency at `at`: the primary responder, the secondary,
    then the fallback list. Levels nobody covers are left out, and a person already in an earlier
    step is not repeated; the fallback list always closes the chain, so it is never empty while
    anyone is a manager, director or fallback contact."""
    shifts = covering_shifts(at or timezone.now())
    steps: list[Step] = []
    seen: set[int] = set()
    for level in Level:
        person = _on_call(shifts.get(level))
        if person is not None and person.pk not in seen:
            steps.append(Step(LEVEL_STEPS[level], (person,)))
            seen.add(person.pk)
    fallback = tuple(p for p in fallback_contacts() if p.pk not in seen)
    if fallback or not steps:
        steps.append(Step("fallback", fallback))
    return steps


@dataclass(frozen=True)
class Gap:
    level: int
    starts_at: dt.datetime
    ends_at: dt.datetime


def gaps(level: int, start: dt.datetime, end: dt.datetime) -> list[Gap]:
    """The stretches of [start, end) in which nobody is on call at `level`."""
    intervals = sorted(
        live_shifts()
        .filter(level=level, starts_at__lt=end, ends_at__gt=start, user__is_active=True)
        .values_list("starts_at", "ends_at")
    )
    found: list[Gap] = []
    cursor = start
    for begins, ends in intervals:
        if begins > cursor:
            found.append(Gap(level, cursor, begins))
        cursor = max(cursor, ends)
        if cursor >= end:
            break
    if cursor < end:
        found.append(Gap(level, cursor, end))
    return found


def next_responder(level: int, at: dt.datetime | None = None) -> tuple[User, dt.datetime] | None:
    """Who takes over `level` after the shift covering `at` ends (the board's "next"), and when."""
    at = at or timezone.now()
    current = covering_shift(level, at)
    after = current.ends_at if current is not None else at
    following = (
        live_shifts()
        .filter(level=level, starts_at__gte=after)
        .select_related("user")
        .order_by("starts_at", "id")
        .first()
    )
    if following is None:
        still = covering_shift(level, after)
        return (still.user, after) if still is not None and current is not None and still.pk != current.pk else None
    return following.user, following.starts_at
