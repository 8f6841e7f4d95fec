"""Logging out: POST only, and audited."""

from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from safetydesk.accounts.tests.utils import LOGIN_URL, audit_rows
from safetydesk.audit.models import AuditEventType
from safetydesk.lib.testing import PersonaTestCase, force_login_verified

LOGOUT_URL = reverse("accounts:logout")


class LogoutTests(PersonaTestCase):
    def test_it_logs_out_and_audits(self):
        force_login_verified(self.client, self.specialist)
        response = self.client.post(LOGOUT_URL)
        self.assertRedirects(response, LOGIN_URL)
        assert SESSION_KEY not in self.client.session
        [row] = audit_rows(AuditEventType.LOGOUT)
        assert row.actor_id == self.specialist.pk

    def test_it_refuses_get(self):
        force_login_verified(self.client, self.specialist)
        assert self.client.get(LOGOUT_URL).status_code == 405
        assert SESSION_KEY in self.client.session
        assert audit_rows(AuditEventType.LOGOUT) == []

    def test_it_writes_nothing_for_a_visitor(self):
        self.assertRedirects(self.client.post(LOGOUT_URL), LOGIN_URL)
        assert audit_rows(AuditEventType.LOGOUT) == []
