"""The emergency pages in the staff languages: words with a context, dates in the language's
own order, and people's free text in its own direction on a right-to-left page.

The catalogues are compiled by `make install` (compilemessages); the .mo files are not in git."""

from pathlib import Path

from django.conf import settings
from django.utils import translation

from safetydesk.emergency.actions import ReferralData, do_refer_to_law_enforcement
from safetydesk.emergency.forms import PeriodForm
from safetydesk.emergency.tests.base import EmergencyTestCase
from safetydesk.lib.testing import force_login_verified

NOT_COMPILED = "run make install (compilemessages) to compile the translations"


def compiled(language: str) -> bool:
    return (Path(settings.LOCALE_PATHS[0]) / language / "LC_MESSAGES" / "django.mo").exists()


class CountsPageLanguageTests(EmergencyTestCase):
    def setUp(self) -> None:
        self.addCleanup(translation.deactivate)
        force_login_verified(self.client, self.auditor)

    def counts(self, language: str) -> str:
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        response = self.client.get("/emergency/counts/", {"start": "2026-01-01", "end": "2026-06-30"})
        assert response.status_code == 200
        return response.content.decode()

    def test_the_start_of_the_period_is_a_date_not_a_sender(self) -> None:
        assert compiled("ja"), NOT_COMPILED
        html = self.counts("ja")
        assert '<label for="id_start">開始日</label>' in html
        assert "差出人" not in html  # "From" of an email
        for language in ("es", "fr", "de", "ar"):
            with self.subTest(language=language), translation.override(language):
                assert str(PeriodForm().fields["start"].label) != "From", NOT_COMPILED

    def test_the_period_is_written_in_the_languages_order(self) -> None:
        # DATE_FORMAT of each language, not a fixed "1 Jan 2026".
        assert "2026年1月1日" in self.counts("ja"), NOT_COMPILED
        assert "1. Januar 2026" in self.counts("de")
        assert "Jan. 1, 2026" in self.counts("en")


class PanelDirectionTests(EmergencyTestCase):
    """English written on an Arabic page keeps its own direction (and its full stop on the right)."""

    def setUp(self) -> None:
        self.addCleanup(translation.deactivate)
        force_login_verified(self.client, self.oncall)

    def case_page(self, reference: str, language: str) -> str:
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        response = self.client.get(f"/cases/{reference}/")
        assert response.status_code == 200
        return response.content.decode()

    def test_free_text_in_the_panel_has_its_own_direction(self) -> None:
        case, _record = self.triaged(
            specificity_time="Monday morning", capability="Posted photos of a rifle.", target_detail="Lincoln High"
        )
        do_refer_to_law_enforcement(
            case=case,
            acting_user=self.oncall,
            referral=ReferralData(agency="Springfield PD", jurisdiction="Springfield, IL", method="phone"),
        )
        html = self.case_page(case.reference, "ar")
        assert '<html lang="ar" dir="rtl">' in html
        assert '<dd dir="auto">I will bring a gun to the school on Monday</dd>' in html
        assert '<dd dir="auto">Named place and day; the account posted photos of weapons.</dd>' in html
        assert '<dd dir="auto">Posted photos of a rifle.</dd>' in html
        assert '<span dir="auto">Monday morning</span>' in html
        assert '<span dir="auto">Lincoln High</span>' in html
        assert '<span dir="auto">Springfield PD</span>' in html
        assert '<span dir="auto">Springfield, IL</span>' in html
