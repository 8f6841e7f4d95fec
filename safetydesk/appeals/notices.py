"""What the people in an appeal are told (DOMAIN §12.3-§12.4), each in their language with
English as the fallback: the appellant of the eligibility decision and of the outcome, the
sanctioned person of an outcome someone else asked for, and members of their seat on a panel.
Never a member's pseudonym, a vote, or anything from the case file."""

from django.utils import translation

from safetydesk.appeals.models import Appeal, AppellantRole, IneligibleReason, Outcome, PanelSeat
from safetydesk.cases.models import Party, PartyRole
from safetydesk.enforcement.notices import subject_of
from safetydesk.notify.actions import do_queue_notice
from safetydesk.notify.models import Notice


def _appellant_contact(appeal: Appeal) -> Party:
    """The appellant as they wrote to us (the appeal case's own party), else as the original
    case knows them."""
    own = appeal.case.parties.filter(role=PartyRole.REQUESTER).exclude(email="").first()
    return own or appeal.appellant


def _context(appeal: Appeal, language: str) -> dict[str, object]:
    with translation.override(language):
        return {
            "eligible": bool(appeal.eligible),
            "ineligible_reason": str(dict(IneligibleReason.choices).get(appeal.ineligible_reason, "")),
            "outcome": str(dict(Outcome.choices).get(appeal.outcome, "")),
            "outcome_key": appeal.outcome,
        }


def _tell(appeal: Appeal, party: Party, key: str) -> Notice | None:
    if not party.email:
        return None
    language = party.language or appeal.case.language or "en"
    return do_queue_notice(case=appeal.case, item=None, recipient=party.email, key=key, language=language,
                           context=_context(appeal, language))  # fmt: skip


def tell_appellant(appeal: Appeal, key: str) -> Notice | None:
    return _tell(appeal, _appellant_contact(appeal), key)


def tell_subject_of_outcome(appeal: Appeal) -> Notice | None:
    """When the person who asked for the action appealed, the sanctioned person learns the
    outcome too (they are told nothing of who appealed)."""
    if appeal.appellant_role != AppellantRole.REQUESTER or appeal.office_action is None:
        return None
    subject = subject_of(appeal.office_action)
    return _tell(appeal, subject, "appeal_outcome_subject") if subject is not None else None


def tell_members(seats: list[PanelSeat]) -> list[Notice]:
    """Each member drawn is told a file waits for them, with no details in the mail."""
    return [
        do_queue_notice(
            case=None,
            item=None,
            recipient=seat.member.user.email,
            key="crc_panel_seat",
            language=(seat.member.user.languages or ["en"])[0],
            context={},
        )
        for seat in seats
        if seat.member.user.email
    ]
