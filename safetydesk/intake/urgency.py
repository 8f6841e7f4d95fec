"""Urgency rules: is this report a threat of harm (DOMAIN §5.1) or a child-safety report (§6)?

Every item from every channel passes through `assess()`. The rules are data: one TOML file per
language under settings.INTAKE_RULES_DIR (see rules/README.md for the format), so the team can
tune them without a deploy of code, and each rule carries its own examples, which the tests run.

How a text is scored:
- The rule files used are those of the item's language, English (reporters mix languages and
  quote each other), and every language whose script appears in the text.
- Each self_harm / physical_harm / public_harm rule that matches counts once, with its weight,
  however often it matches. Rules marked `supporting` (violent vocabulary) count only when
  another threat rule matched, and all of them together add no more than the strongest one.
- A dampener (a false-alarm phrase: "kill the process", "shoot me an email") takes its weight
  away only from the matches it overlaps, so "I will kill you, this edit kills the neutrality"
  is still a threat.
- score = the sum of what the threat rules contributed, clipped to 0..1. It is a threat when the
  score reaches settings.INTAKE_THREAT_THRESHOLD; threat_type is the category of the strongest
  rule that fired (so "I'm going to shoot up my school" is public harm, although the words also
  make a first-person threat with a weapon), ties broken by the category's total.
- child_safety rules (clinical indicators such as "child sexual abuse material") are never
  dampened and do not add to the score: they route the item to the restricted child-protection
  queue when their weights reach the same threshold.

Rule files are read and compiled once per process, at the first assess() (restart to pick up
edits). Measured on the development machine (2 cores, 217 rules in 12 files):
- loading takes about 200 ms, mostly compiling the regexes, and adds under 1 MB of RSS;
- assess() on a 2,000-character report takes a median of 0.33 ms in English or Spanish, 0.25 ms
  in Japanese and 0.19 ms in Russian, with p99 under 0.65 ms;
- a 2 KB English report with a threat and a dampened false alarm takes 0.54 ms;
- a 200,000-character body (the INTAKE_MAX_BODY_CHARS cap) takes 24 ms.
Since then (259 rules; a rule whose alternatives' words are all missing is skipped in one set
operation): the reports of benchmarks/intake.py take 0.10 ms of CPU each on average (0.16 ms
with 234 rules before). assess() runs in the request of POST /api/v1/reports, so the worst case
matters too: a 200,000-character text made of every rule's examples over and over (thousands of
matches and of dampener spans) takes 0.1 to 0.2 s in one language and 0.75 s with all twelve
files at once, the regexes scanning the text; comparing every match with every dampener span
took 1.5 to 2 s in Japanese or Chinese alone (test_urgency_worst_case.py).
"""

import bisect
import hashlib
import re
import re._casefix as _casefix
import re._constants as _sre
import re._parser as _sre_parse
import tomllib
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DEFAULT_RULES_DIR = Path(__file__).with_name("rules")

SELF_HARM = "self_harm"
PHYSICAL_HARM = "physical_harm"
PUBLIC_HARM = "public_harm"
CHILD_SAFETY = "child_safety"
DAMPENER = "dampener"
# Also the tie-break order for threat_type when two categories contributed the same.
THREAT_CATEGORIES = (PHYSICAL_HARM, PUBLIC_HARM, SELF_HARM)
CATEGORIES = (*THREAT_CATEGORIES, CHILD_SAFETY, DAMPENER)
NO_THREAT = "no_threat"  # the key of a file's whole-report examples that must not be threats

MATCHED_MAX_CHARS = 120

