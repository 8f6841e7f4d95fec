"""`safetydesk demo`: demo staff and realistic cases, made through the real actions."""

import datetime as dt
import re
from io import StringIO

from django.contrib.auth import authenticate
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase, override_settings
from django.utils import timezone

from safetydesk.accounts.models import User
from safetydesk.accounts.roles import Role
from safetydesk.audit.log import verify_chain
from safetydesk.audit.models import AuditEvent, AuditEventType
from safetydesk.cases.demo_data import DEMO_PASSWORD, STAFF
from safetydesk.cases.models import (
    NAMED_ONLY_LEVELS,
    Case,
    CaseEvent,
    CaseEventKind,
    CaseKind,
    Confidentiality,
    Evidence,
)
from safetydesk.cases.workflows import CLOSED_STATES
from safetydesk.emergency.models import Disclosure, FunctionaryDisclosureReport, TriageRecord
from safetydesk.oncall.models import Level, Shift
from safetydesk.oncall.rota import current_responder, gaps, next_responder


def run_demo(**options: object) -> str:
    out = StringIO()
    call_command("demo", stdout=out, **options)
    return out.getvalue()


class DemoCommandTests(TestCase):
    def test_it_creates_varied_cases_through_the_actions(self) -> None:
        output = run_demo(cases=30, seed=1)

        cases = list(Case.objects.all())
        assert len(cases) == 30
        kinds = {c.kind for c in cases}
        states = {c.state for c in cases}
        # Every kind appears once before any repeats, so 30 cases cover them all.
        assert kinds == set(CaseKind.values)
        assert len(states) >= 5, states
        assert states & set(CLOSED_STATES), "some cases are closed"
        assert states - set(CLOSED_STATES), "some cases are open"
        assert len({c.language for c in cases}) >= 4
        assert len({c.priority for c in cases}) >= 3
        # Opened over weeks, not all just now: the queue shows aging and overdue work.
        ages = sorted((max(c.opened_at for c in cases) - c.opened_at).days for c in cases)
        assert ages[-1] > 14

        # Each case went through the actions: an opening row, then its transitions, each audited.
        for case in cases:
            kinds_seen = set(case.events.values_list("kind", flat=True))
            assert CaseEventKind.CREATED in kinds_seen, case.reference
        transitions = CaseEvent.objects.filter(kind=CaseEventKind.TRANSITION).count()
        assert transitions > 30
        assert AuditEvent.objects.filter(event_type=AuditEventType.CASE_TRANSITIONED).count() == transitions
        assert AuditEvent.objects.filter(event_type=AuditEventType.CASE_CREATED).count() == 30
        assert verify_chain() is None

        # Investigations have a lead; closed cases say why or where they went.
        for case in cases:
            if case.state == "UNDER_INVESTIGATION":
                assert case.lead_id is not None, case.reference
            if case.state == "CLOSED_DEFERRED_TO_COMMUNITY":
                assert case.routed_to, case.reference
                assert case.reply_template, case.reference
            if case.state in {"CLOSED_DECLINED", "CLOSED_NO_ACTION"}:
                assert case.closure_reason, case.reference
        # Restricted and child-safety cases have named members.
        for case in Case.objects.filter(confidentiality__in=NAMED_ONLY_LEVELS):
            assert case.members.exists(), case.reference
        # Evidence links are permalinks with a revision id where they point at a wiki.
        wiki_links = [e.permalink for e in Evidence.objects.all() if "/w/index.php" in e.permalink]
        assert wiki_links
        assert all("oldid=" in link for link in wiki_links)
        assert all(e.is_intact for e in Evidence.objects.all())

        assert "30 cases created" in output
        assert "audit chain: intact" in output

    def test_it_creates_one_login_per_demo_account_with_its_role(self) -> None:
        output = run_demo(cases=0, seed=1)

        for spec in STAFF:
            user = User.objects.get(username=spec.username)
            assert spec.role in user.roles
            assert user.languages == list(spec.languages)
            assert authenticate(username=spec.username, password=DEMO_PASSWORD) == user
            assert re.search(rf"\n  {spec.username} +.+ +{DEMO_PASSWORD}\n", output)
        assert {s.role for s in STAFF} == set(Role.values)
        assert AuditEvent.objects.filter(event_type=AuditEventType.USER_CREATED).count() == len(STAFF)

    def test_it_reuses_existing_logins(self) -> None:
        run_demo(cases=2, seed=1)
        users_before = User.objects.count()

        output = run_demo(cases=2, seed=2)

        assert User.objects.count() == users_before
        assert Case.objects.count() == 4
        assert verify_chain() is None
        assert DEMO_PASSWORD in output

    def test_it_does_nothing_with_if_empty_when_cases_exist(self) -> None:
        run_demo(cases=5, seed=1)
        audit_rows = AuditEvent.objects.count()

        output = run_demo(cases=5, seed=1, if_empty=True)

        assert Case.objects.count() == 5
        assert AuditEvent.objects.count() == audit_rows
        assert "changed nothing" in output
        assert "amara" in output  # still prints the logins
        assert DEMO_PASSWORD in output

    def test_it_fills_an_empty_database_with_if_empty(self) -> None:
        run_demo(cases=3, seed=1, if_empty=True)

        assert Case.objects.count() == 3

    def test_it_makes_the_same_cases_from_the_same_seed(self) -> None:
        def shape(cases: list[Case]) -> list[tuple[str, ...]]:
            return [(c.title, c.kind, c.state, c.priority, c.language, c.confidentiality) for c in cases]

        run_demo(cases=12, seed=42)
        first = shape(list(Case.objects.order_by("id")))
        run_demo(cases=12, seed=42)
        second = shape(list(Case.objects.order_by("id")[12:]))

        assert first == second

    def test_it_says_where_a_deferred_case_went(self) -> None:
        run_demo(cases=40, seed=3)

        deferred = Case.objects.filter(state="CLOSED_DEFERRED_TO_COMMUNITY")
        assert deferred.exists()
        for case in deferred:
            assert case.routed_url.startswith("https://"), case.reference

    def test_it_marks_some_cases_confidential(self) -> None:
        run_demo(cases=60, seed=5)

        levels = set(Case.objects.values_list("confidentiality", flat=True))
        assert Confidentiality.INTERNAL in levels
        assert levels - {Confidentiality.INTERNAL}, levels

    @override_settings(PRODUCTION=True)
    def test_it_refuses_to_run_in_production(self) -> None:
        with self.assertRaisesMessage(CommandError, "production"):
            run_demo(cases=1, seed=1)
        assert not User.objects.filter(username=STAFF[0].username).exists()

    def test_it_refuses_a_weak_password(self) -> None:
        with self.assertRaisesMessage(CommandError, "too weak"):
            run_demo(cases=1, seed=1, password="short")


