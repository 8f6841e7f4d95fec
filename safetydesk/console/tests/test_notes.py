from django.urls import reverse

from safetydesk.cases.models import CaseEvent, CaseEventKind, Note
from safetydesk.console.tests.base import ConsoleTestCase


class NoteTests(ConsoleTestCase):
    def test_it_adds_a_note_and_redirects_to_it(self) -> None:
        case = self.open_case()
        self.login(self.specialist)
        response = self.client.post(
            reverse("console:case_note", args=[case.reference]),
            {"version": case.version, "body": "Called the reporter back."},
        )
        note = Note.objects.get(case=case)
        self.assertRedirects(
            response, reverse("console:case", args=[case.reference]) + f"#note-{note.pk}", fetch_redirect_response=False
        )
        assert (note.author, note.body) == (self.specialist, "Called the reporter back.")
        assert CaseEvent.objects.filter(case=case, kind=CaseEventKind.NOTE).exists()
        page = self.client.get(reverse("console:case", args=[case.reference]))
        self.assertContains(page, "Note added.")
        self.assertContains(page, f'<article class="note" id="note-{note.pk}"')

    def test_it_re_renders_an_empty_note_with_the_error(self) -> None:
        case = self.open_case()
        self.login(self.specialist)
        response = self.client.post(
            reverse("console:case_note", args=[case.reference]), {"version": case.version, "body": ""}
        )
        self.assertContains(response, "This field is required.", status_code=400)
        self.assertContains(response, "The note was not added", status_code=400)
        assert not Note.objects.filter(case=case).exists()

    def test_it_only_accepts_post(self) -> None:
        case = self.open_case()
        self.login(self.specialist)
        assert self.client.get(reverse("console:case_note", args=[case.reference])).status_code == 405
