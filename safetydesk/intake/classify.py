"""DMCA notice or other legal process? (DOMAIN §9 vs §10 and §11), for mail to the legal address.

The channel registry says which channels need this (`classify = "legal"`). Both kinds arrive at
the same address, but they go through different workflows: a DMCA takedown notice or
counter-notice (§9) with its validity checklist and restore clock, or legal process (§10, §11):
subpoenas, court orders, warrants, requests for user data, law-enforcement and foreign demands.

The decision is made on the vocabulary each kind cannot do without: a DMCA notice cites the
statute, its § 512(c)(3) statements (good-faith belief, accuracy and authority under penalty
of perjury) and the copyrighted work; legal process names its instrument and what it wants.
When in doubt the answer is legal_request: a person then looks at it in the legal queue, and
nothing starts a DMCA clock on a document that is not a DMCA notice.
"""

import re
import unicodedata
from dataclasses import dataclass

from safetydesk.cases.models import CaseKind

# A notice needs at least this much DMCA evidence, and more than it has of legal process.
DMCA_MINIMUM = 3
# Notices are short; legal instruments carry pages of boilerplate. The decision is made on this
# much, so a 1 MB attachment dump costs the same as a letter.
MAX_CHARS = 50_000


@dataclass(frozen=True)
class Indicator:
    kind: str  # CaseKind.DMCA or CaseKind.LEGAL_REQUEST
    weight: int
    reason: str
    pattern: re.Pattern[str]


def _indicator(kind: str, weight: int, reason: str, pattern: str) -> Indicator:
    return Indicator(kind, weight, reason, re.compile(pattern, re.IGNORECASE))


DMCA = CaseKind.DMCA.value
LEGAL = CaseKind.LEGAL_REQUEST.value

