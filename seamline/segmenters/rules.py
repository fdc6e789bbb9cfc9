"""The fast built-in sentence engine: one regular-expression pass and a few rules.

Candidates are sentence-final punctuation (with any closing quotes and
brackets) followed by whitespace, CJK full stops, and blank lines. A
candidate after a period is rejected when the word before it is a known
abbreviation, an initial, or part of a citation, or when the next word starts
in lower case. It needs no model and runs at regex speed.
"""
from __future__ import annotations

import re

# Abbreviations that are almost never sentence-final (lower-cased, without the final period).
ABBREVIATIONS = frozenset("""
mr mrs ms mssrs messrs dr prof rev hon st sr jr gen col capt lt sgt maj adm gov sen rep pres
fr mt ft ave blvd rd
e.g i.e cf viz vs v etc al approx ca
no nos fig figs vol vols pp p para paras art arts sec secs ch chs cl subch pt pts ex exh sched app
u.s.c c.f.r fed r civ crim evid proc supp cir ct s.ct l.ed f.2d f.3d f.4th n.e n.w s.e s.w cal ill
dept univ assn corp inc ltd co bros
jan feb mar apr jun jul aug sep sept oct nov dec
mon tue tues wed thu thur thurs fri sat sun
""".split())
# After these a sentence may well end ("... and Co." / "... etc."); only a following
# capitalised common sentence starter makes it a boundary.
SOFT_ABBREVIATIONS = frozenset("etc inc ltd co corp bros al".split())
STARTERS = frozenset("""
the a an this that these those it its he she we they i you there here in on at for but and or so
if when while after before as however thus then his her their our my your what who why how
""".split())

_CANDIDATE = re.compile(
    r"(?:[.!?\u2026\u203d]+[\"'\u201d\u2019\u00bb)\]]*(?=\s)"  # . ! ? ... and closers, then space
    r"|[\u3002\uff01\uff1f]+[\u300d\u300f\uff09\"']*"            # CJK: no space needed
    r"|\n[ \t\r\f\v]*\n)"                                        # a blank line
    r"\s*"
)
_WORD_BEFORE = re.compile(r"(\S+)$")


class RuleSentences:
    name = "rules"
    kind = "sentence"

    def __init__(self, lang: str = "en", **_options):
        self.lang = lang

    def starts(self, text: str) -> list[int]:
        out = []
        for m in _CANDIDATE.finditer(text):
            end = m.end()
            if end >= len(text):
                break
            if self._is_boundary(text, m.start(), m.group(), end):
                out.append(end)
        return out

    def _is_boundary(self, text: str, start: int, mark: str, nxt: int) -> bool:
        core = mark.rstrip()
        if not core or mark.count("\n", len(core)) >= 2:
            return True  # a blank line always ends a sentence
        following = text[nxt]
        if following.islower():
            return False
        if core[0] in "\u3002\uff01\uff1f" or core[0] != ".":
            return True
        if core.startswith(".."):
            return following.isupper()
        if following in "\u00a7,;:)":
            return False  # "U.S.C. § 1983", "Inc., ", "No. 5)"
        return self._period_ends_sentence(_word_before(text, start), text, nxt)

    def _period_ends_sentence(self, word: str, text: str, nxt: int) -> bool:
        bare = word.lstrip("(\"'\u201c\u2018[").lower()
        if not bare:
            return True
        if len(bare) == 1 and bare.isalpha():
            return False  # an initial: "J. Smith", "P. 12"
        if bare in SOFT_ABBREVIATIONS:
            return _next_word(text, nxt).lower() in STARTERS
        if bare in ABBREVIATIONS:
            return False
        if "." in bare:
            # "U.S." or "e.g." style: an abbreviation; it ends a sentence only
            # before a common sentence starter.
            if all(len(p) <= 2 for p in bare.split(".") if p):
                return _next_word(text, nxt).lower() in STARTERS
        return True


def _word_before(text: str, end: int) -> str:
    lo = max(0, end - 40)
    m = _WORD_BEFORE.search(text, lo, end)
    return m.group(1) if m else ""


def _next_word(text: str, pos: int) -> str:
    end = pos
    n = min(len(text), pos + 40)
    while end < n and text[end].isalpha():
        end += 1
    return text[pos:end]
