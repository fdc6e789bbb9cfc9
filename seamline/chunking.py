"""Token-bounded chunks from units, and merging of small chunks.

The document is tokenized about once: `Tokenizer.spans(text)` gives exact
counts of any span `text[x:y]` (for tiktoken encodings from one encoding of the
document, see seamline.tokenizers.TiktokenSpans). A chunker works on cut
positions (unit boundaries, refined inside units over the budget) and asks the
span counter for candidate chunks, so `tokens` is always the exact count of the
chunk's text and never exceeds the budget, without re-tokenizing growing chunks.

The older piece helpers (`fit_pieces`, `group_pieces`) stay for callers that
build on them; they count each unit once and re-count joined groups.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator

from seamline.errors import InputError, UsageError
from seamline.pipeline import BLOCK_KINDS, block_marks, heading_marks
from seamline.records import Document, UnitGroup, make_unit, page_ranges, split_meta, widen_page_spans
from seamline.segmenters.base import cut_points
from seamline.tokenizers import ANCHOR_SAFE_PATTERNS, TiktokenSpans, TiktokenTokenizer, Tokenizer

CORE = ("doc", "seq", "kind", "start", "end", "text", "tokens")
JoinRule = Callable[[int, int], bool]


@dataclass
class ChunkOptions:
    """Everything a chunking strategy may use; each strategy reads what it needs."""

    max_tokens: int = 512
    min_tokens: int = 0
    overlap: int = 0
    threshold: float | None = None
    target: int | None = None
    with_headings: bool = False
    length_penalty: float = 1.0


def check_budget(max_tokens: int, min_tokens: int = 0) -> None:
    if max_tokens < 1:
        raise UsageError(f"--max-tokens must be at least 1, got {max_tokens}")
    if min_tokens < 0 or min_tokens > max_tokens:
        raise UsageError(f"--min-tokens must be between 0 and --max-tokens ({max_tokens}), got {min_tokens}")


def check_overlap(max_tokens: int, overlap: int) -> None:
    if overlap < 0 or overlap >= max_tokens:
        raise UsageError(f"--overlap must be at least 0 and less than --max-tokens ({max_tokens}), got {overlap}")


# ---------------------------------------------------------------------------
# Cut positions at finer and finer levels, for text over the budget.

_CLAUSE_END = re.compile(r"[,;:\u2013\u2014)\]]+[\"'\u201d\u2019]*\s+|\s[-\u2013\u2014]+\s+")
_SPACE_RUN = re.compile(r"\s+")
_NOT_SPACE = re.compile(r"\S")


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


class DocView:
    """One document's units, text and span counter, shared by the strategies."""

    def __init__(self, group: UnitGroup, tokenizer: Tokenizer):
        import numpy as np
        self.group = group
        self.tokenizer = tokenizer
        self._unit_starts = None
        if isinstance(group, DocumentGroup):  # a document read by `chunk`: segmented only when asked
            self.offset = 0
        else:
            self._unit_starts = np.fromiter((u["start"] for u in group.units), dtype=np.int64,
                                            count=len(group.units))
            self.offset = int(self._unit_starts[0]) if len(group.units) else 0
        ready = _PREPARED.pop(id(group), None)  # tokenized ahead by chunk_groups
        if ready is not None and ready[0] is group and ready[1] is tokenizer:
            self.text, self.spans = ready[2], ready[3].result()
        else:
            self.text = group_text(group)
            self.spans = tokenizer.spans(self.text)

    @property
    def unit_starts(self):
        if self._unit_starts is None:
            self._unit_starts = self.group.unit_starts()
        return self._unit_starts

    def boundaries(self) -> list[int]:
        """Unit boundaries as offsets into self.text (0 ... len)."""
        return [int(s) - self.offset for s in self.unit_starts] + [len(self.text)]

    def heading_ends(self) -> set[int]:
        """Offsets (into self.text) where a unit that is a reader's heading ends.

        The Markdown, HTML and PDF readers record headings in the document's meta
        (on the first unit) and `segment` makes each one a unit of its own; a unit
        that starts where a heading starts and holds nothing more is one.
        """
        units = self.group.units
        if isinstance(self.group, DocumentGroup) or not units:
            return set()
        marks = (units[0].get("meta") or {}).get("headings")
        if not isinstance(marks, list):
            return set()
        spans = {h.get("start"): h.get("end") for h in marks if isinstance(h, dict)}
        ends = set()
        for unit in units:
            end = spans.get(unit["start"])
            if isinstance(end, int) and end > unit["start"] and not unit["text"][end - unit["start"]:].strip():
                ends.add(unit["end"] - self.offset)
        return ends

    def block_spans(self) -> set[tuple[int, int]]:
        """(start, end) offsets, into self.text, of the units that are code blocks or tables."""
        if isinstance(self.group, DocumentGroup):
            return set()
        return {(u["start"] - self.offset, u["end"] - self.offset) for u in self.group.units
                if u["kind"] in BLOCK_KINDS}

    def unit_at(self, x: int) -> int:
        import numpy as np
        return int(np.searchsorted(self.unit_starts, x + self.offset, side="right")) - 1

    def token_cuts(self, x: int, y: int, budget: int) -> list[int]:
        ends = self.tokenizer.cut(self.text[x:y], budget)
        return [x + e for e in ends[:-1]]