INDICATORS = (
    # --- DMCA (§9.1, §9.2: the statutory elements of 17 U.S.C. § 512(c)(3)(A)) ---------------
    _indicator(DMCA, 3, "names the DMCA", r"\bDMCA\b|\bDigital\s+Millennium\s+Copyright\s+Act\b"),
    _indicator(
        DMCA, 3, "cites 17 U.S.C. § 512 (notice and takedown)",
        r"\b17\s*U\.?\s*S\.?\s*C\.?\s*(?:§+|sec(?:tion|\.)?)?\s*512(?!\s*\(\s*h\s*\))",
    ),
    _indicator(DMCA, 3, "cites § 512(c), (d) or (g)", r"(?:§+\s*|\bsection\s+)?\b512\s*\(\s*[cdg]\s*\)"),
    _indicator(
        DMCA, 3, "is a takedown notice",
        r"\btake[-\s]?down\s+(?:notice|notification|request|demand)\b|\bnotice\s+of\s+(?:claimed\s+)?(?:copyright\s+)?infringement\b",
    ),
    _indicator(DMCA, 3, "is a counter-notice", r"\bcounter[-\s]?notice\b|\bcounter[-\s]?notification\b"),
    _indicator(
        DMCA, 2, "alleges copyright infringement",
        r"\bcopyright\s+infringement\b|\binfring\w*\s+(?:\w+\s+){0,4}?copyright|\bcopyright(?:ed)?\s+(?:work|material|owner|holder|image|photograph)s?\b",
    ),
    _indicator(
        DMCA, 2, "has the good-faith-belief statement",
        r"\bgood[-\s]faith\s+belief\b",
    ),
    _indicator(
        DMCA, 2, "states authority to act for the copyright owner under penalty of perjury",
        r"\bunder\s+(?:the\s+)?penalty\s+of\s+perjury\b[^.]{0,200}?\bauthori[sz]ed\s+to\s+act\s+on\s+behalf\s+of\s+the\s+owner\b"
        r"|\bauthori[sz]ed\s+to\s+act\s+on\s+behalf\s+of\s+the\s+owner\b[^.]{0,200}?\bpenalty\s+of\s+perjury\b",
    ),
    _indicator(
        DMCA, 1, "claims an exclusive right (the rights owner or its agent)",
        r"\bexclusive\s+right\b|\bauthori[sz]ed\s+to\s+act\s+on\s+behalf\s+of\s+the\s+(?:copyright\s+)?owner\b",
    ),
    _indicator(
        DMCA, 2, "alleges copyright infringement (not in English)",
        r"\b(?:derechos?\s+de\s+autor|droits?\s+d'auteur|urheberrecht\w*|direitos?\s+autora(?:is|l)|diritt[oi]\s+d'autore)\b|著作権",
    ),
    # --- legal process (§10, §11.2: the transparency-report request types) -------------------
    _indicator(LEGAL, 3, "is a subpoena", r"\bsubp(?:o|oe)enas?\b|\bsubp(?:o|oe)enaed\b"),
    _indicator(LEGAL, 3, "cites a DMCA § 512(h) subpoena (a request for user data)", r"\b512\s*\(\s*h\s*\)"),
    _indicator(
        LEGAL, 3, "is a court order",
        r"\bcourt\s+order\b|\border\s+of\s+the\s+court\b|\bit\s+is\s+(?:hereby\s+)?ordered\b|\binjunction\b",
    ),
    _indicator(LEGAL, 3, "is a warrant", r"\b(?:search\s+)?warrant\b"),
    _indicator(
        LEGAL, 3, "requests user data",
        r"\brequest\s+for\s+(?:user|subscriber|account)?\s*(?:data|information|records)\b"
        r"|\b(?:subscriber|user|account)\s+(?:information|data|records)\b|\bIP\s+address(?:es)?\s+(?:used|associated|of)\b"
        r"|\b(?:disclose|produce|provide)\s+(?:\w+\s+){0,3}?(?:records|information|data)\s+(?:about|of|for|relating\s+to)\b",
    ),
    _indicator(
        LEGAL, 2, "comes from law enforcement",
        r"\blaw\s+enforcement\b|\bpolice\b|\bdetective\b|\bspecial\s+agent\b|\bFBI\b|\bprosecutor\b|\bdistrict\s+attorney\b",
    ),
    _indicator(
        LEGAL, 3, "cites the ECPA / Stored Communications Act",
        r"\b18\s*U\.?\s*S\.?\s*C\.?\s*(?:§+\s*)?27\d\d\b|\bECPA\b|\bStored\s+Communications\s+Act\b",
    ),
    _indicator(
        LEGAL, 3, "asks for preservation or emergency disclosure",
        r"\bpreservation\s+(?:request|letter|order)\b|\b2703\s*\(\s*f\s*\)|\bemergency\s+disclosure\b",
    ),
    _indicator(
        LEGAL, 2, "is a demand under another law (defamation, privacy, trademark)",
        r"\bdefamat\w*|\blibel\w*|\bright\s+to\s+(?:be\s+forgotten|erasure)\b|\bGDPR\b|\btrademark\b|\bprivacy\s+law\b",
    ),
    _indicator(
        LEGAL, 3, "is a foreign court or authority's demand",
        r"\b(?:gerichtsbeschluss|beschluss|staatsanwaltschaft|einstweilige\s+verf[üu]gung|orden\s+judicial|requerimiento\s+judicial"
        r"|ordonnance|r[ée]quisition\s+judiciaire|mise\s+en\s+demeure|ordem\s+judicial|ordinanza|decreto)\b|裁判所|命令書",
    ),
)


def legal_kind(text: str) -> str:
    """CaseKind value for a legal-address item: "dmca" or "legal_request"."""
    return legal_kind_with_reasons(text)[0]


def legal_kind_with_reasons(text: str) -> tuple[str, list[str]]:
    """The kind and why: one reason per indicator found (with the words it found), then the
    tally that decided."""
    sample = unicodedata.normalize("NFKC", text[:MAX_CHARS])
    points = {DMCA: 0, LEGAL: 0}
    reasons: list[str] = []
    for indicator in INDICATORS:
        found = indicator.pattern.search(sample)
        if found is None:
            continue
        points[indicator.kind] += indicator.weight
        words = " ".join(found.group(0).split())
        words = words if len(words) <= 80 else words[:79] + "…"
        label = "DMCA" if indicator.kind == DMCA else "legal process"
        reasons.append(f"{label}: {indicator.reason} ({words!r})")
    kind = DMCA if points[DMCA] >= DMCA_MINIMUM and points[DMCA] > points[LEGAL] else LEGAL
    if kind == DMCA:
        reasons.append(f"DMCA notice: {points[DMCA]} points of DMCA vocabulary, {points[LEGAL]} of legal process")
    elif points[DMCA] == 0 and points[LEGAL] == 0:
        reasons.append("legal process: no DMCA notice vocabulary, and legal process is the default")
    else:
        reasons.append(
            f"legal process: {points[LEGAL]} points of legal-process vocabulary against {points[DMCA]} of DMCA"
            f" (a DMCA notice needs at least {DMCA_MINIMUM} and more than the other)"
        )
    return kind, reasons
