"""The DMCA track (DOMAIN §9.3).

RECEIVED ─acknowledge▶ VALIDITY_CHECK
VALIDITY_CHECK ─find_complete▶ MERITS_REVIEW             (every element of § 512(c)(3)(A) present)
VALIDITY_CHECK ─find_deficient▶ AWAITING_CLAIMANT        (deficiency letter; 30 days to answer)
AWAITING_CLAIMANT ─find_complete▶ MERITS_REVIEW          (the claimant supplied what was missing)
AWAITING_CLAIMANT ─close_incomplete▶ CLOSED_INCOMPLETE   (Safetydesk, after 30 days)
MERITS_REVIEW ─team_review▶ LEGAL_REVIEW                 (team and manager, DOMAIN §9.3 chain)
LEGAL_REVIEW ─grant▶ TAKEN_DOWN                          (legal counsel; takedown through the outbox)
LEGAL_REVIEW ─reject▶ CLOSED_NOT_GRANTED                 (legal counsel; rejection letter)
TAKEN_DOWN ─counter_notice▶ RESTORE_WINDOW               (a valid counter-notice, forwarded)
RESTORE_WINDOW ─restore▶ CLOSED_RESTORED                 (Safetydesk, on business day 10)
RESTORE_WINDOW ─lawsuit▶ CLOSED_GRANTED                  (the claimant filed suit: stays down)
TAKEN_DOWN ─close_granted▶ CLOSED_GRANTED
"""

from django.utils.translation import gettext_lazy as _

from safetydesk.accounts.roles import Role
from safetydesk.cases.workflow import Field, State, Transition, Workflow, panel_step, register
from safetydesk.cases.workflows import CASEWORKERS, SUPERVISORS

RECEIVED = "RECEIVED"
VALIDITY_CHECK = "VALIDITY_CHECK"
AWAITING_CLAIMANT = "AWAITING_CLAIMANT"
MERITS_REVIEW = "MERITS_REVIEW"
LEGAL_REVIEW = "LEGAL_REVIEW"
TAKEN_DOWN = "TAKEN_DOWN"
RESTORE_WINDOW = "RESTORE_WINDOW"
CLOSED_INCOMPLETE = "CLOSED_INCOMPLETE"
CLOSED_NOT_GRANTED = "CLOSED_NOT_GRANTED"
CLOSED_GRANTED = "CLOSED_GRANTED"
CLOSED_RESTORED = "CLOSED_RESTORED"

LEGAL_WORKERS = CASEWORKERS | {Role.LEGAL_COUNSEL}
ATTORNEYS = frozenset({Role.LEGAL_COUNSEL})
NOBODY: frozenset[str] = frozenset()


DMCA = register(
    Workflow(
        kind="dmca",
        initial=RECEIVED,
        states=(
            State(RECEIVED, _("Received")),
            State(VALIDITY_CHECK, _("Validity check")),
            State(AWAITING_CLAIMANT, _("Deficient: waiting for the claimant")),
            State(MERITS_REVIEW, _("Merits review (team)")),
            State(LEGAL_REVIEW, _("Legal review")),
            State(TAKEN_DOWN, _("Taken down")),
            State(RESTORE_WINDOW, _("Counter-notice: restore window")),
            State(CLOSED_INCOMPLETE, _("Closed — incomplete notice"), closed=True),
            State(CLOSED_NOT_GRANTED, _("Closed — not granted"), closed=True),
            State(CLOSED_GRANTED, _("Closed — granted"), closed=True),
            State(CLOSED_RESTORED, _("Closed — restored after counter-notice"), closed=True),
        ),
        transitions=(
            Transition(
                "acknowledge",
                _("Acknowledge"),
                frozenset({RECEIVED}),
                VALIDITY_CHECK,
                LEGAL_WORKERS,
                acknowledges=True,
                style="primary",
            ),
            panel_step(
                "find_complete", _("Notice complete"), {VALIDITY_CHECK, AWAITING_CLAIMANT}, MERITS_REVIEW, LEGAL_WORKERS
            ),
            panel_step("find_deficient", _("Notice deficient"), {VALIDITY_CHECK}, AWAITING_CLAIMANT, LEGAL_WORKERS),
            panel_step(
                "close_incomplete",
                _("Closed: no answer to the deficiency letter"),
                {AWAITING_CLAIMANT},
                CLOSED_INCOMPLETE,
                NOBODY,
                system=True,
            ),
            Transition(
                "team_review",
                _("Team and manager: send to Legal"),
                frozenset({MERITS_REVIEW}),
                LEGAL_REVIEW,
                SUPERVISORS,
                fields=(Field("team_note", _("Assessment for Legal"), kind="textarea"),),
                style="primary",
            ),
            panel_step("grant", _("Grant: take down"), {LEGAL_REVIEW}, TAKEN_DOWN, ATTORNEYS),
            panel_step("reject", _("Reject: push back"), {LEGAL_REVIEW}, CLOSED_NOT_GRANTED, ATTORNEYS),
            panel_step("counter_notice", _("Valid counter-notice"), {TAKEN_DOWN}, RESTORE_WINDOW, LEGAL_WORKERS),
            panel_step("restore", _("Restored"), {RESTORE_WINDOW}, CLOSED_RESTORED, NOBODY, system=True),
            panel_step("lawsuit", _("Claimant filed suit: stays down"), {RESTORE_WINDOW}, CLOSED_GRANTED, ATTORNEYS),
            Transition(
                "close_granted",
                _("Close (granted)"),
                frozenset({TAKEN_DOWN}),
                CLOSED_GRANTED,
                LEGAL_WORKERS,
            ),
        ),
    )
)


