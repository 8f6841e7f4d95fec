"""Appeals from filing to the case file (DOMAIN §12.1, §12.4): the link in a notice, filing by
that link or registering an appeal that came by email, the attorney's eligibility decision, the
redacted case file, and — once the panel overturned a ban — the proposal to lift it.

Who may appeal, and when, is decided in one place (`_admissible`): a party of the case (the
sanctioned person or the one who asked for the action), within the window after they were told
of the decision, once per decision unless they bring new evidence.
"""

import datetime as dt
import secrets
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from safetydesk.accounts.models import hash_token
from safetydesk.accounts.permissions import access_case, can_decide_eligibility, can_work_case
from safetydesk.appeals.case_file import draft
from safetydesk.appeals.models import (
    Appeal,
    AppealLink,
    AppellantRole,
    CaseFile,
    IneligibleReason,
    Outcome,
)
from safetydesk.appeals.presenters import CASE_EVENT_APPEAL
from safetydesk.audit.log import record_audit
from safetydesk.audit.models import AuditEventType
from safetydesk.cases.actions import PartyData, do_create_case, do_transition, lock_case, timeline_row
from safetydesk.cases.models import Case, CaseKind, Evidence, Party, PartyRole
from safetydesk.enforcement.models import ActionStatus, ActionType, OfficeAction
from safetydesk.intake.grouping import normalize_username
from safetydesk.lib.errors import Refusal
from safetydesk.notify.actions import do_queue_notice

SYSTEM_ACTOR = "appeals"
MAX_TEXT = 20_000
APPELLANT_ROLES: dict[str, str] = {
    PartyRole.SUBJECT: AppellantRole.SANCTIONED,
    PartyRole.REPORTER: AppellantRole.REQUESTER,
    PartyRole.REQUESTER: AppellantRole.REQUESTER,
}


class AppealRefusal(Refusal):
    code = "appeal_refused"
    http_status = 422


class AppealNotPermitted(AppealRefusal):
    code = "appeal_not_permitted"
    http_status = 403


def timeline(case: Case, actor: Any, **data: Any) -> None:
    timeline_row(case, actor, CASE_EVENT_APPEAL, data)


# --- the link in a notice -----------------------------------------------------------------


def issue_appeal_link(action: OfficeAction, party: Party) -> str:
    """A new one-time link for `party` to appeal `action`, valid for the appeal window; call
    inside the transaction that writes the notice carrying it. Returns the link."""
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    link = AppealLink.objects.create(
        office_action=action, party=party, appellant_role=APPELLANT_ROLES.get(party.role, AppellantRole.REQUESTER),
        token_hash=hash_token(token), created_at=now,
        expires_at=notified_at(action.case, action) + dt.timedelta(days=settings.APPEAL_WINDOW_DAYS),
    )  # fmt: skip
    record_audit(event_type=AuditEventType.APPEAL_LINK_ISSUED, actor=SYSTEM_ACTOR, subject=link,
                 data={"action": action.pk, "party": party.pk})  # fmt: skip
    from django.urls import reverse

    return settings.SITE_URL.rstrip("/") + reverse("appeal_form", args=[token])


def open_link(token: str, *, for_update: bool = False) -> AppealLink:
    """The link a token names, if it may still be used; a refusal (recorded) otherwise. The same
    answer for a forged token as for a used one would leak nothing either way; each says what
    the person can do next."""
    qs = AppealLink.objects.select_related("office_action__case", "party")
    if for_update:
        qs = qs.select_for_update()
    link = qs.filter(token_hash=hash_token(token)).first() if token else None
    problem = None
    if link is None:
        problem = _(
            "This appeal link is not valid. Use the link in your notice exactly as it is, "
            "or write to the appeals address."
        )
    elif link.used_at is not None:
        problem = _(
            "This appeal link has already been used. To add new evidence to your appeal, "
            "reply to our acknowledgement or write to the appeals address."
        )
    elif link.expires_at <= timezone.now():
        problem = _("This appeal link has expired: the time to appeal this decision has passed.")
    if problem is not None:
        reason = "unknown" if link is None else ("used" if link.used_at else "expired")
        record_audit(event_type=AuditEventType.APPEAL_FILING_REFUSED, actor=SYSTEM_ACTOR, subject=link,
                     data={"reason": reason})  # fmt: skip
        raise AppealRefusal(problem)
    assert link is not None
    return link


# --- who may appeal, and when ---------------------------------------------------------------


def notified_at(case: Case, action: OfficeAction | None) -> dt.datetime:
    """When the parties learnt of the decision: the action carried out (its notice goes then),
    else the case closed without action."""
    moment = (action.enforced_at or action.decided_at) if action is not None else case.closed_at
    if moment is None:
        raise AppealRefusal(_("This case has no decision yet: there is nothing to appeal."))
    return moment


