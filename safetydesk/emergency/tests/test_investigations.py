"""An office-action investigation opened from an emergency, linked both ways (DOMAIN §5.4)."""

import pytest

from safetydesk.audit.models import AuditEvent, AuditEventType
from safetydesk.cases.errors import InvalidData, RoleNotPermitted
from safetydesk.cases.models import CaseKind, Confidentiality
from safetydesk.emergency.actions import do_spawn_investigation
from safetydesk.emergency.models import InvestigationLink
from safetydesk.emergency.tests.base import EmergencyTestCase


class InvestigationTests(EmergencyTestCase):
    def test_it_opens_a_linked_investigation_from_any_state(self) -> None:
        case = self.open_emergency(confidentiality=Confidentiality.RESTRICTED, projects=["enwiki"])
        investigation = do_spawn_investigation(
            case=case, acting_user=self.oncall, title="Global ban after a threat", reason="Repeated threats"
        )
        assert investigation.kind == CaseKind.OFFICE_ACTION
        assert investigation.confidentiality == Confidentiality.RESTRICTED
        assert investigation.projects == ["enwiki"]
        assert investigation.spawned_from.emergency == case
        assert [link.investigation for link in case.spawned_investigations.all()] == [investigation]
        audit = AuditEvent.objects.get(event_type=AuditEventType.EMERGENCY_INVESTIGATION_SPAWNED)
        assert audit.data["investigation"] == investigation.pk
        assert investigation.events.filter(kind="emergency").exists()

    def test_it_refuses_people_who_do_not_work_emergencies_and_opens_nothing(self) -> None:
        case = self.open_emergency()
        with pytest.raises(RoleNotPermitted):
            do_spawn_investigation(case=case, acting_user=self.auditor, title="x")
        assert not InvestigationLink.objects.exists()

    def test_it_refuses_an_untitled_investigation(self) -> None:
        with pytest.raises(InvalidData):
            do_spawn_investigation(case=self.open_emergency(), acting_user=self.oncall, title="  ")
        assert not InvestigationLink.objects.exists()
