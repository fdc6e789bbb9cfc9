"""Which family a document belongs to, from cheap signals.

Each family scores points for line-start headings typical of it and for a few
phrases; the highest score wins. The family only decides how ambiguous markers
are ranked and named ("Section 2" is a statute section but an EU sub-chapter,
"1." an EU paragraph but a contract clause); headings of other families are
still recognised, so mixed documents keep their structure.
"""
from __future__ import annotations

import re

from seamline.legal.patterns import FAMILIES

SAMPLE = 40_000  # characters looked at; the start of a document shows its family

_SIGNALS: dict[str, list[tuple[re.Pattern, float]]] = {
    "statute": [
        (re.compile(r"^\[?§§?\s?\d+[A-Za-z]{0,3}(?:[\-\u2013]\d+[A-Za-z]{0,3})*\.\s", re.M), 3),
        (re.compile(r"^(?:SEC\.|Sec\.)\s+\d+\.", re.M), 3),
        (re.compile(r"^(?:TITLE|SUBCHAPTER|SUBTITLE)\s+[IVXLC\d]+", re.M), 3),
        (re.compile(r"^CHAPTER\s+\d+", re.M), 2),
        (re.compile(r"^Section\s+\d+\.\s+[A-Z]", re.M), 1),
        (re.compile(r"U\.S\.C\.|Act of Congress|Stat\. \d|Pub\. L\."), 0.5),
    ],
    "regulation": [
        (re.compile(r"^§\s?\d+\.\d+", re.M), 4),
        (re.compile(r"^(?:PART|Part)\s+\d+\s*[\u2014\u2013\-]", re.M), 3),
        (re.compile(r"^Subpart\s+[A-Z]", re.M), 3),
        (re.compile(r"\bCFR\b|Federal Register|rulemaking"), 0.5),
    ],
    "eu": [
        (re.compile(r"^Article\s+\d+\s*$", re.M), 3),
        (re.compile(r"^CHAPTER\s+[IVXLC]+\s*$", re.M), 3),
        (re.compile(r"^\d+\.\s{2,}[A-Z]", re.M), 0.3),
        (re.compile(r"Member States?|European Parliament|Regulation \(EU\)|Directive \(EU\)|the Union\b"), 0.5),
    ],
    "contract": [
        (re.compile(r"^ARTICLE\s+[IVXLC\d]+", re.M), 3),
        (re.compile(r"^\s*WHEREAS\b", re.M), 3),
        (re.compile(r"^\s*Section\s+\d+\.\d+", re.M), 3),
        (re.compile(r"^\s*\d+\.\d+\.?\s", re.M), 1),
        (re.compile(r"IN WITNESS WHEREOF|[Tt]his Agreement|the [Pp]arties\b|hereinafter|hereby agree"), 0.5),
    ],
    "policy": [
        (re.compile(r"[Pp]rivacy [Pp]olicy|[Tt]erms of (?:Service|Use)|[Pp]ersonal (?:[Ii]nformation|[Dd]ata)"), 1),
        (re.compile(r"\b[Ww]e (?:collect|use|share|may)\b|\bour (?:Services?|website|[Ss]ite|[Aa]pp)\b|\bcookies\b"), 1),
    ],
}
# The many-times-a-page phrases are capped so a long text of prose cannot outvote headings.
PHRASE_CAP = 10


def detect_family(text: str) -> str:
    sample = text[:SAMPLE]
    scores = {name: 0.0 for name in FAMILIES}
    for family, signals in _SIGNALS.items():
        for pattern, weight in signals:
            cap = PHRASE_CAP if weight < 1 else 1 << 30
            hits = 0
            for _ in pattern.finditer(sample):
                hits += 1
                if hits >= cap:
                    break
            scores[family] += weight * hits
    best = max(FAMILIES, key=lambda name: scores[name])
    if scores[best] == 0:
        return "statute"
    return best
