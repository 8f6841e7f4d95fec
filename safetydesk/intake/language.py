# The warm-up paragraphs are in their own scripts and punctuation (Cyrillic, a full-width
# comma), which RUF001 would flag one by one.
# ruff: noqa: RUF001
"""The language of a report (issue 3, part 5): lingua over the team's languages, ISO 639-1.

The pipeline stores the result on the item and the case (the queue filters by it), and the
urgency rules use it to pick rule files. "" means "could not tell", never a guess: a wrong
language would send acknowledgements in the wrong language and hide the item from a filter.

Measured on the development machine (2 cores shared with other work, lingua 2.2, the 26
default languages, warm page cache):
- Building the detector takes under 1 ms, because lingua loads each language's models on first
  use. detector() therefore runs one paragraph per script right away: building plus warm-up
  takes about 15 ms and adds about 68 MB RSS, once per process. The very first read of the
  model files from a cold disk took about 1 s. After that, the first real report per language
  takes 2 to 6 ms, and RSS settles at about +90 MB over the process without a detector.
- with_preloaded_language_models() made no measurable difference in lingua 2.2. RSS right after
  build was 17 MB instead of 14 MB, and the first detections still loaded models. Since memory
  ends up the same either way (~90 MB, fine for a gunicorn worker), we keep lazy loading and
  warm it up ourselves.
- After warm-up, per call: about 0.5 ms median (p99 under 1 ms) for a 300-character report, and
  about 1.9 ms median for 2,000 characters. Time grows with length: 8,000 characters took 5 to
  9 ms, which is why only a prefix is read.
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

# One paragraph per script, run once after building so that lingua loads its models then, not
# while a report waits. A paragraph rather than a sentence: longer texts need more of the models.
_WARM_UP = (
    "Someone keeps reverting my edits on the article and left a message on my talk page saying that they "
    "know where I live. I have asked them to stop on the article's talk page, but they will not discuss.",
    "Кто-то постоянно отменяет мои правки в статье и оставил на моей странице обсуждения сообщение о том, "
    "что знает, где я живу. Я просил его прекратить, но он не отвечает.",
    "شخص ما يستمر في التراجع عن تعديلاتي على المقالة وترك رسالة في صفحة النقاش الخاصة بي يقول فيها إنه "
    "يعرف أين أسكن. طلبت منه التوقف لكنه لا يرد.",
    "利用者が記事の私の編集を何度も差し戻し、私の会話ページに「お前の住所を知っている」と書き込みました。"
    "有人不断撤销我在条目中的编辑，并在我的讨论页上留言说他知道我住在哪里。",
    "कोई लगातार लेख में मेरे संपादन पलट रहा है और उसने मेरे वार्ता पृष्ठ पर लिखा है कि उसे पता है "
    "कि मैं कहाँ रहता हूँ। मैंने उसे रुकने को कहा, लेकिन वह जवाब नहीं देता।",
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
