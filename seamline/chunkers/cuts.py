"""Cut positions at finer and finer levels (paragraph, line, sentence, clause, word), for text over a budget.

A level is a function (text, x, y) -> offsets strictly inside [x, y) where a piece may be cut.
"""
from __future__ import annotations

import re
from typing import Callable

_CLAUSE_END = re.compile(r"[,;:\u2013\u2014)\]]+[\"'\u201d\u2019]*\s+|\s[-\u2013\u2014]+\s+")
_SPACE_RUN = re.compile(r"\s+")
_PARAGRAPH_START = re.compile(r"\n[ \t]*\n\s*$")  # searched in the text just before a position


def paragraph_start(text: str, p: int) -> bool:
    """Whether a paragraph starts at p: a blank line (and any spaces) just before it."""
    return bool(_PARAGRAPH_START.search(text, max(0, p - 64), p))


def _starts_after(pattern: re.Pattern, text: str, x: int, y: int) -> list[int]:
    return [m.end() for m in pattern.finditer(text, x, y) if x < m.end() < y]


def _segmenter_cuts(level: str, engine: str | None = None):
    """Cuts from a registered segmenter (built once, on first use)."""
    made: list = []

    def cuts(text: str, x: int, y: int) -> list[int]:
        from seamline.segmenters import get_segmenter, tile
        if not made:
            made.append(get_segmenter(level, engine))
        piece = text[x:y]
        spans = tile(piece, made[0].starts(piece))
        return [x + s for s, _ in spans[1:]]
    return cuts


def clause_cuts(text: str, x: int, y: int) -> list[int]:
    """After a comma, semicolon, colon, dash or closing bracket and the whitespace that follows."""
    return _starts_after(_CLAUSE_END, text, x, y)


def word_cuts(text: str, x: int, y: int) -> list[int]:
    """After each run of whitespace."""
    return _starts_after(_SPACE_RUN, text, x, y)


LevelCuts = Callable[[str, int, int], list[int]]
LEVELS: dict[str, LevelCuts] = {
    "paragraph": _segmenter_cuts("paragraph", "blankline"),
    "line": _segmenter_cuts("line", "newline"),
    "sentence": _segmenter_cuts("sentence", "rules"),
    "clause": clause_cuts,
    "word": word_cuts,
}
INSIDE_UNIT = (clause_cuts, word_cuts)  # how `pack` cuts a unit over the budget, before single tokens