def refine(view: DocView, positions: list[int], budget: int, levels: Iterable[LevelCuts],
           hard: set[int] | None = None) -> list[int]:
    """Positions where every piece fits the budget: pieces over it are cut at finer levels.

    `levels` are tried in order inside a piece that is over the budget; the
    sub-pieces that are still over it go on to the next levels, and single
    tokens are the last resort. When `hard` is given, the edges of every piece
    that had to be cut are added to it (recursive chunking keeps the parts of a
    split paragraph together instead of mixing them with its neighbours).
    """
    levels = tuple(levels)
    upper = view.spans.upper(positions)
    if not len(upper) or int(upper.max()) <= budget:
        return positions
    out: list[int] = []
    for k in range(len(positions) - 1):
        x, y = positions[k], positions[k + 1]
        out.append(x)
        if upper[k] <= budget or view.spans.count(x, y) <= budget:
            continue
        if hard is not None:
            hard.update((x, y))
        out.extend(_split(view, x, y, budget, levels, hard))
    out.append(positions[-1])
    return out


def _split(view: DocView, x: int, y: int, budget: int, levels: tuple, hard: set[int] | None) -> list[int]:
    """Interior positions of [x, y) so that every piece fits."""
    for depth, level in enumerate(levels):
        cuts = level(view.text, x, y)
        if cuts:
            return refine(view, [x, *cuts, y], budget, levels[depth + 1:], hard)[1:-1]
    return view.token_cuts(x, y, budget)


# ---------------------------------------------------------------------------
# Greedy packing over cut positions.

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


def add_overlap(view: DocView, chunks: list[tuple[int, int, int]], overlap: int,
                max_tokens: int) -> list[tuple[int, int, int]]:
    """Start each chunk earlier, at a word start, to share up to `overlap` tokens with the one before.

    The chunks were packed to max_tokens - overlap, so the extended chunk
    usually fits; its exact count is checked and the start moved forward if not.
    """
    if overlap <= 0 or len(chunks) < 2:
        return chunks
    spans, text = view.spans, view.text
    out = [chunks[0]]
    for (prev_start, _, _), (start, end, tokens) in zip(chunks, chunks[1:]):
        lo = max(prev_start, start - 16 * overlap - 64)
        # never the previous chunk's own start: a chunk must not swallow the one before
        candidates = [m.end() for m in _SPACE_RUN.finditer(text, lo, start) if prev_start < m.end() < start]
        best = (start, tokens)
        lo_i, hi_i = 0, len(candidates) - 1
        while lo_i <= hi_i:  # the earliest candidate sharing at most `overlap` tokens
            mid = (lo_i + hi_i) // 2
            if spans.count(candidates[mid], start) <= overlap:
                hi_i = mid - 1
            else:
                lo_i = mid + 1
        for cand in candidates[lo_i:]:
            total = spans.count(cand, end)
            if total <= max_tokens and spans.count(cand, start) <= overlap:
                best = (cand, total)
                break
        out.append((best[0], end, best[1]))
    return out