# Character ranges by script: which rule files a text needs, and which files may not use \b.
SCRIPTS: Mapping[str, re.Pattern[str]] = {
    name: re.compile(f"[{ranges}]")
    for name, ranges in {
        "Latin": "A-Za-z\u00c0-\u024f\u1e00-\u1eff",
        "Cyrillic": "\u0400-\u052f",
        "Greek": "\u0370-\u03ff\u1f00-\u1fff",
        "Arabic": "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff",
        "Hebrew": "\u0590-\u05ff",
        "Devanagari": "\u0900-\u097f",
        "Bengali": "\u0980-\u09ff",
        "Thai": "\u0e00-\u0e7f",
        "Han": "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff",
        "Hiragana": "\u3040-\u309f",
        "Katakana": "\u30a0-\u30ff\u31f0-\u31ff",
        "Hangul": "\u1100-\u11ff\u3130-\u318f\uac00-\ud7af",
    }.items()
}
# Scripts written without spaces between words (Han, kana, Thai), or whose vowel signs Python's
# `re` does not count as word characters (Devanagari, Bengali): \b would fall inside words.
NO_WORD_BOUNDARY_SCRIPTS = frozenset({"Han", "Hiragana", "Katakana", "Thai", "Devanagari", "Bengali"})

# --- normalisation: the same for texts, patterns and examples ---------------------------------

# One character for one, so offsets stay put: typographic apostrophes and spaces.
_FOLD = {"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u00b4": "'", "`": "'", "\u00a0": " "}
_FOLD_RE = re.compile(f"[{''.join(_FOLD)}]")
# Characters that are dropped: zero-width characters and soft hyphens (also used to split a word
# so that filters miss it), Arabic harakat and tatweel, the Devanagari nukta (often left out).
_DROP = "\u00ad\u200b\u200c\u200d\u2060\ufeff\u0640\u064b-\u065f\u0670\u093c"
_DROP_RE = re.compile(f"[{_DROP}]")


def normalize(text: str) -> str:
    """NFKC (full-width letters, half-width kana, ligatures), folded apostrophes, drop-characters
    removed. Rule patterns and examples go through this as well as report texts."""
    return _fold(_DROP_RE.sub("", unicodedata.normalize("NFKC", text)))


def _fold(text: str) -> str:
    # str.translate() walks a dict per character, 150 µs for 2 KB of Japanese; this is 2 µs.
    return _FOLD_RE.sub(lambda found: _FOLD[found.group(0)], text) if _FOLD_RE.search(text) else text


@cache
def _normalize_char(char: str) -> str:
    return normalize(char)


def _normalize_with_offsets(text: str) -> tuple[str, list[int] | None, str]:
    """(normalised text, offsets into `shown` for each of its characters or None when they are
    the same, `shown`): the matched words reported are cut from `shown`, not the normalised text."""
    if unicodedata.is_normalized("NFKC", text) and not _DROP_RE.search(text):
        return _fold(text), None, text
    shown = unicodedata.normalize("NFC", text)
    parts: list[str] = []
    origin: list[int] = []
    # Character by character, but a run of characters that NFKC and the drop list leave alone (a
    # normalised run has no character that normalises to something else on its own) is taken
    # whole: a 200,000-character body with a full-width comma here and there took 180 ms.
    for base in range(0, len(shown), _RUN):
        run = shown[base : base + _RUN]
        if unicodedata.is_normalized("NFKC", run) and not _DROP_RE.search(run):
            parts.append(_fold(run))
            origin.extend(range(base, base + len(run)))
            continue
        for index, char in enumerate(run, base):
            normalized = _normalize_char(char)
            if normalized:
                parts.append(normalized)
                origin.extend([index] * len(normalized))
    return "".join(parts), origin, shown


_RUN = 16


def scripts_in(text: str, among: Iterable[str] = SCRIPTS) -> frozenset[str]:
    return frozenset(name for name in among if SCRIPTS[name].search(text))


# --- speed: a 2 KB report against 150 rules in well under a millisecond -----------------------
#
# Python's `re` tries a pattern at every position of a text, and with re.IGNORECASE or a leading
# \b it cannot jump ahead to the pattern's first literal: 2 KB against 150 rules took 10+ ms.
# So (1) texts and patterns are case-folded up front and matched without IGNORECASE; (2) each
# rule knows words without which it cannot match ("myself" in "\b(?:kill|hang)\s+myself\b"),
# read once from the parsed pattern, and its regex runs only when one of them is in the text (a
# substring test, about a microsecond); (3) candidate positions are found by the pattern without
# its leading \b, then confirmed with the full pattern. If anything about a pattern is unclear
# (or the private parser changes), the rule just has no prefilter: slower, never wrong.

