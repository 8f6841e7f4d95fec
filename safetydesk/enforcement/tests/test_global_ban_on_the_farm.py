"""A decided Foundation global ban carried out on a farm of two real MediaWiki wikis (no
CentralAuth there, so: an indefinite office block on each), with the faults issue 5 names."""

import datetime as dt
import secrets

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from safetydesk.audit.models import AuditEvent, AuditEventType
from safetydesk.cases.actions import do_create_case
from safetydesk.cases.models import CaseKind
from safetydesk.enforcement.actions import (
    EnforcementNotPermitted,
    EnforcementRefusal,
    do_carry_out,
    do_confirm_by_hand,
    do_retry_execution,
)
from safetydesk.enforcement.models import ActionStatus, ActionType, ExecutionStatus, OfficeAction, Operation
from safetydesk.enforcement.tasks import execute, sweep_executions
from safetydesk.lib.testing import PersonaTestCase, force_login_verified
from safetydesk.wiki.actions import do_add_wiki
from safetydesk.wiki.client import WikiClient
from safetydesk.wiki.devwiki import DevWiki
from safetydesk.wiki.models import Wiki
from safetydesk.wiki.tests.farm import create_user_everywhere, local_admin, register

REASON = "Office action: [[m:Office actions|Office actions policy]]"


