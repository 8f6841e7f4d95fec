"""The start of a legal journey: a legal-privileged case acknowledged by legal counsel."""

from typing import Any

from safetydesk.accounts.roles import Role
from safetydesk.cases.actions import do_create_case, do_transition
from safetydesk.cases.models import Case, Confidentiality
from safetydesk.lib.testing import make_staff
from tests.browser.signin import role_groups


def acknowledged_by_counsel(title: str, kind: str) -> tuple[Case, Any]:
    """A new case of `kind`, legal-privileged, acknowledged by legal counsel "lee"; and lee."""
    role_groups()
    counsel = make_staff("lee", Role.LEGAL_COUNSEL, display_name="Lee Legal")
    case = do_create_case(acting_user=None, title=title, kind=kind, confidentiality=Confidentiality.LEGAL_PRIVILEGED)
    do_transition(case=case, transition="acknowledge", acting_user=counsel)
    return case, counsel