def _admissible(
    original: Case, action: OfficeAction | None, party: Party, new_evidence: str
) -> tuple[str, dt.datetime]:
    """(appellant role, notified at) if `party` may appeal this decision now; a refusal otherwise."""
    role = APPELLANT_ROLES.get(party.role)
    if party.case_id != original.pk or role is None:
        raise AppealRefusal(
            _("Only the sanctioned person or the person who asked for the action may appeal it."),
            details={"field": "appellant"},
        )
    if action is not None and action.case_id != original.pk:
        raise AppealRefusal(_("That office action was not decided on this case."), details={"field": "office_action"})
    told = notified_at(original, action)
    last_day = told + dt.timedelta(days=settings.APPEAL_WINDOW_DAYS)
    if timezone.now() > last_day:
        raise AppealRefusal(
            _("The time to appeal this decision ended on %(date)s (%(days)s days after the notice).")
            % {"date": last_day.date().isoformat(), "days": settings.APPEAL_WINDOW_DAYS},
            details={"field": "window", "last_day": last_day.date().isoformat()},
        )
    earlier = Appeal.objects.filter(original_case=original, appellant=party, office_action=action)
    if earlier.exists() and not new_evidence.strip():
        raise AppealRefusal(
            _("You have already appealed this decision. A second appeal is heard only with new evidence: describe it."),
            details={"field": "new_evidence"},
        )
    return role, told


def _text(value: str, field: str, label: str, *, required: bool) -> str:
    value = (value or "").strip()
    if required and not value:
        raise AppealRefusal(_("%(label)s is required.") % {"label": label}, details={"field": field})
    if len(value) > MAX_TEXT:
        raise AppealRefusal(_("%(label)s is too long (20,000 characters at most).") % {"label": label},
                            details={"field": field})  # fmt: skip
    return value


def _open(
    *,
    case: Case,
    original: Case,
    action: OfficeAction | None,
    party: Party,
    grounds: str,
    new_evidence: str,
    actor: Any,
) -> Appeal:
    grounds = _text(grounds, "grounds", _("Why the decision should be reviewed"), required=True)
    new_evidence = _text(new_evidence, "new_evidence", _("New evidence"), required=False)
    role, told = _admissible(original, action, party, new_evidence)
    received = case.opened_at
    appeal = Appeal.objects.create(
        case=case, original_case=original, office_action=action, appellant=party, appellant_role=role,
        grounds=grounds, new_evidence=new_evidence, notified_at=told, received_at=received,
        eligibility_due_at=received + dt.timedelta(days=settings.APPEAL_ELIGIBILITY_DAYS),
        outcome_due_at=received + dt.timedelta(days=settings.APPEAL_OUTCOME_DAYS),
    )  # fmt: skip
    record_audit(event_type=AuditEventType.APPEAL_FILED, actor=actor, subject=appeal,
                 data={"case": case.pk, "original_case": original.pk, "role": role})  # fmt: skip
    timeline(case, actor, record="filed", original=original.reference)
    timeline(original, None, record="appealed", appeal=case.reference)
    if original.eu_nexus:
        from safetydesk.appeals.complaints import open_linked_complaint

        open_linked_complaint(appeal, actor)
    return appeal


@transaction.atomic
def do_file_appeal(*, token: str, grounds: str, new_evidence: str = "", email: str = "", language: str = "") -> Appeal:
    """An appeal through the link in a notice (no login): its own case, acknowledged by email."""
    link = open_link(token, for_update=True)
    action, party = link.office_action, link.party
    original = action.case
    email = (email or party.email).strip()
    language = (language or party.language or "en")[:8]
    with translation.override("en"):  # the case title is staff's, in clear: no personal data
        title = f"Appeal: {action.get_action_type_display()} ({original.reference})"
    case = do_create_case(
        acting_user=None, title=title, kind=CaseKind.APPEAL, language=language, intake_channel="appeal-form",
        eu_nexus=original.eu_nexus,
        parties=[PartyData(role=PartyRole.REQUESTER, wiki_username=party.wiki_username, email=email,
                           language=language)],
    )  # fmt: skip
    appeal = _open(case=case, original=original, action=action, party=party, grounds=grounds,
                   new_evidence=new_evidence, actor=SYSTEM_ACTOR)  # fmt: skip
    link.used_at = timezone.now()
    link.save(update_fields=["used_at"])
    if email:
        do_queue_notice(case=case, item=None, recipient=email, key="ack_appeal", language=language, context={})
    return appeal


