"""The Case Review Committee's roster (DOMAIN §12.2): volunteers known by pseudonym, their real
identity written down for legal counsel only, their agreement recorded."""

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from safetydesk.accounts.models import User
from safetydesk.accounts.permissions import can_keep_committee, can_sit_on_panels
from safetydesk.appeals.actions import AppealNotPermitted, AppealRefusal
from safetydesk.appeals.models import CommitteeMember
from safetydesk.audit.log import record_audit
from safetydesk.audit.models import AuditEventType


@transaction.atomic
def do_save_member(*, acting_user: Any, data: Any) -> CommitteeMember:
    """Add a member (or change one, by pseudonym): the login must be a volunteer's, holding the
    CRC role and no staff role."""
    if not can_keep_committee(acting_user):
        raise AppealNotPermitted(_("Legal counsel keep the committee's roster."))
    pseudonym = " ".join(str(data.get("pseudonym", "")).split())[:60]
    if not pseudonym:
        raise AppealRefusal(_("Give the member's pseudonym."), details={"field": "pseudonym"})
    user = User.objects.filter(username=str(data.get("username", "")).strip()).first()
    if user is None or not can_sit_on_panels(user):
        raise AppealRefusal(
            _("The login must exist, hold the Case Review Committee role, and no staff role."),
            details={"field": "username"},
        )
    signed = str(data.get("agreement_signed_on", "")).strip()
    try:
        signed_on = dt.date.fromisoformat(signed) if signed else None
    except ValueError:
        raise AppealRefusal(
            _("Give the agreement's date as YYYY-MM-DD."), details={"field": "agreement_signed_on"}
        ) from None
    if CommitteeMember.objects.filter(pseudonym=pseudonym).exclude(user=user).exists():
        raise AppealRefusal(_("Another member already has that pseudonym."), details={"field": "pseudonym"})
    member, created = CommitteeMember.objects.update_or_create(
        user=user,
        defaults={
            "pseudonym": pseudonym, "real_identity": str(data.get("real_identity", "")).strip()[:500],
            "wiki_accounts": str(data.get("wiki_accounts", "")).strip()[:2000], "agreement_signed_on": signed_on,
            "active": data.get("active", "on") in {"on", "yes", "true", True},
        },
    )  # fmt: skip
    record_audit(event_type=AuditEventType.CRC_MEMBER_SAVED, actor=acting_user, subject=member,
                 data={"created": created, "active": member.active})  # fmt: skip
    return member


def record_identities_read(reader: Any, members: list[CommitteeMember]) -> None:
    record_audit(event_type=AuditEventType.CRC_IDENTITY_VIEWED, actor=reader, subject=None,
                 data={"members": [m.pk for m in members]})  # fmt: skip