# Case-fold as `re.IGNORECASE` does: per-character simple lower case, plus the characters `re`
# treats as equal although their lower cases differ (dotless i U+0131 and i, final and medial
# sigma, long s U+017F and s, ...).
_CASE_CLASS = {
    chr(code): chr(min((code, *others)))
    for code, others in _casefix._EXTRA_CASES.items()
    if min((code, *others)) != code
}
_CASE_CLASS_RE = re.compile(f"[{''.join(_CASE_CLASS)}]")


def fold_case(text: str) -> str:
    """Lower case as `re.IGNORECASE` sees it, one character for one (offsets stay valid)."""
    # U+0130 (İ) is the one character whose str.lower() is two characters; `re` lowers it to i.
    text = text.replace("\u0130", "i")
    folded = text.lower()
    if len(folded) != len(text):  # a character lower-cased to two that we did not foresee
        folded = "".join(char.lower() if len(char.lower()) == 1 else char for char in text)
    if _CASE_CLASS_RE.search(folded):
        folded = _CASE_CLASS_RE.sub(lambda found: _CASE_CLASS[found.group(0)], folded)
    return folded


_ESCAPE_OR_TEXT = re.compile(r"\\.|[^\\]+", re.DOTALL)


def fold_pattern(source: str) -> str:
    """`source` for matching a fold_case()d text without re.IGNORECASE: its letters folded, the
    character after each backslash kept (\\S, \\W, \\B keep their meaning). Without IGNORECASE
    `re` can jump to the pattern's first literal, and a 2 KB report takes microseconds per rule."""
    return "".join(part if part.startswith("\\") else fold_case(part) for part in _ESCAPE_OR_TEXT.findall(source))


def required_literals(source: str) -> frozenset[str] | None:
    """Strings of which every match of `source` contains at least one (case-folded), or None."""
    try:
        parsed = _sre_parse.parse(source, re.IGNORECASE)
        found = _sequence_literals(list(parsed))
    except Exception:  # a private module: any surprise means "no prefilter", never a crash
        return None
    return frozenset(fold_case(literal) for literal in found) if found else None


def _sequence_literals(items: list[tuple[Any, Any]]) -> frozenset[str] | None:
    candidates: list[frozenset[str]] = []
    run = ""
    for op, arg in items:
        if op is _sre.LITERAL:
            run += chr(arg)
            continue
        if run:
            candidates.append(frozenset({run}))
            run = ""
        found: frozenset[str] | None = None
        if op is _sre.SUBPATTERN:
            found = _sequence_literals(list(arg[-1]))
        elif op is _sre.ATOMIC_GROUP:
            found = _sequence_literals(list(arg))
        elif op is _sre.BRANCH:
            alternatives = [_sequence_literals(list(alternative)) for alternative in arg[1]]
            if all(alternatives):
                found = frozenset().union(*(a for a in alternatives if a))
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT) and arg[0] >= 1:
            found = _sequence_literals(list(arg[2]))
        if found:
            candidates.append(found)
    if run:
        candidates.append(frozenset({run}))
    if not candidates:
        return None
    # The most selective: the longest shortest string, then the fewest strings.
    return max(candidates, key=lambda c: (min(len(s) for s in c), -len(c)))


