"""Personal API tokens: listed, created and revoked in sudo mode, shown once, stored hashed."""

import hashlib
from datetime import UTC, datetime

import time_machine
from django.urls import reverse

from safetydesk.accounts.actions import do_create_api_token, do_revoke_api_token
from safetydesk.accounts.models import ApiToken
from safetydesk.accounts.tests.utils import SUDO_URL, TOKENS_URL, audit_rows, enter_sudo
from safetydesk.audit.models import AuditEvent, AuditEventType
from safetydesk.lib.testing import PersonaTestCase, force_login_verified

NOON = datetime(2026, 3, 2, 12, 0, 0, tzinfo=UTC)
SUDO_FOR_TOKENS = f"{SUDO_URL}?next=%2Faccounts%2Ftokens%2F"


@time_machine.travel(NOON, tick=False)
class CreateTokenTests(PersonaTestCase):
    def setUp(self):
        self.device = force_login_verified(self.client, self.specialist)

    def test_it_needs_sudo_to_create_a_token(self):
        response = self.client.post(TOKENS_URL, {"name": "wiki bot"})
        self.assertRedirects(response, SUDO_FOR_TOKENS, fetch_redirect_response=False)
        assert not ApiToken.objects.exists()
        assert audit_rows(AuditEventType.API_TOKEN_CREATED) == []

    def test_it_shows_the_token_once_and_stores_only_its_hash(self):
        enter_sudo(self.client, self.device)
        response = self.client.post(TOKENS_URL, {"name": "wiki bot"})
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
        raw = response.context["raw_token"]
        assert raw.startswith("sdt_")
        self.assertContains(response, raw, count=1)

        [token] = ApiToken.objects.all()
        assert token.user == self.specialist
        assert token.name == "wiki bot"
        assert token.token_hash == hashlib.sha256(raw.encode()).hexdigest()
        assert raw.startswith(token.hint)
        assert len(token.hint) < 16
        for value in (token.name, token.hint, token.token_hash):
            assert value != raw

        [row] = audit_rows(AuditEventType.API_TOKEN_CREATED)
        assert row.actor_id == self.specialist.pk
        assert row.subject_id == str(token.pk)
        assert row.data == {"name": "wiki bot", "hint": token.hint}
        assert not AuditEvent.objects.filter(data__icontains=raw[len(token.hint) :]).exists()

        # Never again.
        listing = self.client.get(TOKENS_URL)
        self.assertNotContains(listing, raw)
        self.assertContains(listing, "wiki bot")

    def test_it_refuses_a_token_without_a_name(self):
        enter_sudo(self.client, self.device)
        response = self.client.post(TOKENS_URL, {"name": ""})
        assert response.status_code == 200
        self.assertContains(response, 'id="id_name_error"')
        assert not ApiToken.objects.exists()


class ListTokensTests(PersonaTestCase):
    def test_it_lists_only_the_persons_own_tokens_in_flat_queries(self):
        for name in ("one", "two", "three"):
            do_create_api_token(acting_user=self.specialist, name=name)
        old, _raw = do_create_api_token(acting_user=self.specialist, name="retired")
        do_revoke_api_token(acting_user=self.specialist, token=old)
        do_create_api_token(acting_user=self.manager, name="someone else's")
        force_login_verified(self.client, self.specialist)
        # session, user, OTP device, tokens, the user's roles (the navigation depends on them);
        # the same however many tokens there are.
        with self.assertNumQueries(5):
            response = self.client.get(TOKENS_URL)
        assert [t.name for t in response.context["tokens"]] == ["retired", "three", "two", "one"]
        self.assertNotContains(response, "someone else")
        self.assertContains(response, "Revoked")
        self.assertContains(response, "Never")


@time_machine.travel(NOON, tick=False)
class RevokeTokenTests(PersonaTestCase):
    def setUp(self):
        self.device = force_login_verified(self.client, self.specialist)
        self.token, _raw = do_create_api_token(acting_user=self.specialist, name="wiki bot")
        self.url = reverse("accounts:token_revoke", args=[self.token.pk])

    def test_it_revokes_in_sudo_mode(self):
        enter_sudo(self.client, self.device)
        response = self.client.post(self.url)
        self.assertRedirects(response, TOKENS_URL)
        self.token.refresh_from_db()
        assert self.token.revoked_at == NOON
        [row] = audit_rows(AuditEventType.API_TOKEN_REVOKED)
        assert row.subject_id == str(self.token.pk)
        assert row.actor_id == self.specialist.pk

    def test_it_needs_sudo(self):
        response = self.client.post(self.url)
        self.assertRedirects(response, SUDO_FOR_TOKENS, fetch_redirect_response=False)
        self.token.refresh_from_db()
        assert self.token.revoked_at is None

    def test_it_accepts_only_post(self):
        enter_sudo(self.client, self.device)
        assert self.client.get(self.url).status_code == 405
        self.token.refresh_from_db()
        assert self.token.revoked_at is None

    def test_it_does_not_revoke_someone_elses_token(self):
        theirs, _raw = do_create_api_token(acting_user=self.manager, name="theirs")
        enter_sudo(self.client, self.device)
        response = self.client.post(reverse("accounts:token_revoke", args=[theirs.pk]))
        assert response.status_code == 404
        theirs.refresh_from_db()
        assert theirs.revoked_at is None

    def test_it_audits_a_revocation_once(self):
        enter_sudo(self.client, self.device)
        self.client.post(self.url)
        self.client.post(self.url)
        assert len(audit_rows(AuditEventType.API_TOKEN_REVOKED)) == 1