def to_records(view: DocView, chunks: list[tuple[int, int, int]], kind: str = "chunk") -> list[dict]:
    """Chunk records; each keeps the fields of the unit its start falls in."""
    import numpy as np
    group, text, off = view.group, view.text, view.offset
    firsts = (np.searchsorted(view.unit_starts, np.fromiter((c[0] + off for c in chunks), dtype=np.int64,
                                                            count=len(chunks)), side="right") - 1).tolist()
    out = []
    for seq, ((x, y, tokens), first) in enumerate(zip(chunks, firsts)):
        unit = group.units[first]
        extra = carried_fields(unit)
        if unit["start"] != x + off:
            extra.pop("score", None)  # the unit's boundary score says nothing about a cut inside it
        out.append(make_unit(group.doc, seq, kind, x + off, y + off, text[x:y], tokens=tokens, **extra))
    return out


def unit_positions(view: DocView, budget: int) -> list[int]:
    """Unit boundaries, with units over the budget cut at clauses, words, then tokens.

    A code block or table over the budget (units of kind `code` or `table`,
    which segment makes from a reader's meta.blocks) is cut at line ends only,
    then tokens: a clause cut would split a command or a table row.
    """
    positions = view.boundaries()
    blocks = view.block_spans()
    if blocks:
        positions = _cut_blocks(view, positions, budget, blocks)
    return refine(view, positions, budget, INSIDE_UNIT)


def _cut_blocks(view: DocView, positions: list[int], budget: int, blocks: set[tuple[int, int]]) -> list[int]:
    out: list[int] = []
    for x, y in zip(positions, positions[1:]):
        out.append(x)
        if (x, y) in blocks and view.spans.count(x, y) > budget:
            out.extend(_split(view, x, y, budget, (LEVELS["line"],), None))
    out.append(positions[-1])
    return out


def chunk_with_overlap(view: DocView, options: ChunkOptions,
                       plan: Callable[[DocView, int], list[tuple[int, int, int]]]) -> list[dict]:
    """Run a tiling plan at a budget that leaves room for the overlap, then add the overlap."""
    check_budget(options.max_tokens)
    check_overlap(options.max_tokens, options.overlap)
    core = options.max_tokens - options.overlap
    while True:
        try:
            chunks = plan(view, core)
            break
        except InputError:
            # One character needs more tokens than the room the overlap leaves
            # ("日" is 2 tokens; --max-tokens 4 --overlap 3 leaves 1): give the
            # chunks more room and the overlap less. The bound still holds.
            if core >= options.max_tokens:
                raise
            core = min(options.max_tokens, 2 * core)
    return to_records(view, add_overlap(view, chunks, options.overlap, options.max_tokens))


# ---------------------------------------------------------------------------
# Strategies and the older helpers.

def fit_pieces(group: UnitGroup, tokenizer: Tokenizer, budget: int) -> tuple[list[tuple[int, int, int]], list[int]]:
    """(start, end, unit index) pieces, none over budget, and their exact counts."""
    units = group.units
    counts = tokenizer.count_many([u["text"] for u in units])
    pieces: list[tuple[int, int, int]] = []
    piece_counts: list[int] = []
    for index, (unit, n) in enumerate(zip(units, counts)):
        if n <= budget:
            pieces.append((unit["start"], unit["end"], index))
            piece_counts.append(n)
            continue
        start = unit["start"]
        for end in tokenizer.cut(unit["text"], budget):
            text = unit["text"][start - unit["start"]:end]
            pieces.append((start, unit["start"] + end, index))
            piece_counts.append(tokenizer.count(text))
            start = unit["start"] + end
    return pieces, piece_counts


def group_pieces(text: str, offset: int, pieces: list[tuple[int, int, int]], counts: list[int],
                 tokenizer: Tokenizer, budget: int, join: JoinRule) -> Iterator[tuple[int, int, int]]:
    """Greedy groups (first piece, end piece, exact tokens) whose exact count fits the budget.

    `text` holds the document from `offset` on; piece offsets are document offsets.
    """
    i, n = 0, len(pieces)
    while i < n:
        j, total = i + 1, counts[i]
        while j < n and join(total, counts[j]):
            total += counts[j]
            j += 1
        exact = counts[i] if j == i + 1 else tokenizer.count(text[pieces[i][0] - offset:pieces[j - 1][1] - offset])
        while exact > budget:  # rare: joining changed the count; give back the last piece
            j -= 1
            exact = counts[i] if j == i + 1 else tokenizer.count(text[pieces[i][0] - offset:pieces[j - 1][1] - offset])
        yield i, j, exact
        i = j


