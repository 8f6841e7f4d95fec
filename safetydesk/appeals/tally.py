"""The committee's public tally (DOMAIN §12.3): "the numbers of cases reviewed and the
percentages ratified, overturned, or returned", per half-year. Counts only: no references,
no dates finer than the half-year, no accounts."""

from collections import Counter, defaultdict
from typing import Any

from safetydesk.appeals.models import Appeal, Outcome


def half_year(moment: Any) -> str:
    return f"{moment.year}-H{1 if moment.month <= 6 else 2}"


def tally() -> list[dict[str, Any]]:
    """Newest half-year first: {"period", "reviewed", "ratified", "overturned", "returned"},
    the last three as percentages of the reviewed, rounded to one decimal."""
    periods: dict[str, Counter[str]] = defaultdict(Counter)
    for decided_at, outcome in Appeal.objects.exclude(outcome="").values_list("decided_at", "outcome"):
        periods[half_year(decided_at)][outcome] += 1
    rows = []
    for period in sorted(periods, reverse=True):
        counts = periods[period]
        reviewed = sum(counts.values())
        rows.append(
            {
                "period": period,
                "reviewed": reviewed,
                **{key: round(100 * counts[key] / reviewed, 1) for key in Outcome.values},
            }
        )
    return rows
