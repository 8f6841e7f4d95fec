"""A malformed rule file stops loading with a message naming the file and the rule.

Rule files are edited by the team, not by engineers: the message has to say where to look.
"""

import tempfile
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import SimpleTestCase, override_settings

from safetydesk.intake.urgency import assess, load_rules

GOOD_RULE = """
[[rule]]
id = "{lang}.physical_harm.kill_you"
category = "physical_harm"
weight = 0.9
pattern = '''\\bkill\\s+you\\b'''
should_match = ["kill you"]
"""


def _file(language: str = "en", scripts: str = '["Latin"]', rule: str = GOOD_RULE) -> str:
    return f'language = "{language}"\nscripts = {scripts}\n' + rule.format(lang=language)


def _rule(**fields: str) -> str:
    values = {
        "id": '"en.physical_harm.broken"',
        "category": '"physical_harm"',
        "weight": "0.5",
        "pattern": "'''\\bhurt\\s+you\\b'''",
        "should_match": '["hurt you"]',
    }
    values.update(fields)
    return "[[rule]]\n" + "".join(f"{key} = {value}\n" for key, value in values.items() if value != "")


class MalformedRuleFileTests(SimpleTestCase):
    def test_it_names_the_file_and_rule_for_each_kind_of_mistake(self) -> None:
        cases = {
            "a pattern that is not a regex": (_rule(pattern="'''\\bhurt(\\s+you'''"), "not a valid regular expression"),
            "an unknown category": (_rule(category='"harassment"'), "category 'harassment' is not one of"),
            "a weight above 1": (_rule(weight="1.5"), "weight must be above 0 and at most 1"),
            "a positive dampener": (_rule(category='"dampener"', weight="0.5"), "dampener's weight"),
            "a weight that is text": (_rule(weight='"high"'), "weight must be a number"),
            "no examples": (_rule(should_match=""), "should_match must be a list"),
            "an empty example list": (_rule(should_match="[]"), "needs at least one example"),
            "a space in the pattern": (_rule(pattern="'''hurt you'''"), "pattern has a space"),
            "a pattern that matches everything": (_rule(pattern="'''(?:hurt)?'''"), "matches the empty string"),
            "a misspelt key": (_rule(shoud_match='["x"]'), "unknown keys ['shoud_match']"),
            "an id for another language": (_rule(id='"es.physical_harm.broken"'), "the id must look like"),
        }
        for name, (rule, message) in cases.items():
            with self.subTest(name), tempfile.TemporaryDirectory() as directory:
                path = Path(directory, "en.toml")
                path.write_text(_file(rule=GOOD_RULE + rule))
                with pytest.raises(ImproperlyConfigured) as raised:
                    load_rules(Path(directory))
                text = str(raised.value)
                assert str(path) in text
                assert "rule 'en.physical_harm.broken'" in text or "rule 'es.physical_harm.broken'" in text
                assert message in text

    def test_it_refuses_word_boundaries_in_a_file_for_a_script_without_spaces(self) -> None:
        rule = GOOD_RULE.replace("\\bkill\\s+you\\b", "\\b殺す")
        assert "殺す" in rule
        with tempfile.TemporaryDirectory() as directory:
            Path(directory, "ja.toml").write_text(_file("ja", '["Han", "Hiragana"]', rule))
            with self.assertRaisesMessage(ImproperlyConfigured, "rule 'ja.physical_harm.kill_you': \\b in a file"):
                load_rules(Path(directory))

    def test_it_refuses_one_id_in_two_files(self) -> None:
        duplicate = GOOD_RULE.replace("{lang}.physical_harm.kill_you", "en.physical_harm.kill_you")
        with tempfile.TemporaryDirectory() as directory:
            Path(directory, "en.toml").write_text(_file("en"))
            Path(directory, "es.toml").write_text('language = "es"\nscripts = ["Latin"]\n' + duplicate)
            with pytest.raises(ImproperlyConfigured) as raised:
                load_rules(Path(directory))
        assert "es.toml: rule 'en.physical_harm.kill_you'" in str(raised.value)

    def test_it_names_the_file_of_a_toml_syntax_error(self) -> None:
        with tempfile.TemporaryDirectory() as directory:
            Path(directory, "en.toml").write_text(_file() + "\n[[rule]\nid = ")
            with self.assertRaisesMessage(ImproperlyConfigured, "en.toml: not a valid UTF-8 TOML file"):
                load_rules(Path(directory))

    def test_it_names_a_rule_without_an_id_by_its_position(self) -> None:
        with tempfile.TemporaryDirectory() as directory:
            Path(directory, "en.toml").write_text(_file(rule=GOOD_RULE + _rule(id="")))
            with self.assertRaisesMessage(ImproperlyConfigured, "en.toml: rule #2 has no id"):
                load_rules(Path(directory))

    def test_it_refuses_a_file_named_for_another_language(self) -> None:
        with tempfile.TemporaryDirectory() as directory:
            Path(directory, "en.toml").write_text(_file("de").replace("de.physical_harm", "en.physical_harm"))
            with self.assertRaisesMessage(ImproperlyConfigured, "language = 'de', but the file is named for 'en'"):
                load_rules(Path(directory))

    def test_assess_raises_it_too_so_the_item_is_quarantined_with_the_message(self) -> None:
        with tempfile.TemporaryDirectory() as directory:
            Path(directory, "en.toml").write_text(_file(rule=GOOD_RULE + _rule(weight="2")))
            with override_settings(INTAKE_RULES_DIR=directory), pytest.raises(ImproperlyConfigured) as raised:
                assess("I will hurt you", "en")
        assert "rule 'en.physical_harm.broken': weight must be above 0" in str(raised.value)

    def test_a_well_formed_directory_loads(self) -> None:
        with tempfile.TemporaryDirectory() as directory:
            Path(directory, "en.toml").write_text(_file())
            loaded = load_rules(Path(directory))
        assert [rule.id for rule in loaded.files[0].rules] == ["en.physical_harm.kill_you"]
