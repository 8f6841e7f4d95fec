"""What the console tests share: personas, a verified login, cases opened through actions."""

from typing import Any

from safetydesk.accounts.models import User
from safetydesk.cases.actions import do_create_case, do_transition
from safetydesk.cases.models import Case
from safetydesk.lib.testing import PersonaTestCase, force_login_verified


class ConsoleTestCase(PersonaTestCase):
    def login(self, user: User) -> None:
        force_login_verified(self.client, user)

    @classmethod
    def open_case(cls, title: str = "Harassment across three wikis", **fields: Any) -> Case:
        return do_create_case(acting_user=cls.specialist, title=title, **fields)

    @classmethod
    def take(cls, case: Case, transition: str, user: User | None = None, **data: Any) -> Case:
        return do_transition(case=case, transition=transition, acting_user=user or cls.specialist, data=data)

    @staticmethod
    def fresh(case: Case) -> Case:
        return Case.objects.get(pk=case.pk)
