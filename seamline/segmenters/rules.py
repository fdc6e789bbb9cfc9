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
    r"(?=[.!?\u2026\u203d\u3002\uff01\uff1f\n])"                # (the first characters below: lets the scan skip ahead)
    r"(?:[.!?\u2026\u203d]+[\"'\u201d\u2019\u00bb)\]]*(?=\s)"  # . ! ? ... and closers, then space
    r"|[\u3002\uff01\uff1f]+[\u300d\u300f\uff09\"']*"            # CJK: no space needed
    r"|\n[ \t\r\f\v]*\n)"                                        # a blank line
    r"\s*"
)
_WORD_BEFORE = re.compile(r"(\S+)$")


class RuleSentences:
    name = "rules"
    kind = "sentence"
    languages = ("en",)  # its abbreviations and sentence starters are English
    thread_safe = True  # starts() keeps no state between calls: `chunk` may call it on a worker thread

    def __init__(self, lang: str = "en", **_options):
        self.lang = lang

    def starts(self, text: str) -> list[int]:
        return self.starts_between(text, 0, len(text))

    # Windowed questions (used by the `pack` chunker, which needs starts only where a chunk ends).
    # Every decision reads a few words around its candidate, so only the matching needs care: no
    # candidate match holds a letter or digit, so a scan begun just after one finds the same
    # matches as a scan from 0, and a scan that stops just after one misses none that start
    # before it. `floor` is 0 or a start of this engine below the window: a scan from 0 resumes
    # there after a match, so a scan may begin there too.

    def starts_between(self, text: str, lo: int, hi: int, floor: int = 0) -> list[int]:
        """The starts s of `starts(text)` with lo <= s < hi, reading only the text near them."""
        return [m.end() for m in self._window(text, lo, hi, floor) if self._decide(text, m)]

    def last_start(self, text: str, q: int, floor: int = 0) -> int:
        """The last start s <= q of `starts(text)`, or `floor` when there is none above it."""
        hi, width = q + 1, 64
        while hi > floor + 1:
            lo = max(floor + 1, hi - width)
            for m in reversed(list(self._window(text, lo, hi, floor))):
                if self._decide(text, m):
                    return m.end()
            hi, width = lo, width * 4
        return floor

    def next_start(self, text: str, q: int, floor: int = 0) -> int:
        """The first start s > q of `starts(text)`, or len(text) when there is none."""
        lo, width, n = q + 1, 128, len(text)
        while lo < n:
            hi = min(n, lo + width)
            for m in self._window(text, lo, hi, floor):
                if self._decide(text, m):
                    return m.end()
            lo, width = hi, width * 4
        return n

    def _window(self, text: str, lo: int, hi: int, floor: int):
        """The candidate matches whose end is in [lo, hi) and inside the text, in order."""
        n = len(text)
        floor = floor if floor < lo else 0
        pos = min(lo, n)
        while pos > floor and not text[pos - 1].isalnum():
            pos -= 1
        stop = max(hi - 1, pos)
        while stop < n and not text[stop].isalnum():
            stop += 1
        top = min(hi, n)
        for m in _CANDIDATE.finditer(text, pos, min(n, stop + 1)):
            end = m.end()
            if end >= top:
                break  # matches come in order: none after this one ends in the window
            if end >= lo:
                yield m

    def _decide(self, text: str, m) -> bool:
        return self._is_boundary(text, m.start(), m.group(), m.end())

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
