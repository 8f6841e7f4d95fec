# Russian and Japanese texts below, which RUF001 would flag letter by letter.
# ruff: noqa: RUF001
"""Known false alarms are not threats, but a real threat next to one still is (issue 3, part 6).

Dampeners soften only the words they overlap, never the whole report.
"""

from safetydesk.intake.tests.urgency_cases import UrgencyCaseTests, explain
from safetydesk.intake.urgency import DAMPENER, assess

FALSE_ALARMS = {
    "en": [
        "This edit kills the article's neutrality.",
        "Can you kill the process that is hogging the server?",
        "I'm dying to see the new main page.",
        "Dark mode is a killer feature.",
        "Shoot me an email when the draft is ready.",
        "The article bombed at the deletion review.",
        "Please execute the script again after the merge.",
        "Last night I killed everyone in Fortnite, headshots all round.",
        "I'm going to kill the process, then I'll execute the script and shoot you an email.",
    ],
    "es": [
        "Esta edición mata la neutralidad del artículo.",
        "¿Puedes matar el proceso y ejecutar el script otra vez?",
        "Me muero de ganas de ver la nueva portada.",
        "Me voy a matar de risa con esta discusión.",
        "Anoche maté a todos en Fortnite.",
    ],
    "de": [
        "Diese Bearbeitung tötet die Neutralität des Artikels.",
        "Kannst du den Prozess killen?",
        "Ich sterbe vor Neugier auf die neue Hauptseite.",
        "Die Nachricht schlug ein wie eine Bombe.",
        "Ich bringe sie um acht Uhr zur Schule.",
        "Gestern habe ich in Fortnite alle getötet.",
    ],
    "fr": [
        "Cette modification tue la neutralité de l'article.",
        "Peux-tu tuer le processus et exécuter le script ?",
        "Je meurs d'envie de voir la nouvelle page d'accueil.",
        "Je veux mourir de rire en lisant cette discussion.",
        "Hier soir j'ai tué tout le monde dans Fortnite.",
    ],
}

# Phrases where a strong threat rule does match and only the dampener keeps them from firing:
# if the dampener were removed, these would page the on-call responder.
DAMPENED = {
    "I'm going to kill the process.": "en.dampener.software",
    "I'll shoot you an email tomorrow.": "en.dampener.shoot_message",
    "I'm going to kill it at the edit-a-thon!": "en.dampener.abstract_object",
    "This is not the hill I want to die on.": "en.dampener.dying_to",
    "Me voy a matar de risa.": "es.dampener.morir_de",
    "Je veux mourir de rire.": "fr.dampener.mourir_de",
    "Voy a ejecutar el script.": "es.dampener.objeto",
}


class FalseAlarmTests(UrgencyCaseTests):
    def test_it_does_not_call_the_known_false_alarms_threats(self) -> None:
        self.assert_not_threats(FALSE_ALARMS, unknown_language=False)

    def test_it_softens_a_matching_threat_rule_rather_than_ignoring_the_text(self) -> None:
        for text, dampener_id in DAMPENED.items():
            with self.subTest(text=text):
                assessment = assess(text, "")
                softened = [f for f in assessment.rules if f.category != DAMPENER and f.weight < 0.6]
                dampeners = {f.id: f.weight for f in assessment.rules if f.category == DAMPENER}
                assert not assessment.threat, explain(assessment)
                assert softened, f"no threat rule matched at all: {explain(assessment)}"
                assert dampeners.get(dampener_id, 0) < 0, explain(assessment)

    def test_a_threat_next_to_a_false_alarm_still_fires(self) -> None:
        mixed = {
            "en": "I will kill you, this edit kills the article's neutrality",
            "es": "Te voy a matar. Además, esta edición mata la neutralidad del artículo.",
            "de": "Ich bringe dich um. Diese Bearbeitung tötet die Neutralität des Artikels.",
            "fr": "Je vais te tuer. Cette modification tue la neutralité de l'article.",
        }
        for code, text in mixed.items():
            with self.subTest(language=code):
                assessment = assess(text, code)
                assert (assessment.threat, assessment.threat_type) == (True, "physical_harm"), explain(assessment)

    def test_a_dampener_only_softens_the_words_it_overlaps(self) -> None:
        # The same rule fires twice; only the first occurrence is a false alarm.
        assessment = assess("I'm going to kill the process. Then I'm going to kill him.", "en")
        intent = next(f for f in assessment.rules if f.id == "en.physical_harm.first_person_intent")
        assert assessment.threat
        assert intent.weight == 0.7
        assert intent.matched == "I'm going to kill"
        assert "en.dampener.software" not in {f.id for f in assessment.rules}

    def test_game_talk_softens_but_does_not_erase_a_threat_to_you(self) -> None:
        # -0.6 for game talk: "I'll kill you in Minecraft" is left below the threshold, but a
        # second signal in the same report still makes it a threat.
        assert not assess("I'll kill you in Minecraft tonight", "en").threat
        assert assess("I'll kill you in Minecraft tonight. I know where you live.", "en").threat


class WordsOfAThreatInAnotherPersonOrTenseTests(UrgencyCaseTests):
    """Rules that used to fire on the words alone: suicide in an article, a war, a film."""

    FALSE_ALARMS = {
        "de": ["Der Dichter hat 1890 Selbstmord begangen.", "Der Artikel erklärt, warum Menschen Selbstmord begehen."],
        "ru": [
            "Он пытался покончить с собой в 1920 году.",
            "Она пыталась убить себя, пишет биограф.",
            "В 1941 году мост был заминирован.",
            "Здание вокзала было заминировано в 1943 году.",
            "В 1943 году немцы заминировали здание вокзала.",
        ],
        "ja": ["映画で主人公がビルを爆破するシーン", "映画で主人公がビルを爆破するシーンに出典が必要です。"],
    }
    THREATS = {
        "de": ["Ich will heute Nacht Selbstmord begehen.", "Er will Selbstmord begehen."],
        "ru": ["Я хочу покончить с собой.", "Я убью себя.", "Школа заминирована.", "Здание суда заминировано."],
        "ja": ["明日、学校を爆破します。", "映画館を爆破する。", "映画みたいに学校を爆破してやる。"],
    }

    def test_they_are_not_threats(self) -> None:
        self.assert_not_threats(self.FALSE_ALARMS, unknown_language=False)

    def test_the_threats_those_rules_exist_for_still_are(self) -> None:
        self.assert_threats(self.THREATS, unknown_language=False)
