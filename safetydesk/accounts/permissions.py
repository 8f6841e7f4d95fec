"""Who may see what: the one place case access is decided (ARCHITECTURE §7).

`access_case` answers 404 both for a case that does not exist and for one the user may not
see, so that references cannot be probed. Every opening of a restricted or child-safety case is
audited.
"""

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from safetydesk.accounts.roles import (
    CASEWORK_ROLES,
    EVASION_DECIDERS,
    EVENT_BAN_KEEPERS,
    PRIVILEGED_READERS,
    READ_ONLY_ROLES,
    Role,
)
from safetydesk.audit.log import record_audit
from safetydesk.audit.models import AuditEventType
from safetydesk.cases.models import NAMED_ONLY_LEVELS, Case, Confidentiality


def may_read_level(user: Any, level: str, *, member: bool) -> bool:
    """The confidentiality rule itself (ARCHITECTURE §7), for cases and for items not yet in a
    case: internal files are open to every case-file reader, legal-privileged ones to legal
    and directors, child-safety ones to holders of the clearance, restricted ones to named
    members only. Members of a case may always read it."""
    if not getattr(user, "is_authenticated", False) or not user.can_read_internal:
        return False
    if member or level == Confidentiality.INTERNAL:
        return True
    if level == Confidentiality.LEGAL_PRIVILEGED:
        return bool(user.roles & PRIVILEGED_READERS)
    if level == Confidentiality.CHILD_SAFETY:
        return Role.CHILD_SAFETY in user.roles
    return False


def visible_cases_q(user: Any) -> Q:
    """The cases a user may see, as a filter (used by queue, search, dashboard and API)."""
    if not getattr(user, "is_authenticated", False) or not user.can_read_internal:
        return Q(pk__in=[])
    named = Q(pk__in=Case.members.through.objects.filter(user_id=user.pk).values("case_id"))
    levels = [Confidentiality.INTERNAL]
    levels += [
        level
        for level in (Confidentiality.LEGAL_PRIVILEGED, Confidentiality.CHILD_SAFETY)
        if may_read_level(user, level, member=False)
    ]
    return Q(confidentiality__in=levels) | named


def visible_cases(user: Any) -> QuerySet[Case]:
    return Case.objects.filter(visible_cases_q(user))


def can_see_case(user: Any, case: Case) -> bool:
    if may_read_level(user, case.confidentiality, member=False):
        return True
    return may_read_level(user, case.confidentiality, member=True) and case.members.filter(pk=user.pk).exists()


def can_work_case(user: Any, case: Case) -> bool:
    """May change the case (auditors and other read-only roles may not)."""
    return can_see_case(user, case) and user.is_casework_staff


def access_case(user: Any, reference: str, *, for_update: bool = False, ip_address: str | None = None) -> Case:
    """The case by reference (or numeric id) if this user may see it; Http404 otherwise."""
    lookup = Q(reference=reference)
    if reference.isdigit():
        lookup |= Q(pk=int(reference))
    qs = Case.objects.select_related("lead")
    if for_update:
        qs = qs.select_for_update()
    case = qs.filter(lookup).first()
    if case is None or not can_see_case(user, case):
        raise Http404("No such case")
    if case.confidentiality in NAMED_ONLY_LEVELS:
        record_audit(
            event_type=AuditEventType.RESTRICTED_CASE_VIEWED, actor=user, subject=case, ip_address=ip_address
        )
    return case


def is_admin(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.has_role(Role.ADMINISTRATOR))


# --- On call and paging (oncall) ---------------------------------------------------------------
# Who keeps the rota, the fallback list and the board's alerts.
ROTA_KEEPERS = frozenset({Role.MANAGER, Role.DIRECTOR})
# Who may be put on call (a shift or the fallback list).
ONCALL_ELIGIBLE = frozenset({Role.ONCALL, Role.MANAGER, Role.DIRECTOR, Role.SPECIALIST})


def can_manage_rota(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.roles & ROTA_KEEPERS)


def can_be_on_call(user: Any) -> bool:
    return bool(user is not None and user.is_active and user.roles & ONCALL_ELIGIBLE)


def can_view_oncall(user: Any) -> bool:
    """The emergency board and the rota (read): every reader of internal case files."""
    return bool(getattr(user, "is_authenticated", False) and user.can_read_internal)


