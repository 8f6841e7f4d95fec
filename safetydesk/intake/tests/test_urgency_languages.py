# Threats are quoted in their own scripts and punctuation (full-width commas), which RUF001
# would flag one by one.
# ruff: noqa: RUF001
"""Threats of harm (DOMAIN §5.1) are recognised in each of the twelve languages of issue 3."""

from django.test import SimpleTestCase

from safetydesk.intake import language, urgency
from safetydesk.intake.tests.urgency_cases import LANGUAGES, UrgencyCaseTests

# "I'm going to kill myself" and its equivalents (§5.1's own example first).
SELF_HARM = {
    "en": ["I'm going to kill myself"],
    "es": ["quiero suicidarme", "me voy a matar"],
    "ja": ["死にたい", "自殺します"],
    "fr": ["je vais me suicider"],
    "de": ["ich bringe mich um"],
    "pt": ["vou me matar"],
    "it": ["mi ammazzo"],
    "ru": ["я убью себя"],
    "ar": ["سأقتل نفسي"],
    "zh": ["我要自杀"],
    "hi": ["मैं आत्महत्या कर लूंगा"],
    "id": ["saya akan bunuh diri"],
}
# "I'm going to kill you", and "I know where you live and I'm coming".
PHYSICAL_HARM = {
    "en": ["I will kill you", "I know where you live and I'm coming"],
    "es": ["te voy a matar", "sé dónde vives y voy por ti"],
    "ja": ["お前を殺す", "殺してやる"],
    "fr": ["je vais te tuer", "je sais où tu habites et je viens te chercher"],
    "de": ["ich bringe dich um", "ich weiß wo du wohnst und ich komme vorbei"],
    "pt": ["vou te matar", "sei onde você mora e vou atrás de você"],
    "it": ["ti ammazzo", "so dove abiti e vengo a prenderti"],
    "ru": ["я тебя убью", "знаю, где ты живёшь, я приду за тобой"],
    "ar": ["سأقتلك", "أعرف أين تسكن وأنا قادم إليك"],
    "zh": ["我要杀了你", "我知道你住在哪里，我会去找你"],
    "hi": ["मैं तुम्हें मार डालूंगा", "मुझे पता है तुम कहाँ रहते हो, मैं तुम्हारे घर आ रहा हूँ"],
    "id": ["aku akan membunuh kamu", "aku tahu di mana kamu tinggal, aku akan datang ke rumahmu"],
}
# "I'm going to blow up your school" and bomb threats.
PUBLIC_HARM = {
    "en": ["I'm going to blow up your school", "there's a bomb in the office"],
    "es": ["voy a hacer explotar la escuela", "hay una bomba en la oficina"],
    "ja": ["学校を爆破します", "爆弾を仕掛けた"],
    "fr": ["je vais faire sauter le lycée", "il y a une bombe dans le bureau"],
    "de": ["ich werde die Schule in die Luft sprengen", "es gibt eine Bombe im Büro"],
    "pt": ["vou explodir a escola", "tem uma bomba no escritório"],
    "it": ["faccio saltare in aria la scuola", "c'è una bomba in ufficio"],
    "ru": ["я взорву школу", "школа заминирована"],
    "ar": ["سأفجر المدرسة", "هناك قنبلة في المكتب"],
    "zh": ["我要炸掉你们的学校", "办公室里有炸弹"],
    "hi": ["मैं स्कूल को बम से उड़ा दूंगा", "दफ्तर में बम रख दिया है"],
    "id": ["saya akan meledakkan sekolah", "ada bom di kantor"],
}


class LanguageCoverageTests(UrgencyCaseTests):
    def test_it_has_a_rule_file_for_each_of_the_twelve_languages(self) -> None:
        shipped = {rule_file.language for rule_file in urgency.load_rules(urgency.DEFAULT_RULES_DIR).files}
        assert set(LANGUAGES) <= shipped

    def test_it_scores_a_spanish_suicide_threat_as_self_harm(self) -> None:
        text = "Hola. Un usuario escribió en su página de discusión: ya no aguanto más, quiero suicidarme esta noche."
        assessment = urgency.assess(text, language.detect(text))
        assert language.detect(text) == "es"
        assert (assessment.threat, assessment.threat_type) == (True, "self_harm")

    def test_it_scores_a_japanese_suicide_threat_as_self_harm(self) -> None:
        text = "ノートページで利用者が「もう限界です。今夜自殺します」と書いています。"
        assessment = urgency.assess(text, language.detect(text))
        assert language.detect(text) == "ja"
        assert (assessment.threat, assessment.threat_type) == (True, "self_harm")

    def test_it_scores_self_harm_in_every_language(self) -> None:
        self._check(SELF_HARM, "self_harm")

    def test_it_scores_threats_to_others_in_every_language(self) -> None:
        self._check(PHYSICAL_HARM, "physical_harm")

    def test_it_scores_threats_to_places_in_every_language(self) -> None:
        self._check(PUBLIC_HARM, "public_harm")

    def test_it_reads_a_threat_quoted_in_another_script_than_the_report(self) -> None:
        # An English report quoting a Russian threat: the Cyrillic brings in the Russian rules.
        assessment = urgency.assess("The user wrote on my talk page: я тебя убью. Please help.", "en")
        assert (assessment.threat, assessment.threat_type) == (True, "physical_harm")
        assert "ru.physical_harm.ubyu_tebya" in {fired.id for fired in assessment.rules}

    def test_it_reads_a_threat_quoted_in_another_latin_language(self) -> None:
        # Detected as English, but the quoted Spanish threat is found by the Spanish rules.
        text = "Hello, this user keeps harassing me and yesterday wrote on my talk page: te voy a matar."
        assessment = urgency.assess(text, language.detect(text))
        assert assessment.threat
        assert "es.physical_harm.te_voy_a_matar" in {fired.id for fired in assessment.rules}

    def _check(self, cases: dict[str, list[str]], threat_type: str) -> None:
        self.assert_every_language(cases)
        self.assert_threats(cases, threat_type)


class SelectionTests(SimpleTestCase):
    def test_a_language_without_a_rule_file_or_with_a_region_is_handled(self) -> None:
        ruleset = urgency.rules()
        latin = frozenset({"Latin"})
        assert ruleset.select("pt-BR", latin) is ruleset.select("pt", latin)
        # Arbitrary language strings from API clients do not each get a compiled selection.
        assert ruleset.select("xx-unknown", latin) is ruleset.select("", latin)
        assert urgency.assess("vou me matar", "pt-BR").threat
