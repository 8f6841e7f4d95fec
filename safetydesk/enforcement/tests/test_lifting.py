"""Lifting a Foundation global ban (DOMAIN §7.3): the ban's whole review chain, then the office
blocks come off both real wikis (a community block stays) and the name leaves the public list."""

import secrets

import pytest
from django.test import override_settings

from safetydesk.accounts.roles import Role
from safetydesk.audit.models import AuditEvent, AuditEventType
from safetydesk.enforcement.actions import do_carry_out
from safetydesk.enforcement.models import ActionStatus, ActionType, ExecutionStatus, Operation
from safetydesk.enforcement.publishing import publish_ban_list
from safetydesk.enforcement.tests.farm_ban import BannedOnTheFarm
from safetydesk.lib.testing import make_staff
from safetydesk.reviews.actions import ReviewRefusal, do_decide, do_submit_recommendation
from safetydesk.reviews.tests.chain import concur_at_every_stage
from safetydesk.wiki.client import WikiClient
from safetydesk.wiki.devwiki import DevWiki
from safetydesk.wiki.tests.farm import local_admin

REASON = "Office action: [[m:Office actions|Office actions policy]]"


@override_settings(OFFICE_ACTION_REASON=REASON)
@pytest.mark.usefixtures("farm")
class LiftingTests(BannedOnTheFarm):
    account_prefix = "Lifted"

    def client_of(self, wiki: DevWiki) -> WikiClient:
        client = WikiClient(wiki.api_url)
        client.login(wiki.bot_user, wiki.bot_password)
        return client

    def recommend_lifting(self, target: str = "", types: tuple[str, ...] = (ActionType.BAN_LIFT,)) -> object:
        return do_submit_recommendation(
            case=self.case, acting_user=self.specialist, action_types=list(types), target=target or self.account,
            rationale="The CRC returned the case; new evidence shows the account was compromised.",
        )  # fmt: skip

    def test_after_the_whole_chain_the_office_blocks_come_off_and_the_list_forgets_the_name(self) -> None:
        assert self.account in self.client.get("/bans/").content.decode()
        recommendation = self.recommend_lifting()
        assert recommendation.steps.count() == 6  # the ban's whole chain
        concur_at_every_stage(recommendation)
        [lifting] = do_decide(recommendation=recommendation, acting_user=make_staff("max", Role.MANAGER))
        assert lifting.lifts == self.ban

        with self.captureOnCommitCallbacks(execute=True):
            executions = do_carry_out(office_action=lifting, acting_user=self.manager)

        assert {e.operation for e in executions} == {Operation.UNBLOCK}
        lifting.refresh_from_db()
        self.ban.refresh_from_db()
        assert (lifting.status, self.ban.status) == (ActionStatus.ENFORCED, ActionStatus.LIFTED)
        assert self.ban.lifted_at == lifting.enforced_at
        for wiki in self.farm:
            client = self.client_of(wiki)
            assert client.active_blocks(self.account) == []
            [newest, *_] = client.log_events("block", title=f"User:{self.account}")
            assert (newest["user"], newest["action"], newest["comment"]) == ("TSOffice", "unblock", REASON)
        assert all(e.status == ExecutionStatus.DONE and e.log_id for e in lifting.executions.all())
        assert self.account not in self.client.get("/bans/").content.decode()
        assert AuditEvent.objects.filter(event_type=AuditEventType.OFFICE_ACTION_LIFTED).count() == 1

    def test_a_community_block_is_not_ours_to_lift(self) -> None:
        wiki = self.farm[0]
        admin = self.client_of(wiki)
        admin.unblock(self.account, reason="office block gone for this test")
        local_admin(wiki).block(self.account, expiry="1 week", reason="Local edit warring")
        recommendation = self.recommend_lifting()
        concur_at_every_stage(recommendation)
        [lifting] = do_decide(recommendation=recommendation, acting_user=make_staff("max", Role.MANAGER))
        with self.captureOnCommitCallbacks(execute=True):
            do_carry_out(office_action=lifting, acting_user=self.manager)
        assert [b["reason"] for b in admin.active_blocks(self.account)] == ["Local edit warring"]
        lifting.refresh_from_db()
        assert lifting.status == ActionStatus.ENFORCED

    def test_the_list_on_its_wiki_page_follows_the_bans_and_never_says_why(self) -> None:
        page = f"Foundation bans {secrets.token_hex(2)}"
        wiki = self.farm[0]
        with override_settings(BAN_LIST_WIKI=wiki.name, BAN_LIST_PAGE=page):
            assert publish_ban_list()["result"] == "edited"  # the ban carried out in setUp
            assert publish_ban_list()["result"] == "unchanged"
            [revision] = self.client_of(wiki).page_revisions(page)
            assert f"[[User:{self.account}|{self.account}]]" in revision["content"]
            self.ban.refresh_from_db()
            assert self.ban.enforced_at is not None
            assert self.ban.enforced_at.date().isoformat() in revision["content"]
            assert "appeal" not in revision["content"].lower()
            assert revision["user"] == "TSOffice"

            recommendation = self.recommend_lifting()
            concur_at_every_stage(recommendation)
            [lifting] = do_decide(recommendation=recommendation, acting_user=make_staff("max", Role.MANAGER))
            with self.captureOnCommitCallbacks(execute=True):  # the lifting publishes the list again
                do_carry_out(office_action=lifting, acting_user=self.manager)
            newest = self.client_of(wiki).page_revisions(page)[0]
            assert self.account not in newest["content"]

    def test_a_lifting_needs_a_ban_in_force_and_goes_alone(self) -> None:
        with pytest.raises(ReviewRefusal, match="No Foundation global ban is in force"):
            self.recommend_lifting("Somebody Else")
        with pytest.raises(ReviewRefusal, match="on its own"):
            self.recommend_lifting(types=(ActionType.BAN_LIFT, ActionType.CONDUCT_WARNING))
        assert not self.case.recommendations.exists()
