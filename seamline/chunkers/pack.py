"""The `pack` strategy: greedy chunks of consecutive units up to the budget.

`pack_positions` packs over cut positions whose pieces each fit; `WindowPacker`
does the same for a document whose engine answers for a window of text
(seamline.segmenters.base.WindowedStarts), without segmenting the rest.
"""
from __future__ import annotations

from typing import Iterable

from seamline.chunkers.cuts import INSIDE_UNIT
from seamline.chunkers.documents import DocumentGroup
from seamline.chunkers.options import ChunkOptions, check_budget, check_overlap
from seamline.chunkers.view import DocView, add_overlap, chunk_with_overlap, refine, unit_positions
from seamline.errors import InputError
from seamline.records import UnitGroup
from seamline.tokenizers import TiktokenSpans, Tokenizer


def pack_positions(view: DocView, positions: list[int], budget: int,
                   hard: Iterable[int] = ()) -> list[tuple[int, int, int]]:
    """Greedy chunks (start, end, exact tokens) over positions whose pieces each fit.

    Each chunk ends at the last position whose span fits: the counter's
    estimates find the candidate at once (for tiktoken they are lower bounds, so
    nothing after the candidate can fit), and exact counts settle it. A chunk
    never crosses a position in `hard`.
    """
    import bisect

    import numpy as np
    spans = view.spans
    p = np.asarray(positions, dtype=np.int64)
    ends, starts = (e.tolist() for e in spans.estimates(p))
    count = spans.indexed(p)
    n = len(p) - 1
    stops = sorted({int(i) for i in np.flatnonzero(np.isin(p, list(hard)))} | {n}) if hard else [n]
    heading_ends = view.heading_ends()
    out = []
    i, s = 0, 0
    while i < n:
        while stops[s] <= i:
            s += 1
        hi = stops[s]
        j = bisect.bisect_right(ends, budget + starts[i]) - 1
        j = min(max(j, i + 1), hi)
        # settle_end steps through indices here (positions may repeat: an empty text is [0, 0])
        j, tokens = settle_end(i, j, lambda k: count(i, k), lambda k: k + 1, lambda k: k - 1,
                               budget, spans.informative(positions[i], positions[j]))
        if tokens > budget:
            raise InputError(f"internal error: a piece of {view.group.doc!r} at offset {positions[i]} has "
                             f"{tokens} tokens, over {budget}; please report it", view.group.source, view.group.line)
        if not spans.lower_bounds:  # estimates may be low as well as high: try to grow
            while j < hi:
                more = count(i, j + 1)
                if more > budget:
                    break
                j, tokens = j + 1, more
        j, tokens = _before_trailing_headings(positions, i, j, tokens, heading_ends, count, budget)
        out.append((positions[i], positions[j], tokens))
        i = j
    return out


