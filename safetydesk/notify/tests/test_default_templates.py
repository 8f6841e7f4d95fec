"""The shipped default texts: every language the brief promises, each one valid, and the
emergency acknowledgement puts the emergency-services guidance before anything else."""

from django.test import TestCase

from safetydesk.notify.rendering import TEMPLATES, check_notice_template, default_text, render_notice

STAFF_LANGUAGES = ("en", "es", "ja", "fr", "de")
CONTEXT = {
    "reference": "SD-2026-000042",
    "general_address": "ca@example.org",
    "emergency_address": "emergency@example.org",
    "received_at": "2026-11-21 09:30 UTC",
    "dsa_notice": True,
    "venue_url": "https://en.wikipedia.org/wiki/Wikipedia:Administrators%27_noticeboard",
}
# How each language's first paragraph points to emergency services, and says "1 hour".
EMERGENCY_WORDS = {
    "en": ("emergency services", "within 1 hour"),
    "es": ("servicios de emergencia", "en 1 hora"),
    "fr": ("services d\u2019urgence", "dans l\u2019heure"),
    "de": ("Notrufdienste", "innerhalb von 1 Stunde"),
    "ja": ("緊急通報窓口", "1時間以内"),
    "ar": ("خدمات الطوارئ", "خلال ساعة واحدة"),
}


class DefaultTemplateTests(TestCase):
    def test_every_template_exists_in_every_staff_language(self) -> None:
        for key in TEMPLATES:
            for language in STAFF_LANGUAGES:
                with self.subTest(key=key, language=language):
                    assert default_text(key, language) is not None

    def test_the_general_and_emergency_acknowledgements_exist_in_arabic(self) -> None:
        for key in ("ack_general", "ack_emergency"):
            assert render_notice(key, "ar", CONTEXT).language == "ar"

    def test_every_default_is_a_valid_template_that_names_the_reference(self) -> None:
        for key in TEMPLATES:
            for language in (*STAFF_LANGUAGES, "ar"):
                text = default_text(key, language)
                if text is None:
                    continue
                with self.subTest(key=key, language=language):
                    check_notice_template(text.subject, text.body)
                    notice = render_notice(key, language, CONTEXT)
                    assert notice.language == language
                    assert ("SD-2026-000042" in notice.body) == TEMPLATES[key].about_a_case
                    assert "{" not in notice.body
                    assert "}" not in notice.body

    def test_each_translation_is_not_the_english_text(self) -> None:
        for key in TEMPLATES:
            english = render_notice(key, "en", CONTEXT)
            for language in (*STAFF_LANGUAGES[1:], "ar"):
                if default_text(key, language) is None:
                    continue
                with self.subTest(key=key, language=language):
                    translated = render_notice(key, language, CONTEXT)
                    assert translated.subject != english.subject
                    assert translated.body != english.body

    def test_the_emergency_acknowledgement_starts_with_the_emergency_guidance(self) -> None:
        for language, (services, one_hour) in EMERGENCY_WORDS.items():
            with self.subTest(language=language):
                body = render_notice("ack_emergency", language, CONTEXT).body
                first_paragraph = body.split("\n\n", 1)[0]
                assert services in first_paragraph
                assert "SD-2026-000042" not in first_paragraph
                assert one_hour in body
                assert "ca@example.org" in body
                assert body.index(services) < body.index("SD-2026-000042")

    def test_every_acknowledgement_confirms_a_dsa_notice_only_when_there_is_one(self) -> None:
        for key in (k for k in TEMPLATES if k.startswith("ack_")):
            for language in STAFF_LANGUAGES:
                with self.subTest(key=key, language=language):
                    with_notice = render_notice(key, language, CONTEXT).body
                    without = render_notice(key, language, {**CONTEXT, "dsa_notice": False}).body
                    assert "2026-11-21 09:30 UTC" in with_notice
                    assert "2026-11-21 09:30 UTC" not in without
