"""Ban evasion (DOMAIN §7.3): an account reported as a banned person's is locked under the ban
once a manager signs off; it does not go through the review cycle again. The lock is an office
action of its own (a global lock; blocks on every wiki where the farm has no CentralAuth),
carried out through the outbox like the ban. Whoever reports an account cannot approve it."""

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safetydesk.accounts.permissions import can_decide_evasion, can_work_case
from safetydesk.audit.log import record_audit
from safetydesk.audit.models import AuditEventType
from safetydesk.enforcement.actions import EnforcementNotPermitted, EnforcementRefusal, do_carry_out
from safetydesk.enforcement.models import ActionStatus, ActionType, Evasion, EvasionStatus, OfficeAction
from safetydesk.intake.grouping import normalize_username

# A ban is in force from the moment it is being carried out until it is lifted.
IN_FORCE = frozenset({ActionStatus.ENFORCING, ActionStatus.ENFORCED, ActionStatus.NEEDS_ATTENTION})


@transaction.atomic
def do_report_evasion(*, acting_user: Any, ban: OfficeAction, account: str, evidence: str) -> Evasion:
    ban = OfficeAction.objects.select_for_update().select_related("case").get(pk=ban.pk)
    if not can_work_case(acting_user, ban.case):
        raise EnforcementNotPermitted(_("You may not report evasion on this case."))
    if ban.action_type != ActionType.FOUNDATION_GLOBAL_BAN or ban.status not in IN_FORCE:
        raise EnforcementRefusal(_("Evasion is reported against a Foundation global ban in force."))
    account, evidence = " ".join(account.split()), evidence.strip()
    if not account:
        raise EnforcementRefusal(_("Name the account."), details={"field": "account"})
    if not evidence:
        raise EnforcementRefusal(
            _("Say how it was verified: CheckUser data or behavioural evidence."), details={"field": "evidence"}
        )
    key = normalize_username(account)
    if key == normalize_username(ban.target):
        raise EnforcementRefusal(_("That is the banned account itself."), details={"field": "account"})
    known = [e for e in ban.evasions.exclude(status=EvasionStatus.DISMISSED) if normalize_username(e.account) == key]
    if known:
        raise EnforcementRefusal(_("This account is already reported under this ban."), details={"field": "account"})
    evasion = Evasion.objects.create(ban=ban, account=account[:255], evidence=evidence[:5000], reported_by=acting_user)
    record_audit(
        event_type=AuditEventType.EVASION_REPORTED, actor=acting_user, subject=evasion,
        data={"ban": ban.pk, "case": ban.case_id},
    )  # fmt: skip
    return evasion


@transaction.atomic
def do_decide_evasion(*, acting_user: Any, evasion: Evasion, lock: bool, note: str = "") -> Evasion:
    """A manager locks the account under the ban (the lock is carried out at once), or dismisses
    the report with a reason."""
    evasion = Evasion.objects.select_for_update().select_related("ban__case").get(pk=evasion.pk)
    ban = evasion.ban
    if not can_work_case(acting_user, ban.case) or not can_decide_evasion(acting_user):
        raise EnforcementNotPermitted(_("A manager signs off locks for ban evasion."))
    if evasion.status != EvasionStatus.REPORTED:
        raise EnforcementRefusal(_("This report was already decided."))
    if evasion.reported_by_id == acting_user.pk:
        raise EnforcementRefusal(_("Someone other than the person who reported it must sign off."))
    if not lock and not note.strip():
        raise EnforcementRefusal(_("Say why the report is dismissed."), details={"field": "note"})
    if lock and ban.status not in IN_FORCE:
        raise EnforcementRefusal(_("The ban is no longer in force."))
    evasion.decided_by, evasion.decided_at, evasion.decision_note = acting_user, timezone.now(), note.strip()[:2000]
    evasion.status = EvasionStatus.LOCKED if lock else EvasionStatus.DISMISSED
    if lock:
        evasion.lock = OfficeAction.objects.create(
            case=ban.case, action_type=ActionType.GLOBAL_LOCK, target=evasion.account, expiry="infinite",
            scope=f"evasion of office action #{ban.pk}", decided_by=acting_user,
        )  # fmt: skip
    evasion.save()
    record_audit(
        event_type=AuditEventType.EVASION_DECIDED, actor=acting_user, subject=evasion,
        data={"ban": ban.pk, "lock": evasion.lock_id},
    )  # fmt: skip
    if evasion.lock is not None:
        do_carry_out(office_action=evasion.lock, acting_user=acting_user)
    return evasion
