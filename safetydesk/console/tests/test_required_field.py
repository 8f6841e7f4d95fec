from django.urls import reverse

from safetydesk.cases.models import Case, CaseEvent
from safetydesk.console.tests.base import ConsoleTestCase


class RequiredFieldTests(ConsoleTestCase):
    case: Case

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.case = cls.take(cls.open_case(), "acknowledge")
        cls.take(cls.case, "triage")

    def test_it_re_renders_the_form_with_the_error_when_a_required_field_is_missing(self) -> None:
        self.login(self.specialist)
        version = self.fresh(self.case).version
        response = self.client.post(
            reverse("console:case_transition", args=[self.case.reference, "decline"]),
            {"version": version, "closure_reason": "   "},
        )
        self.assertContains(response, "Nothing was changed", status_code=422)
        self.assertContains(response, "Reason is required.", status_code=422)
        self.assertContains(response, 'aria-invalid="true"', status_code=422)
        assert self.fresh(self.case).state == "TRIAGED"
        assert self.fresh(self.case).version == version

    def test_it_keeps_valid_input_and_marks_only_the_bad_field(self) -> None:
        self.login(self.specialist)
        response = self.client.post(
            reverse("console:case_transition", args=[self.case.reference, "defer"]),
            {
                "version": self.fresh(self.case).version,
                "routed_to": "arbcom",
                "routed_url": "javascript:alert(1)",
                "reply_template": "no_reply",
            },
        )
        self.assertContains(response, "Venue link must be an http(s) link.", status_code=422)
        self.assertContains(response, '<option value="arbcom" selected>', status_code=422)
        assert CaseEvent.objects.filter(case=self.case, transition="defer").count() == 0
