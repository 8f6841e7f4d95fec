"""Internal complaints under the EU Digital Services Act, Art. 20 (DOMAIN §19.5, INTEROP §DSA).

A complaint is against a decision with an EU nexus, within six months of it, free and
electronic. It is decided by a person who did not take the original decision, with a reasoned
reply that names the out-of-court dispute settlement route (Art. 21). When the decision is
also before the Case Review Committee, the complaint is linked to that appeal and takes the
panel's outcome: one hearing, not two. `figures()` gives the transparency report its numbers.
"""

import datetime as dt
import statistics
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from safetydesk.accounts.permissions import can_work_case
from safetydesk.appeals.actions import AppealNotPermitted, AppealRefusal, notified_at, timeline
from safetydesk.appeals.models import Appeal, Complaint, ComplaintOutcome, Outcome
from safetydesk.audit.log import record_audit
from safetydesk.audit.models import AuditEventType
from safetydesk.cases.models import Case, Party
from safetydesk.enforcement.models import OfficeAction
from safetydesk.notify.actions import do_queue_notice

# The panel's outcome as the complaint's (a returned case is decided again: the complaint waits).
FROM_PANEL = {Outcome.RATIFIED: ComplaintOutcome.UPHELD, Outcome.OVERTURNED: ComplaintOutcome.REVERSED}


def _record(complaint: Complaint, actor: Any, event: AuditEventType, **data: Any) -> None:
    record_audit(event_type=event, actor=actor, subject=complaint, data=data)
    timeline(complaint.case, actor, record="complaint", complaint=complaint.pk, **data)


def open_linked_complaint(appeal: Appeal, actor: Any) -> Complaint:
    """An appeal of an EU-nexus decision is also its Art. 20 complaint."""
    complaint = Complaint.objects.create(
        case=appeal.case, office_action=appeal.office_action, decision_ref=appeal.original_case.reference,
        appeal=appeal, complainant=appeal.appellant, grounds=appeal.grounds, received_at=appeal.received_at,
    )  # fmt: skip
    _record(complaint, actor, AuditEventType.COMPLAINT_OPENED, linked=True)
    return complaint


@transaction.atomic
def do_open_complaint(
    *,
    case: Case,
    acting_user: Any,
    original: Case,
    office_action: OfficeAction | None,
    complainant: Party,
    grounds: str,
    received_at: dt.datetime | None = None,
) -> Complaint:
    """A complaint that is not (or not yet) an appeal to the committee: recorded on its case."""
    if not can_work_case(acting_user, case):
        raise AppealNotPermitted(_("You may not record complaints on this case."))
    if not original.eu_nexus:
        raise AppealRefusal(_("Art. 20 complaints are for decisions with an EU nexus; this case has none."))
    if complainant.case_id != original.pk:
        raise AppealRefusal(_("The complainant must be a party of the decided case."), details={"field": "complainant"})
    grounds = (grounds or "").strip()
    if not grounds:
        raise AppealRefusal(_("Give the grounds of the complaint."), details={"field": "grounds"})
    received_at = received_at or timezone.now()
    if received_at > notified_at(original, office_action) + dt.timedelta(days=settings.APPEAL_WINDOW_DAYS):
        raise AppealRefusal(_("The six months to complain about this decision have passed."))
    linked = Appeal.objects.filter(original_case=original, office_action=office_action, appellant=complainant,
                                   complaint__isnull=True).first()  # fmt: skip
    complaint = Complaint.objects.create(
        case=case, office_action=office_action, decision_ref=original.reference, appeal=linked,
        complainant=complainant, grounds=grounds[:20_000], received_at=received_at,
    )  # fmt: skip
    _record(complaint, acting_user, AuditEventType.COMPLAINT_OPENED, linked=linked is not None)
    return complaint


