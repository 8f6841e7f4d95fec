"""How rules add up: once per rule, clipped to 0..1, against the configurable threshold."""

from django.test import SimpleTestCase, override_settings

from safetydesk.intake.urgency import assess


class ScoringTests(SimpleTestCase):
    def test_a_rule_counts_once_however_often_it_matches(self) -> None:
        once = assess("I know where you live.", "en")
        thrice = assess("I know where you live. I know where you live. I know where you live.", "en")
        assert once.score == thrice.score == 0.5
        assert not thrice.threat

    def test_two_weaker_signals_together_make_a_threat(self) -> None:
        assert not assess("I know where you live.", "en").threat
        assert not assess("I'm coming for you.", "en").threat
        assessment = assess("I know where you live. I'm coming for you.", "en")
        assert (assessment.threat, assessment.score, assessment.threat_type) == (True, 0.9, "physical_harm")

    def test_the_score_is_clipped_to_one(self) -> None:
        assessment = assess("I will kill you. I'm going to kill myself. There's a bomb in the school.", "en")
        assert assessment.score == 1.0
        assert sum(f.weight for f in assessment.rules) > 1.0

    def test_violent_vocabulary_alone_is_not_a_threat(self) -> None:
        # A report about an article on a violent event is full of violent words, matched here
        # by the vocabulary of English and also of Spanish, Portuguese and Italian (which share
        # words like "massacre"); vocabulary only supports another signal.
        texts = {
            "en": "The article on the 2019 shooting says the killer used a rifle and a bomb. The massacre was "
            "called a terrorist attack; the suicide of the gunman is disputed.",
            "es": "El artículo sobre el atentado dice que el asesino usó una pistola y una bomba; la masacre "
            "terminó con el suicidio del autor. Hay que matar el rumor con fuentes.",
        }
        for code, text in texts.items():
            with self.subTest(language=code):
                assessment = assess(text, code)
                vocabulary = [f for f in assessment.rules if f.id.endswith(".vocabulary")]
                assert len(vocabulary) >= 3
                assert (assessment.threat, assessment.score) == (False, 0.0)
                assert all(f.weight == 0.0 for f in vocabulary)

    def test_vocabulary_adds_at_most_one_weight_to_another_signal(self) -> None:
        assessment = assess("I know where you live. Guns, bombs, suicide.", "en")
        counted = [f for f in assessment.rules if f.id.endswith(".vocabulary") and f.weight > 0]
        assert len(counted) == 1
        assert (assessment.threat, assessment.score) == (True, 0.7)

    def test_the_threat_type_is_the_category_of_the_strongest_rule(self) -> None:
        # Also a first-person threat with a weapon (physical harm, 0.7 + 0.2), but the school
        # makes it public harm (0.8).
        assessment = assess("I'm going to shoot up my school on Monday", "en")
        assert assessment.threat_type == "public_harm"

    @override_settings(INTAKE_THREAT_THRESHOLD=0.95)
    def test_the_threshold_comes_from_settings(self) -> None:
        assessment = assess("I know where you live. I'm coming for you.", "en")
        assert assessment.score == 0.9
        assert not assessment.threat
        assert assessment.threat_type == ""
        assert assess("I will kill you", "en").threat
