from django.urls import reverse

from safetydesk.cases.actions import do_assign_case
from safetydesk.cases.models import CaseEvent, Note
from safetydesk.console.tests.base import ConsoleTestCase

STALE = "<strong>Nothing was changed.</strong> Someone else changed this case while you had it open."


class StaleVersionTests(ConsoleTestCase):
    def test_it_refuses_a_transition_from_a_stale_page_and_changes_nothing(self) -> None:
        case = self.open_case()
        seen = case.version
        do_assign_case(case=case, acting_user=self.manager, lead=self.manager)  # someone else, meanwhile
        before = self.fresh(case)
        events = CaseEvent.objects.filter(case=case).count()

        self.login(self.specialist)
        response = self.client.post(
            reverse("console:case_transition", args=[case.reference, "acknowledge"]), {"version": seen}
        )

        self.assertContains(response, STALE, status_code=409)
        self.assertContains(response, 'role="alert"', status_code=409)
        after = self.fresh(case)
        assert (after.state, after.version, after.acknowledged_at) == (before.state, before.version, None)
        assert CaseEvent.objects.filter(case=case).count() == events
        # The page now offers the step again on the current version.
        self.assertContains(response, f'<input type="hidden" name="version" value="{after.version}">', status_code=409)

    def test_it_keeps_what_was_typed_when_a_form_is_stale(self) -> None:
        case = self.take(self.open_case(), "acknowledge")
        self.take(case, "triage")
        seen = self.fresh(case).version
        do_assign_case(case=case, acting_user=self.manager, lead=self.manager)

        self.login(self.specialist)
        response = self.client.post(
            reverse("console:case_transition", args=[case.reference, "decline"]),
            {"version": seen, "closure_reason": "Content dispute, not our remit."},
        )
        self.assertContains(response, STALE, status_code=409)
        self.assertContains(response, "Content dispute, not our remit.</textarea>", status_code=409)
        self.assertContains(response, f'name="version" value="{self.fresh(case).version}"', status_code=409)
        assert self.fresh(case).state == "TRIAGED"

    def test_it_refuses_a_stale_assignment(self) -> None:
        case = self.open_case()
        seen = case.version
        self.take(case, "acknowledge", user=self.manager)

        self.login(self.specialist)
        response = self.client.post(
            reverse("console:case_assign", args=[case.reference]), {"version": seen, "lead": self.specialist.pk}
        )
        self.assertContains(response, STALE, status_code=409)
        assert self.fresh(case).lead is None

    def test_it_refuses_a_stale_note_and_keeps_its_text(self) -> None:
        case = self.open_case()
        seen = case.version
        self.take(case, "acknowledge", user=self.manager)

        self.login(self.specialist)
        url = reverse("console:case_note", args=[case.reference])
        response = self.client.post(url, {"version": seen, "body": "I will call the reporter."})
        self.assertContains(response, STALE, status_code=409)
        self.assertContains(response, "I will call the reporter.</textarea>", status_code=409)
        assert not Note.objects.filter(case=case).exists()

        current = self.fresh(case).version
        self.assertContains(response, f'name="version" value="{current}"', status_code=409)
        again = self.client.post(url, {"version": current, "body": "I will call the reporter."})
        assert again.status_code == 302
        assert Note.objects.filter(case=case).count() == 1

    def test_it_refuses_a_form_without_a_version(self) -> None:
        case = self.open_case()
        self.login(self.specialist)
        response = self.client.post(reverse("console:case_transition", args=[case.reference, "acknowledge"]))
        self.assertContains(response, "did not say which version of the case", status_code=400)
        assert self.fresh(case).state == "RECEIVED"

    def test_it_says_so_when_a_note_or_assignment_form_has_no_version(self) -> None:
        case = self.open_case()
        self.login(self.specialist)
        note = self.client.post(reverse("console:case_note", args=[case.reference]), {"body": "Hello"})
        self.assertContains(note, "did not say which version of the case", status_code=400)
        assign = self.client.post(reverse("console:case_assign", args=[case.reference]), {"lead": self.specialist.pk})
        self.assertContains(assign, "did not say which version of the case", status_code=400)
        assert not Note.objects.filter(case=case).exists()
        assert self.fresh(case).lead is None
