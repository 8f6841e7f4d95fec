"""The emergency API (/api/v1/emergency): the same actions and checks as the console."""

import json
from typing import Any

from safetydesk.accounts.models import ApiToken, User, hash_token
from safetydesk.emergency.models import Disclosure, TriageRecord
from safetydesk.emergency.tests.base import EmergencyTestCase

TRIAGE = {
    "threat_text": "I will hurt myself tonight",
    "threat_type": "self_harm",
    "target": "self",
    "decision": "credible_imminent",
    "decision_rationale": "Specific time, means named.",
    "location_country": "FR",
}


class EmergencyApiTests(EmergencyTestCase):
    def token(self, user: User) -> dict[str, str]:
        raw = ApiToken.generate()
        ApiToken.objects.create(user=user, name="tests", hint=raw[:8], token_hash=hash_token(raw))
        return {"Authorization": f"Bearer {raw}"}

    def post(self, path: str, data: Any, user: User) -> Any:
        return self.client.post(
            f"/api/v1/emergency{path}", json.dumps(data), content_type="application/json", headers=self.token(user)
        )

    def test_it_records_the_triage_and_returns_the_record(self) -> None:
        case = self.open_emergency()
        response = self.post(
            f"/cases/{case.reference}/triage", {**TRIAGE, "expected_version": case.version}, self.oncall
        )
        assert response.status_code == 200, response.content
        body = response.json()
        assert body["state"] == "TRIAGED"
        assert body["triage"]["decision"] == "credible_imminent"
        assert body["triage"]["decided_by"]["username"] == self.oncall.username

    def test_it_refuses_a_bad_triage_with_the_error_envelope(self) -> None:
        case = self.open_emergency()
        response = self.post(
            f"/cases/{case.reference}/triage",
            {**TRIAGE, "decision_rationale": " ", "expected_version": case.version},
            self.oncall,
        )
        assert response.status_code == 422
        assert response.json()["error"]["code"] == "invalid_data"
        assert not TriageRecord.objects.exists()

    def test_it_refuses_triage_to_the_auditor(self) -> None:
        case = self.open_emergency()
        response = self.post(
            f"/cases/{case.reference}/triage", {**TRIAGE, "expected_version": case.version}, self.auditor
        )
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "role_not_permitted"

    def test_it_records_a_disclosure_and_legal_confirms_it(self) -> None:
        case, _record = self.triaged()
        response = self.post(
            f"/cases/{case.reference}/disclosures",
            {
                "kind": "voluntary_disclosure",
                "recipient_agency": "Police nationale",
                "legal_basis": "credible_imminent_threat",
                "data_elements": ["ip_address"],
                "country": "FR",
                "expected_version": self.fresh(case).version,
            },
            self.oncall,
        )
        assert response.status_code == 201, response.content
        disclosure = Disclosure.objects.get()
        response = self.post(f"/cases/{case.reference}/disclosures/{disclosure.pk}/confirm", {}, self.oncall)
        assert response.status_code == 403
        response = self.post(f"/cases/{case.reference}/disclosures/{disclosure.pk}/confirm", {"note": "ok"}, self.legal)
        assert response.status_code == 200
        assert response.json()["disclosures"][0]["legal_confirmed_by"]["username"] == self.legal.username

    def test_it_answers_404_for_an_emergency_the_user_may_not_see(self) -> None:
        case = self.open_emergency(confidentiality="restricted")
        response = self.client.get(f"/api/v1/emergency/cases/{case.reference}", headers=self.token(self.specialist))
        assert response.status_code == 404

    def test_it_opens_an_investigation(self) -> None:
        case = self.open_emergency()
        response = self.post(f"/cases/{case.reference}/investigations", {"title": "Ban review"}, self.oncall)
        assert response.status_code == 201
        assert response.json()["reference"] != case.reference

    def test_it_gives_the_counts(self) -> None:
        self.disclose()
        response = self.client.get(
            "/api/v1/emergency/counts", {"start": "2000-01-01", "end": "2100-12-31"}, headers=self.token(self.auditor)
        )
        assert response.status_code == 200, response.content
        body = response.json()
        assert body["total"]["voluntary_disclosures"] == 1
        assert {row["key"] for row in body["by_type"]} == {"individual", "terrorist", "suicide", "other"}

    def test_it_refuses_a_backwards_period(self) -> None:
        response = self.client.get(
            "/api/v1/emergency/counts", {"start": "2026-02-01", "end": "2026-01-01"}, headers=self.token(self.auditor)
        )
        assert response.status_code == 422
