"""Registering wikis: who may, what is refused, what the audit trail and the database keep."""

import pytest
from django.db import connection

from safetydesk.audit.models import AuditEvent, AuditEventType
from safetydesk.lib.testing import PersonaTestCase
from safetydesk.wiki.actions import WikiNotPermitted, WikiRefusal, do_add_wiki
from safetydesk.wiki.models import Wiki

GOOD = {"name": "enwiki", "api_url": "https://en.wikipedia.org/w/api.php", "bot_user": "TSOffice@safetydesk",
        "bot_password": "abcdefabcdefabcdefabcdefabcdef12"}  # fmt: skip


class AddWikiTests(PersonaTestCase):
    def test_an_administrator_adds_a_wiki_and_the_password_is_stored_encrypted_and_never_audited(self) -> None:
        wiki = do_add_wiki(acting_user=self.admin, **GOOD)
        assert Wiki.objects.get(name="enwiki").bot_password == GOOD["bot_password"]
        with connection.cursor() as cursor:
            cursor.execute("SELECT bot_password FROM wiki_wiki WHERE id = %s", [wiki.pk])
            (stored,) = cursor.fetchone()
        assert GOOD["bot_password"] not in stored
        event = AuditEvent.objects.get(event_type=AuditEventType.WIKI_ADDED)
        assert event.actor == self.admin
        assert event.data["bot_user"] == "TSOffice@safetydesk"
        assert GOOD["bot_password"] not in str(event.data)

    def test_only_administrators_and_the_shell_may_add_wikis(self) -> None:
        with pytest.raises(WikiNotPermitted):
            do_add_wiki(acting_user=self.specialist, **GOOD)
        assert do_add_wiki(acting_user="cli:wiki", **GOOD).added_by is None
        with pytest.raises(WikiNotPermitted):
            do_add_wiki(acting_user="intake", **{**GOOD, "name": "other"})

    def test_bad_input_is_refused_with_the_field_and_changes_nothing(self) -> None:
        cases = {
            "name": {"name": "En Wiki!"},
            "api_url": {"api_url": "https://en.wikipedia.org/wiki/Main_Page"},
            "bot_user": {"bot_user": "TSOffice"},
            "bot_password": {"bot_password": "   "},
        }
        for field, change in cases.items():
            with self.subTest(field=field), pytest.raises(WikiRefusal) as refusal:
                do_add_wiki(acting_user="cli:wiki", **{**GOOD, **change})
            assert refusal.value.details == {"field": field}
        assert not Wiki.objects.exists()
        assert not AuditEvent.objects.filter(event_type=AuditEventType.WIKI_ADDED).exists()

    def test_a_second_add_of_a_name_is_refused_unless_it_replaces_on_purpose(self) -> None:
        do_add_wiki(acting_user="cli:wiki", **GOOD)
        with pytest.raises(WikiRefusal, match="already registered"):
            do_add_wiki(acting_user="cli:wiki", **{**GOOD, "bot_password": "1" * 32})
        assert Wiki.objects.get().bot_password == GOOD["bot_password"]
        do_add_wiki(acting_user="cli:wiki", **{**GOOD, "bot_password": "1" * 32}, replace=True)
        assert Wiki.objects.get().bot_password == "1" * 32
        assert AuditEvent.objects.filter(event_type=AuditEventType.WIKI_CHANGED).count() == 1
