"""Naming members of a confidential case, and the child-safety clearance."""

import pytest
from django.http import Http404

from safetydesk.accounts.permissions import access_case, visible_cases
from safetydesk.accounts.roles import Role
from safetydesk.audit.models import AuditEvent, AuditEventType
from safetydesk.cases.actions import do_add_case_member, do_assign_case, do_create_case
from safetydesk.cases.errors import InvalidData, RoleNotPermitted, StaleCase
from safetydesk.cases.models import Case, CaseEvent
from safetydesk.lib.testing import PersonaTestCase, make_staff


class CaseMemberTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        # Holds the child-safety clearance: opens child-safety files without being named.
        cls.cleared = make_staff("cleo", Role.SPECIALIST, Role.CHILD_SAFETY)

    def restricted_case(self) -> Case:
        return do_create_case(acting_user=self.manager, title="Staff misconduct", confidentiality="restricted")

    def test_a_manager_names_a_member_who_can_then_open_the_case(self) -> None:
        case = self.restricted_case()
        with pytest.raises(Http404):
            access_case(self.specialist, case.reference)

        case = do_add_case_member(case=case, acting_user=self.manager, member=self.specialist, expected_version=1)

        assert access_case(self.specialist, case.reference) == case
        assert case.version == 2
        assert CaseEvent.objects.filter(case=case, kind="member").get().data == {"member": self.specialist.pk}
        assert AuditEvent.objects.filter(event_type=AuditEventType.CASE_MEMBER_ADDED, subject_id=str(case.pk)).exists()

    def test_the_lead_may_name_members(self) -> None:
        case = self.restricted_case()
        case = do_assign_case(case=case, acting_user=self.manager, lead=self.specialist)
        case = do_add_case_member(case=case, acting_user=self.specialist, member=self.oncall)
        assert self.oncall in case.members.all()

    def test_naming_someone_twice_changes_nothing(self) -> None:
        case = do_add_case_member(case=self.restricted_case(), acting_user=self.manager, member=self.specialist)
        again = do_add_case_member(case=case, acting_user=self.manager, member=self.specialist)
        assert again.version == case.version
        assert CaseEvent.objects.filter(case=case, kind="member").count() == 1

    def test_it_refuses_others_and_changes_nothing(self) -> None:
        case = do_create_case(acting_user=self.specialist, title="Internal matter")
        events = CaseEvent.objects.count()
        with pytest.raises(RoleNotPermitted):
            do_add_case_member(case=case, acting_user=self.oncall, member=self.legal)
        with pytest.raises(InvalidData):
            do_add_case_member(case=case, acting_user=self.manager, member=self.crc)
        with pytest.raises(StaleCase):
            do_add_case_member(case=case, acting_user=self.manager, member=self.legal, expected_version=9)
        assert CaseEvent.objects.count() == events
        assert not Case.objects.get(pk=case.pk).members.exists()

    def test_child_safety_files_open_to_the_clearance_without_naming(self) -> None:
        case = do_create_case(acting_user=None, title="Reported image", confidentiality="child_safety")
        assert access_case(self.cleared, case.reference) == case
        assert case in visible_cases(self.cleared)
        for user in (self.specialist, self.manager, self.director, self.legal, self.auditor):
            with self.subTest(user=user.username), pytest.raises(Http404):
                access_case(user, case.reference)
            assert case not in visible_cases(user)
        # Opening it is audited like any restricted file.
        assert AuditEvent.objects.filter(
            event_type=AuditEventType.RESTRICTED_CASE_VIEWED, actor=self.cleared, subject_id=str(case.pk)
        ).exists()

    def test_the_clearance_does_not_open_restricted_files(self) -> None:
        case = self.restricted_case()
        with pytest.raises(Http404):
            access_case(self.cleared, case.reference)