def settle_end(x: int, top: int, count, succ, pred, budget: int, probe_top: bool) -> tuple[int, int]:
    """Where a chunk from x ends: the last position up to `top` (the estimates' answer) whose span fits.

    `count(y)` is the exact count of the span x..y, `succ` and `pred` step through
    the positions (offsets, or indices into a list of them: only their order matters). When the estimates are informative (`probe_top`: the span holds
    an anchor) the answer is almost always `top` or the position before it. When
    they are not (a long run without anchors, such as CJK text or a base64 blob,
    where `top` may be the end of the document), stepping down from `top` would
    encode ever-shorter but huge spans: instead the end gallops up from the first
    position after x and is settled by bisection, so the spans encoded are at most
    about twice the chunk. (Counts nearly always grow with the span; the result
    is checked to fit either way.)
    """
    hi_pos = None  # a position known not to fit (exclusive bound); None: every position up to top may fit
    if probe_top or succ(x) >= top:
        tokens = count(top)
        if tokens <= budget:
            return top, tokens
        p = pred(top)
        if p <= x:
            return top, tokens  # not even one piece fits: the caller reports it
        tokens = count(p)
        if tokens <= budget:
            return p, tokens
        hi_pos = p
    bound = top if hi_pos is None else hi_pos
    seq = [succ(x)]

    def at(k: int):
        while len(seq) <= k and seq[-1] < bound:
            seq.append(succ(seq[-1]))
        if k >= len(seq):
            return None
        p = seq[k]
        return p if (p <= top if hi_pos is None else p < hi_pos) else None

    lo, lo_tokens = 0, count(seq[0])
    if lo_tokens > budget:
        return seq[0], lo_tokens
    step = 1
    while True:  # gallop
        p = at(lo + step)
        tokens = None if p is None else count(p)
        if tokens is None or tokens > budget:
            hi = lo + step
            break
        lo, lo_tokens, step = lo + step, tokens, step * 2
    while hi - lo > 1:  # bisect
        mid = (lo + hi) // 2
        p = at(mid)
        tokens = None if p is None else count(p)
        if tokens is not None and tokens <= budget:
            lo, lo_tokens = mid, tokens
        else:
            hi = mid
    return seq[lo], lo_tokens


def _before_trailing_headings(positions, i: int, j: int, tokens: int, heading_ends: set[int], count, budget: int):
    """End a chunk before the headings it would end with, so each heading opens the chunk of its section.

    Only when something else stays in the chunk and the shorter chunk's exact count fits.
    """
    k = j
    while k - 1 > i and positions[k] in heading_ends:
        k -= 1
    if k == j or positions[k] in heading_ends:
        return j, tokens
    shorter = count(i, k)
    return (k, shorter) if shorter <= budget else (j, tokens)


def pack(group: UnitGroup, tokenizer: Tokenizer, max_tokens: int, overlap: int = 0) -> list[dict]:
    """Consecutive units packed into chunks of at most max_tokens tokens."""
    return pack_strategy(group, tokenizer, ChunkOptions(max_tokens=max_tokens, overlap=overlap))


def pack_strategy(group: UnitGroup, tokenizer: Tokenizer, options: ChunkOptions) -> list[dict]:
    view = DocView(group, tokenizer)
    budget = options.max_tokens - options.overlap
    if isinstance(group, DocumentGroup) and group.by_window(budget) and isinstance(view.spans, TiktokenSpans):
        check_budget(options.max_tokens)
        check_overlap(options.max_tokens, options.overlap)
        plan = WindowPacker(view, group, options.max_tokens - options.overlap)
        chunks = add_overlap(view, plan.chunks(), options.overlap, options.max_tokens)
        return group.records(chunks, plan.first_unit_end())
    return chunk_with_overlap(view, options, lambda v, budget: pack_positions(v, unit_positions(v, budget), budget))


