"""The console in each interface language (ARCHITECTURE §8): translated words, lang and dir.

The catalogues are compiled by `make install` (compilemessages); the .mo files are not in git.
Without them every page is English and these tests say so instead of skipping.
"""

import re
from pathlib import Path

from django.conf import settings
from django.core import mail
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils import translation

from safetydesk.cases.actions import PartyData, do_create_case
from safetydesk.cases.models import Case
from safetydesk.cases.tasks import send_canned_reply
from safetydesk.lib.testing import PersonaTestCase, force_login_verified

NOT_COMPILED = "run make install (compilemessages) to compile the translations"

# Per language: the navigation link to the queue, the dashboard heading and the label of the
# workflow state "Received" (a lazy label from cases/workflows.py), as the catalogue has them.
EXPECTED = {
    "es": ("Cola", "Panel", "Recibido"),
    "ja": ("キュー", "ダッシュボード", "受付済み"),
    "fr": ("File d\u2019attente", "Tableau de bord", "Reçu"),
    "de": ("Warteschlange", "Übersicht", "Eingegangen"),
    "ar": ("قائمة الانتظار", "لوحة المعلومات", "مستلمة"),
}


def nav_link(html: str, keys: str) -> str:
    """The text of the top navigation link reached with these shortcut keys."""
    found = re.search(rf'<a href="[^"]*" data-shortcut="{keys}"[^>]*>([^<]*)</a>', html)
    assert found, f"no navigation link for {keys!r}"
    return found.group(1)


def compiled_catalogue(language: str) -> Path:
    return Path(settings.LOCALE_PATHS[0]) / language / "LC_MESSAGES" / "django.mo"


class ConsoleLanguageTests(PersonaTestCase):
    case: Case

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.case = do_create_case(acting_user=cls.specialist, title="Harassment across three wikis")

    def setUp(self) -> None:
        force_login_verified(self.client, self.specialist)
        # LocaleMiddleware leaves the request's language active in this thread: later tests
        # that read English messages must not inherit Arabic.
        self.addCleanup(translation.deactivate)

    def get(self, name: str, language: str) -> str:
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        response: HttpResponseBase = self.client.get(reverse(name))
        assert response.status_code == 200
        return response.content.decode()  # type: ignore[attr-defined]

    def assert_compiled(self, language: str) -> None:
        assert compiled_catalogue(language).exists(), f"{compiled_catalogue(language)} is missing: {NOT_COMPILED}"

    def test_every_staff_language_has_a_compiled_catalogue(self) -> None:
        languages = {code for code, _name in settings.LANGUAGES} - {"en"}
        assert languages == set(EXPECTED)
        for language in sorted(languages):
            self.assert_compiled(language)

    def test_left_to_right_languages_translate_the_dashboard_and_the_queue(self) -> None:
        for language in ("es", "ja", "fr", "de"):
            queue_word, dashboard_word, received = EXPECTED[language]
            with self.subTest(language=language):
                self.assert_compiled(language)
                for page in ("console:dashboard", "console:queue"):
                    html = self.get(page, language)
                    assert f'<html lang="{language}" dir="ltr">' in html, page
                    assert nav_link(html, "g q") == queue_word, f"{page}: {NOT_COMPILED}"
                    assert nav_link(html, "g d") == dashboard_word, page
                queue = self.get("console:queue", language)
                assert received in queue, f"the queue shows the state label in English: {NOT_COMPILED}"
                assert "Received" not in queue

    def test_arabic_pages_are_right_to_left(self) -> None:
        self.assert_compiled("ar")
        queue_word, dashboard_word, received = EXPECTED["ar"]
        for page in ("console:dashboard", "console:queue"):
            html = self.get(page, "ar")
            assert '<html lang="ar" dir="rtl">' in html, page
            assert nav_link(html, "g q") == queue_word, f"{page}: {NOT_COMPILED}"
            assert nav_link(html, "g d") == dashboard_word, page
        assert received in self.get("console:queue", "ar")

    def test_the_browser_language_is_used_without_a_cookie(self) -> None:
        self.assert_compiled("ja")
        response = self.client.get(reverse("console:queue"), HTTP_ACCEPT_LANGUAGE="ja,en;q=0.5")
        html = response.content.decode()
        assert '<html lang="ja" dir="ltr">' in html
        assert nav_link(html, "g q") == EXPECTED["ja"][0], NOT_COMPILED

    def test_workflow_messages_follow_the_active_language(self) -> None:
        self.assert_compiled("de")
        response = self.client.get(reverse("console:case", args=[self.case.reference]), HTTP_ACCEPT_LANGUAGE="de")
        html = response.content.decode()
        # The step's label and the state label come from the lazy workflow labels.
        assert "Als eingegangen bestätigen" in html, NOT_COMPILED
        assert "Eingegangen" in html


class CannedReplyLanguageTests(PersonaTestCase):
    def test_the_reply_is_written_in_the_reporters_language(self) -> None:
        assert compiled_catalogue("es").exists(), NOT_COMPILED
        case = do_create_case(
            acting_user=self.specialist,
            title="Harassment on eswiki",
            language="es",
            parties=[PartyData(role="reporter", email="rocio@example.org", language="es")],
        )
        Case.objects.filter(pk=case.pk).update(routed_url="https://es.wikipedia.org/wiki/Wikipedia:Tablón_de_anuncios")
        language_before = translation.get_language()

        # The reply is a notify notice, sent once the transaction that queued it commits.
        with self.captureOnCommitCallbacks(execute=True):
            assert send_canned_reply.call(case.pk, "defer_local") == 1

        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        subject = f"[{case.reference}] Su reporte: utilice el proceso de la comunidad local"
        assert message.subject == subject, NOT_COMPILED
        assert f"Gracias por su reporte ({case.reference})." in message.body
        assert "Dónde acudir: https://es.wikipedia.org/wiki/Wikipedia:Tablón_de_anuncios" in message.body
        assert "servicios de emergencia" in message.body
        assert "Thank you" not in message.body
        # The worker's own language is left as it was.
        assert translation.get_language() == language_before
