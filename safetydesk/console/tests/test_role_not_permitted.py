from django.urls import reverse

from safetydesk.cases.models import Case, CaseEvent, Note
from safetydesk.console.tests.base import ConsoleTestCase


class RoleNotPermittedTests(ConsoleTestCase):
    case: Case

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.case = cls.open_case()

    def test_it_shows_an_auditor_the_case_without_any_form(self) -> None:
        self.login(self.auditor)
        response = self.client.get(reverse("console:case", args=[self.case.reference]))
        self.assertContains(response, "Read-only: you can see this case but not change it.")
        html = self.html(response)
        assert "/transition/" not in html
        assert reverse("console:case_note", args=[self.case.reference]) not in html
        assert reverse("console:case_assign", args=[self.case.reference]) not in html
        assert "<button" not in self.section(response, "actions-h")

    def test_it_refuses_a_transition_posted_by_an_auditor(self) -> None:
        self.login(self.auditor)
        response = self.client.post(
            reverse("console:case_transition", args=[self.case.reference, "acknowledge"]),
            {"version": self.case.version},
        )
        self.assertContains(response, "You may read this case but not change it.", status_code=403)
        assert self.fresh(self.case).state == "RECEIVED"
        assert CaseEvent.objects.filter(case=self.case).count() == 1

    def test_it_refuses_a_note_or_an_assignment_posted_by_an_auditor(self) -> None:
        self.login(self.auditor)
        note = self.client.post(
            reverse("console:case_note", args=[self.case.reference]),
            {"version": self.case.version, "body": "Looks fine."},
        )
        self.assertContains(note, "You may read this case but not change it.", status_code=403)
        assign = self.client.post(
            reverse("console:case_assign", args=[self.case.reference]),
            {"version": self.case.version, "lead": self.specialist.pk},
        )
        assert assign.status_code == 403
        assert not Note.objects.filter(case=self.case).exists()
        assert self.fresh(self.case).lead is None

    def test_it_refuses_a_transition_the_role_may_not_take(self) -> None:
        case = self.take(self.open_case(), "acknowledge")
        self.take(case, "triage")
        self.take(case, "decline", closure_reason="Out of scope.")
        self.login(self.specialist)
        self.grant_sudo()
        response = self.client.post(
            reverse("console:case_transition", args=[case.reference, "reopen"]),
            {"version": self.fresh(case).version, "reopen_reason": "New evidence."},
        )
        self.assertContains(response, "Only these roles may reopen", status_code=403)
        assert self.fresh(case).state == "CLOSED_DECLINED"