def original_deciders(complaint: Complaint) -> set[int]:
    """Everyone who took part in the original decision: they may not decide the complaint."""
    action = complaint.office_action
    if action is None:
        return set()
    people = {action.decided_by_id}
    for recommendation in action.case.recommendations.all():
        people |= {recommendation.author_id, recommendation.decided_by_id}
        people |= set(recommendation.steps.values_list("reviewer_id", flat=True))
    return {p for p in people if p is not None}


@transaction.atomic
def do_decide_complaint(*, complaint: Complaint, acting_user: Any, outcome: str, reply: str) -> Complaint:
    complaint = Complaint.objects.select_for_update(of=("self",)).select_related("case", "appeal").get(pk=complaint.pk)
    if not can_work_case(acting_user, complaint.case):
        raise AppealNotPermitted(_("You may not decide complaints on this case."))
    if complaint.decided_at is not None:
        raise AppealRefusal(_("This complaint has been decided."))
    appeal = complaint.appeal
    if appeal is not None and appeal.eligible is not False and appeal.outcome != Outcome.RETURNED:
        raise AppealRefusal(_("The Case Review Committee hears this decision; the complaint takes its outcome."))
    if acting_user.pk in original_deciders(complaint):
        raise AppealNotPermitted(
            _("You took part in the original decision; another reviewer must decide the complaint (DSA Art. 20).")
        )
    if outcome not in ComplaintOutcome.values:
        raise AppealRefusal(_("Choose: upheld, reversed or partly reversed."), details={"field": "outcome"})
    reply = (reply or "").strip()
    if not reply:
        raise AppealRefusal(_("Write the reasoned reply."), details={"field": "reply"})
    _decide(complaint, outcome=outcome, reply=reply[:20_000], reviewer=acting_user)
    return complaint


def settle_linked_complaint(appeal: Appeal) -> Complaint | None:
    """The panel's outcome decides the linked complaint (upheld or reversed)."""
    complaint = Complaint.objects.filter(appeal=appeal, decided_at__isnull=True).first()
    outcome = FROM_PANEL.get(appeal.outcome)  # type: ignore[call-overload]
    if complaint is None or outcome is None:
        return None
    _decide(complaint, outcome=outcome, reply="", reviewer=None)
    return complaint


def _decide(complaint: Complaint, *, outcome: str, reply: str, reviewer: Any) -> None:
    complaint.outcome, complaint.reply, complaint.decided_at = outcome, reply, timezone.now()
    complaint.reviewer, complaint.decided_by_panel = reviewer, reviewer is None
    complaint.save()
    _record(complaint, reviewer or "appeals:panel", AuditEventType.COMPLAINT_DECIDED, outcome=outcome)
    party = complaint.complainant
    if party is not None and party.email and reviewer is not None:  # the panel's outcome is told as the appeal's
        language = party.language or complaint.case.language or "en"
        with translation.override(language):
            outcome_label = str(complaint.get_outcome_display())
        do_queue_notice(
            case=complaint.case, item=None, recipient=party.email, key="complaint_decision", language=language,
            context={"complaint_outcome": outcome_label, "reply": reply, "redress_info": settings.DSA_REDRESS_INFO},
        )  # fmt: skip


def figures(start: dt.datetime, end: dt.datetime) -> dict[str, Any]:
    """DSA Art. 15(1)(d), 24(1): complaints received in [start, end) — how many, the decisions,
    the median days from receipt to decision, and how many reversed the original decision."""
    received = Complaint.objects.filter(received_at__gte=start, received_at__lt=end)
    decided = [c for c in received if c.decided_at is not None]
    days = [(c.decided_at - c.received_at).total_seconds() / 86400 for c in decided if c.decided_at]
    outcomes = {key: sum(1 for c in decided if c.outcome == key) for key in ComplaintOutcome.values}
    return {
        "received": received.count(),
        "decided": len(decided),
        "outcomes": outcomes,
        "reversed": outcomes[ComplaintOutcome.REVERSED] + outcomes[ComplaintOutcome.PARTIALLY_REVERSED],
        "median_days_to_decision": round(statistics.median(days), 1) if days else None,
    }
