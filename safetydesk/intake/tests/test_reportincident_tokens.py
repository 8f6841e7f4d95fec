"""A wiki authenticates to POST /api/v1/reportincident with its own token: a missing, wrong,
revoked or staff token answers 401 and nothing is kept. `safetydesk wikitoken` manages them."""

import datetime as dt
import io
import json
from typing import Any

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.test import TestCase

from safetydesk.accounts.models import hash_token
from safetydesk.api.tests.base import ApiTestCase
from safetydesk.audit.models import AuditEvent, AuditEventType
from safetydesk.intake.models import IntakeItem, ReportIncidentCount, WikiIntakeToken
from safetydesk.intake.wiki_tokens import do_create_wiki_token, do_revoke_wiki_tokens

URL = "/api/v1/reportincident"
COUNTED = {"revisionId": 7, "incidentType": "unacceptable-user-behavior", "behaviorType": "spam"}


class WikiTokenAuthTests(ApiTestCase):
    wiki_token: str

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        # The German Wikipedia's token.
        cls.wiki_token = do_create_wiki_token(acting_user="tests", wiki="de.wikipedia.org")[1]

    def send(self, authorization: str | None) -> Any:
        headers = {"Authorization": authorization} if authorization is not None else {}
        return self.client.post(URL, json.dumps(COUNTED), content_type="application/json", headers=headers)

    def assert_refused(self, response: Any, reason: str | None) -> None:
        error = self.assert_error(response, 401, "unauthenticated")
        if reason is not None:
            assert error["details"]["reason"] == reason
        assert response["WWW-Authenticate"].startswith("Bearer")
        assert not ReportIncidentCount.objects.exists()
        assert not IntakeItem.objects.exists()

    def test_it_counts_with_the_wikis_token(self) -> None:
        response = self.send(f"Bearer {self.wiki_token}")

        assert response.status_code == 202, response.content
        row = ReportIncidentCount.objects.get()
        assert (row.wiki, row.behavior_type, row.count) == ("de.wikipedia.org", "spam", 1)

    def test_it_refuses_a_missing_token(self) -> None:
        self.assert_refused(self.send(None), "missing_token")

    def test_it_refuses_another_scheme(self) -> None:
        self.assert_refused(self.send(f"Token {self.wiki_token}"), "wrong_scheme")

    def test_it_refuses_a_wrong_token(self) -> None:
        self.assert_refused(self.send("Bearer sdw_not-a-real-token"), "invalid_token")
        self.assert_refused(self.send(f"Bearer {self.wiki_token[:-1]}"), "invalid_token")

    def test_it_refuses_a_revoked_token(self) -> None:
        assert do_revoke_wiki_tokens(acting_user="tests", wiki="de.wikipedia.org") == 1

        self.assert_refused(self.send(f"Bearer {self.wiki_token}"), "revoked_token")

    def test_it_refuses_a_staff_token(self) -> None:
        # Staff tokens open case files; they are no way into the wikis' endpoint.
        self.assert_refused(self.send(f"Bearer {self.tokens[self.specialist.pk]}"), "invalid_token")

    def test_it_is_not_a_way_into_the_staff_api(self) -> None:
        response = self.client.get("/api/v1/cases", headers={"Authorization": f"Bearer {self.wiki_token}"})

        self.assert_error(response, 401, "unauthenticated")

    def test_it_checks_the_token_before_reading_the_body(self) -> None:
        response = self.client.post(URL, "{oops", content_type="application/json")

        self.assert_refused(response, "missing_token")

    def test_it_stamps_last_used_once_a_minute(self) -> None:
        row = WikiIntakeToken.objects.get()
        assert row.last_used_at is None
        start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
        with time_machine.travel(start, tick=False):
            self.send(f"Bearer {self.wiki_token}")
        with time_machine.travel(start + dt.timedelta(seconds=30), tick=False):
            self.send(f"Bearer {self.wiki_token}")
        row.refresh_from_db()
        assert row.last_used_at == start
        with time_machine.travel(start + dt.timedelta(minutes=2), tick=False):
            self.send(f"Bearer {self.wiki_token}")
        row.refresh_from_db()
        assert row.last_used_at == start + dt.timedelta(minutes=2)


class WikiTokenCommandTests(TestCase):
    def run_command(self, *args: str) -> tuple[str, str]:
        out, err = io.StringIO(), io.StringIO()
        call_command("wikitoken", *args, stdout=out, stderr=err)
        return out.getvalue(), err.getvalue()

    def test_it_prints_a_new_token_once_and_keeps_only_its_hash(self) -> None:
        out, err = self.run_command("add", "EN.Wikipedia.org")

        token = out.strip()
        assert token.startswith("sdw_")
        assert len(token) > 40
        row = WikiIntakeToken.objects.get()
        assert (row.wiki, row.token_hash, row.hint) == ("en.wikipedia.org", hash_token(token), token[:8])
        assert token not in err
        assert "shown only this once" in err
        event = AuditEvent.objects.get(event_type=AuditEventType.API_TOKEN_CREATED)
        assert event.data == {"kind": "wiki_intake", "wiki": "en.wikipedia.org", "hint": token[:8]}
        assert token not in json.dumps(event.data)
        # And it works.
        response = self.client.post(
            URL, json.dumps(COUNTED), content_type="application/json", headers={"Authorization": f"Bearer {token}"}
        )
        assert response.status_code == 202

    def test_it_refuses_a_wiki_that_is_not_configured(self) -> None:
        for name in ("evil.example.com", "en.wikipedia.org/wiki", "", "user@en.wikipedia.org"):
            with self.subTest(name=name), pytest.raises(CommandError):
                self.run_command("add", name)
        assert not WikiIntakeToken.objects.exists()

    def test_it_lists_tokens_without_showing_them(self) -> None:
        first = self.run_command("add", "en.wikipedia.org")[0].strip()
        self.run_command("add", "ja.wikipedia.org")
        self.run_command("revoke", "ja.wikipedia.org")

        out, _ = self.run_command("list")

        lines = out.splitlines()
        assert lines[0].split() == ["WIKI", "TOKEN", "CREATED", "LAST", "USED", "REVOKED"]
        en, ja = lines[1], lines[2]
        assert en.startswith("en.wikipedia.org")
        assert first[:8] in en
        assert "never" in en
        assert en.rstrip().endswith("-")
        assert ja.startswith("ja.wikipedia.org")
        assert "UTC" in ja.split("never")[1]  # revoked, with the time
        assert first not in out

    def test_it_revokes_every_active_token_of_a_wiki(self) -> None:
        old = self.run_command("add", "fr.wikipedia.org")[0].strip()
        new = self.run_command("add", "fr.wikipedia.org")[0].strip()
        other = self.run_command("add", "es.wikipedia.org")[0].strip()

        out, _ = self.run_command("revoke", "fr.wikipedia.org")

        assert "Revoked 2 token(s) of fr.wikipedia.org" in out
        states = {row.hint: row.revoked_at is not None for row in WikiIntakeToken.objects.all()}
        assert states == {old[:8]: True, new[:8]: True, other[:8]: False}
        assert AuditEvent.objects.filter(event_type=AuditEventType.API_TOKEN_REVOKED).count() == 2
        with pytest.raises(CommandError, match="no active token"):
            self.run_command("revoke", "fr.wikipedia.org")