def can_acknowledge_page(user: Any, case: Case) -> bool:
    """Anyone who may work the emergency case may acknowledge its page (the paged responder,
    the next level, the manager who picked it up): what matters is that someone has it."""
    return can_work_case(user, case)


# --- The emergency track (DOMAIN §5, §13.3) ---------------------------------------------------

# Who works emergencies: the on-call responders, specialists and their managers.
EMERGENCY_RESPONDERS = frozenset({Role.ONCALL, Role.SPECIALIST, Role.MANAGER, Role.DIRECTOR})
# Who may disclose user data to law enforcement without the review chain (DOMAIN §5.4).
DISCLOSERS = frozenset({Role.ONCALL, Role.MANAGER, Role.DIRECTOR, Role.LEGAL_COUNSEL})


def can_work_emergency(user: Any, case: Case) -> bool:
    """May record triage, location, referrals and follow-ups, and open an investigation from it."""
    return can_work_case(user, case) and bool(user.roles & EMERGENCY_RESPONDERS)


def can_record_disclosure(user: Any, case: Case) -> bool:
    return can_work_case(user, case) and bool(user.roles & DISCLOSERS)


def can_act_as_counsel(user: Any, case: Case) -> bool:
    """Legal counsel working this case: what only a Foundation attorney decides (a disclosure's
    confirmation, an appeal's eligibility, a DMCA notice's merits, legal process)."""
    return can_work_case(user, case) and Role.LEGAL_COUNSEL in user.roles


def can_confirm_disclosure(user: Any, case: Case) -> bool:
    """Legal's confirmation of a disclosure after the fact: legal counsel only."""
    return can_act_as_counsel(user, case)


def can_record_functionary_report(user: Any, case: Case) -> bool:
    return can_work_case(user, case)


def can_see_emergency_counts(user: Any) -> bool:
    """The transparency counts: aggregates without personal data, for every case-file reader."""
    return bool(getattr(user, "is_authenticated", False) and user.can_read_internal)


# --- Wikis (wiki) ------------------------------------------------------------------------------


def can_manage_wikis(actor: Any) -> bool:
    """Who may add a wiki or change its bot password: administrators, and the operator at the
    server's shell (a "cli:…" actor), who holds the encryption keys in any case."""
    if isinstance(actor, str):
        return actor.startswith("cli:")
    return is_admin(actor)


# --- Event bans (enforcement.event_bans) ---------------------------------------------------------


def can_read_event_bans(user: Any) -> bool:
    """DOMAIN §8.2: the list is T&S's, "limited to T&S and any necessary c-level or Legal team
    members" (accounts.roles.EVENT_BAN_READERS)."""
    return bool(getattr(user, "is_authenticated", False) and user.can_read_event_bans)


def can_keep_event_bans(user: Any) -> bool:
    """Adds events, names events on a ban, shares the list with organisers: the T&S team."""
    return bool(getattr(user, "is_authenticated", False) and user.roles & EVENT_BAN_KEEPERS)


def can_decide_evasion(user: Any) -> bool:
    """DOMAIN §7.3: a lock for ban evasion needs a manager's sign-off, not the review cycle."""
    return bool(getattr(user, "is_authenticated", False) and user.roles & EVASION_DECIDERS)


# --- Appeals and the Case Review Committee (appeals) ------------------------------------------


def can_sit_on_panels(user: Any) -> bool:
    """DOMAIN §12.2: the committee is community volunteers. An active account with the CRC role
    and no staff role (a staff member never sits on a panel, even holding the role too)."""
    return bool(
        getattr(user, "is_authenticated", False)
        and Role.CRC_MEMBER in user.roles
        and not user.roles & (CASEWORK_ROLES | READ_ONLY_ROLES | {Role.ADMINISTRATOR})
    )


# DOMAIN §12.1: "A Foundation attorney will check each case where appeal is requested".
can_decide_eligibility = can_act_as_counsel


def can_read_panel_file(user: Any, seat: Any) -> bool:
    """A member reads an appeal's case file only while seated on its panel (not after recusing)."""
    from safetydesk.appeals.models import SeatStatus

    return can_sit_on_panels(user) and seat.member.user_id == user.pk and seat.status == SeatStatus.SEATED


def can_keep_committee(user: Any) -> bool:
    """Adds members and records their agreements: legal counsel, who alone knows who they are."""
    return bool(getattr(user, "is_authenticated", False) and Role.LEGAL_COUNSEL in user.roles)


can_see_member_identity = can_keep_committee
