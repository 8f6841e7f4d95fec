"""What appeal tests start from: a decided office action whose notice carries an appeal link,
committee members, and an appeal taken up to the panel's deliberation."""

import re
from typing import Any

from safetydesk.accounts.roles import Role
from safetydesk.appeals.actions import do_decide_eligibility, do_file_appeal, do_prepare_case_file
from safetydesk.appeals.models import Appeal, CommitteeMember
from safetydesk.appeals.panel import do_draw_panel
from safetydesk.cases.actions import PartyData, do_capture_evidence, do_create_case, do_transition
from safetydesk.cases.models import Case, CaseKind, EvidenceKind, PartyRole
from safetydesk.enforcement.actions import do_carry_out
from safetydesk.enforcement.models import ActionType, OfficeAction
from safetydesk.lib.testing import make_staff
from safetydesk.notify.models import Notice

REPORTER = "Quietreporter"
REPORTER_EMAIL = "quiet.reporter@example.net"
SUBJECT_EMAIL = "banned.person@example.net"
LINK = re.compile(r"https?://\S+/appeal/([\w-]+)/")


def banned_case(target: str, decided_by: Any, *, eu_nexus: bool = False) -> OfficeAction:
    """An office-action case with a reporter and the subject (who reads German), and its ban
    decided (not yet carried out)."""
    case = do_create_case(
        acting_user=None, title="Cross-wiki harassment", kind=CaseKind.OFFICE_ACTION, eu_nexus=eu_nexus,
        parties=[
            PartyData(role=PartyRole.REPORTER, wiki_username=REPORTER, email=REPORTER_EMAIL, language="en",
                      real_name="Quinn Reporter"),
            PartyData(role=PartyRole.SUBJECT, wiki_username=target, email=SUBJECT_EMAIL, language="de"),
        ],
    )  # fmt: skip
    return OfficeAction.objects.create(
        case=case, action_type=ActionType.FOUNDATION_GLOBAL_BAN, target=target, decided_by=decided_by
    )


def carry_out(test: Any, action: OfficeAction, acting_user: Any) -> str:
    """Carry the action out (its notice is queued with the appeal link); returns the token."""
    with test.captureOnCommitCallbacks(execute=True):
        do_carry_out(office_action=action, acting_user=acting_user)
    action.refresh_from_db()
    return appeal_token(action)


def appeal_token(action: OfficeAction) -> str:
    # Recipients are encrypted: the subject's notices are picked out here.
    notice = [n for n in Notice.objects.filter(case=action.case).order_by("pk") if n.recipient == SUBJECT_EMAIL][-1]
    match = LINK.search(notice.body)
    assert match, notice.body
    return match.group(1)


def add_evidence(case: Case, actor: Any) -> None:
    """Evidence that names the reporter, as real evidence does."""
    do_capture_evidence(
        case=case, acting_user=actor, kind=EvidenceKind.STATEMENT, permalink="",
        description=f"Statement by {REPORTER}", content=f"{REPORTER} (write to {REPORTER_EMAIL}) was harassed.",
    )  # fmt: skip


def committee(count: int, *, prefix: str = "member") -> list[CommitteeMember]:
    members = []
    for n in range(1, count + 1):
        user = make_staff(f"{prefix}{n}", Role.CRC_MEMBER)
        pseudonym = f"Juniper {prefix} {n}"
        members.append(CommitteeMember.objects.create(user=user, pseudonym=pseudonym, real_identity=f"Real Person {n}"))
    return members


def appeal_in_deliberation(test: Any, action: OfficeAction, *, staff: Any, legal: Any, grounds: str = "") -> Appeal:
    """Filed by the link, acknowledged, found eligible, its file prepared and its panel drawn."""
    appeal = do_file_appeal(token=appeal_token(action), grounds=grounds or "The evidence was misread.")
    do_transition(case=appeal.case, transition="acknowledge", acting_user=staff)
    do_decide_eligibility(appeal=appeal, acting_user=legal, eligible=True)
    do_prepare_case_file(appeal=appeal, acting_user=staff)
    do_draw_panel(appeal=appeal, acting_user=staff)
    appeal.refresh_from_db()
    return appeal
