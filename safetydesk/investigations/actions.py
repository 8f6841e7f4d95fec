"""Changes to an investigation file: each checks the person may work the case, writes its row,
a timeline row and an audit row in one transaction (ARCHITECTURE §6)."""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from safetydesk.accounts.permissions import can_see_case, can_work_case
from safetydesk.audit.log import record_audit
from safetydesk.audit.models import AuditEventType
from safetydesk.cases.models import Case, CaseEvent
from safetydesk.intake.grouping import normalize_username
from safetydesk.investigations.models import (
    AlternateAccount,
    Basis,
    InvestigationReport,
    PriorWarning,
    RelatedCase,
    WarningKind,
)
from safetydesk.investigations.presenters import CASE_EVENT_INVESTIGATION
from safetydesk.lib.errors import Refusal


class InvestigationRefusal(Refusal):
    code = "investigation_refused"
    http_status = 422


class InvestigationNotPermitted(InvestigationRefusal):
    code = "investigation_not_permitted"
    http_status = 403


def _working(case: Case, acting_user: Any) -> Case:
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not can_work_case(acting_user, case):
        raise InvestigationNotPermitted(_("You may not change this investigation."))
    return case


def _record(case: Case, acting_user: Any, event: AuditEventType, subject: Any, **data: Any) -> None:
    Case.objects.filter(pk=case.pk).update(version=F("version") + 1, updated_at=timezone.now())
    CaseEvent.objects.create(case=case, actor=acting_user, kind=CASE_EVENT_INVESTIGATION, data=data)
    record_audit(event_type=event, actor=acting_user, subject=subject, data={"case": case.pk, "record": data["record"]})


@transaction.atomic
def do_link_case(*, case: Case, acting_user: Any, reference: str, note: str = "") -> RelatedCase:
    case = _working(case, acting_user)
    related = Case.objects.filter(reference__iexact=reference.strip()).first()
    # A case the person may not see is "not found", as everywhere (accounts.permissions).
    if related is None or not can_see_case(acting_user, related):
        raise InvestigationRefusal(_("No case %(reference)s that you can see.") % {"reference": reference.strip()[:40]})
    if related.pk == case.pk:
        raise InvestigationRefusal(_("A case cannot be related to itself."))
    if RelatedCase.objects.filter(case=case, related=related).exists():
        raise InvestigationRefusal(_("These cases are already related."))
    link = RelatedCase.objects.create(case=case, related=related, note=note.strip()[:2000], added_by=acting_user)
    _record(case, acting_user, AuditEventType.INVESTIGATION_UPDATED, link, record="related", related=related.reference)
    return link


@transaction.atomic
def do_add_alternate(
    *, case: Case, acting_user: Any, account: str, of_account: str, basis: str, note: str = ""
) -> AlternateAccount:
    case = _working(case, acting_user)
    account, of_account = " ".join(account.split()), " ".join(of_account.split())
    if not account or not of_account:
        raise InvestigationRefusal(_("Name both accounts."), details={"field": "account"})
    if normalize_username(account) == normalize_username(of_account):
        raise InvestigationRefusal(_("An account is not its own alternate."), details={"field": "account"})
    if basis not in Basis.values:
        raise InvestigationRefusal(_("Say what links the accounts."), details={"field": "basis"})
    known = {normalize_username(a.account) for a in case.alternate_accounts.all()}
    if normalize_username(account) in known:
        raise InvestigationRefusal(_("This account is already on the file."), details={"field": "account"})
    alternate = AlternateAccount.objects.create(
        case=case, account=account[:255], of_account=of_account[:255], basis=basis, note=note.strip()[:2000],
        added_by=acting_user,
    )  # fmt: skip
    _record(case, acting_user, AuditEventType.INVESTIGATION_UPDATED, alternate, record="alternate", basis=basis)
    return alternate


@transaction.atomic
def do_record_warning(
    *, case: Case, acting_user: Any, account: str, kind: str, given_on: dt.date, link: str = "", note: str = ""
) -> PriorWarning:
    case = _working(case, acting_user)
    account, link = " ".join(account.split()), link.strip()
    if not account:
        raise InvestigationRefusal(_("Name the account that was warned."), details={"field": "account"})
    if kind not in WarningKind.values:
        raise InvestigationRefusal(_("Say who gave the warning."), details={"field": "kind"})
    if given_on > timezone.localdate():
        raise InvestigationRefusal(_("A warning cannot be dated in the future."), details={"field": "given_on"})
    if link:
        try:
            URLValidator(schemes=["https", "http"])(link)
        except ValidationError as error:
            raise InvestigationRefusal(_("The link is not a web address."), details={"field": "link"}) from error
    warning = PriorWarning.objects.create(
        case=case, account=account[:255], kind=kind, given_on=given_on, link=link[:500], note=note.strip()[:2000],
        added_by=acting_user,
    )  # fmt: skip
    _record(case, acting_user, AuditEventType.INVESTIGATION_UPDATED, warning, record="warning", kind=kind)
    return warning


@transaction.atomic
def do_save_report(*, case: Case, acting_user: Any, text: str, base_version: int) -> InvestigationReport:
    """Save the draft report over the version the person started from; refused when someone
    saved another version meanwhile (their text is kept in the form to merge by hand)."""
    case = _working(case, acting_user)
    report, _created = InvestigationReport.objects.select_for_update().get_or_create(case=case)
    if report.version != base_version:
        raise InvestigationRefusal(
            _("Someone saved the report meanwhile (%(who)s). Reload it and merge your changes.")
            % {"who": report.updated_by or "?"},
            details={"field": "text", "version": report.version},
        )
    report.text, report.version = text.strip()[:200_000], report.version + 1
    report.updated_by, report.updated_at = acting_user, timezone.now()
    report.save()
    _record(case, acting_user, AuditEventType.INVESTIGATION_UPDATED, report, record="report", version=report.version)
    return report


def warnings_of(case: Case, account: str) -> list[dict[str, str]]:
    """The warnings on file for `account`, as a recommendation records them (reviews)."""
    key = normalize_username(account)
    return [
        {"kind": w.kind, "date": w.given_on.isoformat(), "link": w.link}
        for w in case.prior_warnings.all()
        if normalize_username(w.account) == key
    ]
