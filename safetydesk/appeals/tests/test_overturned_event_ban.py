"""An event ban overturned by the committee comes off the restricted list at once, from the
appeal page: organisers no longer see it, and the office action is lifted."""

import pytest

from safetydesk.appeals.actions import AppealRefusal, do_propose_lifting
from safetydesk.appeals.models import Outcome
from safetydesk.appeals.panel import do_cast_vote
from safetydesk.appeals.tests.factory import SUBJECT_EMAIL, appeal_in_deliberation, committee
from safetydesk.appeals.tests.offline import AppealTestCase
from safetydesk.cases.actions import PartyData, do_create_case
from safetydesk.cases.models import CaseKind, PartyRole
from safetydesk.enforcement.actions import do_carry_out
from safetydesk.enforcement.event_bans import EventBanRefusal, active_bans
from safetydesk.enforcement.models import ActionStatus, ActionType, EventBanScope, EventBanStatus, OfficeAction
from safetydesk.lib.testing import force_login_verified


class OverturnedEventBanTests(AppealTestCase):
    def test_the_overturned_event_ban_is_lifted_from_the_appeal_page(self) -> None:
        case = do_create_case(
            acting_user=None, title="Conduct at a conference", kind=CaseKind.OFFICE_ACTION,
            parties=[PartyData(role=PartyRole.SUBJECT, wiki_username="Meetup Menace", email=SUBJECT_EMAIL,
                               language="de")],
        )  # fmt: skip
        action = OfficeAction.objects.create(
            case=case, action_type=ActionType.FOUNDATION_EVENT_BAN, target="Meetup Menace",
            scope=EventBanScope.ALL_FUNDED, decided_by=self.director,
        )  # fmt: skip
        with self.captureOnCommitCallbacks(execute=True):
            do_carry_out(office_action=action, acting_user=self.manager)  # listed: nothing on a wiki
        assert [ban.office_action_id for ban in active_bans()] == [action.pk]
        committee(3)
        with self.captureOnCommitCallbacks(execute=True):
            appeal = appeal_in_deliberation(self, action, staff=self.specialist, legal=self.legal)
        with pytest.raises(AppealRefusal, match="Only an overturned decision"):
            do_propose_lifting(appeal=appeal, acting_user=self.specialist)
        for seat in appeal.seats.all():
            with self.captureOnCommitCallbacks(execute=True):
                do_cast_vote(seat=seat, acting_user=seat.member.user, vote=Outcome.OVERTURNED, note="Misread.")
        appeal.refresh_from_db()
        assert appeal.outcome == Outcome.OVERTURNED

        force_login_verified(self.client, self.specialist)
        self.client.post(f"/appeals/cases/{appeal.case.reference}/lifting/")
        action.refresh_from_db()
        assert action.status == ActionStatus.LIFTED
        assert action.event_ban.status == EventBanStatus.LIFTED
        assert list(active_bans()) == []
        with pytest.raises(EventBanRefusal, match="not active"):
            do_propose_lifting(appeal=appeal, acting_user=self.specialist)
