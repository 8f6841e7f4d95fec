"""Foreign legal demands to remove content (DOMAIN §10) and the public applicable-law log.

The default answer is the community: the demand is logged, legal counsel review it and try the
community avenue before the demand's deadline. Only when that is exhausted and, on balance, the
content must go, is it removed as an office action (LEGAL_CONTENT_REMOVAL, through the outbox,
after the community was informed). Each removal is a row of the applicable-law log with exactly
its six columns; a binding non-disclosure order reduces the row to what may be said.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safetydesk.audit.log import record_audit
from safetydesk.audit.models import AuditEventType
from safetydesk.cases.actions import do_transition, lock_case
from safetydesk.cases.models import Case, CaseKind
from safetydesk.enforcement.actions import do_carry_out
from safetydesk.enforcement.models import ActionType, OfficeAction
from safetydesk.legal.dmca import require_counsel, require_worker, timeline
from safetydesk.legal.errors import LegalRefusal
from safetydesk.legal.models import ContentDemand
from safetydesk.legal.urls_named import name_page
from safetydesk.legal.workflows import COMMUNITY_AVENUE, DEMAND_REVIEW, LOGGED, REMOVAL_DECIDED
from safetydesk.wiki.models import Wiki


def _locked(demand: ContentDemand) -> ContentDemand:
    return ContentDemand.objects.select_for_update().select_related("case").get(pk=demand.pk)


@transaction.atomic
def do_log_demand(
    *,
    case: Case,
    acting_user: Any,
    region_of_origin: str,
    authority: str,
    project: str,
    content: list[str],
    deadline: dt.datetime | None = None,
    government: bool = False,
    text_url: str = "",
    nondisclosure: bool = False,
    eu_order: bool = False,
) -> ContentDemand:
    case = lock_case(case, None)
    require_worker(case, acting_user)
    if case.kind != CaseKind.LEGAL_REQUEST or case.state != LOGGED:
        raise LegalRefusal(_("Demands are logged on an acknowledged legal-request case."))
    links = [line.strip() for line in content if line.strip()]
    if not region_of_origin.strip() or not authority.strip() or not project.strip() or not links:
        raise LegalRefusal(_("Give the region of origin, who sent it, the project and the content involved."),
                           details={"field": "content"})  # fmt: skip
    if region_of_origin.strip().upper() in {"US", "USA", "UNITED STATES"}:
        raise LegalRefusal(_("A demand from the United States is not a foreign demand: handle it as US legal process."),
                           details={"field": "region_of_origin"})  # fmt: skip
    for link in links:
        name_page(link)  # a search or a non-link is refused with its reason
    demand = ContentDemand.objects.create(
        case=case, region_of_origin=region_of_origin.strip()[:100], authority=authority.strip()[:500],
        government=government, project=project.strip()[:100], content="\n".join(links), deadline=deadline,
        text_url=text_url.strip()[:500], nondisclosure=nondisclosure, eu_order=eu_order,
    )  # fmt: skip
    do_transition(case=case, transition="log_demand", acting_user=acting_user)
    record_audit(event_type=AuditEventType.CONTENT_DEMAND_LOGGED, actor=acting_user, subject=demand,
                 data={"region": demand.region_of_origin, "government": government})  # fmt: skip
    timeline(case, acting_user, record="demand_logged")
    return demand


@transaction.atomic
def do_try_community(*, demand: ContentDemand, acting_user: Any, avenue: str) -> ContentDemand:
    """DOMAIN §10: "exhausted community avenues … available within the timeframe of the demand"."""
    demand = _locked(demand)
    require_counsel(demand.case, acting_user)
    if demand.case.state != DEMAND_REVIEW:
        raise LegalRefusal(_("The demand is not in legal review."))
    if not avenue.strip():
        raise LegalRefusal(_("Say which community avenue was tried (where, with whom)."), details={"field": "avenue"})
    do_transition(case=demand.case, transition="try_community", acting_user=acting_user)
    demand.community_avenue, demand.community_attempted_at = avenue.strip()[:5000], timezone.now()
    demand.save(update_fields=["community_avenue", "community_attempted_at"])
    timeline(demand.case, acting_user, record="community_avenue")
    return demand


@transaction.atomic
def do_resolve_by_community(*, demand: ContentDemand, acting_user: Any) -> ContentDemand:
    demand = _locked(demand)
    require_counsel(demand.case, acting_user)
    do_transition(case=demand.case, transition="resolved_by_community", acting_user=acting_user)
    demand.resolved_by_community_at = timezone.now()
    demand.save(update_fields=["resolved_by_community_at"])
    timeline(demand.case, acting_user, record="resolved_by_community")
    return demand


@transaction.atomic
def do_decide_removal(*, demand: ContentDemand, acting_user: Any, community_informed: bool) -> ContentDemand:
    """Legal counsel decide, on balance, that the content must go: the affected community must
    have been told first (DOMAIN §10: "an effort to inform the affected community")."""
    demand = _locked(demand)
    require_counsel(demand.case, acting_user)
    if demand.case.state != COMMUNITY_AVENUE:
        raise LegalRefusal(_("Try the community avenue before deciding a removal."))
    if not community_informed:
        raise LegalRefusal(_("Inform the affected community before the removal, then record it."),
                           details={"field": "community_informed"})  # fmt: skip
    do_transition(case=demand.case, transition="decide_removal", acting_user=acting_user)
    now = timezone.now()
    demand.removal_decided_at = demand.community_informed_at = now
    demand.save(update_fields=["removal_decided_at", "community_informed_at"])
    timeline(demand.case, acting_user, record="removal_decided")
    return demand


@transaction.atomic
def do_remove(*, demand: ContentDemand, acting_user: Any) -> list[OfficeAction]:
    """The removal, as an office action per page, through the outbox (or by hand where the
    wiki is not registered); the log row appears once the removal is recorded."""
    demand = _locked(demand)
    require_counsel(demand.case, acting_user)
    if demand.case.state != REMOVAL_DECIDED:
        raise LegalRefusal(_("The removal is decided before it is carried out."))
    wikis = {w.name: w for w in Wiki.objects.all()}
    actions = []
    for link in demand.content.splitlines():
        page = name_page(link)
        action = OfficeAction.objects.create(
            case=demand.case, action_type=ActionType.LEGAL_CONTENT_REMOVAL, target=page.title or link,
            wiki=wikis.get(page.wiki), details={"page": page.title, "url": page.url}, decided_by=acting_user,
        )  # fmt: skip
        do_carry_out(office_action=action, acting_user=acting_user)
        actions.append(action)
    do_transition(case=demand.case, transition="remove", acting_user=acting_user)
    demand.removals.add(*actions)
    demand.removed_at = timezone.now()
    demand.save(update_fields=["removed_at"])
    record_audit(event_type=AuditEventType.CONTENT_DEMAND_REMOVED, actor=acting_user, subject=demand,
                 data={"removals": [a.pk for a in actions]})  # fmt: skip
    timeline(demand.case, acting_user, record="removed")
    return actions


@dataclass(frozen=True)
class LogRow:
    """One row of the applicable-law log: exactly its six columns (DOMAIN §10)."""

    date_received: str
    region_of_origin: str
    project_affected: str
    content_involved: str
    date_removed: str
    text_of_demand: str


WITHHELD = "Withheld (non-disclosure order)"


def applicable_law_log() -> list[LogRow]:
    """Every removal, newest first; under a non-disclosure order, only the dates remain."""
    rows = []
    for demand in ContentDemand.objects.filter(removed_at__isnull=False).order_by("-removed_at", "-pk"):
        assert demand.removed_at is not None
        secret = demand.nondisclosure
        rows.append(
            LogRow(
                date_received=demand.received_at.date().isoformat(),
                region_of_origin=WITHHELD if secret else demand.region_of_origin,
                project_affected=WITHHELD if secret else demand.project,
                content_involved=WITHHELD if secret else demand.content,
                date_removed=demand.removed_at.date().isoformat(),
                text_of_demand=WITHHELD if secret else demand.text_url,
            )
        )
    return rows
