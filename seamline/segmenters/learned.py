"""seamline's default sentence engine: the learned boundary classifier.

Candidates are every gap between tokens and every letter glued to a sentence
end; a hashed logistic regression over the characters and words around each
candidate (abbreviations, citation shapes, initials, numbers, quotes and
brackets, line layout, capitalisation of what follows) decides. The weights
ship in seamline/models/sentences.npz and are rebuilt with
`python -m seamline.sbd.train`.

Windowed answers. A candidate is (e, s): e ends the token before a gap of
whitespace (of any length) and s starts the next token (e == s for a letter
glued to a sentence end). Its decision reads only text[e - before : s + after],
where before and after are the model's context bounds (every feature reads a
bounded number of characters: tokens are capped at MAX_TOKEN characters, the
line length at MAX_LINE, the token before at MAX_TOKEN after at most 8 spaces;
see `context_bounds`). Starts grow with e, so the starts in [lo, hi) are those
of the candidates with e between the start of the whitespace run before lo and
hi, decided on that stretch of text with the context around it. The answers are
those of `starts(text)` (tests compare them on every shared corpus and on
generated text, and check the bound against the kernel's own feature code).
"""
from __future__ import annotations

import bisect

from seamline.errors import UsageError

WINDOW_BLOCK = 1024  # candidates are decided in blocks of this many characters of e (and kept per text)


def context_bounds(model) -> tuple[int, int]:
    """(before, after): how far a decision reads before a candidate's e and from its s (the model's own bounds).

    A model that names its bounds (`context_before`, `context_after`) is taken at
    its word; otherwise the bounds of the shipped kernel's features: the line
    length is measured up to MAX_LINE characters back, the token before the left
    one reaches 2 * MAX_TOKEN + 8 back, and the next token MAX_TOKEN forward.
    """
    from seamline.kernels.sentences import MAX_LINE, MAX_TOKEN
    before = getattr(model, "context_before", None)
    after = getattr(model, "context_after", None)
    if before is None:
        before = max(MAX_LINE, 2 * MAX_TOKEN + 8) + 1
    if after is None:
        after = MAX_TOKEN + 1
    return int(before), int(after)


class LearnedSentences:
    name = "learned"
    kind = "sentence"
    # one model for the languages of its training data; --lang only checks that it is one of them
    languages = ("en", "fr", "de", "es", "it", "pt")
    thread_safe = True  # starts() keeps no state between calls: `chunk` may call it on a worker thread
    # `pack` asks for windows (last_start, next_start) only when chunks are this many tokens or more:
    # deciding one block of 1,024 characters costs as much as about 15 KB of the whole-text pass (NumPy's
    # fixed cost per call), so windows save work only for long chunks (benchmarks/windows.py, table in
    # docs/performance.md: 0.35x the speed of the whole-text pass at 512 tokens, about even at 1,536,
    # 1.5x at 2,048, 2.2x at 4,096).
    window_from_tokens = 1536

    cascade = False  # the second stage for close calls (LearnedCascadeSentences)

    def __init__(self, model: str | None = None, **_options):
        from seamline.sbd.model import SentenceModel, shared_model
        try:
            self.model = SentenceModel.load(model, self.cascade) if model else shared_model(self.cascade)
        except (OSError, KeyError, ValueError) as exc:
            raise UsageError(f"cannot load sentence model {model or 'seamline/models/sentences.npz'}: {exc}")
        self._text = None           # the text whose blocks are kept
        self._blocks: dict = {}     # block index -> sorted list of starts

    def starts(self, text: str):
        return self.model.starts(text).tolist()

    def starts_many(self, texts: list[str]) -> list[list[int]]:
        """`starts` of each of several short texts, in one pass (the same starts, tested)."""
        return [found.tolist() for found in self.model.starts_many(texts)]

    # Windowed questions (the `pack` chunker needs starts only where chunks end). Not thread-safe:
    # the blocks of the last text asked about are kept.

    def starts_between(self, text: str, lo: int, hi: int, floor: int = 0) -> list[int]:
        """The starts s of `starts(text)` with lo <= s < hi."""
        out: list[int] = []
        lo, hi = max(lo, 0), min(hi, len(text))
        if lo >= hi:
            return out
        for b in range(self._first_block(text, lo), (hi - 1) // WINDOW_BLOCK + 1):
            out.extend(s for s in self._block(text, b) if lo <= s < hi)
        return out

    def last_start(self, text: str, q: int, floor: int = 0) -> int:
        """The last start s <= q of `starts(text)`, or `floor` when there is none above it."""
        b = min(q, len(text) - 1) // WINDOW_BLOCK
        while b >= 0 and (b + 1) * WINDOW_BLOCK > floor:
            found = self._block(text, b)
            k = bisect.bisect_right(found, q)
            if k and found[k - 1] > floor:
                return found[k - 1]
            if k:
                return floor
            b -= 1
        return floor

    def next_start(self, text: str, q: int, floor: int = 0) -> int:
        """The first start s > q of `starts(text)`, or len(text) when there is none."""
        n = len(text)
        if q + 1 >= n:
            return n
        for b in range(self._first_block(text, q + 1), (n - 1) // WINDOW_BLOCK + 1):
            found = self._block(text, b)
            k = bisect.bisect_right(found, q)
            if k < len(found):
                return found[k]
        return n

    def _first_block(self, text: str, lo: int) -> int:
        """The block of the first candidate whose start can be >= lo (back over the whitespace before lo)."""
        import numpy as np
        from seamline.sbd.vectorized import codes_of
        space = self._tables().is_space
        e = lo
        while e > 0:  # the candidate starting at or after lo may have its e back at the start of a gap
            a = max(0, e - 256)
            codes = codes_of(text[a:e])
            solid = np.flatnonzero(~space[np.minimum(codes, len(space) - 1)])
            if solid.size:
                e = a + int(solid[-1]) + 1
                break
            e = a
        return max(e, 1) // WINDOW_BLOCK if e < lo else lo // WINDOW_BLOCK

    def _block(self, text: str, b: int) -> list[int]:
        """Starts of the candidates whose e is in block b, decided on the block and its context."""
        if text is not self._text:
            self._text, self._blocks = text, {}
        found = self._blocks.get(b)
        if found is None:
            found = self._blocks[b] = self._decide(text, b * WINDOW_BLOCK, (b + 1) * WINDOW_BLOCK)
        return found

    def _decide(self, text: str, a: int, b: int) -> list[int]:
        from seamline.sbd import vectorized as V
        n = len(text)
        b = min(b, n)
        if a >= b or n < 2:
            return []
        before, after = context_bounds(self.model)
        tables = self._tables()
        # every candidate with e < b has its s at or before the first non-space from b
        t = V._first_non_space(lambda x, y: V.codes_of(text[x:y]), n, tables, b)
        w0, w1 = max(0, a - before), min(n, t + after)
        return (V._block_starts(V.codes_of(text[w0:w1]), tables, a - w0, b - w0) + w0).tolist()

    def _tables(self):
        return self.model.vector_tables()


class LearnedCascadeSentences(LearnedSentences):
    """The learned model with its second stage: a small network over a wider context decides the
    candidates whose linear logit is close to the threshold (seamline.sbd.cascade).

    More accurate on unseen text, and slower: about 6% on long texts and 14% on
    small documents one call each (docs/sentences.md), so it is not the default.
    """
    name = "learned-cascade"
    cascade = True
