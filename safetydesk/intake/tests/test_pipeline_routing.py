"""The pipeline end to end: what each address makes, threats at the wrong address, recovery."""

import datetime as dt

import time_machine
from django.test import TestCase, override_settings

from safetydesk.audit.log import verify_chain
from safetydesk.cases.models import Case
from safetydesk.intake.jobs import process_stuck_items
from safetydesk.intake.models import IntakeItem, IntakeStatus
from safetydesk.intake.pipeline import receive_email
from safetydesk.intake.tests.helpers import IntakeMixin, email_bytes


class RoutingTests(IntakeMixin, TestCase):
    def mail(self, body: str, *, to: str = "ca@example.org", subject: str = "Report", n: int = 1) -> IntakeItem:
        raw = email_bytes(
            sender="Reporter <reporter@example.net>", to=to, subject=subject, body=body,
            message_id=f"<m{n}-{abs(hash(body))}@example.net>",
        )
        return self.email(raw, to=to)

    def test_a_spanish_suicide_threat_to_the_general_address_becomes_a_p0_emergency(self) -> None:
        item = self.mail(
            "Hola, un usuario escribió en mi página de discusión: ya no aguanto más, esta noche me voy a suicidar. "
            "Por favor ayúdenle.",
            subject="Mensaje preocupante en Wikipedia",
        )
        case = Case.objects.get(pk=item.case_id)
        assert (item.status, item.language) == (IntakeStatus.ACCEPTED, "es")
        assert (case.kind, case.priority, case.language) == ("emergency", "P0", "es")
        urgency = item.classification["urgency"]
        assert urgency["threat"]
        assert urgency["threat_type"] == "self_harm"
        assert urgency["rules"], "the console can say which rule fired"

    def test_a_japanese_suicide_threat_to_the_general_address_becomes_a_p0_emergency(self) -> None:
        item = self.mail("利用者ページに「もう死にたい。今夜自殺します」と書き込まれています。至急確認してください。")
        case = Case.objects.get(pk=item.case_id)
        assert (case.kind, case.priority, item.language) == ("emergency", "P0", "ja")

    def test_a_false_alarm_stays_a_general_report(self) -> None:
        item = self.mail("This edit kills the article's neutrality; please ask the admins to look at the dispute.")
        case = Case.objects.get(pk=item.case_id)
        assert (case.kind, case.priority) == ("general", "P2")

    def test_each_address_makes_its_kind(self) -> None:
        expected = {
            "emergency@example.org": ("emergency", "P0", "internal"),
            "legal-reports@example.org": ("child_protection", "P1", "child_safety"),
            "appeals@example.org": ("appeal", "P2", "internal"),
            "check-disclosure@example.org": ("disclosure_report", "P2", "legal_privileged"),
            "press@example.org": ("general", "P2", "internal"),
        }
        for n, (address, kind) in enumerate(expected.items()):
            with self.subTest(address=address):
                item = self.mail("Please look at the attached matter about an account.", to=address, n=n)
                case = Case.objects.get(pk=item.case_id)
                assert (case.kind, case.priority, case.confidentiality) == kind
                assert ("unknown_address" in item.flags) == (address == "press@example.org")

    def test_the_legal_address_tells_dmca_from_legal_process(self) -> None:
        dmca = self.mail(
            "DMCA takedown notice under 17 U.S.C. § 512(c). I have a good faith belief that the use of the "
            "photograph is not authorized by the copyright owner. Under penalty of perjury, I am authorized "
            "to act on behalf of the owner.",
            to="legal@example.org", n=1,
        )
        subpoena = self.mail(
            "Enclosed is a subpoena issued by the Superior Court requesting subscriber information and IP "
            "addresses for the account named below.",
            to="legal@example.org", n=2,
        )
        assert Case.objects.get(pk=dmca.case_id).kind == "dmca"
        assert Case.objects.get(pk=subpoena.case_id).kind == "legal_request"

    def test_every_step_is_on_the_audit_chain(self) -> None:
        self.mail("A user keeps reverting my edits on several wikis.")
        assert verify_chain() is None


class RecoveryTests(IntakeMixin, TestCase):
    def test_an_item_a_crash_left_unprocessed_is_picked_up_by_the_sweep(self) -> None:
        received = dt.datetime(2026, 11, 21, 9, 0, tzinfo=dt.UTC)
        with time_machine.travel(received, tick=False):
            raw = email_bytes(
                sender="r@example.net", to="ca@example.org", subject="Harassment",
                body="Someone follows me across wikis.", message_id="<crash@example.net>",
            )
            # Committed, then the process died before process_item.
            item = receive_email(raw, recipient="ca@example.org")
        with time_machine.travel(received + dt.timedelta(minutes=1), tick=False):
            assert process_stuck_items.call() == 0, "too young: it may be in hand right now"
        with time_machine.travel(received + dt.timedelta(minutes=5), tick=False), \
                self.captureOnCommitCallbacks(execute=True):
            assert process_stuck_items.call() == 1
        item.refresh_from_db()
        assert item.status == IntakeStatus.ACCEPTED
        assert item.case is not None


class SenderFloodTests(IntakeMixin, TestCase):
    def flood(self, count: int, body: str) -> list[IntakeItem]:
        return [
            self.email(
                email_bytes(
                    sender="flooder@example.net", to="ca@example.org", subject=f"Complaint {n}",
                    body=f"{body} (message {n} about a different page each time: Page_{n})",
                    message_id=f"<flood-{n}-{abs(hash(body))}@example.net>",
                )
            )
            for n in range(count)
        ]

    @override_settings(INTAKE_SENDER_LIMIT_PER_HOUR=3)
    def test_past_the_limit_a_senders_reports_join_their_latest_open_case(self) -> None:
        items = self.flood(6, "The admins on this wiki are all corrupt and must be removed")
        assert [i.status for i in items[:3]] == [IntakeStatus.ACCEPTED] * 3
        assert {i.status for i in items[3:]} == {IntakeStatus.THREADED}
        assert {i.case_id for i in items[3:]} == {items[2].case_id}
        assert all("sender_flood" in i.flags for i in items[3:])
        assert IntakeItem.objects.count() == 6, "nothing is lost"

    @override_settings(INTAKE_SENDER_LIMIT_PER_HOUR=1)
    def test_a_threat_always_opens_its_own_case(self) -> None:
        self.flood(2, "Another complaint about a revert war")
        threat = self.email(
            email_bytes(
                sender="flooder@example.net", to="ca@example.org", subject="Final message",
                body="I am going to kill myself tonight.", message_id="<flood-threat@example.net>",
            )
        )
        assert threat.status == IntakeStatus.ACCEPTED
        assert Case.objects.get(pk=threat.case_id).priority == "P0"
