"""Every rule file checks its own examples: the team edits a rule, these tests run it again.

Parametrised by file and rule, so a failure names both: each rule against its should_match and
should_not_match lists, and each file's whole-report [examples] through assess().
"""

import pytest

from safetydesk.intake.urgency import (
    CHILD_SAFETY,
    DEFAULT_RULES_DIR,
    NO_THREAT,
    Rule,
    RuleFile,
    assess,
    fold_case,
    load_rules,
    normalize,
    scripts_in,
)

RULESET = load_rules(DEFAULT_RULES_DIR)
RULES = [pytest.param(f, r, id=f"{f.path.name}:{r.id}") for f in RULESET.files for r in f.rules]
FILE_EXAMPLES = [
    pytest.param(f, key, text, id=f"{f.path.name}:{key}:{index}")
    for f in RULESET.files
    for key, texts in f.examples.items()
    for index, text in enumerate(texts)
]


@pytest.mark.parametrize(("rule_file", "rule"), RULES)
class TestEachRule:
    def test_it_matches_its_should_match_examples(self, rule_file: RuleFile, rule: Rule) -> None:
        missed = [example for example in rule.should_match if rule.search(example) is None]
        assert not missed, f"{rule_file.path}: rule {rule.id!r} does not match {missed}"

    def test_it_does_not_match_its_should_not_match_examples(self, rule_file: RuleFile, rule: Rule) -> None:
        wrong = {example: rule.search(example) for example in rule.should_not_match if rule.search(example)}
        assert not wrong, f"{rule_file.path}: rule {rule.id!r} matches {wrong}"

    def test_its_prefilter_lets_each_example_through(self, rule_file: RuleFile, rule: Rule) -> None:
        # assess() only runs a rule when the one-pass literal finder saw one of its words.
        for example in rule.should_match:
            normalized = normalize(example)
            folded = fold_case(normalized)
            selection = RULESET.select(rule_file.language, scripts_in(normalized, RULESET.scripts))
            assert rule in selection.signals + selection.dampeners
            assert rule.spans(folded, selection.present(folded)), f"{rule.id}: prefilter hides {example!r}"


@pytest.mark.parametrize(("rule_file", "expected", "text"), FILE_EXAMPLES)
def test_it_scores_each_whole_report_example_as_its_file_says(rule_file: RuleFile, expected: str, text: str) -> None:
    assessment = assess(text, rule_file.language)
    explained = [(r.id, r.matched, r.weight) for r in assessment.rules]
    if expected == NO_THREAT:
        assert not assessment.threat, f"{rule_file.path.name}: {text!r} scored {assessment.score}: {explained}"
    elif expected == CHILD_SAFETY:
        assert assessment.child_safety, f"{rule_file.path.name}: {text!r} not child safety: {explained}"
    else:
        assert assessment.threat, f"{rule_file.path.name}: {text!r} scored {assessment.score}: {explained}"
        assert assessment.threat_type == expected, f"{text!r}: {assessment.threat_type}: {explained}"


def test_every_rule_has_an_example_and_every_file_has_whole_report_examples() -> None:
    assert RULES
    for rule_file in RULESET.files:
        assert rule_file.examples.get(NO_THREAT), f"{rule_file.path.name} has no no_threat examples"
        assert any(rule_file.examples.get(key) for key in ("self_harm", "physical_harm", "public_harm"))
