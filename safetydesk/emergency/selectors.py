"""Reads the emergency pages and API share: a case's emergency record, and the transparency
report's "Emergency Disclosures" counts (DOMAIN §5.6, §11.4, §18.2)."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safetydesk.cases.models import Case
from safetydesk.emergency.models import (
    Disclosure,
    DisclosureKind,
    FollowUp,
    FunctionaryDisclosureReport,
    InvestigationLink,
    Referral,
    ThreatType,
    TriageRecord,
)

# The published breakdown "Emergency disclosures by type" (DOMAIN §5.6, Dec 2016 report).
REPORT_TYPES = {
    ThreatType.PHYSICAL_PERSON: "individual",
    ThreatType.PUBLIC_HARM: "terrorist",
    ThreatType.SELF_HARM: "suicide",
    ThreatType.PHYSICAL_PROPERTY: "other",
    "": "other",
}
REPORT_TYPE_LABELS = {
    "individual": _("Individual threats"),
    "terrorist": _("Terrorist threats"),
    "suicide": _("Suicide threats"),
    "other": _("Other"),
}
UNKNOWN_COUNTRY = "Unknown"


@dataclass(frozen=True)
class EmergencyRecord:
    triage: TriageRecord | None
    referrals: list[Referral]
    follow_ups: list[FollowUp]
    disclosures: list[Disclosure]
    investigations: list[InvestigationLink]


def emergency_record(case: Case) -> EmergencyRecord:
    """Everything the emergency track recorded on a case, in a fixed number of queries."""
    return EmergencyRecord(
        triage=TriageRecord.objects.filter(case=case).select_related("decided_by", "location_traced_by").first(),
        referrals=list(Referral.objects.filter(case=case).select_related("referred_by")),
        follow_ups=list(FollowUp.objects.filter(case=case).select_related("author")),
        disclosures=list(Disclosure.objects.filter(case=case).select_related("disclosed_by", "legal_confirmed_by")),
        investigations=list(InvestigationLink.objects.filter(emergency=case).select_related("investigation")),
    )


def functionary_report(case: Case) -> FunctionaryDisclosureReport | None:
    return FunctionaryDisclosureReport.objects.filter(case=case).select_related("related_case").first()


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    emergency_requests: int = 0
    requests_produced: int = 0
    voluntary_disclosures: int = 0

    @property
    def total_disclosures(self) -> int:
        """Disclosures made: answered requests that produced data, and voluntary ones."""
        return self.requests_produced + self.voluntary_disclosures


@dataclass(frozen=True)
class EmergencyCounts:
    start: dt.date
    end: dt.date  # inclusive
    total: Row
    by_type: list[Row] = field(default_factory=list)
    by_country: list[Row] = field(default_factory=list)


def _bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The period in UTC, both days included (DOMAIN §18.3: by the date of the disclosure)."""
    utc = dt.UTC
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=utc),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=utc),
    )


def _aggregates() -> dict[str, Count]:
    requests = Q(kind=DisclosureKind.EMERGENCY_REQUEST)
    return {
        "emergency_requests": Count("pk", filter=requests),
        "requests_produced": Count("pk", filter=requests & Q(produced=True)),
        "voluntary_disclosures": Count("pk", filter=Q(kind=DisclosureKind.VOLUNTARY_DISCLOSURE)),
    }


def emergency_counts(start: dt.date, end: dt.date) -> EmergencyCounts:
    """Emergency requests from law enforcement and voluntary disclosures in [start, end], in
    total, by the report's threat types and by country. Aggregates only: no case, no person.
    Three queries whatever the period."""
    low, high = _bounds(start, end)
    period = Disclosure.objects.filter(disclosed_at__gte=low, disclosed_at__lt=high).order_by()
    total = period.aggregate(**_aggregates())

    names = ("emergency_requests", "requests_produced", "voluntary_disclosures")
    types: dict[str, dict[str, int]] = {key: dict.fromkeys(names, 0) for key in REPORT_TYPE_LABELS}
    for row in period.values("threat_type").annotate(**_aggregates()):
        bucket = types[REPORT_TYPES.get(str(row["threat_type"]), "other")]
        for name in names:
            bucket[name] += int(row[name])  # type: ignore[literal-required]
    by_type = [Row(key, str(REPORT_TYPE_LABELS[key]), **counts) for key, counts in types.items()]

    by_country = []
    for by in period.values("country").annotate(**_aggregates()):
        country = str(by["country"])
        counts = {name: int(by[name]) for name in names}  # type: ignore[literal-required]
        by_country.append(Row(country or UNKNOWN_COUNTRY, country or str(_("Unknown")), **counts))
    by_country.sort(key=lambda r: (r.key == UNKNOWN_COUNTRY, -r.emergency_requests - r.voluntary_disclosures, r.key))
    return EmergencyCounts(
        start=start, end=end, total=Row("total", str(_("Total")), **total), by_type=by_type, by_country=by_country
    )


def default_period(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The current half-year of the transparency report (January to June, July to December)."""
    today = today or timezone.localdate(timezone.now(), dt.UTC)
    if today.month <= 6:
        return dt.date(today.year, 1, 1), dt.date(today.year, 6, 30)
    return dt.date(today.year, 7, 1), dt.date(today.year, 12, 31)
