"""Appeal tests without the wiki farm. With no wiki registered, carrying out a ban makes one step
to be done by hand; staff confirm it, which finishes the action and queues the subject's notice
with the appeal link. Every test runs with Django's mail going to a local SMTP sink, and each
refusal is checked to have written nothing (`unchanged`)."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.utils import translation

from safetydesk.appeals.actions import do_file_appeal
from safetydesk.appeals.models import Appeal, AppealLink, CaseFile, CommitteeMember, Complaint, PanelSeat
from safetydesk.appeals.tests.factory import appeal_in_deliberation, appeal_token, committee
from safetydesk.cases.actions import PartyData, do_create_case
from safetydesk.cases.models import Case, CaseKind, Note, PartyRole
from safetydesk.enforcement.actions import do_carry_out, do_confirm_by_hand
from safetydesk.enforcement.models import ActionStatus, ExecutionStatus, OfficeAction
from safetydesk.lib.testing import PersonaTestCase, SmtpSink, smtp_sink
from safetydesk.notify.models import Notice


def counts() -> dict[str, int]:
    """How many rows of everything an appeal step may write."""
    return {
        "appeals": Appeal.objects.count(),
        "cases": Case.objects.count(),
        "seats": PanelSeat.objects.count(),
        "votes": PanelSeat.objects.exclude(vote="").count(),
        "recusals": PanelSeat.objects.filter(status="recused").count(),
        "case_files": CaseFile.objects.count(),
        "complaints": Complaint.objects.count(),
        "decided_complaints": Complaint.objects.filter(decided_at__isnull=False).count(),
        "members": CommitteeMember.objects.count(),
        "notes": Note.objects.count(),
        "notices": Notice.objects.count(),
        "used_links": AppealLink.objects.filter(used_at__isnull=False).count(),
    }


@contextmanager
def unchanged() -> Iterator[None]:
    """The block writes none of the rows `counts` counts (put `pytest.raises` inside it)."""
    before = counts()
    yield
    after = counts()
    assert after == before, {key: (before[key], after[key]) for key in before if after[key] != before[key]}


class AppealTestCase(PersonaTestCase):
    sink: SmtpSink

    def setUp(self) -> None:
        super().setUp()
        self.sink = self.enterContext(smtp_sink())
        # Refusals are checked in English: a page served in the subject's language earlier in
        # the thread must not leave its language active for the actions called directly.
        self.enterContext(translation.override("en"))

    def carried_out(self, action: OfficeAction, acting_user: Any = None) -> str:
        """Carry the action out by hand (no wiki registered); returns the token of the appeal
        link in the subject's notice."""
        acting_user = acting_user or self.manager
        with self.captureOnCommitCallbacks(execute=True):
            [execution] = do_carry_out(office_action=action, acting_user=acting_user)
        assert execution.status == ExecutionStatus.AWAITING_STAFF
        with self.captureOnCommitCallbacks(execute=True):
            do_confirm_by_hand(execution=execution, acting_user=acting_user, note="done")
        action.refresh_from_db()
        assert action.status == ActionStatus.ENFORCED
        return appeal_token(action)

    def appeal_by_link(self, action: OfficeAction, grounds: str = "The evidence was misread.", **data: str) -> Appeal:
        with self.captureOnCommitCallbacks(execute=True):
            return do_file_appeal(token=appeal_token(action), grounds=grounds, **data)

    def email_appeal_case(self, email: str = "writer@example.net", name: str = "") -> Case:
        """An appeal that came by email: its case, waiting for staff to register it, with the
        sender as intake records them (intake.pipeline._parties: a REPORTER party)."""
        return do_create_case(
            acting_user=None, title="Appeal by email", kind=CaseKind.APPEAL, intake_channel="email",
            parties=[PartyData(role=PartyRole.REPORTER, email=email, real_name=name, language="en")],
        )  # fmt: skip

    def in_deliberation(self, action: OfficeAction, *, members: int = 3, grounds: str = "") -> Appeal:
        """The action carried out, then appealed by its link, found eligible, its file prepared
        and a panel drawn from `members` new committee members."""
        self.carried_out(action)
        committee(members)
        with self.captureOnCommitCallbacks(execute=True):
            return appeal_in_deliberation(self, action, staff=self.specialist, legal=self.legal, grounds=grounds)