# --- rules --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Alternative:
    """One regular expression of a rule's pattern list (case-folded), ready to run fast."""

    pattern: re.Pattern[str]
    # From required_literals(): the regex runs only on texts containing one of these.
    literals: frozenset[str] | None
    # `pattern` without its leading \\b, to find candidate positions (`re` cannot skip ahead
    # to a literal when a pattern starts with an assertion); None when there is no leading \\b.
    candidates: re.Pattern[str] | None

    @classmethod
    def compile(cls, source: str) -> "Alternative":
        unbounded = source.removeprefix(r"\b")
        return cls(
            pattern=re.compile(source),
            literals=required_literals(source),
            candidates=re.compile(unbounded) if unbounded != source else None,
        )

    def spans(self, folded: str, present: frozenset[str] | None) -> list[tuple[int, int]]:
        """The spans pattern.finditer(folded) gives (non-empty ones), found faster.

        `present`: which of the selection's literals the text contains (Selection.present); if
        None they are looked for one by one. A match of `pattern` at a position is a match of
        `candidates` there too, so trying `pattern` at each candidate position, left to right,
        finds the same matches."""
        if self.literals is not None:
            if present is not None and self.literals.isdisjoint(present):
                return []
            if present is None and not any(literal in folded for literal in self.literals):
                return []
        if self.candidates is None:
            return [found.span() for found in self.pattern.finditer(folded) if found.end() > found.start()]
        spans: list[tuple[int, int]] = []
        position = 0
        while (candidate := self.candidates.search(folded, position)) is not None:
            found = self.pattern.match(folded, candidate.start())
            if found is not None and found.end() > found.start():
                spans.append(found.span())
                position = found.end()
            else:
                position = candidate.start() + 1
        return spans


@dataclass(frozen=True)
class Rule:
    id: str
    language: str
    category: str
    weight: float
    alternatives: tuple[Alternative, ...]
    should_match: tuple[str, ...]
    should_not_match: tuple[str, ...]
    # Only adds to a report another threat rule flagged (see assess()): violent vocabulary.
    supporting: bool = False
    # Every alternative's required literals together, or None if one of them has none: a report
    # that has none of them skips the rule in one set operation rather than one per alternative
    # (most rules have several, and most reports match none of them).
    literals: frozenset[str] | None = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        every = [alternative.literals for alternative in self.alternatives]
        known = [found for found in every if found is not None]
        object.__setattr__(self, "literals", frozenset().union(*known) if len(known) == len(every) else None)

    def spans(self, folded: str, present: frozenset[str] | None = None) -> list[tuple[int, int]]:
        """Where the rule matches in `folded` (a normalised, fold_case()d text), in order.

        Each alternative is matched on its own (so each has its own prefilter); where two
        overlap, both spans are kept: assess() counts a rule once anyway."""
        if present is not None and self.literals is not None and self.literals.isdisjoint(present):
            return []
        if len(self.alternatives) == 1:
            return self.alternatives[0].spans(folded, present)
        return sorted({span for alternative in self.alternatives for span in alternative.spans(folded, present)})

    def search(self, text: str) -> str | None:
        """The words of `text` this rule matches (normalised), or None."""
        normalized = normalize(text)
        spans = self.spans(fold_case(normalized))
        return normalized[spans[0][0] : spans[0][1]] if spans else None


@dataclass(frozen=True)
class RuleFile:
    path: Path
    language: str
    scripts: frozenset[str]
    rules: tuple[Rule, ...]
    # Whole reports that assess() must score as the key says: a threat category, child_safety,
    # or no_threat.
    examples: Mapping[str, tuple[str, ...]]


@dataclass(frozen=True)
class Selection:
    """The rules that apply to one combination of language and scripts."""

    signals: tuple[Rule, ...]  # threat and child-safety rules
    dampeners: tuple[Rule, ...]
    literals: frozenset[str]  # every rule's required literals
    # All `literals` as one trie-shaped regex: it finds the longest literal starting at a
    # position, and searching again from the next position finds overlapping ones too. About
    # 150 µs for 2,000 characters against 500 literals, where testing them one by one takes
    # half a millisecond (a lookahead over every position took twice as long on Japanese).
    finder: re.Pattern[str] | None

    @classmethod
    def of(cls, rules: list[Rule]) -> "Selection":
        literals = frozenset().union(*(a.literals for r in rules for a in r.alternatives if a.literals is not None))
        return cls(
            signals=tuple(r for r in rules if r.category != DAMPENER),
            dampeners=tuple(r for r in rules if r.category == DAMPENER),
            literals=literals,
            finder=re.compile(_trie_pattern(literals)) if literals else None,
        )

    def present(self, folded: str) -> frozenset[str]:
        """The literals that occur in `folded`: each longest one found, and those of its
        prefixes that are literals too (every literal starting at a position is a prefix of the
        longest one starting there)."""
        if self.finder is None:
            return frozenset()
        longest: set[str] = set()
        position = 0
        while (found := self.finder.search(folded, position)) is not None:
            longest.add(found.group(0))
            position = found.start() + 1
        return frozenset(word[:end] for word in longest for end in range(1, len(word) + 1)) & self.literals


