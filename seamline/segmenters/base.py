"""What every segmenter shares: the protocol, tiling, and bounded pieces.

A segmenter only proposes where units start (`starts`). `tile` turns any such
proposal into spans that cover the text exactly, with whitespace between two
units given to the earlier one. So an engine cannot break losslessness, however
it treats whitespace or characters internally.
"""
from __future__ import annotations

import re
from typing import Iterable, Iterator, Protocol, runtime_checkable

_NOT_SPACE = re.compile(r"\S")
_PARA_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*")
_SENTENCE_END = re.compile(r"[.!?\u3002\uff01\uff1f][\"'\u201d\u2019)\]]*\s+")
_SPACE = re.compile(r"\s+")
DROPPED_MAX = 8  # align: at most this many non-space characters an engine may drop between two strings


class Segmenter(Protocol):
    name: str
    kind: str  # the unit kind it emits: sentence, paragraph, line, ...

    def starts(self, text: str) -> Iterable[int]:
        """Offsets where a unit starts, in any order; 0 and len(text) may be left out."""
        ...



# Optional capabilities. A segmenter has one by having its methods (checked with
# isinstance); the stages use it when it is there and fall back when it is not.

@runtime_checkable
class Annotating(Protocol):
    """Units that carry fields of their own (legal `path`/`heading`/`level`, topic `score`)."""

    def annotated(self, text: str) -> list[tuple[int, int, dict]]:
        """Spans that tile the text (build them with `tile`), each with the fields to add to its
        unit. The stream checks the tiling."""
        ...


@runtime_checkable
class BatchedStarts(Protocol):
    """Several short texts at once (a vectorized pass has a fixed cost a short text does not repay)."""

    def starts_many(self, texts: list[str]) -> list:
        """`starts(t)` for each text, in order."""
        ...


@runtime_checkable
class WindowedStarts(Protocol):
    """The starts near a point from a window of text, so a chunker need not segment the rest."""

    def last_start(self, text: str, q: int, floor: int = 0) -> int:
        """The last unit start at or before q (floor: a start known to be at or before q)."""
        ...

    def next_start(self, text: str, q: int, floor: int = 0) -> int:
        """The first unit start after q (len(text) if none)."""
        ...


def window_from_tokens(segmenter: WindowedStarts) -> int:
    """The chunk budget from which a windowed engine's windows pay (an optional `window_from_tokens`
    attribute: windows cost more than a whole-text pass when chunks are short); 0 if it names none."""
    return getattr(segmenter, "window_from_tokens", 0)


@runtime_checkable
class ThreadSafe(Protocol):
    """`thread_safe = True`: starts() keeps no state between calls, so it may run on a worker thread."""

    thread_safe: bool


def is_thread_safe(segmenter) -> bool:
    return isinstance(segmenter, ThreadSafe) and segmenter.thread_safe is True


def tile(text: str, starts: Iterable[int]) -> list[tuple[int, int]]:
    """Spans that tile `text`, cut at the given starts moved past whitespace."""
    edges = [0, *cut_points(text, starts), len(text)]
    return list(zip(edges, edges[1:]))


def cut_points(text: str, starts: Iterable[int]) -> list[int]:
    """The inner cuts `tile` makes: starts moved past whitespace, inside the text, sorted, unique."""
    return tile_starts(text, starts)[1:].tolist()


def tile_starts(text: str, starts: Iterable[int]):
    """The one tiling rule, as an array of unit starts (0 first): the given starts inside the
    text, each on whitespace moved past it (whitespace goes with the earlier unit), sorted, unique.
    `tile` and `cut_points` are views of it; `chunk` keeps the array for a long document."""
    import numpy as np

    n = len(text)
    s = np.unique(np.fromiter((int(v) for v in starts), dtype=np.int64))
    s = s[(s > 0) & (s < n)]
    moved = [i for i, v in enumerate(s.tolist()) if text[v].isspace()]
    if moved:
        for i in moved:
            m = _NOT_SPACE.search(text, int(s[i]))
            s[i] = m.start() if m else n
        s = np.unique(s[s < n])
    return np.concatenate([np.zeros(1, dtype=np.int64), s])


def pieces(text: str, limit: int) -> Iterator[tuple[int, str]]:
    """Split text into pieces of at most `limit` characters, as (offset, piece).

    Wrapped engines whose cost grows faster than linearly (pysbd) or that cap
    their input (spaCy) get bounded pieces. Cuts fall at paragraph breaks first,
    then at the last sentence-like end or line break before the limit, then at
    any whitespace, and only as a last resort inside a word.
    """
    pos, n = 0, len(text)
    while pos < n:
        if n - pos <= limit:
            yield pos, text[pos:]
            return
        end = _cut_before(text, pos, pos + limit)
        yield pos, text[pos:end]
        pos = end


def _cut_before(text: str, lo: int, hi: int) -> int:
    window = text[lo:hi]
    for pattern in (_PARA_BREAK, _SENTENCE_END, re.compile(r"\n"), _SPACE):
        last = None
        for last in pattern.finditer(window, len(window) // 2):
            pass
        if last is not None and last.end() < len(window):
            return lo + last.end()
    return hi


def align(piece: str, sentences: Iterable[str]) -> list[int]:
    """Offsets in `piece` where each of an engine's output strings starts.

    Engines that return strings rather than offsets may normalise or drop
    characters (pysbd does). Each string is first looked up verbatim after the
    previous one, a few dropped characters away at most; failing that, the start is found by counting the
    non-whitespace characters the previous strings consumed.
    """
    out: list[int] = []
    pos = 0
    for sent in sentences:
        core = sent.strip()
        if not core:
            continue
        found = piece.find(core[:40], pos)
        # a few characters skipped are ones the engine dropped (pysbd drops "?!" runs);
        # a long stretch means the string was rewritten and matched a later repeat
        if found < 0 or _count_nonspace(piece, pos, found) > DROPPED_MAX:
            found = _skip_nonspace(piece, pos, 0)
        out.append(found)
        pos = _skip_nonspace(piece, found, sum(1 for c in core if not c.isspace()))
    return out


def _count_nonspace(text: str, lo: int, hi: int) -> int:
    return sum(1 for c in text[lo:hi] if not c.isspace())


def _skip_nonspace(text: str, pos: int, count: int) -> int:
    """Position after `count` non-whitespace characters from pos (at the next one if 0)."""
    n = len(text)
    while pos < n and text[pos].isspace():
        pos += 1
    while count > 0 and pos < n:
        if not text[pos].isspace():
            count -= 1
        pos += 1
    return pos
