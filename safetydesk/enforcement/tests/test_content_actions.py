"""Office actions on content, carried out on a real wiki by the office account with the office
reason: revision suppression (hidden from administrators too), office protection, an office
edit, page deletion; each read first so a retry never acts twice, each verified in the wiki's
log (or by the revision it made)."""

import secrets

import pytest
from django.test import override_settings

from safetydesk.accounts.roles import Role
from safetydesk.cases.actions import do_create_case
from safetydesk.cases.models import CaseKind
from safetydesk.enforcement.actions import do_carry_out
from safetydesk.enforcement.models import ActionStatus, ActionType, ExecutionStatus, OfficeAction
from safetydesk.enforcement.tasks import execute
from safetydesk.lib.testing import PersonaTestCase, make_staff
from safetydesk.reviews.actions import ReviewRefusal, do_decide, do_submit_recommendation
from safetydesk.reviews.tests.chain import concur_at_every_stage
from safetydesk.wiki.actions import logged_in_client
from safetydesk.wiki.devwiki import DevWiki
from safetydesk.wiki.models import Wiki
from safetydesk.wiki.tests.farm import register

REASON = "Office action: [[m:Office actions|Office actions policy]]"


@override_settings(OFFICE_ACTION_REASON=REASON, OFFICE_EDIT_TEXT="{{Office action}}")
@pytest.mark.usefixtures("farm")
class ContentActionTests(PersonaTestCase):
    farm: list[DevWiki]

    def setUp(self) -> None:
        register(self.farm[:1])
        self.wiki = Wiki.objects.get(name=self.farm[0].name)
        self.client_ = logged_in_client(self.wiki)
        self.page = f"Doxxing {secrets.token_hex(3)}"
        self.doxx = self.client_.edit(self.page, text="Her home address is 1 Main St.", summary="x")["newrevid"]
        self.client_.edit(self.page, text="Removed.", summary="revert")
        self.case = do_create_case(acting_user=None, title="Doxxing of an admin", kind=CaseKind.OFFICE_ACTION)

    def decided(self, action_type: str, **details: object) -> OfficeAction:
        return OfficeAction.objects.create(
            case=self.case, action_type=action_type, wiki=self.wiki, decided_by=self.director,
            details={"page": self.page, **details},
        )  # fmt: skip

    def carry_out(self, action: OfficeAction) -> OfficeAction:
        with self.captureOnCommitCallbacks(execute=True):
            do_carry_out(office_action=action, acting_user=self.manager)
        action.refresh_from_db()
        return action

    def test_a_revision_is_suppressed_once_and_the_log_says_office_action(self) -> None:
        action = self.carry_out(self.decided(ActionType.REVISION_SUPPRESSION, revisions=[self.doxx]))
        assert action.status == ActionStatus.ENFORCED
        assert self.client_.revision_flags([self.doxx])[self.doxx] == {"texthidden": True, "suppressed": True}
        [entry] = self.client_.log_events("suppress", title=self.page)
        execution = action.executions.get()
        assert (entry["comment"], entry["logid"]) == (REASON, execution.log_id)
        type(execution).objects.filter(pk=execution.pk).update(status=ExecutionStatus.PENDING)
        assert execute.call(execution.pk) == "done"  # read first: nothing suppressed twice
        assert len(self.client_.log_events("suppress", title=self.page)) == 1

    def test_protection_an_office_edit_and_a_deletion(self) -> None:
        self.carry_out(self.decided(ActionType.PAGE_PROTECTION))
        levels = {p["type"]: p["level"] for p in self.client_.page_info(self.page)["protection"]}
        assert levels == {"edit": "sysop", "move": "sysop"}
        [entry] = self.client_.log_events("protect", title=self.page)
        assert entry["comment"] == REASON

        edit = self.carry_out(self.decided(ActionType.PAGE_BLANKING))
        [newest] = self.client_.page_revisions(self.page, limit=1)
        assert (newest["content"], newest["comment"], newest["revid"]) == (
            "{{Office action}}", REASON, edit.executions.get().log_id,
        )

        deletion = self.carry_out(self.decided(ActionType.PAGE_DELETION))
        assert deletion.status == ActionStatus.ENFORCED
        assert self.client_.page_info(self.page)["exists"] is False
        [entry] = self.client_.log_events("delete", title=self.page)
        assert (entry["comment"], entry["logid"]) == (REASON, deletion.executions.get().log_id)

    def test_the_current_revision_cannot_be_suppressed_and_a_person_is_asked_to_look(self) -> None:
        current = self.client_.page_revisions(self.page, limit=1)[0]["revid"]
        action = self.carry_out(self.decided(ActionType.REVISION_SUPPRESSION, revisions=[current]))
        execution = action.executions.get()
        assert execution.status == ExecutionStatus.FAILED
        assert execution.last_error.startswith("revdelete-hide-current")
        assert action.status == ActionStatus.NEEDS_ATTENTION

    def test_recommended_with_its_page_and_decided_through_the_chain(self) -> None:
        with pytest.raises(ReviewRefusal, match="revision ids"):
            do_submit_recommendation(
                case=self.case, acting_user=self.specialist, action_types=[ActionType.REVISION_SUPPRESSION],
                rationale="Home address of an admin.", wiki=self.wiki, page=self.page,
            )  # fmt: skip
        recommendation = do_submit_recommendation(
            case=self.case, acting_user=self.specialist, action_types=[ActionType.REVISION_SUPPRESSION],
            rationale="Home address of an admin.", wiki=self.wiki, page=self.page, revisions=[self.doxx],
        )  # fmt: skip
        concur_at_every_stage(recommendation)
        [action] = do_decide(recommendation=recommendation, acting_user=make_staff("max", Role.MANAGER))
        assert (action.wiki, action.details) == (self.wiki, {"page": self.page, "revisions": [self.doxx]})
        assert self.carry_out(action).status == ActionStatus.ENFORCED