@transaction.atomic
def do_register_appeal(
    *,
    case: Case,
    acting_user: Any,
    original_reference: str,
    appellant: str,
    grounds: str,
    new_evidence: str = "",
    office_action_id: int | None = None,
) -> Appeal:
    """An appeal that came by email (an appeal case from intake): staff name the decision (the
    case, and the action if it has several) and the appellant, a party of that case, by their
    account or email address."""
    case = lock_case(case, None)
    if not can_work_case(acting_user, case):
        raise AppealNotPermitted(_("You may not register appeals on this case."))
    if case.kind != CaseKind.APPEAL or hasattr(case, "appeal"):
        raise AppealRefusal(_("This case is not an appeal waiting to be registered."))
    try:
        original = access_case(acting_user, original_reference.strip())
    except Http404:
        raise AppealRefusal(_("No case %(reference)s that you may see.") % {"reference": original_reference},
                            details={"field": "original_reference"}) from None  # fmt: skip
    party = party_named(original, appellant)
    if party is None:
        raise AppealRefusal(
            _("Nobody of that account or address is a party of %(reference)s; only a party may appeal.")
            % {"reference": original.reference}, details={"field": "appellant"},
        )  # fmt: skip
    actions = original.office_actions.exclude(action_type=ActionType.BAN_LIFT)
    if office_action_id is not None:
        action = actions.filter(pk=office_action_id).first()
        if action is None:
            raise AppealRefusal(
                _("That office action was not decided on this case."), details={"field": "office_action"}
            )
    else:
        action = actions.order_by("-decided_at", "-pk").first()
    return _open(case=case, original=original, action=action, party=party, grounds=grounds,
                 new_evidence=new_evidence, actor=acting_user)  # fmt: skip


def party_named(case: Case, name: str) -> Party | None:
    """The party of `case` with this account (as MediaWiki compares names) or email address."""
    name = name.strip()
    if not name:
        return None
    key = normalize_username(name)
    for party in case.parties.all():
        if (party.wiki_username and normalize_username(party.wiki_username) == key) or (
            party.email and party.email.casefold() == name.casefold()
        ):
            return party
    return None


# --- eligibility ---------------------------------------------------------------------------


def _locked(appeal: Appeal) -> Appeal:
    return (
        Appeal.objects.select_for_update(of=("self",))
        .select_related("case", "original_case", "office_action")
        .get(pk=appeal.pk)
    )


@transaction.atomic
def do_decide_eligibility(
    *, appeal: Appeal, acting_user: Any, eligible: bool, reason: str = "", note: str = ""
) -> Appeal:
    """DOMAIN §12.1: "A Foundation attorney will check each case where appeal is requested to
    determine its eligibility". The appellant is told, in their language."""
    appeal = _locked(appeal)
    if not can_decide_eligibility(acting_user, appeal.case):
        raise AppealNotPermitted(_("A Foundation attorney (legal counsel) decides whether an appeal is eligible."))
    note = _text(note, "note", _("Note"), required=False)
    if eligible:
        action = appeal.office_action
        if action is None or action.action_type not in settings.CRC_ELIGIBLE_ACTION_TYPES:
            raise AppealRefusal(
                _(
                    "The committee reviews only the office actions configured for it; "
                    "find this appeal not eligible, with the reason."
                ),
                details={"field": "eligible"},
            )
        reason = ""
    elif reason not in IneligibleReason.values:
        raise AppealRefusal(_("Give the reason the appeal is not eligible."), details={"field": "reason"})
    do_transition(case=appeal.case, transition="find_eligible" if eligible else "find_ineligible",
                  acting_user=acting_user)  # fmt: skip
    now = timezone.now()
    appeal.eligible, appeal.ineligible_reason, appeal.eligibility_note = eligible, reason, note
    appeal.eligibility_decided_by, appeal.eligibility_decided_at = acting_user, now
    appeal.save()
    if eligible:  # the running clock is now the committee's outcome
        Case.objects.filter(pk=appeal.case_id).update(
            target_due_at=appeal.outcome_due_at, sla_due_at=appeal.outcome_due_at
        )
    record_audit(event_type=AuditEventType.APPEAL_ELIGIBILITY_DECIDED, actor=acting_user, subject=appeal,
                 data={"eligible": eligible, "reason": reason})  # fmt: skip
    timeline(appeal.case, acting_user, record="eligibility", eligible=eligible, reason=reason)
    from safetydesk.appeals.notices import tell_appellant

    tell_appellant(appeal, "appeal_eligibility")
    return appeal


# --- the case file ---------------------------------------------------------------------------


