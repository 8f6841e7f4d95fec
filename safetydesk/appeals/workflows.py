"""The appeal track (DOMAIN §12.4).

RECEIVED ─acknowledge▶ ELIGIBILITY_REVIEW
ELIGIBILITY_REVIEW ─find_eligible▶ ELIGIBLE            (legal counsel; appeals.actions)
ELIGIBILITY_REVIEW ─find_ineligible▶ CLOSED_INELIGIBLE  (legal counsel, a §12.4 reason; appellant told)
ELIGIBLE ─prepare_case_file▶ CASE_FILE_PREPARED         (the redacted file frozen: appeals.case_file)
CASE_FILE_PREPARED ─draw_panel▶ DELIBERATION            (panel drawn, with recusal: appeals.panel)
DELIBERATION ─ratify | overturn | return_case▶ CLOSED_* (Safetydesk, when the panel has voted)

Every step but the acknowledgement records more than a state, so it is taken through its
action in appeals (the case page's Appeal panel), never from the generic "Next steps".
"""

import datetime as dt

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from safetydesk.accounts.roles import Role
from safetydesk.cases.models import Case
from safetydesk.cases.workflow import State, Transition, Workflow, panel_step, register
from safetydesk.cases.workflows import CASEWORKERS
from safetydesk.lib.calendar import add_business_days

RECEIVED = "RECEIVED"
ELIGIBILITY_REVIEW = "ELIGIBILITY_REVIEW"
ELIGIBLE = "ELIGIBLE"
CASE_FILE_PREPARED = "CASE_FILE_PREPARED"
DELIBERATION = "DELIBERATION"
CLOSED_INELIGIBLE = "CLOSED_INELIGIBLE"
CLOSED_RATIFIED = "CLOSED_RATIFIED"
CLOSED_OVERTURNED = "CLOSED_OVERTURNED"
CLOSED_RETURNED = "CLOSED_RETURNED"

APPEAL_WORKERS = CASEWORKERS | {Role.LEGAL_COUNSEL}
ATTORNEYS = frozenset({Role.LEGAL_COUNSEL})
NOBODY: frozenset[str] = frozenset()


def appeal_clocks(case: Case) -> None:
    """DOMAIN §12.4 [P]: acknowledged in 5 business days, eligibility in 14 days (the running
    target until it is decided; then the outcome's 60 days, appeals.actions)."""
    case.ack_due_at = add_business_days(case.opened_at, settings.APPEAL_ACK_BUSINESS_DAYS)
    case.target_due_at = case.opened_at + dt.timedelta(days=settings.APPEAL_ELIGIBILITY_DAYS)
    case.aging_alert_at = None
    case.sla_due_at = case.next_sla_due()
    case.save(update_fields=["ack_due_at", "target_due_at", "aging_alert_at", "sla_due_at"])


APPEAL = register(
    Workflow(
        kind="appeal",
        initial=RECEIVED,
        states=(
            State(RECEIVED, _("Received")),
            State(ELIGIBILITY_REVIEW, _("Eligibility review (Legal)")),
            State(ELIGIBLE, _("Eligible: case file to prepare")),
            State(CASE_FILE_PREPARED, _("Case file prepared: panel to draw")),
            State(DELIBERATION, _("Panel deliberating")),
            State(CLOSED_INELIGIBLE, _("Closed — not eligible"), closed=True),
            State(CLOSED_RATIFIED, _("Closed — ratified"), closed=True),
            State(CLOSED_OVERTURNED, _("Closed — overturned"), closed=True),
            State(CLOSED_RETURNED, _("Closed — returned for reconsideration"), closed=True),
        ),
        transitions=(
            Transition(
                "acknowledge",
                _("Acknowledge"),
                frozenset({RECEIVED}),
                ELIGIBILITY_REVIEW,
                APPEAL_WORKERS,
                acknowledges=True,
                style="primary",
            ),
            panel_step("find_eligible", _("Find eligible"), {ELIGIBILITY_REVIEW}, ELIGIBLE, ATTORNEYS),
            panel_step("find_ineligible", _("Find not eligible"), {ELIGIBILITY_REVIEW}, CLOSED_INELIGIBLE, ATTORNEYS),
            panel_step("prepare_case_file", _("Prepare the case file"), {ELIGIBLE}, CASE_FILE_PREPARED, APPEAL_WORKERS),
            panel_step("draw_panel", _("Draw the panel"), {CASE_FILE_PREPARED}, DELIBERATION, APPEAL_WORKERS),
            panel_step("ratify", _("Ratified by the panel"), {DELIBERATION}, CLOSED_RATIFIED, NOBODY, system=True),
            panel_step(
                "overturn", _("Overturned by the panel"), {DELIBERATION}, CLOSED_OVERTURNED, NOBODY, system=True
            ),
            panel_step("return_case", _("Returned by the panel"), {DELIBERATION}, CLOSED_RETURNED, NOBODY, system=True),
        ),
        on_create=(appeal_clocks,),
    )
)
