"""Who may open which case (ARCHITECTURE §7): one 404 for missing and forbidden; restricted views audited."""

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from safetydesk.accounts.permissions import access_case, visible_cases
from safetydesk.audit.log import verify_chain
from safetydesk.audit.models import AuditEvent, AuditEventType
from safetydesk.cases.actions import do_add_note, do_assign_case, do_create_case
from safetydesk.cases.errors import RoleNotPermitted
from safetydesk.cases.models import Case
from safetydesk.lib.testing import PersonaTestCase, make_staff


class AccessTestCase(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        # A second specialist, named on the restricted cases but given no special role.
        cls.named = make_staff("nia", "specialist", display_name="Nia Named")
        cls.internal = do_create_case(acting_user=cls.specialist, title="Vandalism spree")
        cls.privileged = do_create_case(
            acting_user=cls.legal, title="Subpoena about a user", confidentiality="legal_privileged"
        )
        cls.restricted = do_create_case(
            acting_user=cls.specialist, title="Staff conduct complaint", confidentiality="restricted"
        )
        cls.child_safety = do_create_case(
            acting_user=cls.specialist, title="Report of grooming", confidentiality="child_safety"
        )
        for case in (cls.restricted, cls.child_safety):
            do_assign_case(case=case, acting_user=cls.specialist, lead=cls.specialist, assistants=[cls.named])

    def sees(self, user: Any, case: Case) -> bool:
        try:
            access_case(user, case.reference)
        except Http404:
            return False
        return True

    def everyone(self) -> dict[str, Any]:
        return {
            "specialist": self.specialist, "manager": self.manager, "director": self.director, "legal": self.legal,
            "oncall": self.oncall, "crc": self.crc, "auditor": self.auditor, "outsider": self.outsider,
            "admin": self.admin, "named": self.named,
        }


class InternalTests(AccessTestCase):
    def test_staff_and_the_auditor_see_an_internal_case(self) -> None:
        for user in (self.specialist, self.manager, self.director, self.legal, self.oncall, self.auditor):
            assert access_case(user, self.internal.reference) == self.internal, user

    def test_a_crc_member_an_outsider_an_admin_and_anonymous_do_not(self) -> None:
        for user in (self.crc, self.outsider, self.admin, AnonymousUser()):
            with pytest.raises(Http404):
                access_case(user, self.internal.reference)

    def test_it_finds_a_case_by_its_number(self) -> None:
        assert access_case(self.specialist, str(self.internal.pk)) == self.internal

    def test_a_deactivated_user_sees_nothing(self) -> None:
        self.specialist.is_active = False
        self.specialist.save()
        user = type(self.specialist).objects.get(pk=self.specialist.pk)

        assert not self.sees(user, self.internal)
        assert not visible_cases(user).exists()

    def test_an_internal_view_is_not_audited(self) -> None:
        before = AuditEvent.objects.count()

        access_case(self.auditor, self.internal.reference)

        assert AuditEvent.objects.count() == before

    def test_the_auditor_may_read_but_not_change(self) -> None:
        with pytest.raises(RoleNotPermitted):
            do_add_note(case=self.internal, acting_user=self.auditor, body="Looks fine")


class LegalPrivilegedTests(AccessTestCase):
    def test_legal_counsel_and_the_director_see_it(self) -> None:
        assert self.sees(self.legal, self.privileged)
        assert self.sees(self.director, self.privileged)

    def test_other_staff_do_not_unless_named(self) -> None:
        for user in (self.specialist, self.manager, self.oncall, self.auditor, self.crc, self.outsider):
            assert not self.sees(user, self.privileged), user

        do_assign_case(case=self.privileged, acting_user=self.legal, lead=self.specialist)

        assert self.sees(self.specialist, self.privileged)
        assert not self.sees(self.manager, self.privileged)


class NamedOnlyTests(AccessTestCase):
    def test_only_members_see_restricted_and_child_safety_cases(self) -> None:
        for case in (self.restricted, self.child_safety):
            assert self.sees(self.specialist, case)
            assert self.sees(self.named, case)
            for user in (self.manager, self.director, self.legal, self.oncall, self.auditor, self.crc, self.outsider):
                assert not self.sees(user, case), (case.confidentiality, user)

    def test_a_named_crc_member_still_sees_nothing(self) -> None:
        # CRC members never see live case files, even if someone adds them.
        self.restricted.members.add(self.crc)

        assert not self.sees(self.crc, self.restricted)
        assert not visible_cases(self.crc).filter(pk=self.restricted.pk).exists()

    def test_each_view_is_audited(self) -> None:
        before = AuditEvent.objects.filter(event_type=AuditEventType.RESTRICTED_CASE_VIEWED).count()

        access_case(self.named, self.restricted.reference, ip_address="198.51.100.20")
        access_case(self.named, self.restricted.reference)
        access_case(self.specialist, self.child_safety.reference)

        views = list(
            AuditEvent.objects.filter(event_type=AuditEventType.RESTRICTED_CASE_VIEWED).order_by("seq")[before:]
        )
        assert [(v.actor, v.subject_id, v.ip_address) for v in views] == [
            (self.named, str(self.restricted.pk), "198.51.100.20"),
            (self.named, str(self.restricted.pk), None),
            (self.specialist, str(self.child_safety.pk), None),
        ]
        assert verify_chain() is None

    def test_a_refused_view_is_not_audited_as_a_view(self) -> None:
        before = AuditEvent.objects.count()

        assert not self.sees(self.director, self.restricted)

        assert AuditEvent.objects.count() == before


class NotFoundTests(AccessTestCase):
    def test_missing_and_forbidden_look_the_same(self) -> None:
        with pytest.raises(Http404) as missing:
            access_case(self.manager, "SD-2026-999999")
        with pytest.raises(Http404) as forbidden:
            access_case(self.manager, self.restricted.reference)
        with pytest.raises(Http404) as forbidden_by_number:
            access_case(self.manager, str(self.restricted.pk))

        assert str(missing.value) == str(forbidden.value) == str(forbidden_by_number.value)

    def test_visible_cases_agrees_with_access_case(self) -> None:
        cases = [self.internal, self.privileged, self.restricted, self.child_safety]
        for name, user in self.everyone().items():
            listed = set(visible_cases(user).values_list("pk", flat=True))
            opened = {case.pk for case in cases if self.sees(user, case)}
            assert listed == opened, name
