import re

from django.contrib.staticfiles import finders
from django.urls import reverse

from safetydesk.cases.actions import do_add_note
from safetydesk.console.tests.base import ConsoleTestCase

INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.I)
VISIBLE_CONTROL_ID = re.compile(r'<(?:input|select|textarea)(?![^>]*type="hidden")[^>]*\sid="([^"]+)"')


class ShellTests(ConsoleTestCase):
    def pages(self) -> list[str]:
        case = self.take(self.open_case(summary="Summary"), "acknowledge")
        do_add_note(case=case, acting_user=self.specialist, body="<script>alert(1)</script>")
        self.take(case, "triage")
        return [
            reverse("console:dashboard"),
            reverse("console:queue"),
            reverse("console:search") + "?q=harassment",
            reverse("console:case", args=[case.reference]),
            reverse("console:case_transition", args=[case.reference, "defer"]),
        ]

    def test_it_needs_no_inline_script_or_style_under_the_csp(self) -> None:
        self.login(self.specialist)
        for url in self.pages():
            with self.subTest(url=url):
                response = self.client.get(url)
                assert response.status_code == 200
                csp = response["Content-Security-Policy"]
                assert "script-src 'self'" in csp
                assert "style-src 'self'" in csp
                html = self.html(response)
                assert not re.search(INLINE_SCRIPT, html)
                assert not re.search(INLINE_HANDLER, html)
                assert " style=" not in html
                assert "<style" not in html

    def test_it_escapes_what_staff_typed(self) -> None:
        self.login(self.specialist)
        case_url = self.pages()[3]
        response = self.client.get(case_url)
        self.assertContains(response, "&lt;script&gt;alert(1)&lt;/script&gt;")

    def test_it_has_landmarks_a_skip_link_and_one_h1(self) -> None:
        self.login(self.specialist)
        for url in self.pages():
            with self.subTest(url=url):
                html = self.html(self.client.get(url))
                assert '<a class="skip-link" href="#main">Skip to content</a>' in html
                assert '<main id="main" tabindex="-1">' in html
                assert '<header class="topbar">' in html
                assert '<nav class="mainnav" aria-label="Main">' in html
                assert '<label for="global-search" class="visually-hidden">' in html
                assert html.count("<h1") == 1

    def test_it_labels_every_control(self) -> None:
        self.login(self.specialist)
        for url in self.pages():
            with self.subTest(url=url):
                html = self.html(self.client.get(url))
                for control_id in VISIBLE_CONTROL_ID.findall(html):
                    assert f'for="{control_id}"' in html, control_id

    def test_it_ships_the_stylesheet_and_the_shortcut_script(self) -> None:
        css = finders.find("console/console.css")
        js = finders.find("console/console.js")
        assert isinstance(css, str)
        assert isinstance(js, str)
        with open(js, encoding="utf-8") as script:
            source = script.read()
        for key in ('case "/"', 'case "?"', 'case "j"', 'case "k"', 'go("g d")', 'go("g q")', "isTyping"):
            assert key in source
        with open(css, encoding="utf-8") as sheet:
            assert "prefers-color-scheme: dark" in sheet.read()

    def test_it_offers_the_shortcut_help_dialog(self) -> None:
        self.open_case()
        self.login(self.specialist)
        response = self.client.get(reverse("console:queue"))
        self.assertContains(response, '<dialog id="shortcut-help"')
        self.assertContains(response, 'data-shortcut="g q" aria-current="page"')
        self.assertContains(response, "<table class=\"cases\" data-rows>")
