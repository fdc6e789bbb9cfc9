"""`--strategy optimal`: the best set of boundaries for the whole document, by dynamic programming.

As in Intent-Driven Dynamic Chunking, boundaries are chosen for the global
optimum of one objective rather than greedily. Here the objective is

    sum of the scores of the boundaries cut  -  length_penalty * sum over chunks of (1 - tokens/max)^2

subject to --min-tokens <= tokens <= --max-tokens for every chunk (the last
chunk bound is dropped when no split can meet it). A boundary's score is the unit's
`score` from `seamline score` (0 where none). So a cut pays off when its score
outweighs the cost of the shorter chunks it makes; with no scores at all the
chunks come out as long and as even as the budget allows. The DP is O(n*w):
n cut positions, w the most positions a chunk can span.
"""
from __future__ import annotations

import numpy as np

from seamline.chunkers.options import ChunkOptions, check_budget
from seamline.chunkers.pack import pack_positions
from seamline.chunkers.view import DocView, boundary_scores, chunk_with_overlap, unit_positions
from seamline.records import UnitGroup
from seamline.tokenizers import Tokenizer


def optimal_plan(view: DocView, budget: int, min_tokens: int, penalty: float) -> list[tuple[int, int, int]]:
    from seamline.kernels.dp import best_cuts

    positions = unit_positions(view, budget)
    f, g = view.spans.exact_arrays(positions)
    scores = np.asarray(boundary_scores(view, positions), dtype=np.float64)
    lo = min(min_tokens, budget)
    cuts = best_cuts(np.asarray(f, dtype=np.int64), np.asarray(g, dtype=np.int64), scores, lo, budget, penalty)
    if cuts is None:  # no split meets --min-tokens everywhere: drop the lower bound
        cuts = best_cuts(np.asarray(f, dtype=np.int64), np.asarray(g, dtype=np.int64), scores, 0, budget, penalty)
    count = view.spans.indexed(positions)
    out = []
    for a, b in zip(cuts, cuts[1:]):
        tokens = count(a, b)
        if tokens <= budget:
            out.append((positions[a], positions[b], tokens))
        else:  # the DP's lengths were estimates here (no anchor in the span): pack this stretch exactly
            out.extend(pack_positions(view, positions[a:b + 1], budget))
    return out


def optimal_strategy(group: UnitGroup, tokenizer: Tokenizer, options: ChunkOptions) -> list[dict]:
    check_budget(options.max_tokens, options.min_tokens)
    return chunk_with_overlap(DocView(group, tokenizer), options,
                              lambda v, budget: optimal_plan(v, budget, options.min_tokens, options.length_penalty))
