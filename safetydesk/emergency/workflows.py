"""The emergency track (DOMAIN §5.4), for cases of kind `emergency`.

EMERGENCY_RECEIVED ─page (Safetydesk, when oncall sends the page)▶ PAGED
EMERGENCY_RECEIVED | PAGED | AWAITING_INFORMATION ─triage▶ TRIAGED   (the TriageRecord's decision)
TRIAGED (insufficient information) ─request_information▶ AWAITING_INFORMATION ─triage▶ TRIAGED
TRIAGED (credible, imminent) ─trace_location▶ LOCATION_TRACED
TRIAGED (credible, imminent) | LOCATION_TRACED ─refer▶ LE_REFERRED ─le_acknowledge▶ LE_ACKNOWLEDGED
LE_REFERRED | LE_ACKNOWLEDGED ─follow_up▶ FOLLOW_UP ─close▶ CLOSED
TRIAGED (not credible, insufficient) | AWAITING_INFORMATION ─close_monitored▶ CLOSED_MONITORED
CLOSED | CLOSED_MONITORED ─reopen▶ TRIAGED   (managers)

A responder triages straight from EMERGENCY_RECEIVED: acknowledging the page is not a step
here (paging keeps its own acknowledgement), and a page that never left must not hold up the
triage. Steps that carry a typed record (triage, trace_location, refer, le_acknowledge) are taken
by the actions in emergency/actions.py, which write the record and take the step in one
transaction; their guards refuse the bare step until the record exists. Any emergency case may
open a linked office-action investigation (actions.do_spawn_investigation), in any state.
"""

from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from safetydesk.accounts.permissions import EMERGENCY_RESPONDERS
from safetydesk.accounts.roles import Role
from safetydesk.cases.models import Case, CaseKind
from safetydesk.cases.workflow import Field, State, Transition, Workflow, register

EMERGENCY_RECEIVED = "EMERGENCY_RECEIVED"
PAGED = "PAGED"
TRIAGED = "TRIAGED"
AWAITING_INFORMATION = "AWAITING_INFORMATION"
LOCATION_TRACED = "LOCATION_TRACED"
LE_REFERRED = "LE_REFERRED"
LE_ACKNOWLEDGED = "LE_ACKNOWLEDGED"
FOLLOW_UP = "FOLLOW_UP"
CLOSED = "CLOSED"
CLOSED_MONITORED = "CLOSED_MONITORED"

# States a triage can be recorded from (and the triage step taken).
TRIAGE_SOURCES = frozenset({EMERGENCY_RECEIVED, PAGED, AWAITING_INFORMATION})
REFER_SOURCES = frozenset({TRIAGED, LOCATION_TRACED})
# States in which follow-up notes are added: after a referral.
FOLLOW_UP_STATES = frozenset({LE_REFERRED, LE_ACKNOWLEDGED, FOLLOW_UP})
SUPERVISORS = frozenset({Role.MANAGER, Role.DIRECTOR})


class AdminHandoff:
    """Who on-wiki clean-up of a not-credible threat was handed to (DOMAIN §5.5), if anyone."""

    NONE = "none"
    LOCAL_ADMINS = "local_admins"
    STEWARDS = "stewards"
    OVERSIGHT = "oversight"
    CHOICES = (
        (NONE, _("Nobody: nothing to clean up")),
        (LOCAL_ADMINS, _("The project's administrators (privately)")),
        (STEWARDS, _("Stewards")),
        (OVERSIGHT, _("Oversighters (suppression)")),
    )


def _triage(case: Case) -> Any:
    """The case's triage record, read once per Case object: the console evaluates every guard of
    the page's transitions, and four of them ask. do_transition works on a freshly locked Case,
    so a decision never rests on a stale read."""
    from safetydesk.emergency.models import TriageRecord

    try:
        return case.emergency_triage
    except TriageRecord.DoesNotExist:
        return None


def needs_triage_record(case: Case, user: Any, data: dict[str, Any]) -> str | None:
    if _triage(case) is None:
        return gettext("Record the triage assessment in the Emergency panel: the decision is part of it.")
    return None


def _decision_is(*decisions: str, message: Any) -> Any:
    """A guard passing when the case's triage decision is one of `decisions` (message: lazy)."""

    def guard(case: Case, user: Any, data: dict[str, Any]) -> str | None:
        triage = _triage(case)
        return None if triage is not None and triage.decision in decisions else str(message)

    return guard


credible = _decision_is(
    "credible_imminent", message=_("Only a threat triaged as credible and imminent is traced and referred.")
)
needs_more_information = _decision_is(
    "insufficient_info",
    message=_("Ask the reporter for more only when the triage found insufficient information."),
)
not_referred = _decision_is(
    "not_credible",
    "insufficient_info",
    message=_("A threat triaged as credible and imminent is referred to law enforcement, not closed as monitored."),
)


