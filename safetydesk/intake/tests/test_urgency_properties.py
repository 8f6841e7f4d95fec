# Confusable characters (long s, full-width letters, typographic apostrophes) are fed in on
# purpose, which RUF001 would flag one by one.
# ruff: noqa: RUF001
"""assess() takes outside input: it never raises, and its score stays in 0..1 (hypothesis).

Also: the speed-ups (case folding, the literal prefilter, candidate positions) never change
whether a rule matches.
"""

import unicodedata

from django.conf import settings
from django.test import SimpleTestCase
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from safetydesk.intake.urgency import DEFAULT_RULES_DIR, MATCHED_MAX_CHARS, assess, fold_case, load_rules, normalize
from safetydesk.intake.urgency import scripts_in as scripts_of

RULESET = load_rules(DEFAULT_RULES_DIR)
EXAMPLES = sorted({example for f in RULESET.files for r in f.rules for example in r.should_match})
LANGUAGE_CODES = ["", "en", "es", "ja", "zh", "ar", "hi", "ru", "xx", "EN", "pt-BR"]

# Text that looks like reports: rule examples, with arbitrary text, odd characters and case
# changes between and around them.
ODD = st.sampled_from(["\u200b", "\u00ad", "\u0130", "\u0131", "ſ", "ς", "’", "\u0640", "\u064e", "\u093c", "\n", "ｋ"])
FRAGMENT = st.one_of(st.sampled_from(EXAMPLES), st.text(max_size=30), ODD)
REPORT = st.lists(FRAGMENT, max_size=8).map(" ".join)
CASED = REPORT.flatmap(lambda text: st.sampled_from([text, text.upper(), text.title(), text.swapcase()]))


class AssessPropertyTests(SimpleTestCase):
    @hypothesis_settings(max_examples=400, deadline=None)
    @given(text=st.text(), code=st.sampled_from(LANGUAGE_CODES))
    def test_it_never_raises_on_arbitrary_text_and_the_score_stays_in_range(self, text: str, code: str) -> None:
        self._check(text, code)

    @hypothesis_settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(text=CASED, code=st.sampled_from(LANGUAGE_CODES))
    def test_it_holds_on_report_like_text_too(self, text: str, code: str) -> None:
        self._check(text, code)

    @hypothesis_settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(text=CASED)
    def test_the_prefilter_never_hides_a_match(self, text: str) -> None:
        normalized = normalize(text)
        folded = fold_case(normalized)
        assert len(folded) == len(normalized)  # offsets of matches stay valid
        selection = RULESET.select("", scripts_of(normalized, RULESET.scripts))
        present = selection.present(folded)
        for rule in (*selection.signals, *selection.dampeners):
            slow = any(alternative.pattern.search(folded) for alternative in rule.alternatives)
            assert bool(rule.spans(folded, present)) == slow, rule.id
            assert bool(rule.spans(folded)) == slow, rule.id

    def _check(self, text: str, code: str) -> None:
        assessment = assess(text, code)
        data = assessment.as_json()
        assert 0.0 <= data["score"] <= 1.0
        assert data["threat"] == (data["score"] >= settings.INTAKE_THREAT_THRESHOLD)
        assert (data["threat_type"] != "") == data["threat"]
        shown = " ".join(unicodedata.normalize("NFC", text).split())
        for fired in data["rules"]:
            assert 0 < len(fired["matched"]) <= MATCHED_MAX_CHARS
            if not fired["matched"].endswith("…"):
                assert fired["matched"] in shown
