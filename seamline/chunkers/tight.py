"""`--strategy tight`: as few chunks as the budget allows, their ends moved to the best cuts by dynamic programming.

Candidate cuts are the unit boundaries (sentence ends, by default), and inside
units every clause end and word end. With a tiktoken encoding the word ends
are the encoding's anchors (seamline.anchors: before the space, where its
pieces always meet), whose counts the document has already, and a clause end
is an anchor after a comma, semicolon, colon or closing bracket; with other
tokenizers they are the starts of words and `cuts.clause_cuts`. The plan
minimises, over all tilings whose chunks fit,

    number of chunks  +  sum over the cuts made of their price

where a paragraph start costs PARAGRAPH (below zero: a small reward), a unit
end 0, a clause end CLAUSE, a word end WORD, and the end of a heading (a unit
that holds just a heading a reader found) HEADING_END, as much as a chunk, so
that a heading opens its section's chunk unless that costs more chunks. A cut
inside a sentence is made only where it saves chunks: with WORD = 0.5, two
word cuts are worth one chunk fewer. Unlike `fill`, which decides each chunk's
end on its own (a unit end only if it leaves at most 1% of the budget unused),
the programme sees the whole document, so the slack of several chunks can be
gathered to bring their ends to sentence ends while the chunk count stays near
the fewest.

Why: with a retriever that returns K chunks, recall follows the text the K
chunks hold, so chunks should be full (docs/quality.md); readers and precision
prefer chunks that end at sentence ends. The prices were chosen on half of the
CUAD contracts (benchmarks/retrieval.py --half A, docs/quality.md).

Each chunk's count is checked exactly; the programme's lengths are exact
whenever a span holds an anchor of the tokenizer, and a stretch where they are
not is packed greedily instead. Code blocks, tables and headings are never
entered (only their unit boundaries are candidates). The work is linear in the
candidates (a sliding-window minimum), compiled by Numba on large documents.
"""
from __future__ import annotations

import re

import numpy as np

from seamline.chunkers.cuts import clause_cuts, paragraph_start, word_cuts
from seamline.chunkers.options import ChunkOptions
from seamline.chunkers.pack import pack_positions
from seamline.chunkers.view import DocView, chunk_with_overlap, inside, unit_positions
from seamline.kernels import JitPolicy
from seamline.records import UnitGroup
from seamline.tokenizers import TiktokenSpans, Tokenizer

PARAGRAPH = -0.1
CLAUSE = 0.3
WORD = 0.5
HEADING_END = 1.0
JIT_FROM = 50_000  # candidates below which plain Python beats compiling
# a clause end among the anchors: the anchor after , ; : ) or ] before a space (as in cuts.clause_cuts)
_CLAUSE_BEFORE_SPACE = re.compile(r"[,;:)\]](?= )")


def fewest_cuts(f, g, price, budget, best, back):
    """best[j]: the least cost of tiling candidates 0..j (chunks plus prices), back[j] the chunk's start.

    A chunk i..j fits when f[j] - g[i] <= budget; f and g grow with the index,
    so the starts that fit j form a window that slides right, and its least
    best[i] is kept in a monotone queue. Among equal costs the earliest start
    wins (the longer chunk). If no start fits (a piece over the budget, which
    the caller's positions rule out) the chunk is the one piece j - 1..j.
    """
    n = f.shape[0] - 1
    queue = np.empty(n + 1, dtype=np.int64)
    head, tail = 0, 1
    queue[0] = 0
    best[0] = 0.0
    for j in range(1, n + 1):
        while head < tail and f[j] - g[queue[head]] > budget:
            head += 1
        i = queue[head] if head < tail else j - 1
        best[j] = best[i] + 1.0 + price[j]
        back[j] = i
        while head < tail and best[queue[tail - 1]] > best[j]:
            tail -= 1
        queue[tail] = j
        tail += 1
    return best[n]


