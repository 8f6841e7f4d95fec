# ruff: noqa: RUF001, RUF003
"""The board and the rota in the staff languages: every string reaches the catalogues (no
escaped msgids, no untranslated Django defaults), ambiguous words carry a context.

The catalogues are compiled by `make install` (compilemessages); the .mo files are not in git."""

import datetime as dt
from pathlib import Path

import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from safetydesk.lib.testing import force_login_verified
from safetydesk.oncall.forms import FallbackForm, HandOverForm, ShiftForm, zone_choices
from safetydesk.oncall.tests.helpers import OncallTestCase

NOT_COMPILED = "run make install (compilemessages) to compile the translations"
T0 = dt.datetime(2026, 11, 2, 12, 0, tzinfo=dt.UTC)

# "The responder’s own time zone" and "Choose…", as the catalogues have them.
OWN_ZONE = {
    "es": "La zona horaria de la persona de guardia",
    "ja": "対応者自身のタイムゾーン",
    "fr": "Le fuseau horaire de la personne d’astreinte",
    "de": "Die eigene Zeitzone der Bereitschaftsperson",
    "ar": "المنطقة الزمنية الخاصة بالمناوب",
}
CHOOSE = {"es": "Elija…", "ja": "選択してください…", "fr": "Choisissez…", "de": "Auswählen …", "ar": "اختر…"}


def compiled(language: str) -> bool:
    return (Path(settings.LOCALE_PATHS[0]) / language / "LC_MESSAGES" / "django.mo").exists()


class FormStringsTests(OncallTestCase):
    def test_the_own_time_zone_choice_is_translated(self) -> None:
        for language, expected in OWN_ZONE.items():
            with self.subTest(language=language), translation.override(language):
                assert compiled(language), NOT_COMPILED
                assert str(zone_choices()[0][1]) == expected

    def test_the_source_string_has_a_real_apostrophe(self) -> None:
        # xgettext does not decode "\u2019" in Python source: the msgid must hold the character.
        source = Path(__file__).resolve().parents[1] / "forms.py"
        text = source.read_text(encoding="utf-8")
        assert '_("The responder\\u2019' not in text
        assert '_("The responder’s own time zone")' in text

    def test_people_selects_have_our_translated_blank_choice(self) -> None:
        for language, expected in CHOOSE.items():
            with self.subTest(language=language), translation.override(language):
                assert compiled(language), NOT_COMPILED
                for form, name in ((ShiftForm(), "user"), (HandOverForm(), "to_user"), (FallbackForm(), "user")):
                    html = str(form[name])
                    assert f'<option value="" selected>{expected}</option>' in html, (form, html[:200])
                    assert "Select an option" not in html


@time_machine.travel(T0, tick=False)
class RotaPageLanguageTests(OncallTestCase):
    def setUp(self) -> None:
        self.addCleanup(translation.deactivate)
        force_login_verified(self.client, self.manager)
        self.shift(self.oncall, T0 - dt.timedelta(hours=2), T0 + dt.timedelta(hours=6))

    def get(self, name: str, language: str) -> str:
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        response = self.client.get(reverse(name))
        assert response.status_code == 200
        return response.content.decode()

    def test_the_rota_selects_are_blank_in_the_page_language(self) -> None:
        assert compiled("de"), NOT_COMPILED
        html = self.get("oncall:rota", "de")
        assert "Select an option" not in html
        # The hand-over select of the shift, the new shift's responder and the fallback list.
        assert html.count(f">{CHOOSE['de']}</option>") >= 3
        assert OWN_ZONE["de"] in html


@time_machine.travel(T0, tick=False)
class BoardLanguageTests(OncallTestCase):
    def setUp(self) -> None:
        self.addCleanup(translation.deactivate)
        force_login_verified(self.client, self.oncall)
        self.shift(self.oncall, T0 - dt.timedelta(hours=2), T0 + dt.timedelta(hours=6))
        self.shift(self.oncall2, T0 + dt.timedelta(hours=6), T0 + dt.timedelta(hours=14))

    def board(self, language: str) -> str:
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        response = self.client.get(reverse("oncall:board"))
        assert response.status_code == 200
        return response.content.decode()

    def test_the_next_column_is_who_is_on_call_next_not_the_next_page(self) -> None:
        # "Next" alone is the pager's "go to the next page" (次へ, Weiter): the column has a context.
        for language, column, pager in (("ja", "次の担当", "次へ"), ("de", "Als Nächstes", "Weiter")):
            with self.subTest(language=language):
                assert compiled(language), NOT_COMPILED
                html = self.board(language)
                assert f'<th scope="col">{column}</th>' in html
                assert f'<th scope="col">{pager}</th>' not in html
        for language in ("es", "fr", "ar"):
            with self.subTest(language=language), translation.override(language):
                assert translation.pgettext("on call", "Next") != "Next", NOT_COMPILED


@time_machine.travel(T0, tick=False)
class DateOrderTests(OncallTestCase):
    """Dates in each language's own order (Django's DATETIME_FORMAT), not a fixed English one."""

    def setUp(self) -> None:
        self.addCleanup(translation.deactivate)
        force_login_verified(self.client, self.manager)
        # 09:00 to 17:00 on Tuesday 3 November in New York (UTC-5), and who is on call after it.
        self.shift(self.oncall_ny, T0 + dt.timedelta(hours=26), T0 + dt.timedelta(hours=34))

    def page(self, name: str, language: str) -> str:
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        response = self.client.get(reverse(name))
        assert response.status_code == 200
        return response.content.decode()

    def test_the_rota_and_the_board_write_dates_in_the_languages_order(self) -> None:
        expected = {"ja": "2026年11月3日9:00", "de": "3. November 2026 09:00", "fr": "3 novembre 2026 09:00"}
        for language, start in expected.items():
            with self.subTest(language=language):
                assert compiled(language), NOT_COMPILED
                rota = self.page("oncall:rota", language)
                assert start in rota  # the responder's own time
                assert "Tue 3 Nov" not in rota
        board = self.page("oncall:board", "de")
        assert "ab 3. November 2026 14:00" in board  # who is on call next, in UTC
