"""`--strategy fill`: chunks as full as the budget allows, each ending at the best boundary near its end.

A chunk ends at the last unit boundary that fits when the chunk then holds at
least FULL of the budget (95%). Otherwise it goes on into the next unit and
ends at the last clause end (after a comma, semicolon, colon, dash or closing
bracket) that fits and reaches FULL, else at the last word end that fits, and
the next chunk starts there. A word longer than the budget is cut at token
boundaries. A code block or table (units of kind `code` or `table`) and a
heading are never entered this way: a block is cut only where it is over the
budget, at line ends. As with `pack`, a chunk that would end with a heading
(a unit that holds just a heading a reader found) ends before it instead, so
the heading opens its section's chunk, as long as something else stays in the chunk.

Why: with a retriever that returns K chunks, recall follows the text the K
chunks hold. Greedy packing of whole sentences leaves on average 8% of a
512-token budget unused on contracts whose sentences run to a hundred tokens
and more, and so needs more chunks for the same text (benchmarks/retrieval.py,
docs/quality.md). Fixed token windows fill the budget but cut inside words and
sentences everywhere; `fill` cuts inside a sentence only where the sentence
ends would waste more than 5% of the budget, and then at a clause or word end.
"""
from __future__ import annotations

import bisect

from seamline.chunkers.cuts import clause_cuts, word_cuts
from seamline.chunkers.options import ChunkOptions
from seamline.chunkers.view import DocView, chunk_with_overlap, unit_positions
from seamline.errors import InputError
from seamline.records import UnitGroup
from seamline.tokenizers import Tokenizer

FULL = 0.95


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


def fill_plan(view: DocView, budget: int, full: float = FULL) -> list[tuple[int, int, int]]:
    """(start, end, tokens) chunks that tile the text, none over budget, each ending as described above."""
    text, n = view.text, len(view.text)
    if n == 0:
        return [(0, 0, 0)]
    count = view.spans.count
    positions = unit_positions(view, budget)  # unit boundaries; units over the budget already cut finer
    floor = full * budget
    heading_ends = view.heading_ends()
    # headings are whole units: never filled into, like code blocks and tables
    blocks = sorted(view.block_spans() | {(positions[i - 1], p) for i, p in enumerate(positions)
                                          if i and p in heading_ends})
    out: list[tuple[int, int, int]] = []
    x = 0
    while x < n:
        at = bisect.bisect_right(positions, x)
        k = last_fitting(count, x, positions, budget, at)
        end = positions[k] if k >= at else x
        nxt = positions[k + 1] if end < n else n
        if end < n and (end == x or count(x, end) < floor) and not _in_block(blocks, end, nxt):
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


def _heading_start(positions: list[int], end: int) -> int:
    return positions[bisect.bisect_left(positions, end) - 1]


def _in_block(blocks: list[tuple[int, int]], x: int, y: int) -> bool:
    """Whether [x, y) lies inside one of the blocks (sorted, not overlapping: they are units)."""
    i = bisect.bisect_right(blocks, (x, float("inf"))) - 1
    return i >= 0 and blocks[i][0] <= x and y <= blocks[i][1]


def _inside_next(view: DocView, x: int, end: int, nxt: int, budget: int, floor: float, count) -> int:
    """Where a chunk from x that reaches `end` (a unit boundary) ends inside the piece [end, nxt) instead."""
    for cuts in (clause_cuts, word_cuts):
        found = cuts(view.text, end, nxt)
        k = last_fitting(count, x, found, budget)
        if k >= 0 and (cuts is word_cuts or count(x, found[k]) >= floor):
            return found[k]
    return end


def fill_strategy(group: UnitGroup, tokenizer: Tokenizer, options: ChunkOptions) -> list[dict]:
    return chunk_with_overlap(DocView(group, tokenizer), options, fill_plan)
