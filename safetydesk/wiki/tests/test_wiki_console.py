"""The wiki farm registry in the console: an administrator adds a real wiki (after a fresh
re-authentication) and checks its bot password; others see the list and never the password."""

import pytest
from django.urls import reverse

from safetydesk.audit.models import AuditEvent, AuditEventType
from safetydesk.lib.testing import PersonaTestCase, force_login_verified, grant_sudo
from safetydesk.wiki.devwiki import DevWiki
from safetydesk.wiki.models import Wiki


@pytest.mark.usefixtures("farm")
class WikiConsoleTests(PersonaTestCase):
    farm: list[DevWiki]

    def form(self, wiki: DevWiki, **changes: str) -> dict[str, str]:
        return {"name": "console" + wiki.name, "api_url": wiki.api_url, "bot_user": wiki.bot_user,
                "bot_password": wiki.bot_password, **changes}  # fmt: skip

    def test_an_administrator_adds_and_checks_a_wiki_and_the_password_is_never_shown(self) -> None:
        wiki = self.farm[0]
        force_login_verified(self.client, self.admin)
        add = reverse("wikis:add")
        assert self.client.post(add, self.form(wiki))["Location"].startswith(reverse("accounts:sudo"))
        assert not Wiki.objects.exists()

        grant_sudo(self.client)
        page = self.client.post(add, self.form(wiki), follow=True).content.decode()
        assert f"console{wiki.name} is registered." in page
        page = self.client.post(reverse("wikis:check", args=[f"console{wiki.name}"]), follow=True).content.decode()
        assert "the office account may act there" in page
        assert wiki.bot_password not in page
        assert Wiki.objects.get().last_check["ok"] is True
        assert AuditEvent.objects.filter(event_type=AuditEventType.WIKI_CHECKED).count() == 1

        refused = self.client.post(add, self.form(wiki, api_url="https://example.org/wiki/Main_Page"))
        assert refused.status_code == 422
        assert "is not the address of a wiki" in refused.content.decode()

    def test_case_workers_see_the_list_but_may_not_change_it(self) -> None:
        force_login_verified(self.client, self.specialist)
        assert self.client.get(reverse("wikis:list")).status_code == 200
        grant_sudo(self.client)
        page = self.client.post(reverse("wikis:add"), self.form(self.farm[0]), follow=True).content.decode()
        assert "Only administrators may add wikis" in page
        assert not Wiki.objects.exists()
        force_login_verified(self.client, self.outsider)
        assert self.client.get(reverse("wikis:list")).status_code == 403
