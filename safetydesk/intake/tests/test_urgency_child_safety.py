"""Child-sexual-abuse indicators route an item to the restricted child-protection queue (§6).

Only clinical indicator phrases are used, in every language; they are never dampened and do
not make the report a threat of harm on their own.
"""

from django.test import SimpleTestCase

from safetydesk.intake.urgency import CHILD_SAFETY, assess

INDICATORS = {
    "en": ["This file is child sexual abuse material.", "Reporting CSAM on Commons.", "child pornography",
           "the upload contains sexual images of a minor"],
    "es": ["Este archivo es material de abuso sexual infantil.", "pornografía infantil en Commons"],
    "fr": ["Ce fichier est de la pédopornographie.", "pornographie infantile"],
    "de": ["Die Datei zeigt Missbrauchsdarstellungen.", "Kinderpornografie auf Commons"],
    "pt": ["Este arquivo é pornografia infantil."],
    "it": ["Questo file è materiale pedopornografico."],
    "ru": ["Этот файл содержит детскую порнографию."],
    "ar": ["هذا الملف يحتوي على مواد الاعتداء الجنسي على الأطفال"],
    "zh": ["这个文件是儿童色情内容。"],
    "ja": ["このファイルは児童ポルノです。"],
    "hi": ["यह फ़ाइल बाल यौन शोषण सामग्री है।"],
    "id": ["Berkas ini adalah pornografi anak."],
}


class ChildSafetyTests(SimpleTestCase):
    def test_it_flags_child_sexual_abuse_indicators_in_every_language(self) -> None:
        for code, texts in INDICATORS.items():
            for text in texts:
                with self.subTest(language=code, text=text):
                    assessment = assess(text, code)
                    assert assessment.child_safety
                    assert not assessment.threat
                    assert any(f.category == CHILD_SAFETY for f in assessment.rules)

    def test_it_does_not_flag_child_protection_as_a_topic(self) -> None:
        for text in (
            "Please review our child protection policy page.",
            "The article on child safety seats needs sources.",
            "Política de protección infantil",
        ):
            with self.subTest(text=text):
                assert not assess(text, "").child_safety

    def test_a_false_alarm_phrase_in_the_same_report_does_not_soften_it(self) -> None:
        assessment = assess("Kill the process first. Then look at this upload: it is CSAM.", "en")
        assert assessment.child_safety

    def test_a_report_can_be_both_a_threat_and_child_safety(self) -> None:
        assessment = assess("He shares child sexual abuse material and says: I will kill you if you report me.", "en")
        assert assessment.child_safety
        assert (assessment.threat, assessment.threat_type) == (True, "physical_harm")