def candidates(view: DocView, budget: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Cut candidates (sorted offsets, 0 and len included), each one's price, and f, g with
    count(P[i], P[j]) == f[j] - g[i] whenever an anchor of the tokenizer lies in the span."""
    units = unit_positions(view, budget)  # unit boundaries, units over the budget already cut finer
    closed = view.closed_spans(units)
    unit_prices = _unit_prices(view, units)
    if isinstance(view.spans, TiktokenSpans):
        return _with_anchors(view, units, unit_prices, closed)
    text = view.text
    clauses, words = [], []
    for x, y in zip(units, units[1:]):
        if inside(closed, x, y):
            continue
        clauses += clause_cuts(text, x, y)
        words += word_cuts(text, x, y)
    price = {p: WORD for p in words}
    price.update((p, CLAUSE) for p in clauses)
    price.update(zip(units, unit_prices))
    positions = np.asarray(sorted(price), dtype=np.int64)
    prices = np.fromiter((price[p] for p in positions.tolist()), dtype=np.float64, count=len(positions))
    f, g = view.spans.exact_arrays(positions)
    return positions, prices, np.asarray(f, dtype=np.int64), np.asarray(g, dtype=np.int64)


def _with_anchors(view: DocView, units: list[int], unit_prices: list[float], closed):
    """Inside units, the tokenizer's anchors are the word ends (before the space: where its pieces meet), and their
    counts are known already, so only the unit boundaries are counted here. This keeps the cost per word low."""
    spans, text = view.spans, view.text
    anchors, before = spans.anchors, spans.before
    at = np.asarray(units, dtype=np.int64)
    keep = (anchors > 0) & (anchors < len(text)) & ~_members(anchors, at)
    if closed:
        lo = np.asarray([x for x, _ in closed], dtype=np.int64)
        hi = np.asarray([y for _, y in closed], dtype=np.int64)
        k = np.searchsorted(lo, anchors, side="right") - 1
        keep &= ~((k >= 0) & (anchors < hi[np.maximum(k, 0)]))
    inner, counts = anchors[keep], before[keep]
    clause_ends = np.fromiter((m.end() for m in _CLAUSE_BEFORE_SPACE.finditer(text)), dtype=np.int64)
    prices = np.where(_members(inner, clause_ends), CLAUSE, WORD)
    f, g = spans.exact_arrays(at)
    # merge the two sorted, disjoint lists: each unit boundary goes before the anchors after it
    slots = np.searchsorted(inner, at) + np.arange(len(at))
    is_unit = np.zeros(len(at) + len(inner), dtype=bool)
    is_unit[slots] = True
    out = [np.empty(len(is_unit), dtype=d) for d in (np.int64, np.float64, np.int64, np.int64)]
    for arr, from_units, from_anchors in zip(out, (at, unit_prices, f, g), (inner, prices, counts, counts)):
        arr[is_unit], arr[~is_unit] = from_units, from_anchors
    return tuple(out)


def _members(values: np.ndarray, sorted_set: np.ndarray) -> np.ndarray:
    """Which of `values` are in `sorted_set` (sorted), by bisection (np.isin sorts both)."""
    if not len(sorted_set):
        return np.zeros(len(values), dtype=bool)
    k = np.minimum(np.searchsorted(sorted_set, values), len(sorted_set) - 1)
    return sorted_set[k] == values


def _unit_prices(view: DocView, units: list[int]) -> list[float]:
    text, n = view.text, len(view.text)
    heading_ends = view.heading_ends()
    prices = []
    for p in units:
        if p in heading_ends:  # a heading opens its section's chunk: ending a chunk with one costs a chunk
            prices.append(HEADING_END)
        else:
            prices.append(PARAGRAPH if 0 < p < n and paragraph_start(text, p) else 0.0)
    prices[-1] = 0.0
    return prices


def tight_plan(view: DocView, budget: int) -> list[tuple[int, int, int]]:
    """(start, end, tokens) chunks that tile the text, none over budget, at the least cost described above."""
    if not view.text:
        return [(0, 0, 0)]
    positions, prices, f, g = candidates(view, budget)
    n = len(positions) - 1
    best, back = np.zeros(n + 1), np.zeros(n + 1, dtype=np.int64)
    JitPolicy(JIT_FROM).pick(fewest_cuts, n)(f, g, prices, int(budget), best, back)
    cuts = [n]
    while cuts[-1] > 0:
        cuts.append(int(back[cuts[-1]]))
    cuts.reverse()
    chosen = positions[cuts].tolist()
    count = view.spans.indexed(chosen)
    out = []
    for k, (a, b) in enumerate(zip(cuts, cuts[1:])):
        tokens = count(k, k + 1)
        if tokens <= budget:
            out.append((chosen[k], chosen[k + 1], tokens))
        else:  # no anchor in the span, so the lengths were estimates: pack this stretch exactly
            out.extend(pack_positions(view, positions[a:b + 1].tolist(), budget))
    return out


def tight(group: UnitGroup, tokenizer: Tokenizer, max_tokens: int) -> list[dict]:
    """Chunks of at most max_tokens tokens, as `--strategy tight` makes them."""
    return tight_strategy(group, tokenizer, ChunkOptions(max_tokens=max_tokens))


def tight_strategy(group: UnitGroup, tokenizer: Tokenizer, options: ChunkOptions) -> list[dict]:
    return chunk_with_overlap(DocView(group, tokenizer), options, tight_plan)