class WindowPacker:
    """`pack_positions` over `unit_positions` for a document whose engine answers for a window of text.

    Greedy packing needs a document's units only where a chunk ends: the counts
    say where the budget runs out, and the chunk ends at the last unit boundary
    before that. An engine with `last_start` and `next_start` (the `rules`
    engine, whose decisions each read a few words around their candidate) gives
    the starts near that point from a window of text, widened until it finds
    one, so most of the text is never segmented. Positions and chunks are those
    of the whole-document path (tests compare the two).
    """

    def __init__(self, view: DocView, group: "DocumentGroup", budget: int):
        self.view, self.seg, self.budget = view, group.segmenter, budget
        self.text, self.n = view.text, len(view.text)
        # memoryviews: bisect reads them as fast as lists, without making millions of ints up front
        self.before = memoryview(view.spans.before)
        self.anchor_list = memoryview(view.spans.anchors)
        self.sync = 0          # a start (or 0) at or before every chunk start still to come
        self._recent: list[tuple] = []

    def unit_around(self, q: int) -> tuple[int, int, list[int]]:
        """(s, e, inner) for the unit holding offset q: its start, its end, and its cuts if it is over the budget."""
        for unit in self._recent:
            if unit[0] <= q < unit[1]:
                return unit
        s = self.seg.last_start(self.text, q, self.sync)
        e = self.seg.next_start(self.text, q, s)
        inner = []
        if self.upper(s, e) > self.budget:
            inner = refine(self.view, [s, e], self.budget, INSIDE_UNIT)[1:-1]
        # a few units stay at hand: settle_end steps between the unit a chunk ends in and the next,
        # and a unit far over the budget (a blob without sentence ends) must not be cut again each time
        self._recent = [(s, e, inner), *self._recent[:3]]
        return self._recent[0]

    def upper(self, x: int, y: int) -> int:
        """TiktokenSpans.upper for one piece."""
        import bisect
        anchors, before = self.anchor_list, self.before
        ia = bisect.bisect_left(anchors, x)
        ib = bisect.bisect_right(anchors, y) - 1
        a, b = anchors[ia], anchors[ib]
        return before[ib] - before[ia] + 4 * ((a - x) + (y - b)) if a <= b else 4 * (y - x)

    def count(self, x: int, y: int) -> int:
        """TiktokenSpans.count with list bisection (the same numbers, less overhead per call)."""
        import bisect
        if y <= x:
            return 0
        anchors, before = self.anchor_list, self.before
        ia = bisect.bisect_left(anchors, x)
        ib = bisect.bisect_right(anchors, y) - 1
        a, b = anchors[ia], anchors[ib]
        tok, text = self.view.tokenizer, self.view.text
        if a > b:
            return tok.count(text[x:y])
        return ((tok.count_cached(text[x:a]) if a > x else 0) + before[ib] - before[ia]
                + (tok.count_cached(text[b:y]) if y > b else 0))

    def below(self, limit: int) -> tuple[int, int]:
        """The last position < limit, and the start of the unit it is in."""
        if limit > self.n:
            return self.n, self.n
        s, _, inner = self.unit_around(limit - 1)
        for cut in reversed(inner):
            if cut < limit:
                return cut, s
        return s, s

    def after(self, x: int) -> tuple[int, int]:
        """The first position after x, and the start of the unit it is in."""
        s, e, inner = self.unit_around(x)
        for cut in inner:
            if cut > x:
                return cut, s
        return e, e

    def chunks(self) -> list[tuple[int, int, int]]:
        import bisect
        budget, n = self.budget, self.n
        if n == 0:
            return [(0, 0, 0)]
        count, anchors, before = self.count, self.anchor_list, self.before
        out = []
        x = 0
        while x < n:
            # the last position whose lower-bound estimate fits (as pack_positions' bisect over its estimates)
            start_est = before[bisect.bisect_left(anchors, x)]
            k = bisect.bisect_right(before, budget + start_est) - 1
            limit = anchors[k + 1] if k + 1 < len(anchors) else n + 1
            top, unit = self.below(min(limit, n + 1))
            if top <= x:
                top, unit = self.after(x)
            units = {top: unit}

            def succ(p: int) -> int:
                q, u = self.after(p)
                units[q] = u
                return q

            def pred(p: int) -> int:
                q, u = self.below(p)
                units[q] = u
                return q

            y, tokens = settle_end(x, top, lambda y: count(x, y), succ, pred, budget,
                                   self.view.spans.informative(x, top))
            unit = units[y]
            if tokens > budget:
                raise InputError(f"internal error: a piece of {self.view.group.doc!r} at offset {x} has "
                                 f"{tokens} tokens, over {budget}; please report it", self.view.group.source,
                                 self.view.group.line)
            out.append((x, y, tokens))
            x, self.sync = y, max(self.sync, unit if unit < n else self.sync)
        return out

    def first_unit_end(self) -> int:
        """Where the document's first unit ends (the first unit carries the document-level meta)."""
        return self.seg.next_start(self.text, 0, 0) if self.n else 0
