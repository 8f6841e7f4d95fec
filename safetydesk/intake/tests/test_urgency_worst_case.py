"""assess() on the worst input found, and the dampener index that made it fast.

The worst case: a body at the INTAKE_MAX_BODY_CHARS cap made of rule examples over and over, so
that thousands of threat matches meet thousands of dampener spans. Comparing each match with each
dampener span took 2 to 3 s in Japanese or Chinese; the dampener spans are now indexed
(urgency._Damping). Its cost is measured by benchmarks/urgency.py, not here (no timed tests); here
the index must give exactly what comparing everything gave, and the worst case must still score.
"""

import random

from django.conf import settings
from django.test import SimpleTestCase

from safetydesk.intake.urgency import (
    DAMPENER,
    DEFAULT_RULES_DIR,
    Rule,
    RuleFile,
    _best_occurrence,
    _Damping,
    assess,
    load_rules,
)

RULESET = load_rules(DEFAULT_RULES_DIR)


def examples(files: tuple[RuleFile, ...]) -> list[str]:
    found = [example for f in files for rule in f.rules for example in (*rule.should_match, *rule.should_not_match)]
    return found + [example for f in files for texts in f.examples.values() for example in texts]


def adversarial(files: tuple[RuleFile, ...]) -> str:
    """The rules' own examples repeated up to the body cap (benchmarks/urgency.py times it)."""
    once = " ".join(examples(files))
    size = settings.INTAKE_MAX_BODY_CHARS
    return ((once + " ") * (size // len(once) + 1))[:size]


class WorstCaseTests(SimpleTestCase):
    def test_it_still_scores_the_worst_case_as_a_threat(self) -> None:
        # Thousands of occurrences and dampener spans: the strongest occurrence still counts.
        assessment = assess(adversarial(RULESET.files), "")
        assert assessment.threat
        assert assessment.score == 1.0


def _naive_best_occurrence(
    rule: Rule, spans: list[tuple[int, int]], damping: list[tuple[Rule, tuple[int, int]]]
) -> tuple[tuple[int, int], float, list[tuple[Rule, tuple[int, int], float]]]:
    """Every occurrence against every dampener span, as assess() did before the index."""
    best: tuple[tuple[int, int], float, list[tuple[Rule, tuple[int, int], float]]] | None = None
    for start, end in spans:
        remaining, reductions, counted = rule.weight, [], set()
        for dampener, (d_start, d_end) in damping:
            if d_start < end and start < d_end and dampener.id not in counted and remaining > 0:
                amount = min(remaining, -dampener.weight)
                remaining -= amount
                reductions.append((dampener, (d_start, d_end), amount))
                counted.add(dampener.id)
        if best is None or remaining > best[1]:
            best = ((start, end), remaining, reductions)
    assert best is not None
    return best


class DampenerIndexTests(SimpleTestCase):
    def test_the_indexed_dampeners_take_the_same_share_from_the_same_occurrence_as_comparing_all(self) -> None:
        rng = random.Random(20261121)
        rules = [r for f in RULESET.files for r in f.rules]
        threats = [r for r in rules if r.category != DAMPENER]
        dampeners = [r for r in rules if r.category == DAMPENER]
        for _ in range(2000):

            def spans(count: int, longest: int) -> list[tuple[int, int]]:
                starts = sorted(rng.randrange(200) for _ in range(count))
                return [(start, start + rng.randint(1, longest)) for start in starts]

            rule = rng.choice(threats)
            occurrences = spans(rng.randint(1, 6), 30)
            damping = [
                (d, span) for d in rng.sample(dampeners, rng.randint(0, 4)) for span in spans(rng.randint(1, 4), 60)
            ]
            assert _best_occurrence(rule, occurrences, _Damping(damping)) == _naive_best_occurrence(
                rule, occurrences, damping
            )
