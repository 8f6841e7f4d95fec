"""The committee's work on an appeal (DOMAIN §12.2-§12.4): drawing the panel with recusal,
each member's vote and reasoned note, and the outcome by majority (a tie, or three different
votes, returns the case). The outcome closes the appeal, tells the parties, reopens a returned
case in investigation with the panel's reasons, and settles a linked DSA complaint.
"""

import secrets
from collections import Counter
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safetydesk.accounts.permissions import can_sit_on_panels, can_work_case
from safetydesk.appeals.actions import AppealNotPermitted, AppealRefusal, timeline
from safetydesk.appeals.models import Appeal, CommitteeMember, Outcome, PanelSeat, SeatStatus
from safetydesk.appeals.workflows import DELIBERATION
from safetydesk.audit.log import record_audit
from safetydesk.audit.models import AuditEventType
from safetydesk.cases.actions import do_transition
from safetydesk.cases.models import Note, PartyRole
from safetydesk.cases.workflows import UNDER_INVESTIGATION
from safetydesk.intake.grouping import normalize_username

PANEL_ACTOR = "appeals:panel"
OUTCOME_TRANSITIONS: dict[str, str] = {
    Outcome.RATIFIED: "ratify",
    Outcome.OVERTURNED: "overturn",
    Outcome.RETURNED: "return_case",
}


def conflict_of(member: CommitteeMember, appeal: Appeal) -> str | None:
    """Why `member` may not sit on this appeal, or None. A member who is a party to the case or
    was involved in it (any person named on it, or on the appeal) is replaced."""
    own = {normalize_username(a) for a in member.wiki_accounts.splitlines() if a.strip()}
    if not own:
        return None
    parties = list(appeal.original_case.parties.all()) + list(appeal.case.parties.all())
    for party in parties:
        if party.wiki_username and normalize_username(party.wiki_username) in own:
            if party.role in {PartyRole.SUBJECT, PartyRole.REPORTER, PartyRole.REQUESTER}:
                return _("A party to the case.")
            return _("Involved in the case.")
    return None


def candidates(appeal: Appeal) -> list[CommitteeMember]:
    """Members who may be drawn for this appeal: active volunteers with the role, not staff,
    never seated on it before, without a conflict."""
    seated_before = appeal.seats.values("member_id")
    members = CommitteeMember.objects.filter(active=True).exclude(pk__in=seated_before).select_related("user")
    return [m for m in members if can_sit_on_panels(m.user) and conflict_of(m, appeal) is None]


def _draw(appeal: Appeal, count: int) -> list[PanelSeat]:
    pool = candidates(appeal)
    chosen = secrets.SystemRandom().sample(pool, min(count, len(pool)))
    return [PanelSeat.objects.create(appeal=appeal, member=member) for member in chosen]


def _locked(appeal: Appeal) -> Appeal:
    return Appeal.objects.select_for_update().select_related("case", "original_case").get(pk=appeal.pk)


@transaction.atomic
def do_draw_panel(*, appeal: Appeal, acting_user: Any) -> list[PanelSeat]:
    appeal = _locked(appeal)
    size = settings.CRC_PANEL_SIZE
    available = len(candidates(appeal))
    if available < size:
        raise AppealRefusal(
            _("Only %(available)s committee members can sit on this appeal; the panel needs %(size)s.")
            % {"available": available, "size": size}
        )
    do_transition(case=appeal.case, transition="draw_panel", acting_user=acting_user)
    seats = _draw(appeal, size)
    record_audit(event_type=AuditEventType.APPEAL_PANEL_DRAWN, actor=acting_user, subject=appeal,
                 data={"seats": [s.pk for s in seats]})  # fmt: skip
    timeline(appeal.case, acting_user, record="panel", members=[s.member.pseudonym for s in seats])
    from safetydesk.appeals.notices import tell_members

    tell_members(seats)
    return seats


def _locked_seat(seat: PanelSeat) -> PanelSeat:
    seat = PanelSeat.objects.select_for_update().select_related("member__user", "appeal__case").get(pk=seat.pk)
    if seat.appeal.case.state != DELIBERATION:
        raise AppealRefusal(_("This appeal is no longer before the panel."))
    return seat


