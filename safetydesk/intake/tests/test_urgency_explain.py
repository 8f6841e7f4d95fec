# Full-width letters and typographic apostrophes are the point of some tests here (they
# must still match), which RUF001 would flag one by one.
# ruff: noqa: RUF001
"""The assessment explains itself: which rule fired, in which language, on which words.

Its JSON is a contract the console displays (stored in IntakeItem.classification["urgency"]).
"""

import shutil
import tempfile
from pathlib import Path

from django.test import SimpleTestCase, override_settings

from safetydesk.intake.urgency import CATEGORIES, DEFAULT_RULES_DIR, MATCHED_MAX_CHARS, assess, load_rules, rules

TOP_KEYS = {"threat", "threat_type", "child_safety", "score", "rules", "rules_version"}
RULE_KEYS = {"id", "language", "category", "matched", "weight"}


class AssessmentJsonTests(SimpleTestCase):
    def test_it_has_exactly_the_contract_shape(self) -> None:
        data = assess("I know where you live and I'm coming. Kill the process first, though.", "en").as_json()
        assert set(data) == TOP_KEYS
        assert data["threat"] is True
        assert data["threat_type"] == "physical_harm"
        assert data["child_safety"] is False
        assert isinstance(data["score"], float)
        assert 0.0 <= data["score"] <= 1.0
        assert isinstance(data["rules_version"], str)
        assert data["rules_version"]
        assert data["rules"]
        for fired in data["rules"]:
            assert set(fired) == RULE_KEYS
            assert fired["category"] in CATEGORIES
            assert isinstance(fired["weight"], float)
            assert isinstance(fired["matched"], str)
            assert 0 < len(fired["matched"]) <= MATCHED_MAX_CHARS

    def test_it_says_which_words_matched_as_they_were_written(self) -> None:
        text = "Subject: help\nThe user wrote: I KNOW WHERE YOU LIVE, and then: i’m coming for you."
        data = assess(text, "en").as_json()
        matched = {fired["id"]: fired["matched"] for fired in data["rules"]}
        assert matched["en.physical_harm.know_where_you_live"] == "I KNOW WHERE YOU LIVE"
        assert matched["en.physical_harm.coming_for_you"] == "i’m coming for you"
        assert all(fired["language"] == "en" for fired in data["rules"])

    def test_it_maps_matched_words_back_through_normalisation(self) -> None:
        # Full-width letters and a zero-width space (used to slip past filters) still match,
        # and the console is shown the words as the reporter wrote them.
        text = "he wrote: I will ｋｉｌｌ y\u200bou"
        assessment = assess(text, "en")
        kill_you = next(f for f in assessment.rules if f.id == "en.physical_harm.kill_you")
        assert assessment.threat
        assert kill_you.matched == "ｋｉｌｌ y\u200bou"

    def test_it_reports_what_each_rule_contributed_and_what_dampeners_took(self) -> None:
        data = assess("I'll shoot you an email", "en").as_json()
        weights = {fired["id"]: fired["weight"] for fired in data["rules"]}
        assert weights["en.physical_harm.kill_you"] == 0.0
        assert weights["en.dampener.shoot_message"] < 0
        assert data["score"] == 0.0
        assert data["threat_type"] == ""

    def test_the_score_is_the_sum_of_the_threat_rules_listed(self) -> None:
        data = assess("I know where you live. I'm coming.", "en").as_json()
        threat_weights = [f["weight"] for f in data["rules"] if f["category"] not in {"dampener", "child_safety"}]
        assert data["score"] == round(min(1.0, sum(threat_weights)), 4) == 0.9

    def test_it_lists_nothing_for_a_report_without_signals(self) -> None:
        data = assess("The infobox on the article about the river has the wrong length.", "en").as_json()
        assert data == {
            "threat": False, "threat_type": "", "child_safety": False, "score": 0.0, "rules": [],
            "rules_version": rules().version,
        }


class MatchedWordsLengthTests(SimpleTestCase):
    def test_it_cuts_long_matches_to_the_contract_length(self) -> None:
        with tempfile.TemporaryDirectory() as directory:
            Path(directory, "en.toml").write_text(
                'language = "en"\nscripts = ["Latin"]\n[[rule]]\nid = "en.physical_harm.long"\n'
                'category = "physical_harm"\nweight = 0.9\n'
                "pattern = '''\\bkill(?:\\s+\\w+){0,60}'''\nshould_match = [\"kill\"]\n"
            )
            with override_settings(INTAKE_RULES_DIR=directory):
                assessment = assess("kill " + "them all again and again " * 20, "en")
        assert len(assessment.rules[0].matched) == MATCHED_MAX_CHARS
        assert assessment.rules[0].matched.endswith("…")


class RulesVersionTests(SimpleTestCase):
    def test_it_is_stable_for_the_same_files(self) -> None:
        first = assess("I will kill you", "en").rules_version
        assert first == assess("nothing here", "de").rules_version == load_rules(DEFAULT_RULES_DIR).version
        assert len(first) == 12

    def test_it_changes_when_a_rule_file_changes(self) -> None:
        with tempfile.TemporaryDirectory() as directory:
            copy = Path(directory, "rules")
            shutil.copytree(DEFAULT_RULES_DIR, copy)
            assert load_rules(copy).version == rules().version
            en = copy / "en.toml"
            en.write_text(en.read_text().replace("weight = 0.9", "weight = 0.85", 1))
            assert load_rules(copy).version != rules().version
