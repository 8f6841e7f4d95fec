"""render_notice: the administrator's wording, else the shipped file, in the reader's language,
else English; plain text, never escaped, never dependent on the worker's active language."""

import pytest
from django.test import TestCase
from django.utils import translation

from safetydesk.notify.models import NoticeTemplate
from safetydesk.notify.rendering import UnknownTemplate, primary_language, render_notice

CONTEXT = {
    "reference": "SD-2026-000042",
    "general_address": "ca@example.org",
    "emergency_address": "emergency@example.org",
}


class RenderNoticeTests(TestCase):
    def test_it_renders_the_file_for_the_readers_language(self) -> None:
        notice = render_notice("ack_general", "es", CONTEXT)
        assert (notice.language, notice.source) == ("es", "file")
        assert notice.subject == "Hemos recibido su reporte"
        assert "su número de referencia es SD-2026-000042" in notice.body

    def test_it_reads_the_language_without_its_region(self) -> None:
        assert render_notice("ack_general", "de-AT", CONTEXT).language == "de"
        assert render_notice("ack_general", "ja_JP", CONTEXT).language == "ja"
        assert primary_language("../../etc/passwd") == ""

    def test_it_falls_back_to_english_for_a_language_without_a_template(self) -> None:
        for language in ("pt", "zz", "", "not a language"):
            with self.subTest(language=language):
                notice = render_notice("ack_general", language, CONTEXT)
                assert notice.language == "en"
                assert notice.subject == "We have received your report"

    def test_an_administrators_override_wins_over_the_file(self) -> None:
        NoticeTemplate.objects.create(
            key="ack_general", language="es", subject="Recibido: {{ reference }}",
            body="Gracias.\n\nRef. {{ reference }}",
        )
        notice = render_notice("ack_general", "es", CONTEXT)
        assert (notice.subject, notice.source) == ("Recibido: SD-2026-000042", "override")
        assert notice.body == "Gracias.\n\nRef. SD-2026-000042\n"
        # Other languages keep their files.
        assert render_notice("ack_general", "fr", CONTEXT).source == "file"

    def test_an_english_override_is_what_the_fallback_uses(self) -> None:
        NoticeTemplate.objects.create(
            key="ack_general", language="en", subject="Got it", body="Reference {{ reference }}"
        )
        notice = render_notice("ack_general", "pt", CONTEXT)
        assert (notice.language, notice.source, notice.subject) == ("en", "override", "Got it")

    def test_it_writes_plain_text_without_escaping(self) -> None:
        notice = render_notice("defer_local", "en", {**CONTEXT, "venue_url": "https://en.wikipedia.org/wiki/A&B?x=<y>"})
        assert "Where to go: https://en.wikipedia.org/wiki/A&B?x=<y>" in notice.body
        assert "&amp;" not in notice.body

    def test_it_leaves_no_run_of_empty_lines_where_a_condition_was_false(self) -> None:
        body = render_notice("defer_local", "en", CONTEXT).body
        assert "Where to go" not in body
        assert "\n\n\n" not in body
        assert body.endswith(".\n")

    def test_it_does_not_depend_on_the_active_language(self) -> None:
        with translation.override("ja"):
            assert render_notice("ack_general", "fr", CONTEXT).subject == "Nous avons bien reçu votre signalement"

    def test_it_refuses_variables_it_does_not_know(self) -> None:
        # The text of the report can never reach a template, so no notice can echo it.
        with pytest.raises(ValueError, match="summary"):
            render_notice("ack_child_protection", "en", {**CONTEXT, "summary": "what was reported"})

    def test_an_unknown_template_is_an_error(self) -> None:
        with pytest.raises(UnknownTemplate):
            render_notice("ack_nonexistent", "en", CONTEXT)
