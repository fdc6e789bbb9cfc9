"""One document as the strategies see it (DocView), and what they share: refining cut
positions to a budget, overlap, and building chunk records.

The document is tokenized about once: `Tokenizer.spans(text)` gives exact
counts of any span `text[x:y]` (for tiktoken encodings from one encoding of the
document, see seamline.tokenizers.TiktokenSpans). A chunker works on cut
positions (unit boundaries, refined inside units over the budget) and asks the
span counter for candidate chunks, so `tokens` is always the exact count of the
chunk's text and never exceeds the budget, without re-tokenizing growing chunks.
"""
from __future__ import annotations

import bisect
import re
from typing import Callable, Iterable

from seamline.chunkers.cuts import INSIDE_UNIT, LEVELS, LevelCuts
from seamline.chunkers.documents import DocumentGroup
from seamline.chunkers.options import ChunkOptions, check_budget, check_overlap
from seamline.errors import InputError
from seamline.records import UnitGroup, make_unit
from seamline.streams import BLOCK_KINDS
from seamline.tokenizers import Tokenizer

CORE = ("doc", "seq", "kind", "start", "end", "text", "tokens")
_SPACE_RUN = re.compile(r"\s+")


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
        ready, group.prepared = group.prepared, None  # tokenized ahead by chunk_groups
        if ready is not None and ready[0] is tokenizer:
            self.text, self.spans = ready[1], ready[2].result()
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

    def closed_spans(self, positions: list[int]) -> list[tuple[int, int]]:
        """Sorted (start, end) of the units a chunk is never filled into: code blocks, tables and
        headings (a heading is the unit between two of `positions` that ends at a heading end)."""
        heading_ends = self.heading_ends()
        return sorted(self.block_spans() | {(positions[i - 1], p) for i, p in enumerate(positions)
                                            if i and p in heading_ends})

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


def inside(spans: list[tuple[int, int]], x: int, y: int) -> bool:
    """Whether [x, y) lies inside one of `spans` (sorted, not overlapping: they are units)."""
    i = bisect.bisect_right(spans, (x, float("inf"))) - 1
    return i >= 0 and spans[i][0] <= x and y <= spans[i][1]


def _split(view: DocView, x: int, y: int, budget: int, levels: tuple, hard: set[int] | None) -> list[int]:
    """Interior positions of [x, y) so that every piece fits."""
    for depth, level in enumerate(levels):
        cuts = level(view.text, x, y)
        if cuts:
            return refine(view, [x, *cuts, y], budget, levels[depth + 1:], hard)[1:-1]
    return view.token_cuts(x, y, budget)


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


def carried_fields(unit: dict) -> dict:
    """What a chunk keeps from its first unit: everything this stage does not own."""
    return {k: v for k, v in unit.items() if k not in CORE}


def boundary_scores(view: DocView, positions: list[int]) -> list[float]:
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


def group_text(group: UnitGroup) -> str:
    if isinstance(group, DocumentGroup):
        return group.text
    return "".join(u["text"] for u in group.units)
