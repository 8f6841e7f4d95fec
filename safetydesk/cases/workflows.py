"""The general report track (DOMAIN §3.2, from RECEIVED through triage and closure).

RECEIVED ─acknowledge▶ ACKNOWLEDGED ─triage▶ TRIAGED
TRIAGED ─defer▶ CLOSED_DEFERRED_TO_COMMUNITY   (venue + canned reply)
TRIAGED ─decline▶ CLOSED_DECLINED              (out of scope; reason)
TRIAGED ─prioritise▶ PRIORITISED ─start_investigation▶ UNDER_INVESTIGATION  (needs a lead)
TRIAGED | PRIORITISED | UNDER_INVESTIGATION ─close_no_action▶ CLOSED_NO_ACTION  (reason kept)
CLOSED_* ─reopen▶ TRIAGED                      (managers; reason)
any other state ─reconsider▶ UNDER_INVESTIGATION (Safetydesk, when the Case Review Committee
                                                 returns the case: appeals.panel)
"""

from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from safetydesk.accounts.roles import Role
from safetydesk.cases.routing import DEFER_REPLIES, ReplyTemplate, Venue
from safetydesk.cases.workflow import Field, State, Transition, Workflow, register

CASEWORKERS = frozenset({Role.SPECIALIST, Role.MANAGER, Role.DIRECTOR, Role.ONCALL})
SUPERVISORS = frozenset({Role.MANAGER, Role.DIRECTOR})

RECEIVED = "RECEIVED"
ACKNOWLEDGED = "ACKNOWLEDGED"
TRIAGED = "TRIAGED"
PRIORITISED = "PRIORITISED"
UNDER_INVESTIGATION = "UNDER_INVESTIGATION"
CLOSED_DEFERRED = "CLOSED_DEFERRED_TO_COMMUNITY"
CLOSED_DECLINED = "CLOSED_DECLINED"
CLOSED_NO_ACTION = "CLOSED_NO_ACTION"
CLOSED_STATES = (CLOSED_DEFERRED, CLOSED_DECLINED, CLOSED_NO_ACTION)


def needs_lead(case: Any, user: Any, data: dict[str, Any]) -> str | None:
    return None if case.lead_id else gettext("Assign a lead before starting the investigation.")


def _reply_to_reporter(case_id: int, data: dict[str, Any]) -> None:
    from safetydesk.cases.tasks import send_canned_reply

    if data.get("reply_template") and data["reply_template"] != ReplyTemplate.NO_REPLY:
        send_canned_reply.enqueue(case_id, data["reply_template"])


REASON = Field("closure_reason", _("Reason"), kind="textarea", on_case=True)

GENERAL = register(
    Workflow(
        kind="general",
        initial=RECEIVED,
        states=(
            State(RECEIVED, _("Received")),
            State(ACKNOWLEDGED, _("Acknowledged")),
            State(TRIAGED, _("Triaged")),
            State(PRIORITISED, _("Prioritised")),
            State(UNDER_INVESTIGATION, _("Under investigation")),
            State(CLOSED_DEFERRED, _("Closed — deferred to community"), closed=True),
            State(CLOSED_DECLINED, _("Closed — declined"), closed=True),
            State(CLOSED_NO_ACTION, _("Closed — no action"), closed=True),
        ),
        transitions=(
            Transition(
                "acknowledge", _("Acknowledge"), frozenset({RECEIVED}), ACKNOWLEDGED, CASEWORKERS,
                acknowledges=True, style="primary",
            ),
            Transition(
                "triage", _("Triage"), frozenset({ACKNOWLEDGED}), TRIAGED, CASEWORKERS,
                fields=(Field("triage_note", _("Triage assessment"), kind="textarea", required=False),),
                style="primary",
            ),
            Transition(
                "defer", _("Defer to community"), frozenset({TRIAGED}), CLOSED_DEFERRED, CASEWORKERS,
                fields=(
                    Field("routed_to", _("Venue"), kind="choice", choices=tuple(Venue.choices), on_case=True),
                    Field("routed_url", _("Venue link"), kind="url", required=False, on_case=True),
                    Field("reply_template", _("Reply sent"), kind="choice", choices=DEFER_REPLIES, on_case=True),
                ),
                on_commit=(_reply_to_reporter,),
            ),
            Transition(
                "decline", _("Decline (out of scope)"), frozenset({TRIAGED}), CLOSED_DECLINED, CASEWORKERS,
                fields=(REASON,), style="danger",
            ),
            Transition(
                "prioritise", _("Prioritise for investigation"), frozenset({TRIAGED}), PRIORITISED, CASEWORKERS,
                style="primary",
            ),
            Transition(
                "start_investigation", _("Start investigation"), frozenset({PRIORITISED}), UNDER_INVESTIGATION,
                CASEWORKERS, guards=(needs_lead,), style="primary",
            ),
            Transition(
                "close_no_action", _("Close — no action"),
                frozenset({TRIAGED, PRIORITISED, UNDER_INVESTIGATION}), CLOSED_NO_ACTION, CASEWORKERS,
                fields=(Field("closure_reason", _("Reason no action was taken"), kind="textarea", on_case=True),),
                style="danger",
            ),
            Transition(
                "reopen", _("Reopen"), frozenset(CLOSED_STATES), TRIAGED, SUPERVISORS,
                fields=(Field("reopen_reason", _("Why reopen"), kind="textarea"),), sensitive=True,
            ),
            Transition(
                "reconsider", _("Reopen for reconsideration (Case Review Committee)"),
                frozenset({RECEIVED, ACKNOWLEDGED, TRIAGED, PRIORITISED, *CLOSED_STATES}), UNDER_INVESTIGATION,
                frozenset(), fields=(Field("appeal", _("Appeal"), kind="text"),), system=True, from_panel=True,
            ),
        ),
    )
)
