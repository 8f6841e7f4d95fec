"""A Foundation global ban already carried out on the real wiki farm: where the tests of what
comes after a ban (evasion, yearly reviews, lifting) start."""

import secrets

from django.test import TestCase

from safetydesk.cases.actions import do_create_case
from safetydesk.cases.models import CaseKind
from safetydesk.enforcement.actions import do_carry_out
from safetydesk.enforcement.models import ActionType, OfficeAction
from safetydesk.lib.testing import Personas
from safetydesk.wiki.devwiki import DevWiki
from safetydesk.wiki.tests.farm import create_user_everywhere, register


class BannedOnTheFarm(Personas, TestCase):
    """setUp: the farm registered, an account on every wiki (`account`), and its ban (`ban`, on
    `case`) decided and carried out everywhere."""

    farm: list[DevWiki]
    account_prefix = "Banned"

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.make_personas()

    def setUp(self) -> None:
        register(self.farm)
        self.account = create_user_everywhere(self.farm, f"{self.account_prefix}{secrets.token_hex(3)}")
        self.case = do_create_case(acting_user=None, title="Cross-wiki harassment", kind=CaseKind.OFFICE_ACTION)
        self.ban = OfficeAction.objects.create(
            case=self.case, action_type=ActionType.FOUNDATION_GLOBAL_BAN, target=self.account,
            decided_by=self.director,
        )  # fmt: skip
        with self.captureOnCommitCallbacks(execute=True):
            do_carry_out(office_action=self.ban, acting_user=self.manager)
        self.ban.refresh_from_db()
