"""The client, `wiki add|list|check` and the check against a farm of two real MediaWiki wikis."""

import io
import secrets
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase

from safetydesk.audit.models import AuditEvent, AuditEventType
from safetydesk.wiki.client import WikiClient
from safetydesk.wiki.devwiki import DevWiki
from safetydesk.wiki.errors import PermanentWikiError, WikiLoginFailed
from safetydesk.wiki.models import Wiki


def logged_in(wiki: DevWiki) -> WikiClient:
    client = WikiClient(wiki.api_url, name=wiki.name)
    client.login(wiki.bot_user, wiki.bot_password)
    return client


@pytest.mark.usefixtures("farm")
class ClientOnARealWikiTests(TestCase):
    farm: list[DevWiki]

    def test_it_logs_in_with_the_bot_password_and_sees_the_office_rights(self) -> None:
        client = WikiClient(self.farm[0].api_url)
        assert client.login(self.farm[0].bot_user, self.farm[0].bot_password) == "TSOffice"
        me = client.me()
        assert {"block", "delete", "deleterevision", "suppressrevision", "protect"} <= set(me["rights"])
        assert "suppress" in me["groups"]

    def test_a_wrong_bot_password_is_a_login_failure(self) -> None:
        client = WikiClient(self.farm[0].api_url)
        with pytest.raises(WikiLoginFailed) as failure:
            client.login(self.farm[0].bot_user, "0" * 32)
        assert failure.value.code == "login-failed"

    def test_a_block_is_in_the_block_log_once_with_its_reason_and_a_second_block_is_refused(self) -> None:
        wiki = self.farm[0]
        name = f"Vandal{secrets.token_hex(3)}"
        wiki.create_user(name)
        client = logged_in(wiki)

        block = client.block(name, expiry="infinite", reason="Office action: [[m:Office actions]]")
        assert block["user"] == name
        assert block["expiry"] == "infinite"
        entries = client.log_events("block", title=f"User:{name}")
        assert [(e["action"], e["user"], e["comment"]) for e in entries] == [
            ("block", "TSOffice", "Office action: [[m:Office actions]]")
        ]
        assert [b["user"] for b in client.active_blocks(name)] == [name]

        with pytest.raises(PermanentWikiError) as again:
            client.block(name, expiry="infinite", reason="Office action")
        assert again.value.code == "alreadyblocked"
        assert len(client.log_events("block", title=f"User:{name}")) == 1

        client.unblock(name, reason="Office action")
        assert client.active_blocks(name) == []

    def test_a_block_on_one_wiki_of_the_farm_leaves_the_other_alone(self) -> None:
        alpha, beta = self.farm
        name = f"Farmer{secrets.token_hex(3)}"
        for wiki in self.farm:
            wiki.create_user(name)
        logged_in(alpha).block(name, expiry="1 week", reason="Office action")
        assert [b["user"] for b in logged_in(alpha).active_blocks(name)] == [name]
        assert logged_in(beta).active_blocks(name) == []

    def test_a_stale_csrf_token_is_fetched_again(self) -> None:
        wiki = self.farm[1]
        name = f"Stale{secrets.token_hex(3)}"
        wiki.create_user(name)
        client = logged_in(wiki)
        client._tokens["csrf"] = "0123456789abcdef+\\"  # what a token from an expired session looks like
        assert client.block(name, expiry="1 day", reason="Office action")["user"] == name


@pytest.mark.usefixtures("farm")
class WikiCommandTests(TestCase):
    farm: list[DevWiki]

    def run_command(self, *args: str) -> str:
        out = io.StringIO()
        call_command("wiki", *args, stdout=out)
        return out.getvalue()

    def add(self, wiki: DevWiki, password_file: Path) -> None:
        password_file.write_text(wiki.bot_password + "\n")
        self.run_command(
            "add",
            wiki.name,
            "--api",
            wiki.api_url,
            "--bot-user",
            wiki.bot_user,
            "--bot-password-file",
            str(password_file),
        )

    def test_add_then_check_each_wiki_of_the_farm(self) -> None:
        for wiki in self.farm:
            self.add(wiki, wiki.root / "password-for-add")
            out = self.run_command("check", wiki.name)
            assert f"{wiki.name}: logged in as TSOffice on MediaWiki 1.39" in out
            assert "global bans: a block on every wiki of the farm" in out
            assert out.rstrip().endswith(f"{wiki.name}: ready for office actions.")
        listing = self.run_command("list")
        assert [line.split()[0] for line in listing.splitlines()[1:]] == ["alphawiki", "betawiki"]
        assert "ok" in listing
        for wiki in self.farm:
            assert wiki.bot_password not in listing
            stored = Wiki.objects.get(name=wiki.name)
            assert stored.last_check["ok"] is True
            assert stored.last_check["account"] == "TSOffice"
        audited = AuditEvent.objects.filter(event_type=AuditEventType.WIKI_CHECKED)
        assert audited.count() == 2
        assert not any(wiki.bot_password in str(e.data) for e in AuditEvent.objects.all() for wiki in self.farm)

    def test_check_fails_clearly_for_a_wrong_password_and_for_missing_rights(self) -> None:
        wiki = self.farm[0]
        wrong = wiki.root / "wrong-password"
        wrong.write_text("0" * 32)
        self.run_command(
            "add", "wrongpass", "--api", wiki.api_url, "--bot-user", wiki.bot_user, "--bot-password-file", str(wrong)
        )
        with pytest.raises(CommandError, match=r"wrongpass cannot carry out office actions: login-failed"):
            self.run_command("check", "wrongpass")

        # A bot password with the basic grant only: it logs in, but may not block or delete.
        bot_user, password = wiki.create_bot_password(f"basic{secrets.token_hex(2)}", "basic")
        weak = wiki.root / "weak-password"
        weak.write_text(password)
        self.run_command(
            "add", "weakbot", "--api", wiki.api_url, "--bot-user", bot_user, "--bot-password-file", str(weak)
        )
        with pytest.raises(
            CommandError, match=r"lacks rights: block, delete, deleterevision, suppressrevision, protect"
        ):
            self.run_command("check", "weakbot")
        assert Wiki.objects.get(name="weakbot").last_check["missing_rights"][:2] == ["block", "delete"]

    def test_check_of_an_unknown_wiki_and_a_wiki_that_is_down(self) -> None:
        with pytest.raises(CommandError, match="No wiki named nowhere"):
            self.run_command("check", "nowhere")
        down = self.farm[0].root / "password-down"
        down.write_text("x")
        self.run_command(
            "add",
            "downwiki",
            "--api",
            "http://127.0.0.1:9/api.php",
            "--bot-user",
            "A@b",
            "--bot-password-file",
            str(down),
        )
        with pytest.raises(CommandError, match="downwiki cannot carry out office actions: unreachable"):
            self.run_command("check", "downwiki")
