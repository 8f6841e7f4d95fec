"""Where a wiki of the farm runs CentralAuth, a global ban is one global lock there (INTEROP §4.1).
Debian ships no CentralAuth, so the wiki here is scripted (wiki.tests.scripted)."""

from django.test import override_settings

from safetydesk.cases.actions import do_create_case
from safetydesk.cases.models import CaseKind
from safetydesk.enforcement.actions import do_carry_out
from safetydesk.enforcement.models import ActionStatus, ActionType, ExecutionStatus, OfficeAction, Operation
from safetydesk.lib.testing import PersonaTestCase
from safetydesk.wiki.actions import do_add_wiki
from safetydesk.wiki.models import Wiki
from safetydesk.wiki.tests.scripted import scripted_wiki

REASON = "Office action"
LOGIN = [
    (200, {}, {"query": {"tokens": {"logintoken": "l+\\"}}}),
    (200, {}, {"login": {"result": "Success", "lgusername": "WMFOffice"}}),
]
LOCK_LOG = (
    200,
    {},
    {"query": {"logevents": [{"logid": 991, "action": "setstatus", "user": "WMFOffice", "comment": REASON}]}},
)


@override_settings(OFFICE_ACTION_REASON=REASON)
class GlobalLockTests(PersonaTestCase):
    def setUp(self) -> None:
        case = do_create_case(acting_user=None, title="Long-term abuse", kind=CaseKind.OFFICE_ACTION)
        self.action = OfficeAction.objects.create(
            case=case, action_type=ActionType.FOUNDATION_GLOBAL_BAN, target="Abuser", decided_by=self.director
        )

    def register(self, name: str, url: str, *, centralauth: bool) -> None:
        do_add_wiki(acting_user="cli:wiki", name=name, api_url=url, bot_user="WMFOffice@sd", bot_password="a" * 32)
        Wiki.objects.filter(name=name).update(has_centralauth=centralauth)

    def test_a_global_ban_is_one_lock_on_the_centralauth_wiki_and_no_local_blocks(self) -> None:
        tokens = (200, {}, {"query": {"tokens": {"setglobalaccountstatustoken": "s+\\"}}})
        answers = [*LOGIN, (200, {}, {"query": {"globaluserinfo": {"name": "Abuser", "id": 7}}}), tokens,
                   (200, {}, {"setglobalaccountstatus": {"user": "Abuser", "locked": "locked"}}), LOCK_LOG]  # fmt: skip
        with scripted_wiki(*answers) as (url, seen):
            self.register("meta", url, centralauth=True)
            self.register("local", "http://127.0.0.1:9/api.php", centralauth=False)
            with self.captureOnCommitCallbacks(execute=True):
                [execution] = do_carry_out(office_action=self.action, acting_user=self.manager)
        assert (execution.wiki.name, execution.operation) == ("meta", Operation.GLOBAL_LOCK)
        execution.refresh_from_db()
        assert (execution.status, execution.log_id) == (ExecutionStatus.DONE, 991)
        lock = next(r for r in seen if r.get("action") == "setglobalaccountstatus")
        assert (lock["user"], lock["locked"], lock["reason"], lock["token"]) == ("Abuser", "lock", REASON, "s+\\")
        assert next(r for r in seen if r.get("meta") == "tokens" and r.get("type") == "setglobalaccountstatus")
        self.action.refresh_from_db()
        assert self.action.status == ActionStatus.ENFORCED

    def test_an_account_already_locked_is_not_locked_again(self) -> None:
        answers = [*LOGIN, (200, {}, {"query": {"globaluserinfo": {"name": "Abuser", "locked": True}}}), LOCK_LOG]
        with scripted_wiki(*answers) as (url, seen):
            self.register("meta", url, centralauth=True)
            with self.captureOnCommitCallbacks(execute=True):
                do_carry_out(office_action=self.action, acting_user=self.manager)
        assert not [r for r in seen if r.get("action") == "setglobalaccountstatus"]
        assert self.action.executions.get(operation=Operation.GLOBAL_LOCK).status == ExecutionStatus.DONE

    def test_a_lock_the_log_does_not_show_yet_is_tried_again(self) -> None:
        unlogged = (200, {}, {"query": {"logevents": []}})
        answers = [*LOGIN, (200, {}, {"query": {"globaluserinfo": {"locked": True}}}), unlogged]
        with scripted_wiki(*answers) as (url, _seen):
            self.register("meta", url, centralauth=True)
            with self.captureOnCommitCallbacks(execute=True):
                do_carry_out(office_action=self.action, acting_user=self.manager)
        execution = self.action.executions.get()
        assert execution.status == ExecutionStatus.PENDING
        assert execution.last_error.startswith("unverified:")
