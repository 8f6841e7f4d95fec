"""The language of a report (issue 3, part 5): lingua over the team's languages, ISO 639-1.

The pipeline stores the result on the item and the case (the queue filters by it), and the
urgency rules use it to pick rule files. "" means "could not tell", never a guess: a wrong
language would send acknowledgements in the wrong language and hide the item from a filter.

Measured on the development machine (2 cores, lingua 2.2, the 26 default languages):
- building the detector: < 1 ms; lingua loads each language's models on first use, so
  `_detector()` runs one sentence per script right away. Building plus that warm-up takes
  30 to 60 ms with a warm page cache (about 1 s the very first time the model files are read
  from disk), once per process.
- `with_preloaded_language_models()` made no measurable difference in lingua 2.2: RSS right
  after build was 17 MB instead of 14 MB, and the first detections still loaded models. Either
  way a process settles at about +45 MB RSS once every script has been seen (+70 MB with the
  5-gram models a 2 KB English text pulls in), which is fine for a gunicorn worker, so we
  keep lazy loading and warm it up ourselves instead.
- after warm-up: 0.3 to 0.5 ms per call for a one-paragraph report, about 1.5 ms for 2,000
  characters, 5 to 9 ms for 8,000 (time grows linearly with length).
"""

import re
from functools import cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from lingua import IsoCode639_1, LanguageDetector, LanguageDetectorBuilder

# Detection time grows with length, while the language of a report is settled by its first
# paragraphs; what follows is usually quoted mail, pasted wiki text or legal boilerplate in
# whatever language the quoted party wrote. So only this much is looked at.
PREFIX_CHARS = 2_000

# lingua's confidence gap between the best and second-best language. At 0 "ok" comes back as
# Hungarian and a bare URL as Polish; at 0.1 those give "" while one-line reports in every
# default language ("quiero suicidarme", "死にたい", "ich bringe mich um") are still
# recognised. Higher values (0.15+) start to drop short Spanish and French sentences.
MIN_RELATIVE_DISTANCE = 0.1

# Links, addresses and wiki markup say nothing about the reporter's language and pull the
# guess towards whatever language the URL path happens to resemble.
_NOISE = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\S+|\[\[|\]\]|\{\{|\}\}")

# One short sentence per script, run once after building so lingua loads its models then,
# not while a report waits.
_WARM_UP = (
    "Someone wrote on my talk page that they will find me.",
    "Пользователь угрожал мне на странице обсуждения.",
    "هددني مستخدم في صفحة النقاش.",
    "利用者にノートページで脅迫されました。",
    "एक उपयोगकर्ता ने मुझे धमकी दी।",
)


def detect(text: str) -> str:
    """ISO 639-1 code (lower case) of the text's language, or "" when too short or unsure."""
    sample = _NOISE.sub(" ", text[: PREFIX_CHARS * 2])[:PREFIX_CHARS].strip()
    if not sample:
        return ""
    found = detector().detect_language_of(sample)
    return found.iso_code_639_1.name.lower() if found is not None else ""


def detector() -> LanguageDetector:
    """The process-wide detector for settings.INTAKE_DETECT_LANGUAGES (built once)."""
    return _build(tuple(sorted({code.strip().lower() for code in settings.INTAKE_DETECT_LANGUAGES})))


@cache
def _build(codes: tuple[str, ...]) -> LanguageDetector:
    if len(codes) < 2:
        raise ImproperlyConfigured("INTAKE_DETECT_LANGUAGES needs at least two languages")
    unknown = [code for code in codes if not hasattr(IsoCode639_1, code.upper())]
    if unknown:
        raise ImproperlyConfigured(f"INTAKE_DETECT_LANGUAGES has codes lingua does not know: {', '.join(unknown)}")
    built = (
        LanguageDetectorBuilder.from_iso_codes_639_1(*(getattr(IsoCode639_1, code.upper()) for code in codes))
        .with_minimum_relative_distance(MIN_RELATIVE_DISTANCE)
        .build()
    )
    for sentence in _WARM_UP:
        built.detect_language_of(sentence)
    return built