# --- legal process: requests for user data (DOMAIN §11.3) and foreign demands (§10) ------------
# One case kind, two tracks: logging the request decides which one the case takes.
#
# Requests for user data:
# LOGGED ─log_user_data▶ SUFFICIENCY_REVIEW ─find_valid▶ VALID        (legal counsel)
# SUFFICIENCY_REVIEW ─push_back▶ PUSHBACK_SENT ─narrowed▶ SUFFICIENCY_REVIEW | ─close_unproduced▶ CLOSED_NOT_PRODUCED
# SUFFICIENCY_REVIEW ─decline▶ CLOSED_NOT_PRODUCED                    (not enforceable in the US, no data)
# VALID ─notify_user▶ OBJECTION_WINDOW ─produce▶ CLOSED_PRODUCED | ─user_challenged▶ CLOSED_STAYED
# VALID ─defer_notice▶ NOTICE_DEFERRED ─produce▶ DEFERRED_NOTICE_DUE ─send_deferred_notice▶ CLOSED_PRODUCED
# VALID ─produce▶ CLOSED_PRODUCED                                   (emergency, or nobody to tell)
#
# Foreign legal demands to remove content:
# LOGGED ─log_demand▶ DEMAND_REVIEW ─try_community▶ COMMUNITY_AVENUE
# COMMUNITY_AVENUE ─resolved_by_community▶ CLOSED_RESOLVED_BY_COMMUNITY | ─decide_removal▶ REMOVAL_DECIDED
# REMOVAL_DECIDED ─remove▶ REMOVED ─close_logged▶ CLOSED_LOGGED

LOGGED = "LOGGED"
SUFFICIENCY_REVIEW = "SUFFICIENCY_REVIEW"
PUSHBACK_SENT = "PUSHBACK_SENT"
VALID = "VALID"
OBJECTION_WINDOW = "OBJECTION_WINDOW"
NOTICE_DEFERRED = "NOTICE_DEFERRED"
DEFERRED_NOTICE_DUE = "DEFERRED_NOTICE_DUE"
CLOSED_NOT_PRODUCED = "CLOSED_NOT_PRODUCED"
CLOSED_PRODUCED = "CLOSED_PRODUCED"
CLOSED_STAYED = "CLOSED_STAYED"
DEMAND_REVIEW = "DEMAND_REVIEW"
COMMUNITY_AVENUE = "COMMUNITY_AVENUE"
REMOVAL_DECIDED = "REMOVAL_DECIDED"
REMOVED = "REMOVED"
CLOSED_RESOLVED_BY_COMMUNITY = "CLOSED_RESOLVED_BY_COMMUNITY"
CLOSED_LOGGED = "CLOSED_LOGGED"

