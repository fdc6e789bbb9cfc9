"""`--strategy score`: cut where the boundary score (from `seamline score`) is high.

A unit's `score` is the strength of the boundary before it. Cuts go where it
is above --threshold (0.5 unless given), or at the --target K strongest
boundaries. Between two cuts, units are packed greedily to the budget, so a
long stretch without a strong boundary still yields chunks that fit.
"""
from __future__ import annotations

from seamline.chunkers.options import ChunkOptions
from seamline.chunkers.pack import pack_positions
from seamline.chunkers.view import DocView, boundary_scores, chunk_with_overlap, unit_positions
from seamline.errors import InputError, UsageError
from seamline.records import UnitGroup
from seamline.tokenizers import Tokenizer

DEFAULT_THRESHOLD = 0.5


def strong_boundaries(units: list[dict], threshold: float | None, target: int | None) -> list[int]:
    """Indices of the units that start a new chunk."""
    scored = [(u.get("score"), k) for k, u in enumerate(units) if k > 0 and u.get("score") is not None]
    if target is not None:
        best = sorted(scored, key=lambda sk: (-sk[0], sk[1]))[:target]
        return sorted(k for _, k in best)
    limit = DEFAULT_THRESHOLD if threshold is None else threshold
    return [k for s, k in scored if s > limit]


def score_strategy(group: UnitGroup, tokenizer: Tokenizer, options: ChunkOptions) -> list[dict]:
    if options.target is not None and options.target < 0:
        raise UsageError(f"`target` must be at least 0, got {options.target}")
    units = group.units
    if len(units) > 1 and all(u.get("score") is None for u in units[1:]):
        raise InputError(f"units of {group.doc!r} carry no 'score'; run `seamline score` before "
                         "`chunk --strategy score`", group.source, group.line)
    view = DocView(group, tokenizer)
    positions_all = view.boundaries()
    boundary_scores(view, positions_all)  # checks that every score is a number
    cuts = {positions_all[k] for k in strong_boundaries(units, options.threshold, options.target)}

    def plan(v: DocView, budget: int):
        return pack_positions(v, unit_positions(v, budget), budget, cuts)
    return chunk_with_overlap(view, options, plan)
