"""Who may see what: the one place case access is decided (ARCHITECTURE §7).

`access_case` answers 404 both for a case that does not exist and for one the user may not
see, so that references cannot be probed. Every opening of a restricted or child-safety case is
audited.
"""

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from safetydesk.accounts.roles import PRIVILEGED_READERS, Role
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
