"""An emergency ReportIncident report (immediate-threat-physical-harm) opens a P0 emergency case
shaped like the Zendesk request the extension would have made (DOMAIN §5.2, §16.4)."""

import json
from typing import Any

from django.test import TestCase

from safetydesk.cases.models import Case, PartyRole
from safetydesk.intake.models import IntakeItem, ReportIncidentCount
from safetydesk.intake.reportincident import EMERGENCY_SUBJECT
from safetydesk.intake.wiki_tokens import do_create_wiki_token

URL = "/api/v1/reportincident"
REPORT = {
    "revisionId": 123456,
    "reportedUser": "Threatening user",
    "incidentType": "immediate-threat-physical-harm",
    "physicalHarmType": "threats-physical-harm",
    "details": "They wrote on my talk page that they know where I live and will come with a knife.",
    "reporter": {"username": "Worried reporter", "email": "worried@example.org"},
}


class ReportIncidentEmergencyTests(TestCase):
    token: str

    @classmethod
    def setUpTestData(cls) -> None:
        # The English Wikipedia's token.
        cls.token = do_create_wiki_token(acting_user="tests", wiki="en.wikipedia.org")[1]

    def post(self, payload: dict[str, Any], **extra: Any) -> Any:
        return self.client.post(
            URL,
            json.dumps(payload),
            content_type="application/json",
            headers={"Authorization": f"Bearer {self.token}"},
            **extra,
        )

    def test_it_opens_a_p0_emergency_case(self) -> None:
        response = self.post(REPORT)

        assert response.status_code == 201, response.content
        case = Case.objects.get()
        assert response.json() == {
            "intake_item": IntakeItem.objects.get().pk,
            "reference": case.reference,
            "status": "accepted",
            "kind": "emergency",
            "priority": "P0",
            "language": "en",
        }
        assert (case.kind, case.priority, case.intake_channel) == ("emergency", "P0", "reportincident")
        assert not ReportIncidentCount.objects.exists()

    def test_it_keeps_the_zendesk_subject_and_body(self) -> None:
        self.post(REPORT)

        item = IntakeItem.objects.get()
        assert item.channel == "reportincident"
        assert item.subject == "Incident Reporting System emergency report" == EMERGENCY_SUBJECT
        assert item.body.splitlines() == [
            "Reporting user: Worried reporter",
            "Reported user: Threatening user",
            "Link to the page: https://en.wikipedia.org/w/index.php?oldid=123456",
            "Threat type: Threats of physical harm",
            f"Details: {REPORT['details']}",
        ]
        meta = item.classification["meta"]
        assert meta["permalink"] == "https://en.wikipedia.org/w/index.php?oldid=123456"
        assert (meta["threat_type"], meta["reported_user"], meta["wiki"]) == (
            "threats-physical-harm",
            "Threatening user",
            "en.wikipedia.org",
        )

    def test_it_names_the_reporter_and_the_reported_user_as_parties(self) -> None:
        self.post(REPORT)

        parties = {p.role: p for p in Case.objects.get().parties.all()}
        assert parties[PartyRole.REPORTER].email == "worried@example.org"
        assert parties[PartyRole.SUBJECT].wiki_username == "Threatening user"

    def test_it_links_to_the_comment_or_topic_of_a_thread(self) -> None:
        self.post({**REPORT, "threadId": "c-Threatening_user-20260301120000-Worried_reporter-20260301110000"})
        self.post({**REPORT, "threadId": "h-Your_edits-20260301110000", "physicalHarmType": "threats-self-harm"})

        comment, topic = IntakeItem.objects.order_by("pk")
        assert (
            "Link to the comment: https://en.wikipedia.org/w/index.php?oldid=123456"
            "#c-Threatening_user-20260301120000-Worried_reporter-20260301110000"
        ) in comment.body.splitlines()
        assert "Link to the topic: https://en.wikipedia.org/w/index.php?oldid=123456#h-Your_edits-20260301110000" in (
            topic.body.splitlines()
        )
        assert "Threat type: Threats of self-harm" in topic.body

    def test_it_links_to_a_page_that_does_not_exist_by_title(self) -> None:
        self.post({**REPORT, "revisionId": 0, "page": "User talk:Worried reporter"})

        item = IntakeItem.objects.get()
        link = "https://en.wikipedia.org/w/index.php?title=User_talk:Worried_reporter"
        assert item.classification["meta"]["permalink"] == link

    def test_it_never_groups_two_threats(self) -> None:
        first = self.post(REPORT).json()
        second = self.post(REPORT).json()

        assert first["reference"] != second["reference"]
        assert Case.objects.filter(kind="emergency").count() == 2

    def test_it_returns_the_first_case_to_a_retry(self) -> None:
        first = self.post(REPORT, HTTP_IDEMPOTENCY_KEY="zd-1")
        again = self.post(REPORT, HTTP_IDEMPOTENCY_KEY="zd-1")

        assert again.json() == first.json()
        assert again["Idempotent-Replayed"] == "true"
        assert Case.objects.count() == 1
        assert IntakeItem.objects.count() == 1