def carried_fields(unit: dict) -> dict:
    """What a chunk keeps from its first unit: everything this stage does not own."""
    return {k: v for k, v in unit.items() if k not in CORE}


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


def merge(group: UnitGroup, tokenizer: Tokenizer, max_tokens: int, min_tokens: int) -> list[dict]:
    """Join neighbours while one of them is under min_tokens and the join fits max_tokens."""
    check_budget(max_tokens, min_tokens)
    view = DocView(group, tokenizer)
    positions = unit_positions(view, max_tokens)
    count = view.spans.indexed(positions)
    out = []
    i, n = 0, len(positions) - 1
    while i < n:
        j, tokens = i + 1, count(i, i + 1)
        while j < n:
            nxt = count(j, j + 1)
            if not (tokens < min_tokens or nxt < min_tokens):
                break
            joined = count(i, j + 1)
            if joined > max_tokens:
                break
            j, tokens = j + 1, joined
        out.append((positions[i], positions[j], tokens))
        i = j
    return _merged_records(view, out)


def merge_weakest(group: UnitGroup, tokenizer: Tokenizer, max_tokens: int, target: int) -> list[dict]:
    """Meta-Chunking's dynamic merging, led by boundary scores.

    Neighbours are joined across the weakest boundary first (lowest `score`,
    the earlier one on ties, so units without scores are merged left to right),
    while one of the two is under `target` tokens and the join fits max_tokens.
    A boundary that fails once can never pass later (chunks only grow), so
    each boundary is looked at once.
    """
    import heapq
    check_budget(max_tokens, target)
    view = DocView(group, tokenizer)
    positions = unit_positions(view, max_tokens)
    count = view.spans.indexed(positions)
    n = len(positions) - 1
    score_at = _boundary_scores(view, positions)
    end_of = list(range(1, n + 1))     # chunk starting at position k ends at end_of[k]
    start_of = list(range(0, n))       # chunk ending at position k+1 starts at start_of[k]
    tokens = [count(k, k + 1) for k in range(n)]  # by start position
    heap = [(score_at[k], k) for k in range(1, n)]
    heapq.heapify(heap)
    while heap:
        _, k = heapq.heappop(heap)
        left, right_end = start_of[k - 1], end_of[k]
        if tokens[left] >= target and tokens[k] >= target:
            continue
        joined = count(left, right_end)
        if joined > max_tokens:
            continue
        end_of[left], start_of[right_end - 1], tokens[left] = right_end, left, joined
    chunks, k = [], 0
    while k < n:
        chunks.append((positions[k], positions[end_of[k]], tokens[k]))
        k = end_of[k]
    return _merged_records(view, chunks)


def _boundary_scores(view: DocView, positions: list[int]) -> list[float]:
    """Each position's boundary score: its unit's `score`, 0 where none is given."""
    import numpy as np
    starts = set(view.boundaries())
    firsts = np.searchsorted(view.unit_starts, np.asarray(positions, dtype=np.int64) + view.offset,
                             side="right") - 1
    out = []
    for p, u in zip(positions, firsts.tolist()):
        value = view.group.units[u].get("score") if p in starts else None
        if value is not None and (not isinstance(value, (int, float)) or isinstance(value, bool)):
            raise InputError(f"unit {view.group.doc!r} seq {u}: 'score' must be a number or null, got {value!r}",
                             view.group.source, view.group.line)
        out.append(float(value) if value is not None else 0.0)
    return out


def _merged_records(view: DocView, chunks: list[tuple[int, int, int]]) -> list[dict]:
    """A chunk made of exactly one input unit keeps that unit's kind."""
    records = to_records(view, chunks)
    bounds = set(view.boundaries())
    for rec, (x, y, _) in zip(records, chunks):
        u = view.unit_at(x)
        unit = view.group.units[u]
        if x in bounds and unit["end"] == y + view.offset:
            rec["kind"] = unit["kind"]
    return records


