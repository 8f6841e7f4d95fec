"""What the urgency tests with example sentences per language share: the twelve languages, and
assertions that each sentence is (or is not) a threat, with a readable account when it is not.

    class RelayedThreatTests(UrgencyCaseTests):
        def test_it(self) -> None:
            self.assert_threats({"en": ["He threatened to kill me."], ...}, PHYSICAL_HARM)
"""

from collections.abc import Callable

from django.test import SimpleTestCase

from safetydesk.intake.urgency import Assessment, assess

LANGUAGES = ("en", "es", "ja", "fr", "de", "pt", "it", "ru", "ar", "zh", "hi", "id")

Cases = dict[str, list[str]]  # language code -> sentences in it


def explain(assessment: Assessment) -> str:
    """The score and each rule that fired, with what it matched and its weight."""
    return f"score {assessment.score}: " + "; ".join(f"{f.id} {f.matched!r} {f.weight}" for f in assessment.rules)


class UrgencyCaseTests(SimpleTestCase):
    def assert_every_language(self, *cases: Cases) -> None:
        for each in cases:
            assert set(each) == set(LANGUAGES)

    def assert_threats(self, cases: Cases, threat_type: str | None = None, *, unknown_language: bool = True) -> None:
        """Each sentence is a threat (of `threat_type`, if given)."""

        def check(assessment: Assessment) -> None:
            assert assessment.threat, explain(assessment)
            if threat_type is not None:
                assert assessment.threat_type == threat_type, explain(assessment)

        self._each(cases, check, unknown_language)

    def assert_not_threats(self, cases: Cases, *, unknown_language: bool = True) -> None:
        def check(assessment: Assessment) -> None:
            assert not assessment.threat, explain(assessment)

        self._each(cases, check, unknown_language)

    def _each(self, cases: Cases, check: Callable[[Assessment], None], unknown_language: bool) -> None:
        """check() the assessment of each sentence, with its language given and, with
        `unknown_language`, without it (too short to detect, or mixed), each in a subTest."""
        for code, texts in cases.items():
            for text in texts:
                for given in (code, "") if unknown_language else (code,):
                    with self.subTest(language=code, text=text, given=given):
                        check(assess(text, given))