@transaction.atomic
def do_withhold_evidence(*, evidence: Evidence, acting_user: Any, withheld: bool) -> Evidence:
    """Mark a piece of evidence not for the committee (or release it). A case file already
    prepared stays as it was frozen."""
    evidence = Evidence.objects.select_for_update().select_related("case").get(pk=evidence.pk)
    if not can_work_case(acting_user, evidence.case):
        raise AppealNotPermitted(_("You may not change this case's evidence."))
    evidence.not_for_committee = withheld
    evidence.save(update_fields=["not_for_committee"])
    record_audit(event_type=AuditEventType.EVIDENCE_WITHHELD_FROM_COMMITTEE, actor=acting_user,
                 subject=evidence, data={"withheld": withheld, "case": evidence.case_id})  # fmt: skip
    return evidence


@transaction.atomic
def do_prepare_case_file(*, appeal: Appeal, acting_user: Any, summary: str = "") -> CaseFile:
    """Freeze the redacted file the panel will read (what the preview showed)."""
    appeal = _locked(appeal)
    summary = _text(summary, "summary", _("Summary for the panel"), required=False)
    do_transition(case=appeal.case, transition="prepare_case_file", acting_user=acting_user)
    case_file = CaseFile.objects.create(appeal=appeal, content=draft(appeal, summary), prepared_by=acting_user)
    record_audit(event_type=AuditEventType.APPEAL_CASE_FILE_PREPARED, actor=acting_user, subject=case_file,
                 data={"appeal": appeal.pk, "evidence": len(case_file.content["evidence"])})  # fmt: skip
    timeline(appeal.case, acting_user, record="case_file")
    return case_file


# --- after an overturn -------------------------------------------------------------------------


def _lift_event_ban(appeal: Appeal, action: OfficeAction, acting_user: Any) -> None:
    """An overturned event ban comes off the restricted list at once (no wiki to act on, and the
    list is T&S's own: DOMAIN §8.2)."""
    from safetydesk.enforcement.event_bans import do_lift_event_ban
    from safetydesk.enforcement.models import EventBan

    ban = EventBan.objects.filter(office_action=action).first()
    if ban is None:
        raise AppealRefusal(_("This event ban was never listed."))
    do_lift_event_ban(acting_user=acting_user, ban=ban, reason=f"appeal {appeal.case.reference}")
    record_audit(event_type=AuditEventType.APPEAL_LIFTING_PROPOSED, actor=acting_user, subject=appeal,
                 data={"event_ban": ban.pk})  # fmt: skip
    timeline(appeal.case, acting_user, record="lifting", event_ban=ban.pk)


@transaction.atomic
def do_propose_lifting(*, appeal: Appeal, acting_user: Any) -> Any:
    """The panel overturned a Foundation global ban: its lifting is proposed on the original
    case and passes the ban's whole review chain (DOMAIN §7.3) before the wikis are touched. An
    overturned event ban is lifted at once. Returns the recommendation (None for an event ban)."""
    from safetydesk.reviews.actions import do_submit_recommendation

    appeal = _locked(appeal)
    action = appeal.office_action
    if appeal.outcome != Outcome.OVERTURNED:
        raise AppealRefusal(_("Only an overturned decision is lifted."))
    if appeal.lifting_id is not None:
        raise AppealRefusal(_("The lifting has already been proposed."))
    if action is not None and action.action_type == ActionType.FOUNDATION_EVENT_BAN:
        return _lift_event_ban(appeal, action, acting_user)
    if (
        action is None
        or action.action_type != ActionType.FOUNDATION_GLOBAL_BAN
        or action.status not in {ActionStatus.ENFORCED, ActionStatus.NEEDS_ATTENTION}
    ):
        raise AppealRefusal(
            _("Only a Foundation ban in force is lifted this way; change other actions on the original case.")
        )
    reasons = "\n".join(f"- {seat.get_vote_display()}: {seat.vote_note}" for seat in appeal.seats.exclude(vote=""))
    rationale = _("The Case Review Committee overturned this ban (appeal %(reference)s). The panel's reasons:") % {
        "reference": appeal.case.reference
    }
    recommendation = do_submit_recommendation(
        case=appeal.original_case, acting_user=acting_user, action_types=[ActionType.BAN_LIFT],
        target=action.target, rationale=f"{rationale}\n{reasons}",
    )  # fmt: skip
    appeal.lifting = recommendation
    appeal.save(update_fields=["lifting"])
    record_audit(event_type=AuditEventType.APPEAL_LIFTING_PROPOSED, actor=acting_user, subject=appeal,
                 data={"recommendation": recommendation.pk})  # fmt: skip
    timeline(appeal.case, acting_user, record="lifting", recommendation=recommendation.pk)
    return recommendation