@transaction.atomic
def do_recuse(*, seat: PanelSeat, acting_user: Any, reason: str) -> PanelSeat | None:
    """A member declares a conflict (or staff record one): the seat is given up and another
    member drawn. Returns the new seat, or None when nobody is left to draw."""
    seat = _locked_seat(seat)
    own = seat.member.user_id == getattr(acting_user, "pk", None)
    if not own and not can_work_case(acting_user, seat.appeal.case):
        raise AppealNotPermitted(_("Only the member, or the staff handling the appeal, may record a recusal."))
    if seat.status == SeatStatus.RECUSED:
        raise AppealRefusal(_("This member has already recused themselves from this appeal."))
    if seat.vote:
        raise AppealRefusal(_("A member who has voted cannot recuse themselves; the vote stands."))
    reason = " ".join((reason or "").split())
    if not reason:
        raise AppealRefusal(_("Say what the conflict is."), details={"field": "reason"})
    seat.status, seat.recusal_reason = SeatStatus.RECUSED, reason[:2000]
    seat.save(update_fields=["status", "recusal_reason"])
    drawn = _draw(seat.appeal, 1)
    replacement = drawn[0] if drawn else None
    record_audit(event_type=AuditEventType.APPEAL_MEMBER_RECUSED, actor=acting_user, subject=seat,
                 data={"replacement": replacement.pk if replacement else None})  # fmt: skip
    timeline(seat.appeal.case, acting_user if not own else None, record="recusal", member=seat.member.pseudonym,
             replacement=replacement.member.pseudonym if replacement else "")  # fmt: skip
    if replacement is not None:
        from safetydesk.appeals.notices import tell_members

        tell_members([replacement])
    return replacement


@transaction.atomic
def do_cast_vote(*, seat: PanelSeat, acting_user: Any, vote: str, note: str) -> PanelSeat:
    seat = _locked_seat(seat)
    if seat.member.user_id != getattr(acting_user, "pk", None) or not can_sit_on_panels(acting_user):
        raise AppealNotPermitted(_("Only the member who holds this seat votes in it."))
    if seat.status == SeatStatus.RECUSED:
        raise AppealNotPermitted(_("You recused yourself from this appeal, so you do not vote on it."))
    if seat.vote:
        raise AppealRefusal(_("You have already voted on this appeal; a vote is final."))
    if vote not in Outcome.values:
        raise AppealRefusal(_("Vote to ratify, overturn or return the case."), details={"field": "vote"})
    note = (note or "").strip()
    if not note:
        raise AppealRefusal(_("Give your reasons: the vote needs a reasoned note."), details={"field": "note"})
    seat.vote, seat.vote_note, seat.voted_at = vote, note[:10_000], timezone.now()
    seat.save(update_fields=["vote", "vote_note", "voted_at"])
    record_audit(event_type=AuditEventType.APPEAL_VOTE_CAST, actor=acting_user, subject=seat,
                 data={"appeal": seat.appeal_id})  # fmt: skip
    timeline(seat.appeal.case, None, record="vote", member=seat.member.pseudonym)
    _conclude_if_complete(seat.appeal)
    return seat


def majority(votes: list[str]) -> str:
    """The outcome more than half the panel voted for; with none, the case is returned."""
    top, count = Counter(votes).most_common(1)[0]
    return top if count * 2 > len(votes) else Outcome.RETURNED


def _conclude_if_complete(appeal: Appeal) -> None:
    seated = list(appeal.seats.filter(status=SeatStatus.SEATED))
    if len(seated) < settings.CRC_PANEL_SIZE or any(not s.vote for s in seated):
        return
    appeal = _locked(appeal)
    outcome = majority([s.vote for s in seated])
    do_transition(case=appeal.case, transition=OUTCOME_TRANSITIONS[outcome], acting_user=PANEL_ACTOR)
    appeal.outcome, appeal.decided_at = outcome, timezone.now()
    appeal.save(update_fields=["outcome", "decided_at"])
    record_audit(event_type=AuditEventType.APPEAL_DECIDED, actor=PANEL_ACTOR, subject=appeal,
                 data={"outcome": outcome, "votes": dict(Counter(s.vote for s in seated))})  # fmt: skip
    timeline(appeal.case, None, record="outcome", outcome=outcome)
    timeline(appeal.original_case, None, record="outcome", outcome=outcome, appeal=appeal.case.reference)
    if outcome == Outcome.RETURNED:
        _reopen_original(appeal, seated)
    from safetydesk.appeals.complaints import settle_linked_complaint
    from safetydesk.appeals.notices import tell_appellant, tell_subject_of_outcome

    settle_linked_complaint(appeal)
    tell_appellant(appeal, "appeal_outcome")
    tell_subject_of_outcome(appeal)


def _reopen_original(appeal: Appeal, seated: list[PanelSeat]) -> None:
    """DOMAIN §12.4: RETURNED → the original case reopens in investigation, with the panel's note."""
    original = appeal.original_case
    if original.state != UNDER_INVESTIGATION:
        do_transition(case=original, transition="reconsider", acting_user=PANEL_ACTOR,
                      data={"appeal": appeal.case.reference})  # fmt: skip
    reasons = "\n".join(f"- {seat.get_vote_display()}: {seat.vote_note}" for seat in seated)
    Note.objects.create(
        case=original,
        body=_("The Case Review Committee returned this case for reconsideration (appeal %(reference)s):")
        % {"reference": appeal.case.reference}
        + "\n"
        + reasons,
    )
