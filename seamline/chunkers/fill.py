"""`--strategy fill`: chunks as full as the budget allows, each ending at the best boundary near its end.

Where a chunk from x ends, the first of these that exists (each one fits):
the last paragraph start (after a blank line) if the chunk then holds at
least PARAGRAPH_FULL of the budget (80%); the last unit end (a sentence end,
by default) if it reaches FULL (99%); otherwise the chunk goes on into the
next unit and ends at its last clause end (after a comma, semicolon, colon,
dash or closing bracket) that reaches FULL, else at its last word end. The
next chunk starts there. A word longer than the budget is cut at token
boundaries. A code block or table (units of kind `code` or `table`) and a
heading are never entered this way: a block is cut only where it is over the
budget, at line ends. As with `pack`, a chunk that would end with a heading
(a unit that holds just a heading a reader found) ends before it instead, so
the heading opens its section's chunk, as long as something else stays in the chunk.

With `--with-headings` (units that name headings: `segment --by legal`, or a
reader's headings) each chunk's text gets the room its own context leaves, so
the chunk is full with its context counted, instead of every chunk giving up
the room of the document's longest context.

Why: with a retriever that returns K chunks, recall follows the text the K
chunks hold: greedy packing of whole sentences leaves on average 8% of a
512-token budget unused on contracts, whose sentences run to a hundred tokens
and more (benchmarks/retrieval.py, docs/quality.md). And the first chunk a
retriever returns is more often the evidence when chunks follow the
document's structure (paragraphs, provisions). Ending at a paragraph start
when one is near (within 20% of the budget) and otherwise filling to a word
end is the balance of the two that BM25 recall on the CUAD contracts picked
(averaged over nine budgets, on half of the contracts; the other half and the
issue's budgets are reported in docs/quality.md).
"""
from __future__ import annotations

import bisect

from seamline.chunkers.cuts import clause_cuts, paragraph_start, word_cuts
from seamline.chunkers.options import ChunkOptions
from seamline.chunkers.view import DocView, chunk_with_overlap, inside, unit_positions
from seamline.errors import InputError
from seamline.records import UnitGroup
from seamline.tokenizers import Tokenizer

FULL = 0.99
PARAGRAPH_FULL = 0.8
CONTEXT_SHARE = 0.5  # at most this share of the budget goes to a chunk's context (as with the other strategies)


def last_fitting(count, x: int, candidates: list[int], budget: int, first: int = 0) -> int:
    """Index of the last candidate c (sorted, all from index `first` on > x) with count(x, c) <= budget;
    first - 1 if none fits.

    Counts grow with the span (nearly always: BPE merges at the edges can move
    them by a token), so the end gallops from `first` and is settled by
    bisection; the spans counted are at most about twice the answer, however
    long the list. The caller's count of the answer is what the bound is checked on.
    """
    lo, step = first - 1, 1
    hi = len(candidates) - 1
    while lo + step <= hi:  # gallop
        if count(x, candidates[lo + step]) > budget:
            hi = lo + step - 1
            break
        lo, step = lo + step, step * 2
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if count(x, candidates[mid]) <= budget:
            lo = mid
        else:
            hi = mid - 1
    return lo


def fill_plan(view: DocView, budget: int, full: float | None = None, room=None) -> list[tuple[int, int, int]]:
    """(start, end, tokens) chunks that tile the text, none over budget, each ending as described above.
    `room(x)`: the tokens left for the text of a chunk that starts at x (the budget less its context).
    `full`: FULL unless given."""
    full = FULL if full is None else full
    text, n = view.text, len(view.text)
    if n == 0:
        return [(0, 0, 0)]
    count = view.spans.count
    positions = unit_positions(view, budget)  # unit boundaries; units over the budget already cut finer
    floor = full * budget
    heading_ends = view.heading_ends()
    blocks = view.closed_spans(positions)  # code blocks, tables and headings: never filled into
    out: list[tuple[int, int, int]] = []
    x = 0
    while x < n:
        if room is not None:
            budget = room(x)
            floor = full * budget
        at = bisect.bisect_right(positions, x)
        k = last_fitting(count, x, positions, budget, at)
        end = positions[k] if k >= at else x
        nxt = positions[k + 1] if end < n else n
        para = _last_paragraph(text, positions, at, k, x, PARAGRAPH_FULL * budget, count) \
            if end < n and k >= at else None
        if para is not None:
            end = para
        elif end < n and (end == x or count(x, end) < floor) and not inside(blocks, end, nxt):
            end = _inside_next(view, x, end, nxt, budget, floor, count)
        while end in heading_ends and end < n and _heading_start(positions, end) > x:
            end = _heading_start(positions, end)
        if end <= x:  # not even a word fits: single tokens (from a window long enough for `budget` of them)
            end = x + view.tokenizer.cut(text[x:x + 256 * budget], budget)[0]
        tokens = count(x, end)
        if tokens > budget:
            raise InputError(f"internal error: a piece of {view.group.doc!r} at offset {x} has {tokens} tokens, "
                             f"over {budget}; please report it", view.group.source, view.group.line)
        out.append((x, end, tokens))
        x = end
    return out


def _last_paragraph(text: str, positions: list[int], at: int, k: int, x: int, floor: float, count) -> int | None:
    """The last paragraph start among positions[at..k] if the chunk from x to it holds at least `floor` tokens."""
    for i in range(k, at - 1, -1):
        p = positions[i]
        if paragraph_start(text, p):
            return p if count(x, p) >= floor else None
    return None


def _heading_start(positions: list[int], end: int) -> int:
    return positions[bisect.bisect_left(positions, end) - 1]


def _inside_next(view: DocView, x: int, end: int, nxt: int, budget: int, floor: float, count) -> int:
    """Where a chunk from x that reaches `end` (a unit boundary) ends inside the piece [end, nxt) instead."""
    for cuts in (clause_cuts, word_cuts):
        found = cuts(view.text, end, nxt)
        k = last_fitting(count, x, found, budget)
        if k >= 0 and (cuts is word_cuts or count(x, found[k]) >= floor):
            return found[k]
    return end


def fill_strategy(group: UnitGroup, tokenizer: Tokenizer, options: ChunkOptions) -> list[dict]:
    view = DocView(group, tokenizer)
    context = _context(view, tokenizer, options) if options.with_headings else None
    if context is None:
        recs = chunk_with_overlap(view, options, fill_plan)
        if options.with_headings:
            for rec in recs:
                rec["context"] = ""
        return recs
    from seamline.chunkers.headings import SEPARATOR, set_context

    def reserve(x: int) -> int:
        ctx = context(x)
        return tokenizer.count(ctx + SEPARATOR) if ctx else 0
    recs = chunk_with_overlap(view, options, lambda v, b: fill_plan(v, b, room=lambda x: b - reserve(x)))
    for rec in recs:
        set_context(rec, context(rec["start"] - view.offset), tokenizer, options.max_tokens)
    return recs


def _context(view: DocView, tokenizer: Tokenizer, options: ChunkOptions):
    """x -> the context of a chunk that starts at offset x, or None when the units name no headings."""
    from seamline.chunkers.headings import HeadingContext
    from seamline.chunkers.documents import DocumentGroup

    if isinstance(view.group, DocumentGroup):
        return None
    units = view.group.units
    headings = HeadingContext(units, tokenizer, int(CONTEXT_SHARE * (options.max_tokens - options.overlap)))
    if not headings.headings:
        return None

    def at(x: int) -> str:
        unit = units[view.unit_at(x)]
        return headings(tuple(unit.get("path") or ()), x + view.offset)
    return at
