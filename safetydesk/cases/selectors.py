"""Read queries shared by the console and the API: the queue, the dashboard, search, a case.

Query counts here must not grow with the number of cases (benchmarks/queue.py checks it):
every list is one query for a page of rows plus fixed look-ups, ordered along an index.
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from safetydesk.accounts.permissions import visible_cases
from safetydesk.cases.models import Case, CaseEvent, CaseKind, Evidence, Priority

# Encrypted columns no list shows: deferring them saves a decryption per row and field.
LIST_DEFERRED = ("summary", "closure_reason")


@dataclass(frozen=True)
class QueueFilters:
    kind: str = ""
    state: str = ""
    priority: str = ""
    language: str = ""
    assignee: str = ""  # a user id, "me", or "none" for unassigned
    overdue: bool = False
    status: str = "open"  # open | closed | all

    @classmethod
    def from_params(cls, params: Any) -> "QueueFilters":
        def get(name: str) -> str:
            return str(params.get(name, "") or "").strip()

        return cls(
            kind=get("kind") if get("kind") in CaseKind.values else "",
            state=get("state")[:48],
            priority=get("priority") if get("priority") in Priority.values else "",
            language=get("language")[:8],
            assignee=get("assignee")[:12],
            overdue=get("overdue") in {"1", "true", "on", "yes"},
            status=get("status") if get("status") in {"open", "closed", "all"} else "open",
        )

    def is_default(self) -> bool:
        return self == QueueFilters()


def queue(user: Any, filters: QueueFilters) -> QuerySet[Case]:
    """Cases this user may see, filtered, in working order: priority, then the next deadline
    (closed cases: the most recently closed first)."""
    qs = visible_cases(user)
    if filters.status == "open":
        qs = qs.filter(closed_at__isnull=True)
    elif filters.status == "closed":
        qs = qs.filter(closed_at__isnull=False)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.priority:
        qs = qs.filter(priority=filters.priority)
    if filters.language:
        qs = qs.filter(language=filters.language)
    if filters.assignee == "me":
        qs = qs.filter(lead_id=user.pk)
    elif filters.assignee == "none":
        qs = qs.filter(lead__isnull=True)
    elif filters.assignee.isdigit():
        qs = qs.filter(lead_id=int(filters.assignee))
    if filters.overdue:
        qs = qs.filter(sla_due_at__lt=timezone.now())
    order = ("-closed_at", "-id") if filters.status == "closed" else ("priority", "sla_due_at", "id")
    return qs.select_related("lead").defer(*LIST_DEFERRED).order_by(*order)


def page_of(qs: QuerySet[Case], page: int, size: int) -> tuple[list[Case], bool]:
    """One page and whether another follows: no COUNT(*) over the whole queue."""
    page = max(page, 1)
    rows = list(qs[(page - 1) * size : page * size + 1])
    return rows[:size], len(rows) > size


@dataclass(frozen=True)
class Dashboard:
    mine: list[Case]
    overdue: list[Case]
    unassigned: list[Case]
    counts: dict[str, int]


def dashboard(user: Any, limit: int = 10) -> Dashboard:
    open_cases = visible_cases(user).filter(closed_at__isnull=True).select_related("lead").defer(*LIST_DEFERRED)
    order = ("priority", "sla_due_at", "id")
    now = timezone.now()
    counts = open_cases.aggregate(
        mine=Count("pk", filter=Q(lead_id=user.pk)),
        overdue=Count("pk", filter=Q(sla_due_at__lt=now)),
        unassigned=Count("pk", filter=Q(lead__isnull=True)),
        open=Count("pk"),
    )
    return Dashboard(
        mine=list(open_cases.filter(lead_id=user.pk).order_by(*order)[:limit]),
        overdue=list(open_cases.filter(sla_due_at__lt=now).order_by(*order)[:limit]),
        unassigned=list(open_cases.filter(lead__isnull=True).order_by(*order)[:limit]),
        counts=counts,
    )


def search(user: Any, text: str, limit: int = 50) -> list[Case]:
    """By reference (exact, or just the number) or by words of the title."""
    text = text.strip()
    if not text:
        return []
    qs = visible_cases(user).select_related("lead").defer(*LIST_DEFERRED)
    exact = qs.filter(Q(reference__iexact=text) | Q(reference__iendswith=f"-{text.zfill(6)}"))
    found = list(exact[:limit])
    if found:
        return found
    title_q = Q()
    for word in text.split()[:8]:
        title_q &= Q(title__icontains=word)
    return list(qs.filter(title_q).order_by("-opened_at", "-id")[:limit])


def case_detail(case: Case) -> Case:
    """The case with everything its page shows, in a fixed number of queries."""
    return (
        Case.objects.select_related("lead", "created_by")
        .prefetch_related(
            "assistants",
            "parties",
            # captured_by: the API shows who captured each item (chain of custody).
            Prefetch("evidence", queryset=Evidence.objects.select_related("captured_by")),
            "notes__author",
            Prefetch("events", queryset=CaseEvent.objects.select_related("actor").order_by("created_at", "id")),
        )
        .get(pk=case.pk)
    )