@override_settings(OFFICE_ACTION_REASON=REASON, ENFORCEMENT_RETRY_SECONDS=[0])
@pytest.mark.usefixtures("farm")
class GlobalBanOnTheFarmTests(PersonaTestCase):
    farm: list[DevWiki]

    def setUp(self) -> None:
        register(self.farm)
        self.target = create_user_everywhere(self.farm, f"Banned{secrets.token_hex(3)}")
        self.case = do_create_case(acting_user=None, title="Cross-wiki harassment", kind=CaseKind.OFFICE_ACTION)

    def decided(self, target: str = "", action_type: str = ActionType.FOUNDATION_GLOBAL_BAN) -> OfficeAction:
        # The review cycle decides actions; these tests start from its decision.
        return OfficeAction.objects.create(
            case=self.case, action_type=action_type, target=target or self.target, decided_by=self.director
        )

    def carry_out(self, action: OfficeAction) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            do_carry_out(office_action=action, acting_user=self.manager)

    def office_blocks(self, wiki: DevWiki, target: str = "") -> list[dict[str, object]]:
        client = WikiClient(wiki.api_url)
        client.login(wiki.bot_user, wiki.bot_password)
        entries = client.log_events("block", title=f"User:{target or self.target}")
        return [e for e in entries if e["user"] == "TSOffice"]

    def test_it_blocks_the_account_once_on_every_wiki_with_the_office_reason_and_records_the_log_ids(self) -> None:
        action = self.decided()
        self.carry_out(action)

        action.refresh_from_db()
        assert action.status == ActionStatus.ENFORCED
        assert action.enforced_at is not None
        # (And a notice on the talk page: the case knows no email address for the person.)
        executions = list(action.executions.exclude(operation=Operation.TALK_PAGE_NOTICE).order_by("wiki__name"))
        assert [(e.wiki.name, e.operation, e.status) for e in executions] == [
            ("alphawiki", Operation.BLOCK, ExecutionStatus.DONE),
            ("betawiki", Operation.BLOCK, ExecutionStatus.DONE),
        ]
        for wiki, execution in zip(self.farm, executions, strict=True):
            [entry] = self.office_blocks(wiki)
            assert (entry["action"], entry["comment"], entry["logid"]) == ("block", REASON, execution.log_id)
            assert entry["params"]["duration"] == "infinity"
        assert AuditEvent.objects.filter(event_type=AuditEventType.OFFICE_ACTION_EXECUTED).count() == 3
        enforced = AuditEvent.objects.get(event_type=AuditEventType.OFFICE_ACTION_ENFORCED)
        assert "Cross-wiki" not in str(enforced.data)
        assert self.target not in str(enforced.data)

    def test_an_execution_is_never_carried_out_twice_even_after_a_worker_died_mid_way(self) -> None:
        action = self.decided()
        self.carry_out(action)
        execution = action.executions.get(wiki__name="alphawiki", operation=Operation.BLOCK)
        assert execute.call(execution.pk) == "skipped"  # done: nothing to do

        # A worker that blocked on the wiki and died before recording it leaves "running".
        # Ten minutes on, the sweep gives it back to the workers.
        execution.status, execution.log_id = ExecutionStatus.RUNNING, None
        execution.claimed_at = timezone.now() - dt.timedelta(minutes=10)
        execution.save()
        with self.captureOnCommitCallbacks(execute=True):
            assert sweep_executions() == 1
        execution.refresh_from_db()
        assert execution.status == ExecutionStatus.DONE
        assert execution.attempts == 2
        [entry] = self.office_blocks(self.farm[0])  # read first, so still one block
        assert execution.log_id == entry["logid"]

        with pytest.raises(EnforcementRefusal, match="carried out only once"):
            do_carry_out(office_action=action, acting_user=self.manager)

    def test_a_community_block_already_in_place_is_replaced_by_the_office_block(self) -> None:
        alpha = self.farm[0]
        local = local_admin(alpha)
        local.block(self.target, expiry="1 week", reason="Vandalism")

        self.carry_out(self.decided())

        [entry] = self.office_blocks(alpha)
        assert (entry["action"], entry["comment"]) == ("reblock", REASON)
        assert [b["expiry"] for b in local.active_blocks(self.target)] == ["infinity"]

    def test_a_wiki_that_is_down_is_tried_again_then_fails_and_the_action_needs_a_person(self) -> None:
        do_add_wiki(
            acting_user="cli:wiki", name="downwiki", api_url="http://127.0.0.1:9/api.php", bot_user="TSOffice@x",
            bot_password="0" * 32,
        )  # fmt: skip
        action = self.decided()
        self.carry_out(action)
        down = action.executions.get(wiki__name="downwiki")
        assert (down.status, down.attempts) == (ExecutionStatus.PENDING, 1)
        assert down.last_error.startswith("unreachable:")
        assert execute.call(down.pk) == "failed"  # the second and last attempt (one wait configured)

        down.refresh_from_db()
        action.refresh_from_db()
        assert down.status == ExecutionStatus.FAILED
        assert action.status == ActionStatus.NEEDS_ATTENTION
        assert set(action.executions.exclude(pk=down.pk).values_list("status", flat=True)) == {ExecutionStatus.DONE}
        assert AuditEvent.objects.filter(event_type=AuditEventType.OFFICE_ACTION_EXECUTION_DEFERRED).count() == 1
        assert AuditEvent.objects.filter(event_type=AuditEventType.OFFICE_ACTION_EXECUTION_FAILED).count() == 1

    def test_refused_credentials_fail_at_once_without_retrying(self) -> None:
        Wiki.objects.filter(name="betawiki").update(bot_password="0" * 32)
        action = self.decided()
        self.carry_out(action)
        beta = action.executions.get(wiki__name="betawiki")
        assert (beta.status, beta.attempts) == (ExecutionStatus.FAILED, 1)
        assert beta.last_error.startswith("login-failed:")
        assert self.office_blocks(self.farm[1]) == []

    def test_once_the_cause_is_fixed_a_person_tries_the_failed_step_again(self) -> None:
        beta = Wiki.objects.get(name="betawiki")
        password = beta.bot_password
        Wiki.objects.filter(pk=beta.pk).update(bot_password="0" * 32)
        action = self.decided()
        self.carry_out(action)
        failed = action.executions.get(wiki__name="betawiki")
        assert failed.status == ExecutionStatus.FAILED
        force_login_verified(self.client, self.specialist)
        dashboard = self.client.get(reverse("console:dashboard")).content.decode()
        assert "Office actions that need attention" in dashboard
        assert self.case.reference in dashboard

        Wiki.objects.filter(pk=beta.pk).update(bot_password=password)  # the bot password is renewed
        with self.captureOnCommitCallbacks(execute=True):
            do_retry_execution(execution=failed, acting_user=self.specialist)

        failed.refresh_from_db()
        action.refresh_from_db()
        assert (failed.status, failed.attempts) == (ExecutionStatus.DONE, 1)
        assert action.status == ActionStatus.ENFORCED
        assert len(self.office_blocks(self.farm[1])) == 1
        assert AuditEvent.objects.filter(event_type=AuditEventType.OFFICE_ACTION_EXECUTION_RETRIED).count() == 1
        dashboard = self.client.get(reverse("console:dashboard")).content.decode()
        assert "Office actions that need attention" not in dashboard
        with pytest.raises(EnforcementRefusal, match="Only a step that failed"):
            do_retry_execution(execution=failed, acting_user=self.specialist)

    def test_a_step_that_failed_may_be_carried_out_by_hand_and_confirmed(self) -> None:
        Wiki.objects.filter(name="betawiki").update(bot_password="0" * 32)
        action = self.decided()
        self.carry_out(action)
        failed = action.executions.get(wiki__name="betawiki")
        do_confirm_by_hand(execution=failed, acting_user=self.manager, note="Blocked by hand, block log id 41")
        action.refresh_from_db()
        assert action.status == ActionStatus.ENFORCED
        row = AuditEvent.objects.filter(event_type=AuditEventType.OFFICE_ACTION_EXECUTED).latest("seq")
        assert row.data["after_failure"] is True

    def test_without_a_wiki_the_action_waits_for_a_person_who_confirms_it(self) -> None:
        action = self.decided(action_type=ActionType.CONDUCT_WARNING)
        self.carry_out(action)
        [execution] = action.executions.all()
        assert (execution.wiki, execution.operation, execution.status) == (
            None,
            Operation.BY_HAND,
            ExecutionStatus.AWAITING_STAFF,
        )
        with pytest.raises(EnforcementRefusal, match="Say what you did"):
            do_confirm_by_hand(execution=execution, acting_user=self.manager, note=" ")
        do_confirm_by_hand(execution=execution, acting_user=self.manager, note="Warning sent on the talk page")
        action.refresh_from_db()
        assert action.status == ActionStatus.ENFORCED
        with pytest.raises(EnforcementRefusal, match="not waiting for a person"):
            do_confirm_by_hand(execution=execution, acting_user=self.manager, note="again")

    def test_only_people_who_work_the_case_may_carry_it_out(self) -> None:
        action = self.decided()
        with pytest.raises(EnforcementNotPermitted):
            do_carry_out(office_action=action, acting_user=self.auditor)
        assert not action.executions.exists()
        assert OfficeAction.objects.get(pk=action.pk).status == ActionStatus.APPROVED
