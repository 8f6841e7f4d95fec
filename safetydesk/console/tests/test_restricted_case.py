from django.urls import reverse

from safetydesk.audit.models import AuditEvent, AuditEventType
from safetydesk.cases.actions import do_assign_case
from safetydesk.cases.models import Case, Confidentiality
from safetydesk.console.tests.base import ConsoleTestCase


class RestrictedCaseTests(ConsoleTestCase):
    case: Case

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.case = cls.open_case("Restricted matter", confidentiality=Confidentiality.RESTRICTED)
        do_assign_case(case=cls.case, acting_user=cls.specialist, lead=cls.specialist, assistants=[cls.oncall])

    def test_it_404s_for_staff_not_named_on_the_case(self) -> None:
        for person in (self.manager, self.director, self.legal, self.auditor):
            with self.subTest(person=person.username):
                self.login(person)
                response = self.client.get(reverse("console:case", args=[self.case.reference]))
                assert response.status_code == 404
                post = self.client.post(
                    reverse("console:case_transition", args=[self.case.reference, "acknowledge"]),
                    {"version": self.case.version},
                )
                assert post.status_code == 404
        assert self.fresh(self.case).state == "RECEIVED"

    def test_it_keeps_the_case_out_of_lists_and_search_for_non_members(self) -> None:
        self.login(self.manager)
        assert self.case.reference not in self.listed(self.client.get(reverse("console:queue")))
        response = self.client.get(reverse("console:search"), {"q": self.case.reference})
        assert response.status_code == 200
        assert self.case.reference not in self.listed(response)

    def test_it_opens_for_members_and_audits_the_view(self) -> None:
        self.login(self.oncall)
        response = self.client.get(reverse("console:case", args=[self.case.reference]), REMOTE_ADDR="10.1.2.3")
        self.assertContains(response, "Restricted (named members only)")
        audit = AuditEvent.objects.filter(event_type=AuditEventType.RESTRICTED_CASE_VIEWED).last()
        assert audit is not None
        assert (audit.actor, audit.subject_id, audit.ip_address) == (self.oncall, str(self.case.pk), "10.1.2.3")