def group_text(group: UnitGroup) -> str:
    if isinstance(group, DocumentGroup):
        return group.text
    return "".join(u["text"] for u in group.units)


class LazyUnits(Sequence):
    """The units of a document as `segment_document` would build them, made only when looked at.

    Chunking a document touches few of its units (the one each chunk starts in),
    so the hundreds of thousands of sentence records of a book are never built.
    """

    def __init__(self, doc: Document, starts, kind: str, meta_mode: str):
        self.doc, self.starts, self.kind, self.meta_mode = doc, starts, kind, meta_mode
        self.carried, self.document_level = split_meta(doc.meta)

    def __len__(self) -> int:
        return len(self.starts)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        n = len(self.starts)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError(i)
        start = int(self.starts[i])
        end = int(self.starts[i + 1]) if i + 1 < n else len(self.doc.text)
        unit = make_unit(self.doc.id, i, self.kind, start, end, self.doc.text[start:end])
        if self.meta_mode != "none":  # as records.units_from_spans (documents here have no pages)
            meta = dict(self.carried) if (self.meta_mode == "all" or i == 0) else {}
            if i == 0:
                meta.update(self.document_level)
            if meta:
                unit["meta"] = meta
        return unit


class DocumentGroup:
    """A document to chunk, segmented on first use into an array of unit starts.

    Used for documents without headings or pages whose segmenter only proposes
    starts: their units carry nothing but the document's meta, so the chunk
    records come out as from `segment_document`, without building every unit.
    Segmenting on first use lets `chunk_groups` start tokenizing the document
    on the second thread before its segmentation begins.
    """

    def __init__(self, doc: Document, segmenter, meta_mode: str):
        self.doc, self.text, self.source, self.line = doc.id, doc.text, doc.source, doc.line
        self._document, self._segmenter, self._meta_mode = doc, segmenter, meta_mode
        self._units: LazyUnits | None = None

    def unit_starts(self):
        return self.units.starts

    @property
    def segmenter(self):
        return self._segmenter

    def segment_ahead(self, strategy: str, budget: int | None = None) -> bool:
        """Whether `chunk_groups` may segment the whole document on a worker thread (it will be needed)."""
        windowed = strategy == "pack" and self.by_window(budget)
        return getattr(self._segmenter, "thread_safe", False) and not windowed

    def by_window(self, budget: int | None = None) -> bool:
        """Whether the engine can give the starts near a point without the rest (see WindowPacker).

        An engine whose windows cost more than its whole-text pass for short
        chunks names the budget from which they pay (`window_from_tokens`).
        """
        if not all(hasattr(self._segmenter, name) for name in ("last_start", "next_start")):
            return False
        return budget is None or budget >= getattr(self._segmenter, "window_from_tokens", 0)

    def records(self, chunks: list[tuple[int, int, int]], first_end: int) -> list[dict]:
        """Chunk records carrying the meta of the unit each starts in, without the units themselves."""
        carried, document_level = split_meta(self._document.meta)
        mode = self._meta_mode
        out = []
        for seq, (x, y, tokens) in enumerate(chunks):
            first = x < first_end or x == 0
            extra = {}
            if mode != "none":
                meta = dict(carried) if (mode == "all" or first) else {}
                if first:
                    meta.update(document_level)
                if meta:
                    extra["meta"] = meta
            out.append(make_unit(self.doc, seq, "chunk", x, y, self.text[x:y], tokens=tokens, **extra))
        return out

    @property
    def units(self) -> LazyUnits:
        if self._units is None:
            self._units = LazyUnits(self._document, _tile_starts(self.text, self._segmenter.starts(self.text)),
                                    self._segmenter.kind, self._meta_mode)
        return self._units


def _tile_starts(text: str, starts) -> "np.ndarray":
    """Unit starts (0 first) of `segmenters.tile`'s spans, as an array."""
    import numpy as np
    n = len(text)
    if not n:
        return np.zeros(1, dtype=np.int64)
    s = np.asarray(sorted(set(starts)), dtype=np.int64)
    s = s[(s > 0) & (s < n)]
    moved = [i for i, v in enumerate(s.tolist()) if text[v].isspace()]
    if moved:  # a start on whitespace moves past it (whitespace goes with the earlier unit)
        for i in moved:
            m = _NOT_SPACE.search(text, int(s[i]))
            s[i] = m.start() if m else n
        s = np.unique(s[s < n])
    return np.concatenate([[0], s]).astype(np.int64)


