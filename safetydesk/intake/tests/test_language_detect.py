# Sample reports are in their own scripts and punctuation (full-width commas, Turkish
# dotless i), which RUF001 would flag one by one.
# ruff: noqa: RUF001
"""The language of a report (issue 3, part 5): ISO 639-1, or "" rather than a guess."""

from django.core.exceptions import ImproperlyConfigured
from django.test import SimpleTestCase, override_settings

from safetydesk.intake import language

SAMPLES = {
    "en": "Someone keeps reverting my edits on the article and left a threatening message on my talk page.",
    "es": "Alguien sigue revirtiendo mis ediciones en el artículo y dejó un mensaje amenazante en mi página.",
    "ja": "誰かが記事の私の編集を何度も差し戻し、私の会話ページに脅迫的なメッセージを残しました。",
    "fr": "Quelqu'un annule sans cesse mes modifications sur l'article et a laissé un message menaçant sur ma page.",
    "de": "Jemand setzt meine Bearbeitungen im Artikel ständig zurück und hat eine drohende Nachricht hinterlassen.",
    "pt": "Alguém continua revertendo minhas edições no artigo e deixou uma mensagem ameaçadora na minha página.",
    "it": "Qualcuno continua ad annullare le mie modifiche alla voce e ha lasciato un messaggio minaccioso.",
    "ru": "Кто-то постоянно отменяет мои правки в статье и оставил угрожающее сообщение на моей странице.",
    "ar": "شخص ما يستمر في التراجع عن تعديلاتي على المقالة وترك رسالة تهديد في صفحة النقاش الخاصة بي.",
    "zh": "有人不断撤销我在条目中的编辑，并在我的讨论页上留下了威胁性的留言。",
    "hi": "कोई लगातार लेख में मेरे संपादन पलट रहा है और उसने मेरे वार्ता पृष्ठ पर धमकी भरा संदेश छोड़ा है।",
    "id": "Seseorang terus membatalkan suntingan saya di artikel dan meninggalkan pesan ancaman di halaman saya.",
    "nl": "Iemand draait steeds mijn bewerkingen in het artikel terug en liet een dreigend bericht achter.",
    "pl": "Ktoś ciągle cofa moje zmiany w artykule i zostawił groźną wiadomość na mojej stronie dyskusji.",
    "tr": "Birisi makaledeki düzenlemelerimi sürekli geri alıyor ve tartışma sayfama tehditkâr bir mesaj bıraktı.",
    "uk": "Хтось постійно скасовує мої редагування статті й залишив погрозливе повідомлення на моїй сторінці.",
    "ko": "누군가 문서에서 제 편집을 계속 되돌리고 제 토론 문서에 위협적인 메시지를 남겼습니다.",
}


class DetectTests(SimpleTestCase):
    def test_it_names_the_language_of_a_report_in_each_configured_language(self) -> None:
        for code, text in SAMPLES.items():
            with self.subTest(language=code):
                assert language.detect(text) == code

    def test_it_returns_nothing_rather_than_a_guess_for_text_too_short_to_tell(self) -> None:
        for text in ("ok", "", "   ", "12345", "?!", "https://en.wikipedia.org/wiki/Example"):
            with self.subTest(text=text):
                assert language.detect(text) == ""

    def test_it_recognises_one_line_threats(self) -> None:
        lines = {
            "quiero suicidarme": "es", "死にたい": "ja", "je vais me suicider": "fr", "ich bringe mich um": "de",
            "я убью себя": "ru", "سأقتل نفسي": "ar", "我要自杀": "zh", "मैं आत्महत्या कर लूंगा": "hi",
            "saya akan bunuh diri": "id", "mi ammazzo": "it",
        }
        for text, code in lines.items():
            with self.subTest(text=text):
                assert language.detect(text) == code

    def test_it_ignores_links_and_addresses(self) -> None:
        text = (
            "Por favor revisen https://en.wikipedia.org/wiki/List_of_English_words_and_phrases_in_the_news "
            "y escriban a reporter.name@example.org, gracias por la ayuda con este artículo"
        )
        assert language.detect(text) == "es"

    def test_it_decides_on_the_beginning_of_a_long_report(self) -> None:
        # A short English report above a long forwarded Spanish thread is an English report.
        english = SAMPLES["en"] + " " + "Please look at the history of the page and the diffs I listed. " * 32
        spanish = SAMPLES["es"] * 200
        report = english + "\n\n> " + spanish
        assert len(english) > language.PREFIX_CHARS
        whole = language.detector().detect_language_of(report)
        assert whole is not None
        assert whole.iso_code_639_1.name.lower() == "es"  # what the whole text would say
        assert language.detect(report) == "en"

    def test_it_returns_lower_case_iso_639_1_codes(self) -> None:
        assert language.detect(SAMPLES["de"]) == "de"
        assert all(code.islower() and len(code) == 2 for code in map(language.detect, SAMPLES.values()))


class DetectorConfigurationTests(SimpleTestCase):
    def test_it_builds_the_detector_once(self) -> None:
        assert language.detector() is language.detector()

    @override_settings(INTAKE_DETECT_LANGUAGES=["en", "de"])
    def test_it_chooses_only_among_the_configured_languages(self) -> None:
        assert language.detect(SAMPLES["de"]) == "de"
        assert language.detect(SAMPLES["es"]) in {"", "en", "de"}
        assert language.detector() is not language._build(tuple(sorted(SAMPLES)))

    @override_settings(INTAKE_DETECT_LANGUAGES=["en", "xx"])
    def test_it_refuses_a_language_lingua_does_not_know(self) -> None:
        with self.assertRaisesMessage(ImproperlyConfigured, "codes lingua does not know: xx"):
            language.detect("hello there, how are you")

    @override_settings(INTAKE_DETECT_LANGUAGES=["en"])
    def test_it_needs_two_languages_to_choose_from(self) -> None:
        with self.assertRaisesMessage(ImproperlyConfigured, "at least two languages"):
            language.detect("hello there, how are you")
