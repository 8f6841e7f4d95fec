"""What the console tests share: personas, a verified login, cases opened through actions."""

import re
from typing import Any

from django.http.response import HttpResponseBase

from safetydesk.accounts.models import User
from safetydesk.cases.actions import do_create_case, do_transition
from safetydesk.cases.models import Case
from safetydesk.lib.testing import PersonaTestCase, force_login_verified, grant_sudo

ROW_REFERENCE = re.compile(r'<a class="ref" href="/cases/([^/]+)/">')


class ConsoleTestCase(PersonaTestCase):
    def login(self, user: User) -> None:
        force_login_verified(self.client, user)

    def grant_sudo(self) -> None:
        grant_sudo(self.client)

    @classmethod
    def open_case(cls, title: str = "Harassment across three wikis", **fields: Any) -> Case:
        return do_create_case(acting_user=cls.specialist, title=title, **fields)

    @classmethod
    def take(cls, case: Case, transition: str, user: User | None = None, **data: Any) -> Case:
        return do_transition(case=case, transition=transition, acting_user=user or cls.specialist, data=data)

    @staticmethod
    def fresh(case: Case) -> Case:
        return Case.objects.get(pk=case.pk)

    @staticmethod
    def html(response: HttpResponseBase) -> str:
        return response.content.decode()  # type: ignore[attr-defined]

    @classmethod
    def listed(cls, response: HttpResponseBase) -> list[str]:
        """References of the case rows on a list page, in the order shown."""
        return ROW_REFERENCE.findall(cls.html(response))

    @classmethod
    def section(cls, response: HttpResponseBase, heading_id: str) -> str:
        """The HTML of the <section> labelled by the heading with this id."""
        html = cls.html(response)
        start = html.index(f'aria-labelledby="{heading_id}"')
        return html[start : html.index("</section>", start)]