def _trie_pattern(strings: Iterable[str]) -> str:
    trie: dict[str, Any] = {}
    for string in strings:
        node = trie
        for char in string:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict[str, Any]) -> str:
        branches = [re.escape(char) + build(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body  # greedy: the longest literal wins

    return build(trie)


@dataclass(frozen=True)
class RuleSet:
    files: tuple[RuleFile, ...]
    version: str
    scripts: frozenset[str]  # the scripts some file is for: only these are looked for in a text
    _selections: dict[tuple[str, frozenset[str]], Selection] = field(default_factory=dict, compare=False, repr=False)

    def select(self, language: str, scripts: frozenset[str]) -> Selection:
        # The language comes from outside (a form, an API client): one without a rule file is
        # the same as none, so the cache stays as small as the combinations of scripts.
        language = language.lower().split("-")[0]
        key = (language if any(f.language == language for f in self.files) else "", scripts)
        selection = self._selections.get(key)
        if selection is None:
            chosen = [f for f in self.files if f.language in {key[0], "en"} or f.scripts & scripts]
            selection = Selection.of([rule for f in chosen for rule in f.rules])
            self._selections[key] = selection
        return selection


def rules() -> RuleSet:
    """The rule set of settings.INTAKE_RULES_DIR, loaded and compiled once per process."""
    return _load_cached(str(settings.INTAKE_RULES_DIR))


@cache
def _load_cached(directory: str) -> RuleSet:
    return load_rules(Path(directory))


def load_rules(directory: Path) -> RuleSet:
    """Read and check every `<language>.toml` in `directory`; ImproperlyConfigured names the file
    and the rule when something is wrong."""
    paths = sorted(directory.glob("*.toml"))
    if not paths:
        raise ImproperlyConfigured(f"No urgency rule files (*.toml) in {directory}")
    digest = hashlib.sha256()
    files: list[RuleFile] = []
    seen: dict[str, Path] = {}
    for path in paths:
        raw = path.read_bytes()
        digest.update(path.name.encode() + b"\0" + raw + b"\0")
        rule_file = _parse_file(path, raw)
        for rule in rule_file.rules:
            if rule.id in seen:
                raise ImproperlyConfigured(f"{path}: rule {rule.id!r}: the id is already used in {seen[rule.id]}")
            seen[rule.id] = path
        files.append(rule_file)
    return RuleSet(
        files=tuple(files), version=digest.hexdigest()[:12], scripts=frozenset().union(*(f.scripts for f in files))
    )


_FILE_KEYS = {"language", "scripts", "examples", "rule"}
_RULE_KEYS = {"id", "category", "weight", "pattern", "should_match", "should_not_match", "supporting"}
_EXAMPLE_KEYS = {*THREAT_CATEGORIES, CHILD_SAFETY, NO_THREAT}
_ID = re.compile(r"[a-z]{2}\.[a-z0-9_.]+")


def _parse_file(path: Path, raw: bytes) -> RuleFile:
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ImproperlyConfigured(f"{path}: not a valid UTF-8 TOML file: {exc}") from exc

    def fail(problem: str) -> ImproperlyConfigured:
        return ImproperlyConfigured(f"{path}: {problem}")

    unknown = set(data) - _FILE_KEYS
    if unknown:
        raise fail(f"unknown keys {sorted(unknown)} (expected {sorted(_FILE_KEYS)})")
    language = data.get("language")
    if language != path.stem:
        raise fail(f"language = {language!r}, but the file is named for {path.stem!r}")
    scripts = data.get("scripts")
    if not isinstance(scripts, list) or not scripts or any(s not in SCRIPTS for s in scripts):
        raise fail(f"scripts must be a list of script names from {sorted(SCRIPTS)}, not {scripts!r}")
    examples = data.get("examples", {})
    if not isinstance(examples, dict) or set(examples) - _EXAMPLE_KEYS:
        raise fail(f"[examples] may only have lists named {sorted(_EXAMPLE_KEYS)}")
    entries = data.get("rule")
    if not isinstance(entries, list) or not entries:
        raise fail("no [[rule]] entries")
    no_boundaries = bool(set(scripts) & NO_WORD_BOUNDARY_SCRIPTS)
    rules = tuple(_parse_rule(path, language, index, entry, no_boundaries) for index, entry in enumerate(entries, 1))
    return RuleFile(
        path=path,
        language=language,
        scripts=frozenset(scripts),
        rules=rules,
        examples={key: _strings(value, fail, f"[examples] {key}") for key, value in examples.items()},
    )


def _parse_rule(path: Path, language: str, index: int, entry: Any, no_boundaries: bool) -> Rule:
    if not isinstance(entry, dict) or not isinstance(entry.get("id"), str) or not entry["id"]:
        raise ImproperlyConfigured(f"{path}: rule #{index} has no id")
    rule_id: str = entry["id"]

    def fail(problem: str) -> ImproperlyConfigured:
        return ImproperlyConfigured(f"{path}: rule {rule_id!r}: {problem}")

    unknown = set(entry) - _RULE_KEYS
    if unknown:
        raise fail(f"unknown keys {sorted(unknown)} (expected {sorted(_RULE_KEYS)})")
    if not _ID.fullmatch(rule_id) or not rule_id.startswith(f"{language}."):
        raise fail(f"the id must look like '{language}.category.name' (lower case, digits, _ and .)")
    category = entry.get("category")
    if category not in CATEGORIES:
        raise fail(f"category {category!r} is not one of {', '.join(CATEGORIES)}")
    weight = entry.get("weight")
    if isinstance(weight, bool) or not isinstance(weight, int | float):
        raise fail(f"weight must be a number, not {weight!r}")
    if category == DAMPENER and not -1 <= weight < 0:
        raise fail(f"a dampener's weight must be between -1 and 0 (it is subtracted), not {weight}")
    if category != DAMPENER and not 0 < weight <= 1:
        raise fail(f"weight must be above 0 and at most 1, not {weight}")
    supporting = entry.get("supporting", False)
    if not isinstance(supporting, bool):
        raise fail(f"supporting must be true or false, not {supporting!r}")
    if supporting and category not in THREAT_CATEGORIES:
        raise fail("only self_harm, physical_harm and public_harm rules can be supporting")
    alternatives = entry.get("pattern")
    if isinstance(alternatives, str):
        alternatives = [alternatives]
    if (
        not isinstance(alternatives, list)
        or not alternatives
        or not all(isinstance(a, str) and a.strip() for a in alternatives)
    ):
        raise fail("pattern must be a regular expression or a list of them (alternatives), none empty")
    sources = [fold_pattern(normalize(alternative)) for alternative in alternatives]
    if any(" " in source for source in sources):
        raise fail(r"pattern has a space: write \s+ between words, so that a line break in a report still matches")
    if no_boundaries and any(r"\b" in source for source in sources):
        raise fail(r"\b in a file for a script without spaces between words (it would never match mid-sentence)")
    try:
        compiled = tuple(Alternative.compile(source) for source in sources)
    except re.error as exc:
        raise fail(f"pattern is not a valid regular expression: {exc}") from exc
    if any(alternative.pattern.search("") for alternative in compiled):
        raise fail("pattern matches the empty string, so it would fire on every report")
    should_match = _strings(entry.get("should_match"), fail, "should_match")
    if not should_match:
        raise fail("should_match needs at least one example (the tests check each rule against its own)")
    return Rule(
        id=rule_id,
        language=language,
        category=category,
        weight=float(weight),
        alternatives=compiled,
        should_match=should_match,
        should_not_match=_strings(entry.get("should_not_match", []), fail, "should_not_match"),
        supporting=supporting,
    )


def _strings(value: Any, fail: Callable[[str], ImproperlyConfigured], name: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
        raise fail(f"{name} must be a list of non-empty strings")
    return tuple(value)


# --- assessment -----------------------------------------------------------------------------


@dataclass(frozen=True)
class FiredRule:
    id: str
    language: str
    category: str
    matched: str
    # Threat and child-safety rules: what the rule contributed (after dampening, so possibly 0).
    # Dampeners: what they took away from those (negative).
    weight: float

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "language": self.language,
            "category": self.category,
            "matched": self.matched,
            "weight": self.weight,
        }


@dataclass(frozen=True)
class Assessment:
    threat: bool
    threat_type: str  # one of THREAT_CATEGORIES when threat, else ""
    child_safety: bool
    score: float
    rules: tuple[FiredRule, ...]
    rules_version: str

    def as_json(self) -> dict[str, Any]:
        """The contract the console displays (stored in IntakeItem.classification["urgency"])."""
        return {
            "threat": self.threat,
            "threat_type": self.threat_type,
            "child_safety": self.child_safety,
            "score": self.score,
            "rules": [fired.as_json() for fired in self.rules],
            "rules_version": self.rules_version,
        }


def assess(text: str, language: str = "") -> Assessment:
    """Score `text` (subject and body of a report) against the urgency rules; never raises on
    odd input. `language` is the detected or declared ISO 639-1 code ("" if unknown)."""
    ruleset = rules()
    # Only what is kept on the item is scanned: a threat past this point could not be shown
    # to the person triaging it.
    normalized, origin, shown = _normalize_with_offsets(text[: settings.INTAKE_MAX_BODY_CHARS])
    selection = ruleset.select(language, scripts_in(normalized, ruleset.scripts))

    folded = fold_case(normalized)
    present = selection.present(folded)
    hits: list[tuple[Rule, list[tuple[int, int]]]] = []
    for rule in selection.signals:
        spans = rule.spans(folded, present)
        if spans:
            hits.append((rule, spans))
    if not hits:
        return Assessment(False, "", False, 0.0, (), ruleset.version)
    entries: list[tuple[Rule, tuple[int, int]]] = []
    if any(rule.category != CHILD_SAFETY for rule, _ in hits):
        for rule in selection.dampeners:
            entries.extend((rule, span) for span in rule.spans(folded, present))
    damping = _Damping(entries)

    def words(span: tuple[int, int]) -> str:
        start, end = span
        if origin is not None:
            start, end = origin[start], origin[end - 1] + 1
        return _shorten(shown[start:end])

    scored: list[_Scored] = []
    for rule, spans in hits:
        if rule.category == CHILD_SAFETY:
            scored.append(_Scored(rule, spans[0], rule.weight, []))
        else:
            scored.append(_Scored(rule, *_best_occurrence(rule, spans, damping)))
    # Supporting rules (violent vocabulary) only add to a report another threat rule flagged,
    # and together add no more than the strongest of them: a report about a violent article,
    # matched in several similar languages at once, must not add up to a threat on words alone.
    flagged = any(s.contribution > 0 for s in scored if s.rule.category in THREAT_CATEGORIES and not s.rule.supporting)
    supporting = sorted((s for s in scored if s.rule.supporting), key=lambda s: -s.contribution)
    for index, entry in enumerate(supporting):
        if index > 0 or not flagged:
            entry.contribution = 0.0

    totals = dict.fromkeys((*THREAT_CATEGORIES, CHILD_SAFETY), 0.0)
    strongest = dict.fromkeys(THREAT_CATEGORIES, 0.0)
    taken: dict[str, tuple[Rule, tuple[int, int], float]] = {}  # dampener id -> (it, its span, weight taken)
    for entry in scored:
        totals[entry.rule.category] += entry.contribution
        if entry.rule.category in strongest:
            strongest[entry.rule.category] = max(strongest[entry.rule.category], entry.contribution)
        for dampener, span, amount in entry.reductions:
            earlier = taken.get(dampener.id)
            taken[dampener.id] = (dampener, span, amount + (earlier[2] if earlier else 0.0))
    fired = [
        FiredRule(s.rule.id, s.rule.language, s.rule.category, words(s.span), round(s.contribution, 4)) for s in scored
    ]

    score = round(min(1.0, sum(totals[c] for c in THREAT_CATEGORIES)), 4)
    threat = score >= settings.INTAKE_THREAT_THRESHOLD
    threat_type = max(THREAT_CATEGORIES, key=lambda c: (strongest[c], totals[c])) if threat else ""
    child_safety = round(totals[CHILD_SAFETY], 4) >= settings.INTAKE_THREAT_THRESHOLD
    fired.sort(key=lambda f: (-f.weight, f.id))
    fired.extend(
        sorted(
            (
                FiredRule(d.id, d.language, DAMPENER, words(span), -round(amount, 4))
                for d, span, amount in taken.values()
            ),
            key=lambda f: (f.weight, f.id),
        )
    )
    return Assessment(threat, threat_type, child_safety, score, tuple(fired), ruleset.version)


@dataclass
class _Scored:
    """A rule that matched: the occurrence that counts, and what it contributes."""

    rule: Rule
    span: tuple[int, int]
    contribution: float
    reductions: list[tuple[Rule, tuple[int, int], float]]  # (dampener, its span, weight it took)


class _Damping:
    """The dampeners' spans (in the order of the selection's dampeners, each one's in text order),
    indexed so that those overlapping a span are found without looking at the others.

    A 200,000-character text of rule examples has thousands of matches and thousands of dampener
    spans: comparing each match with each dampener span took seconds. The covered part of the text
    is cut into segments, each with the dampener spans that cover all of it (a handful: a
    dampener's matches do not overlap one another), and a match looks up only the segments it
    overlaps (bisection)."""

    def __init__(self, entries: list[tuple[Rule, tuple[int, int]]]) -> None:
        self.entries = entries
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.members: list[tuple[int, ...]] = []
        if not entries:
            return
        events = sorted(
            [(start, 1, index) for index, (_, (start, _end)) in enumerate(entries)]
            + [(end, 0, index) for index, (_, (_start, end)) in enumerate(entries)]
        )
        active: set[int] = set()
        previous = events[0][0]
        for position, starting, index in events:  # at a position, the spans ending come first
            if position > previous and active:
                self.starts.append(previous)
                self.ends.append(position)
                self.members.append(tuple(active))
            previous = position
            if starting:
                active.add(index)
            else:
                active.discard(index)

    def overlapping(self, start: int, end: int) -> list[int]:
        """Indexes into `entries` of the spans overlapping start..end, in the order of `entries`."""
        segment = bisect.bisect_right(self.ends, start)  # the first segment ending after `start`
        found: set[int] = set()
        while segment < len(self.starts) and self.starts[segment] < end:
            found.update(self.members[segment])
            segment += 1
        return sorted(found)


def _best_occurrence(
    rule: Rule, spans: Iterable[tuple[int, int]], damping: _Damping
) -> tuple[tuple[int, int], float, list[tuple[Rule, tuple[int, int], float]]]:
    """The occurrence of `rule` that counts most once the dampeners overlapping it have taken
    their share: (its span, what it contributes, [(dampener, dampener span, amount taken)]).
    The first occurrence no dampener overlaps counts in full, and no later one can count more."""
    best: tuple[tuple[int, int], float, list[tuple[Rule, tuple[int, int], float]]] | None = None
    for start, end in spans:
        remaining = rule.weight
        reductions: list[tuple[Rule, tuple[int, int], float]] = []
        counted: set[str] = set()  # a dampener counts once per occurrence, however often it overlaps
        for index in damping.overlapping(start, end) if damping.entries else ():
            dampener, dampener_span = damping.entries[index]
            if dampener.id not in counted and remaining > 0:
                amount = min(remaining, -dampener.weight)
                remaining -= amount
                reductions.append((dampener, dampener_span, amount))
                counted.add(dampener.id)
        if best is None or remaining > best[1]:
            best = ((start, end), remaining, reductions)
        if not reductions:
            break
    assert best is not None  # spans is never empty
    return best


def _shorten(words: str) -> str:
    words = " ".join(words.split())
    return words if len(words) <= MATCHED_MAX_CHARS else words[: MATCHED_MAX_CHARS - 1] + "…"
