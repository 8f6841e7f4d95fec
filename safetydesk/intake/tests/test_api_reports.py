"""POST /api/v1/reports: a report from anyone becomes a case, triaged like every other channel.

An ordinary report is answered `received` and processed afterwards by intake.triage (which
`send` runs at once); a threat is processed before the answer."""

import datetime as dt
import json
from typing import Any

from safetydesk.api.tests.base import ApiTestCase
from safetydesk.audit.models import AuditEvent, AuditEventType
from safetydesk.cases.models import Case, PartyRole
from safetydesk.intake.models import IntakeItem, IntakeStatus
from safetydesk.intake.triage import triage_pending

URL = "/api/v1/reports"
REPORT = {
    "what_happened": "An account keeps posting my home address and my employer on my user talk page.",
    "where": "en.wikipedia.org/wiki/User_talk:Victim",
    "who": "Doxing_account",
    "category": "doxing",
    "contact_email": "victim@example.org",
    "wants_reply": True,
}


class ReportApiTests(ApiTestCase):
    def send(self, body: dict[str, Any], **extra: Any) -> Any:
        response = self.client.post(URL, json.dumps(body), content_type="application/json", **extra)
        triage_pending(grace=dt.timedelta(0))
        return response

    def test_it_answers_an_ordinary_report_before_processing_it(self) -> None:
        response = self.client.post(URL, json.dumps(REPORT), content_type="application/json")

        assert response.status_code == 201, response.content
        item = IntakeItem.objects.get()
        assert response.json() == {
            "intake_item": item.pk,
            "reference": None,
            "status": "received",
            "kind": None,
            "priority": None,
            "language": None,  # detected when it is processed
        }
        assert item.status == IntakeStatus.RECEIVED
        assert not Case.objects.exists()
        assert not AuditEvent.objects.filter(subject_type="intake.intakeitem").exists()

        assert triage_pending(grace=dt.timedelta(0)) == 1
        item.refresh_from_db()
        assert (item.status, item.language, item.case.kind) == (IntakeStatus.ACCEPTED, "en", "general")
        received, accepted = AuditEvent.objects.filter(subject_type="intake.intakeitem").order_by("seq")
        assert (received.event_type, accepted.event_type) == (
            AuditEventType.INTAKE_RECEIVED,
            AuditEventType.INTAKE_ACCEPTED,
        )
        assert received.data["received_at"] == item.received_at.isoformat()

    def test_it_opens_a_case_for_a_report(self) -> None:
        response = self.send(REPORT)

        assert response.status_code == 201, response.content
        item = IntakeItem.objects.get()
        case = Case.objects.get()
        assert response.json()["intake_item"] == item.pk
        assert (item.channel, item.status, item.case) == ("api", IntakeStatus.ACCEPTED, case)
        assert (case.kind, case.intake_channel, case.language) == ("general", "api", "en")

    def test_it_keeps_what_was_reported(self) -> None:
        self.send(REPORT)

        item = IntakeItem.objects.get()
        assert item.sender == "victim@example.org"
        assert item.body.startswith(REPORT["what_happened"])
        assert "Where: https://en.wikipedia.org/wiki/User_talk:Victim" in item.body
        assert "Category: Sharing private information (doxing)" in item.body
        meta = item.classification["meta"]
        assert meta["permalink"] == "https://en.wikipedia.org/wiki/User_talk:Victim"
        assert (meta["source"], meta["category"], meta["reported_user"]) == ("api", "doxing", "Doxing_account")
        assert meta["wants_reply"] is True
        assert len(item.target_key) == 64
        parties = {p.role: p for p in Case.objects.get().parties.all()}
        assert parties[PartyRole.REPORTER].email == "victim@example.org"
        assert parties[PartyRole.SUBJECT].wiki_username == "Doxing_account"

    def test_it_sends_a_spanish_suicide_threat_to_the_emergency_track(self) -> None:
        # A first-person threat of suicide, sent to the general API with no category.
        response = self.send({"what_happened": "Ya no aguanto más el acoso en la wiki. Esta noche me voy a suicidar."})

        assert response.status_code == 201, response.content
        assert (response.json()["kind"], response.json()["priority"]) == ("emergency", "P0")
        assert response.json()["language"] == "es"
        case = Case.objects.get()
        assert (case.kind, case.priority, case.language) == ("emergency", "P0", "es")

    def test_it_puts_a_threat_the_reporter_names_on_the_emergency_track(self) -> None:
        body = {"what_happened": "Look at the last edit summary on this page.", "category": "threats-public-harm"}

        response = self.send(body)

        assert (response.json()["kind"], response.json()["priority"]) == ("emergency", "P0")

    def test_it_takes_the_reporters_language_when_given(self) -> None:
        response = self.send({**REPORT, "language": "pt-BR"})

        assert response.json()["language"] == "pt"
        assert IntakeItem.objects.get().language == "pt"

    def test_it_takes_a_notice_of_illegal_content(self) -> None:
        notice = {
            **REPORT,
            "illegal_content": True,
            "dsa_explanation": "The page publishes my address, which is unlawful processing under the GDPR.",
            "dsa_urls": [
                "https://de.wikipedia.org/wiki/Benutzer_Diskussion:Victim",
                "de.wikipedia.org/w/index.php?oldid=5",
            ],
            "dsa_good_faith": True,
            "contact_name": "Vera Victim",
        }

        response = self.send(notice)

        assert response.status_code == 201, response.content
        item = IntakeItem.objects.get()
        assert "dsa_notice" in item.flags
        dsa = item.classification["meta"]["dsa_notice"]
        assert dsa["urls"] == [
            "https://de.wikipedia.org/wiki/Benutzer_Diskussion:Victim",
            "https://de.wikipedia.org/w/index.php?oldid=5",
        ]
        assert dsa["completeness"]["complete"] is True
        assert Case.objects.get().eu_nexus is True

    def test_it_answers_a_staff_token_holder_too(self) -> None:
        response = self.send(REPORT, headers=self.auth(self.specialist))

        assert response.status_code == 201
        assert Case.objects.count() == 1

    def test_it_processes_a_threat_before_answering(self) -> None:
        response = self.client.post(
            URL,
            json.dumps({"what_happened": "He wrote that he will shoot up the school tomorrow morning."}),
            content_type="application/json",
        )

        case = Case.objects.get()
        assert response.json()["reference"] == case.reference
        assert (response.json()["status"], case.kind, case.priority) == ("accepted", "emergency", "P0")