class DemoEmergencyTests(TestCase):
    def test_it_walks_emergencies_along_their_own_track(self) -> None:
        # The pages leave after commit, as the task worker would send them.
        with self.captureOnCommitCallbacks(execute=True):
            output = run_demo(cases=80, seed=2)

        emergencies = Case.objects.filter(kind=CaseKind.EMERGENCY)
        states = set(emergencies.values_list("state", flat=True))
        assert {"PAGED", "TRIAGED", "LE_ACKNOWLEDGED", "CLOSED_MONITORED", "LE_REFERRED"} <= states, states
        # Just received: paged, nobody has acknowledged; every other one was acknowledged and triaged.
        for case in emergencies:
            if case.state == "PAGED":
                assert case.paging.acknowledged_at is None, case.reference
                assert not TriageRecord.objects.filter(case=case).exists()
            else:
                assert case.paging.acknowledged_at is not None, case.reference
                assert TriageRecord.objects.filter(case=case).exists(), case.reference
        assert mail.outbox, "the pages went out"
        acknowledged = emergencies.get(state="LE_ACKNOWLEDGED")
        assert acknowledged.emergency_referrals.filter(acknowledged_at__isnull=False).exists()
        monitored = emergencies.filter(state="CLOSED_MONITORED").first()
        assert monitored is not None
        assert monitored.emergency_triage.decision == "not_credible"
        (waiting,) = Disclosure.objects.filter(legal_confirmed_at__isnull=True)
        assert waiting.kind == "voluntary_disclosure"
        assert waiting.case.state == "LE_REFERRED"
        assert FunctionaryDisclosureReport.objects.filter(late=True).count() == 1
        assert verify_chain() is None
        assert "emergency board:" in output

    def test_it_puts_the_on_call_responders_on_the_rota_now_and_next(self) -> None:
        output = run_demo(cases=0, seed=1)

        now = timezone.now()
        responders = {spec.username for spec in STAFF if spec.role == Role.ONCALL}
        for level in Level:
            person = current_responder(level, now)
            assert person is not None
            assert person.username in responders
            following = next_responder(level, now)
            assert following is not None
            assert following[0].username in responders
            assert following[0] != person
            assert gaps(level, now, now + dt.timedelta(days=6)) == []
        assert current_responder(Level.PRIMARY, now) != current_responder(Level.SECONDARY, now)
        assert AuditEvent.objects.filter(event_type=AuditEventType.ONCALL_SHIFT_ADDED).exists()
        assert "on call:" in output

        # A second run leaves the rota as it is.
        shifts = Shift.objects.count()
        run_demo(cases=0, seed=2)
        assert Shift.objects.count() == shifts