def needs_location(case: Case, user: Any, data: dict[str, Any]) -> str | None:
    triage = _triage(case)
    if triage is None or triage.location_traced_at is None:
        return gettext("Record the location trace in the Emergency panel.")
    return None


def needs_referral(case: Case, user: Any, data: dict[str, Any]) -> str | None:
    if not case.emergency_referrals.exists():
        return gettext("Record the referral (agency, jurisdiction, reference) in the Emergency panel.")
    return None


def needs_acknowledged_referral(case: Case, user: Any, data: dict[str, Any]) -> str | None:
    if not case.emergency_referrals.filter(acknowledged_at__isnull=False).exists():
        return gettext("Record law enforcement's acknowledgement of a referral in the Emergency panel.")
    return None


def page_on_call(case: Case) -> None:
    """Open the case's pages in its creating transaction (oncall writes them; they leave after
    commit), so an emergency never exists without its page."""
    from safetydesk.oncall.paging import open_pages_for_case

    open_pages_for_case(case)


EMERGENCY = register(
    Workflow(
        kind=CaseKind.EMERGENCY,
        initial=EMERGENCY_RECEIVED,
        states=(
            State(EMERGENCY_RECEIVED, _("Emergency received")),
            State(PAGED, _("On-call paged")),
            State(TRIAGED, _("Triaged")),
            State(AWAITING_INFORMATION, _("Awaiting information from the reporter")),
            State(LOCATION_TRACED, _("Location traced")),
            State(LE_REFERRED, _("Referred to law enforcement")),
            State(LE_ACKNOWLEDGED, _("Acknowledged by law enforcement")),
            State(FOLLOW_UP, _("Follow-up")),
            State(CLOSED, _("Closed"), closed=True),
            State(CLOSED_MONITORED, _("Closed — monitored"), closed=True),
        ),
        transitions=(
            Transition(
                "page",
                _("Page on-call"),
                frozenset({EMERGENCY_RECEIVED}),
                PAGED,
                frozenset(),
                system=True,
            ),
            Transition(
                "triage",
                _("Triage"),
                TRIAGE_SOURCES,
                TRIAGED,
                EMERGENCY_RESPONDERS,
                guards=(needs_triage_record,),
                acknowledges=True,
                style="primary",
            ),
            Transition(
                "request_information",
                _("Ask the reporter for more"),
                frozenset({TRIAGED}),
                AWAITING_INFORMATION,
                EMERGENCY_RESPONDERS,
                fields=(Field("information_requested", _("What the reporter was asked"), kind="textarea"),),
                guards=(needs_more_information,),
            ),
            Transition(
                "trace_location",
                _("Location traced"),
                frozenset({TRIAGED}),
                LOCATION_TRACED,
                EMERGENCY_RESPONDERS,
                guards=(credible, needs_location),
                style="primary",
            ),
            Transition(
                "refer",
                _("Refer to law enforcement"),
                REFER_SOURCES,
                LE_REFERRED,
                EMERGENCY_RESPONDERS,
                guards=(credible, needs_referral),
                style="primary",
            ),
            Transition(
                "le_acknowledge",
                _("Law enforcement acknowledged"),
                frozenset({LE_REFERRED}),
                LE_ACKNOWLEDGED,
                EMERGENCY_RESPONDERS,
                guards=(needs_acknowledged_referral,),
                style="primary",
            ),
            Transition(
                "follow_up",
                _("Start follow-up"),
                frozenset({LE_REFERRED, LE_ACKNOWLEDGED}),
                FOLLOW_UP,
                EMERGENCY_RESPONDERS,
            ),
            Transition(
                "close",
                _("Close"),
                frozenset({FOLLOW_UP}),
                CLOSED,
                EMERGENCY_RESPONDERS,
                fields=(Field("closure_reason", _("Outcome"), kind="textarea", on_case=True),),
                style="danger",
            ),
            Transition(
                "close_monitored",
                _("Close — monitored"),
                frozenset({TRIAGED, AWAITING_INFORMATION}),
                CLOSED_MONITORED,
                EMERGENCY_RESPONDERS,
                fields=(
                    Field("closure_reason", _("Why no referral"), kind="textarea", on_case=True),
                    Field(
                        "admin_handoff",
                        _("On-wiki clean-up handed to"),
                        kind="choice",
                        choices=AdminHandoff.CHOICES,
                    ),
                    Field("handoff_note", _("Hand-off note"), kind="textarea", required=False),
                ),
                guards=(not_referred,),
                style="danger",
            ),
            Transition(
                "reopen",
                _("Reopen"),
                frozenset({CLOSED, CLOSED_MONITORED}),
                TRIAGED,
                SUPERVISORS,
                fields=(Field("reopen_reason", _("Why reopen"), kind="textarea"),),
                sensitive=True,
            ),
        ),
        on_create=(page_on_call,),
    )
)
