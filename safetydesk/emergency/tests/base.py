"""What the emergency tests share: personas, emergency cases opened and worked through actions."""

import datetime as dt
from typing import Any

from safetydesk.cases.actions import do_create_case
from safetydesk.cases.models import Case, CaseKind, Priority
from safetydesk.emergency.actions import (
    DisclosureData,
    LocationData,
    ReferralData,
    TriageData,
    do_record_disclosure,
    do_record_triage,
    do_refer_to_law_enforcement,
    do_trace_location,
)
from safetydesk.emergency.models import Disclosure, DisclosureKind, LegalBasis, TriageRecord
from safetydesk.lib.testing import PersonaTestCase


def triage_data(**overrides: Any) -> TriageData:
    values: dict[str, Any] = {
        "threat_text": "I will bring a gun to the school on Monday",
        "threat_type": "public_harm",
        "target": "place",
        "decision": "credible_imminent",
        "decision_rationale": "Named place and day; the account posted photos of weapons.",
        "permalink": "https://en.wikipedia.org/w/index.php?diff=123456",
        "location_country": "us",
        "location_confidence": "medium",
        "subject_age_flag": "minor",
    }
    values.update(overrides)
    return TriageData(**values)


def disclosure_data(**overrides: Any) -> DisclosureData:
    values: dict[str, Any] = {
        "kind": DisclosureKind.VOLUNTARY_DISCLOSURE,
        "recipient_agency": "FBI National Threat Operations Center",
        "legal_basis": LegalBasis.CREDIBLE_IMMINENT_THREAT,
        "data_elements": ("ip_address", "user_agent"),
        "jurisdiction": "United States",
        "country": "US",
    }
    values.update(overrides)
    return DisclosureData(**values)


class EmergencyTestCase(PersonaTestCase):
    @classmethod
    def open_emergency(cls, title: str = "Threat against a school", **fields: Any) -> Case:
        return do_create_case(
            acting_user=cls.oncall, title=title, kind=CaseKind.EMERGENCY, priority=Priority.P0, **fields
        )

    @staticmethod
    def fresh(case: Case) -> Case:
        return Case.objects.get(pk=case.pk)

    def triaged(self, **overrides: Any) -> tuple[Case, TriageRecord]:
        case = self.open_emergency()
        record = do_record_triage(case=case, acting_user=self.oncall, triage=triage_data(**overrides))
        return self.fresh(case), record

    def referred(self) -> Case:
        case, _record = self.triaged()
        do_trace_location(
            case=case,
            acting_user=self.oncall,
            location=LocationData(confidence="high", country="US", city="Springfield"),
        )
        do_refer_to_law_enforcement(
            case=case,
            acting_user=self.oncall,
            referral=ReferralData(agency="Springfield PD", jurisdiction="Springfield, IL", method="phone"),
        )
        return self.fresh(case)

    def disclose(self, case: Case | None = None, at: dt.datetime | None = None, **overrides: Any) -> Disclosure:
        case = case or self.triaged()[0]
        return do_record_disclosure(
            case=case, acting_user=self.oncall, disclosure=disclosure_data(disclosed_at=at, **overrides)
        )
