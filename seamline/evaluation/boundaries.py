"""Where segments start, over characters, words or sentences.

Gold segments are trimmed and need not tile; predicted units tile and carry
whitespace at their ends. Both are compared at the first non-whitespace
character at or after each start, so the two meet on the same positions.
A word or sentence unit belongs to the segment its first character is in:
a boundary at character c falls before the first unit starting at or after c.
"""
from __future__ import annotations

import bisect
import re
from typing import Iterable, Sequence

_CONTENT = re.compile(r"\S")
_WORD = re.compile(r"\S+")
UNITS = ("char", "word", "sentence")


def first_content(text: str, pos: int) -> int:
    """The first non-whitespace offset at or after pos; len(text) when none."""
    if pos < len(text) and not text[pos].isspace():
        return pos
    found = _CONTENT.search(text, pos)
    return found.start() if found else len(text)


def char_boundaries(text: str, starts: Iterable[int]) -> list[int]:
    """Sorted, distinct boundaries from span starts: the first span's start and
    the end of the text are not boundaries."""
    n = len(text)
    opening = first_content(text, 0)
    found = {first_content(text, s) for s in starts}
    return sorted(b for b in found if opening < b < n)


def word_starts(text: str) -> list[int]:
    return [m.start() for m in _WORD.finditer(text)]


def span_starts(text: str, spans: Sequence[Sequence[int]]) -> list[int]:
    """Distinct content starts of spans (sentences): the units of --unit sentence."""
    return sorted({first_content(text, s) for s, _ in spans} - {len(text)})


def to_units(boundaries: Sequence[int], starts: Sequence[int]) -> list[int]:
    """Character boundaries as unit indices (0 < u < number of units), distinct."""
    n = len(starts)
    out: list[int] = []
    for b in boundaries:
        u = bisect.bisect_left(starts, b)
        if 0 < u < n and (not out or out[-1] != u):
            out.append(u)
    return out
