"""The Emergency panel on the case page: it shows the record, and its forms work without
JavaScript (a plain POST, then back to the case)."""

from safetydesk.cases.actions import do_create_case
from safetydesk.emergency.models import Disclosure, Referral, TriageRecord
from safetydesk.emergency.tests.base import EmergencyTestCase
from safetydesk.lib.testing import force_login_verified

TRIAGE_POST = {
    "threat_text": "I will bomb the museum tomorrow",
    "permalink": "https://de.wikipedia.org/w/index.php?diff=42",
    "threat_type": "public_harm",
    "target": "place",
    "decision": "credible_imminent",
    "decision_rationale": "Named place and day.",
    "location_confidence": "unknown",
    "subject_age_flag": "unknown",
}


class CasePanelTests(EmergencyTestCase):
    def page(self, case) -> str:  # type: ignore[no-untyped-def]
        response = self.client.get(f"/cases/{case.reference}/")
        assert response.status_code == 200
        return response.content.decode()

    def test_it_shows_the_panel_with_the_triage_form_on_a_new_emergency(self) -> None:
        force_login_verified(self.client, self.oncall)
        html = self.page(self.open_emergency())
        assert 'id="emergency-h"' in html
        assert 'action="/emergency/cases/' in html
        assert '<label for="id_triage_threat_text"' in html
        assert "Record the triage" in html

    def test_the_panel_brings_its_own_styles(self) -> None:
        # The case page loads only the console's styles; the panel's spacing is in emergency.css.
        force_login_verified(self.client, self.oncall)
        html = self.page(self.open_emergency())
        assert '<link rel="stylesheet" href="/static/emergency/emergency.css">' in html
        response = self.client.get("/static/emergency/emergency.css")
        assert response.status_code == 200
        assert b".emergency-panel h3" in b"".join(response.streaming_content)  # type: ignore[attr-defined]

    def test_it_shows_no_panel_on_other_kinds(self) -> None:
        force_login_verified(self.client, self.specialist)
        case = do_create_case(acting_user=self.specialist, title="Harassment")
        assert 'id="emergency-h"' not in self.page(case)

    def test_it_records_the_triage_from_the_form_and_returns_to_the_case(self) -> None:
        case = self.open_emergency()
        force_login_verified(self.client, self.oncall)
        response = self.client.post(
            f"/emergency/cases/{case.reference}/triage/", {**TRIAGE_POST, "version": case.version}
        )
        assert response.status_code == 302
        assert response["Location"] == f"/cases/{case.reference}/#emergency"
        assert self.fresh(case).state == "TRIAGED"
        html = self.page(case)
        assert "I will bomb the museum tomorrow" in html
        assert "Record a referral" in html

    def test_it_sends_a_refused_form_back_with_its_errors_and_changes_nothing(self) -> None:
        case = self.open_emergency()
        force_login_verified(self.client, self.oncall)
        response = self.client.post(
            f"/emergency/cases/{case.reference}/triage/",
            {**TRIAGE_POST, "decision": "", "location_country": "D1", "version": case.version},
        )
        assert response.status_code == 422
        html = response.content.decode()
        assert "Nothing was changed." in html
        assert "two-letter code" in html
        assert "Decision: choose one of the options." in html
        assert "I will bomb the museum tomorrow" in html  # what they typed is kept
        assert not TriageRecord.objects.exists()

    def test_it_refuses_a_stale_form(self) -> None:
        case = self.open_emergency()
        force_login_verified(self.client, self.oncall)
        response = self.client.post(
            f"/emergency/cases/{case.reference}/triage/", {**TRIAGE_POST, "version": case.version + 5}
        )
        assert response.status_code == 409
        assert not TriageRecord.objects.exists()

    def test_it_refers_and_records_a_disclosure_that_legal_then_confirms(self) -> None:
        case, _record = self.triaged()
        force_login_verified(self.client, self.oncall)
        response = self.client.post(
            f"/emergency/cases/{case.reference}/referrals/",
            {"agency": "Springfield PD", "jurisdiction": "Illinois", "method": "phone", "version": case.version},
        )
        assert response.status_code == 302
        case = self.fresh(case)
        response = self.client.post(
            f"/emergency/cases/{case.reference}/disclosures/",
            {
                "kind": "voluntary_disclosure",
                "produced": "on",
                "data_elements": ["ip_address", "email"],
                "recipient_agency": "Springfield PD",
                "legal_basis": "credible_imminent_threat",
                "country": "us",
                "version": case.version,
            },
        )
        assert response.status_code == 302
        disclosure = Disclosure.objects.get()
        assert disclosure.country == "US"
        assert Referral.objects.filter(case=case).count() == 1
        self.client.logout()
        force_login_verified(self.client, self.legal)
        html = self.page(case)
        assert "Awaiting Legal" in html
        assert "Confirm disclosure" in html
        response = self.client.post(
            f"/emergency/cases/{case.reference}/disclosures/confirm/", {"disclosure": disclosure.pk}
        )
        assert response.status_code == 302
        assert Disclosure.objects.get().legal_confirmed_by == self.legal

    def test_it_offers_the_confirm_button_to_legal_only(self) -> None:
        case, _record = self.triaged()
        self.disclose(case=case)
        force_login_verified(self.client, self.oncall)
        assert "Confirm disclosure" not in self.page(case)
        response = self.client.post(
            f"/emergency/cases/{case.reference}/disclosures/confirm/", {"disclosure": Disclosure.objects.get().pk}
        )
        assert response.status_code == 403
        assert Disclosure.objects.get().legal_confirmed_at is None

    def test_it_shows_read_only_staff_the_record_without_forms(self) -> None:
        case, _record = self.triaged()
        force_login_verified(self.client, self.auditor)
        html = self.page(case)
        assert "Credible and imminent" in html
        assert "<form" not in html.split('id="emergency"', 1)[1].split("</section>", 1)[0]