def can_defer(doc: Document, segmenter) -> bool:
    """Whether a document's units can be left to DocumentGroup (no headings, pages or unit fields)."""
    if getattr(segmenter, "annotated", None) is not None or heading_marks(doc) or block_marks(doc):
        return False
    return not page_ranges(split_meta(doc.meta)[1].get("pages"))


def document_groups(items: Iterable, segmenter_for_documents: Callable, meta_mode: str = "all",
                    prefetch: bool = False):
    """As pipeline.unit_groups, but documents that allow it come as DocumentGroup."""
    from seamline.pipeline import Groups, segment_document
    from seamline.records import document_from_record

    made: list = []

    def to_group(item):
        doc = document_from_record(item.value, item.source, item.line)
        if not made:
            made.append(segmenter_for_documents())
        if can_defer(doc, made[0]):
            return DocumentGroup(doc, made[0], meta_mode)
        return UnitGroup(doc.id, segment_document(doc, made[0], meta_mode), item.source, item.line)

    return Groups(items, to_group, prefetch)


# Documents counted ahead of the one being chunked, each on its own thread (two
# ahead kept both cores busy on the corpus benchmark; one left one idle).
AHEAD = 2
# id(group) -> (group, tokenizer, text, future of its span counter): documents
# that chunk_groups has started tokenizing; DocView picks them up.
_PREPARED: dict[int, tuple] = {}


def _counts_from_one_pass(tokenizer: Tokenizer) -> bool:
    return isinstance(tokenizer, TiktokenTokenizer) and tokenizer.enc._pat_str in ANCHOR_SAFE_PATTERNS


def chunk_groups(groups: Iterable[UnitGroup], tokenizer: Tokenizer, options: ChunkOptions,
                 strategy: str = "pack") -> Iterator[list[dict]]:
    """Chunk each document while the next AHEAD documents are counted on other threads.

    Counting (seamline.anchors) is mostly NumPy and tiktoken, which release the
    GIL, so counting documents k+1 and k+2 overlaps with segmenting and
    chunking document k and writing its records. At most AHEAD + 1 documents
    are held at once.
    """
    from concurrent.futures import ThreadPoolExecutor

    from seamline.chunkers import get_strategy

    strategy_run = get_strategy(strategy)

    def run(group, tokenizer, options):
        chunks = strategy_run(group, tokenizer, options)
        return widen_page_spans(chunks, group.units) if isinstance(group, UnitGroup) else chunks

    if not _counts_from_one_pass(tokenizer):  # only then is there real work to move to a second thread
        for group in groups:
            yield run(group, tokenizer, options)
        return
    def prepare(group, text):
        spans = tokenizer.spans(text)
        if isinstance(group, DocumentGroup) and group.segment_ahead(strategy, options.max_tokens - options.overlap):
            group.units  # noqa: B018  (segmented here, off the thread that chunks)
        return spans

    from collections import deque
    pending: deque = deque()
    ready = getattr(groups, "ready", None)
    source = iter(groups)
    with ThreadPoolExecutor(max_workers=AHEAD) as pool:
        try:
            while True:
                # read ahead only what is there already: a document the input has not
                # finished waits, the documents held meanwhile go out
                while pending and ready is not None and not ready():
                    yield run(pending.popleft(), tokenizer, options)
                try:
                    group = next(source, None)
                except Exception:  # a bad record: the good documents before it go out first
                    while pending:
                        yield run(pending.popleft(), tokenizer, options)
                    raise
                if group is None:
                    break
                text = group_text(group)
                _PREPARED[id(group)] = (group, tokenizer, text, pool.submit(prepare, group, text))
                pending.append(group)
                if len(pending) > AHEAD:
                    yield run(pending.popleft(), tokenizer, options)
            while pending:
                yield run(pending.popleft(), tokenizer, options)
        finally:
            _PREPARED.clear()
            getattr(groups, "close", lambda: None)()
