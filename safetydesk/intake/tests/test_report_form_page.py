# The expected texts are the catalogues' own, in their scripts (full-width Japanese punctuation,
# typographic apostrophes), which RUF001 would flag one by one.
# ruff: noqa: RUF001
"""The public report page itself: no login, its own calm layout, emergency guidance first,
CSP-compliant, accessible markup, and in the reporter's language (ARCHITECTURE §8)."""

import re
from pathlib import Path

from django.conf import settings
from django.test import TestCase
from django.urls import reverse
from django.utils import translation

NOT_COMPILED = "run make install (compilemessages) to compile the translations"

# Per language: the page heading, the emergency heading, a category label and the send button.
EXPECTED = {
    "es": ("Reportar un problema de seguridad", "¿Hay alguien en peligro ahora mismo?", "Acoso sexual",
           "Enviar reporte"),
    "ja": ("安全に関する問題を報告する", "今、誰かが危険にさらされていますか？", "セクシュアルハラスメント",
           "報告を送信"),
    "fr": ("Signaler un problème de sécurité", "Quelqu’un est-il en danger en ce moment ?", "Harcèlement sexuel",
           "Envoyer le signalement"),
    "de": ("Ein Sicherheitsproblem melden", "Ist gerade jemand in Gefahr?", "Sexuelle Belästigung", "Meldung senden"),
    "ar": ("الإبلاغ عن مشكلة تتعلق بالسلامة", "هل هناك شخص في خطر الآن؟", "تحرش جنسي", "إرسال البلاغ"),
}


class ReportPageTests(TestCase):
    def setUp(self) -> None:
        # LocaleMiddleware leaves the request's language active in this thread.
        self.addCleanup(translation.deactivate)

    def page(self, **headers: str) -> str:
        response = self.client.get(reverse("intake:report"), headers=headers)
        assert response.status_code == 200
        return response.content.decode()

    def test_it_is_public_with_its_own_layout(self) -> None:
        html = self.page()
        assert "/static/intake/report.css" in html
        assert "console.css" not in html
        assert 'class="topbar"' not in html
        assert "Trust and Safety" in html

    def test_the_emergency_guidance_comes_first(self) -> None:
        html = self.page()
        guidance = html.index('<section class="emergency"')
        assert guidance < html.index("<h1>") < html.index('<form class="report-form"')
        box = html[guidance : html.index("</section>", guidance)]
        assert "If someone is in immediate danger, call your local emergency number now." in box
        assert "24 hours a day, 7 days a week" in box
        assert "the link to the page or diff where it was written, the username" in box
        assert settings.INTAKE_SUPPORT_RESOURCES_URL in box
        assert settings.INTAKE_EMERGENCY_NUMBERS_URL in box

    def test_it_needs_no_javascript_and_has_no_inline_script_or_style(self) -> None:
        response = self.client.get(reverse("intake:report"))
        csp = response["Content-Security-Policy"]
        assert "script-src 'self'" in csp
        assert "style-src 'self'" in csp
        html = response.content.decode()
        assert "<script" not in html
        assert "<style" not in html
        assert " style=" not in html
        assert not re.search(r"\son[a-z]+=", html)  # no inline event handlers
        form = re.search(r'<form class="report-form"[^>]*>', html)
        assert form is not None
        assert 'method="post"' in form.group(0)
        assert 'enctype="multipart/form-data"' in form.group(0)
        assert 'action="/report/"' in form.group(0)

    def test_every_control_has_a_label_and_every_group_a_legend(self) -> None:
        html = self.page()
        labels = set(re.findall(r'<label[^>]* for="([^"]+)"', html))
        controls = re.findall(r'<(?:input|textarea|select)\b([^>]*)>', html)
        for attributes in controls:
            if 'type="hidden"' in attributes:
                continue
            control_id = re.search(r'id="([^"]+)"', attributes)
            assert control_id is not None, attributes
            assert control_id.group(1) in labels, f"no label for #{control_id.group(1)}"
        assert html.count("<fieldset") == html.count("<legend")
        assert html.count("<fieldset") >= 4  # category, its two groups, contact
        assert 'aria-describedby="body-hint"' in html
        assert 'id="body-hint"' in html

    def test_the_honeypot_is_hidden_from_people_and_labelled(self) -> None:
        html = self.page()
        trap = re.search(r'<div class="leave-empty" aria-hidden="true">(.*?)</div>', html, re.S)
        assert trap is not None
        assert "Leave this field empty" in trap.group(1)
        assert 'tabindex="-1"' in trap.group(1)
        assert 'autocomplete="off"' in trap.group(1)

    def test_the_language_menu_posts_to_set_language_with_each_language_in_its_own_name(self) -> None:
        html = self.page()
        menu = re.search(r'<form class="language-menu" action="([^"]+)" method="post">(.*?)</form>', html, re.S)
        assert menu is not None
        assert menu.group(1) == reverse("set_language")
        assert '<input type="hidden" name="next" value="/report/">' in menu.group(2)
        options = re.findall(r'<option value="([a-z]+)" lang="[a-z]+"[^>]*>([^<]+)</option>', menu.group(2))
        assert dict(options) == {
            "en": "English", "es": "español", "ja": "日本語", "fr": "français", "de": "Deutsch", "ar": "العربيّة",
        }

    def test_the_browser_language_is_used(self) -> None:
        for language, (heading, emergency, category, button) in EXPECTED.items():
            with self.subTest(language=language):
                assert (Path(settings.LOCALE_PATHS[0]) / language / "LC_MESSAGES" / "django.mo").exists(), NOT_COMPILED
                html = self.page(accept_language=f"{language},en;q=0.5")
                direction = "rtl" if language == "ar" else "ltr"
                assert f'<html lang="{language}" dir="{direction}">' in html
                assert f"<h1>{heading}</h1>" in html, NOT_COMPILED
                assert f'<h2 id="emergency-title">{emergency}</h2>' in html
                assert f'<span class="choice-label">{category}</span>' in html
                assert f">{button}</button>" in html
                assert "Report a safety problem" not in html

    def test_the_language_menu_switches_the_language(self) -> None:
        response = self.client.post(reverse("set_language"), {"language": "ja", "next": "/report/"})
        assert response.status_code == 302
        assert response["Location"] == "/report/"
        html = self.page(accept_language="de")  # the choice beats the browser's language
        assert '<html lang="ja" dir="ltr">' in html
        assert f"<h1>{EXPECTED['ja'][0]}</h1>" in html, NOT_COMPILED
        assert '<option value="ja" lang="ja" selected>' in html

    def test_error_messages_are_in_the_page_language(self) -> None:
        response = self.client.post(
            reverse("intake:report"), {"category": "", "body": "", "where": "https://example.com/x"},
            headers={"accept-language": "es"},
        )
        html = response.content.decode()
        assert "Revise el formulario" in html, NOT_COMPILED
        assert "Elija el tipo de problema." in html
        assert "Describa lo que ha pasado." in html
        assert "example.com no es una de las wikis a las que se refiere este formulario." in html
        assert "<title>Error: Reportar un problema de seguridad" in html