LEGAL_REQUEST = register(
    Workflow(
        kind="legal_request",
        initial=RECEIVED,
        states=(
            State(RECEIVED, _("Received")),
            State(LOGGED, _("Acknowledged: to log")),
            State(SUFFICIENCY_REVIEW, _("Legal sufficiency review")),
            State(PUSHBACK_SENT, _("Pushed back")),
            State(VALID, _("Valid: user notice to decide")),
            State(OBJECTION_WINDOW, _("User notified: objection window")),
            State(NOTICE_DEFERRED, _("Notice deferred (non-disclosure order)")),
            State(DEFERRED_NOTICE_DUE, _("Produced: deferred notice due")),
            State(DEMAND_REVIEW, _("Demand: legal review")),
            State(COMMUNITY_AVENUE, _("Demand: community avenue attempted")),
            State(REMOVAL_DECIDED, _("Demand: removal decided")),
            State(REMOVED, _("Demand: content removed")),
            State(CLOSED_NOT_PRODUCED, _("Closed — nothing produced"), closed=True),
            State(CLOSED_PRODUCED, _("Closed — produced"), closed=True),
            State(CLOSED_STAYED, _("Closed — stayed by the user's challenge"), closed=True),
            State(CLOSED_RESOLVED_BY_COMMUNITY, _("Closed — resolved by the community"), closed=True),
            State(CLOSED_LOGGED, _("Closed — removed and logged"), closed=True),
        ),
        transitions=(
            Transition(
                "acknowledge",
                _("Acknowledge"),
                frozenset({RECEIVED}),
                LOGGED,
                LEGAL_WORKERS,
                acknowledges=True,
                style="primary",
            ),
            panel_step(
                "log_user_data", _("Log the request for user data"), {LOGGED}, SUFFICIENCY_REVIEW, LEGAL_WORKERS
            ),
            panel_step("find_valid", _("Valid"), {SUFFICIENCY_REVIEW}, VALID, ATTORNEYS),
            panel_step("push_back", _("Push back"), {SUFFICIENCY_REVIEW}, PUSHBACK_SENT, ATTORNEYS),
            panel_step(
                "decline", _("Decline: nothing to produce"), {SUFFICIENCY_REVIEW}, CLOSED_NOT_PRODUCED, ATTORNEYS
            ),
            panel_step("narrowed", _("Narrowed: review again"), {PUSHBACK_SENT}, SUFFICIENCY_REVIEW, ATTORNEYS),
            panel_step(
                "close_unproduced", _("Close: nothing produced"), {PUSHBACK_SENT}, CLOSED_NOT_PRODUCED, ATTORNEYS
            ),
            panel_step("notify_user", _("Notify the user"), {VALID}, OBJECTION_WINDOW, ATTORNEYS),
            panel_step(
                "defer_notice", _("Defer the notice (non-disclosure order)"), {VALID}, NOTICE_DEFERRED, ATTORNEYS
            ),
            Transition(
                "produce",
                _("Produce"),
                frozenset({VALID, OBJECTION_WINDOW}),
                CLOSED_PRODUCED,
                ATTORNEYS,
                from_panel=True,
            ),
            panel_step(
                "produce_deferred", _("Produce (notice deferred)"), {NOTICE_DEFERRED}, DEFERRED_NOTICE_DUE, ATTORNEYS
            ),
            panel_step(
                "send_deferred_notice", _("Send the deferred notice"), {DEFERRED_NOTICE_DUE}, CLOSED_PRODUCED, ATTORNEYS
            ),
            panel_step(
                "user_challenged", _("The user challenged it in court"), {OBJECTION_WINDOW}, CLOSED_STAYED, ATTORNEYS
            ),
            panel_step("log_demand", _("Log the demand to remove content"), {LOGGED}, DEMAND_REVIEW, LEGAL_WORKERS),
            panel_step("try_community", _("Community avenue attempted"), {DEMAND_REVIEW}, COMMUNITY_AVENUE, ATTORNEYS),
            panel_step(
                "resolved_by_community",
                _("Resolved by the community"),
                {COMMUNITY_AVENUE},
                CLOSED_RESOLVED_BY_COMMUNITY,
                ATTORNEYS,
            ),
            panel_step(
                "decide_removal",
                _("Decide removal as an office action"),
                {COMMUNITY_AVENUE},
                REMOVAL_DECIDED,
                ATTORNEYS,
            ),
            panel_step("remove", _("Removed"), {REMOVAL_DECIDED}, REMOVED, ATTORNEYS),
            Transition("close_logged", _("Close (logged)"), frozenset({REMOVED}), CLOSED_LOGGED, LEGAL_WORKERS),
        ),
    )
)
