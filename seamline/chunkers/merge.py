"""Merge strategies: join small neighbouring chunks within a budget (`seamline merge`).

A merged chunk keeps the fields of its first input chunk, `context` included
(`chunk --with-headings`, a cut table's header row). That context is counted:
a join starting at a chunk with context must fit the budget less the context
(and its line break), and the merged chunk's `tokens` counts
`context + "\n" + text`, as `chunk` counts it.
"""
from __future__ import annotations

from seamline.chunkers.headings import SEPARATOR, count_with
from seamline.chunkers.options import check_budget
from seamline.chunkers.view import DocView, boundary_scores, to_records, unit_positions
from seamline.records import UnitGroup
from seamline.tokenizers import Tokenizer


def merge(group: UnitGroup, tokenizer: Tokenizer, max_tokens: int, min_tokens: int) -> list[dict]:
    """Join neighbours while one of them is under min_tokens and the join fits max_tokens."""
    check_budget(max_tokens, min_tokens)
    view = DocView(group, tokenizer)
    positions = unit_positions(view, max_tokens)
    count = view.spans.indexed(positions)
    reserve = context_reserves(view, positions, tokenizer)
    out = []
    i, n = 0, len(positions) - 1
    while i < n:
        j, tokens = i + 1, count(i, i + 1)
        while j < n:
            nxt = count(j, j + 1)
            if not (tokens < min_tokens or nxt < min_tokens):
                break
            joined = count(i, j + 1)
            if joined > max_tokens - reserve[i]:
                break
            j, tokens = j + 1, joined
        out.append((positions[i], positions[j], tokens))
        i = j
    return _merged_records(view, out, tokenizer, max_tokens)


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
    reserve = context_reserves(view, positions, tokenizer)
    n = len(positions) - 1
    score_at = boundary_scores(view, positions)
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
        if joined > max_tokens - reserve[left]:
            continue
        end_of[left], start_of[right_end - 1], tokens[left] = right_end, left, joined
    chunks, k = [], 0
    while k < n:
        chunks.append((positions[k], positions[end_of[k]], tokens[k]))
        k = end_of[k]
    return _merged_records(view, chunks, tokenizer, max_tokens)


def context_reserves(view: DocView, positions: list[int], tokenizer: Tokenizer) -> list[int]:
    """Tokens the context of the chunk starting at each position takes (with its line break), 0 without."""
    if not any(isinstance(u.get("context"), str) and u["context"] for u in view.group.units):
        return [0] * len(positions)
    out = []
    for x in positions:
        context = view.group.units[view.unit_at(x)].get("context") if x < len(view.text) else None
        out.append(tokenizer.count(context + SEPARATOR) if isinstance(context, str) and context else 0)
    return out


def _merged_records(view: DocView, chunks: list[tuple[int, int, int]], tokenizer: Tokenizer,
                    max_tokens: int) -> list[dict]:
    """A chunk made of exactly one input unit keeps that unit's kind; `tokens` counts its context too."""
    records = to_records(view, chunks)
    bounds = set(view.boundaries())
    for rec, (x, y, _) in zip(records, chunks):
        u = view.unit_at(x)
        unit = view.group.units[u]
        if x in bounds and unit["end"] == y + view.offset:
            rec["kind"] = unit["kind"]
        context = rec.get("context")
        if isinstance(context, str) and context:
            rec["tokens"] = count_with(tokenizer, context, rec["text"])
            if rec["tokens"] > max_tokens:  # BPE merged across the line break (rare): without the context
                rec["context"], rec["tokens"] = "", count_with(tokenizer, "", rec["text"])
    return records
