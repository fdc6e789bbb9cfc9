"""Turning boundary scores into segments, the same way for every method (`--select`).

threshold: boundaries whose score is above a cut-off (the method's own, e.g.
  TextTiling's mean - std/2, or --threshold).
best: the K - 1 strongest boundaries for K segments (--segments K).
dp: the segmentation that maximises the summed score of its boundaries (less the
  cut-off when K is not given) with every segment between --min-units and
  --max-units units long, found by dynamic programming in a Numba kernel.
"""
from __future__ import annotations

import numpy as np

from seamline.errors import UsageError
from seamline.topics.scores import Scores

SELECTS = ("threshold", "best", "dp")


def check_options(select: str | None, threshold: float | None, segments: int | None,
                  min_units: int | None, max_units: int | None) -> str:
    """The select rule to use; bad combinations are usage errors before any input is read."""
    if select is not None and select not in SELECTS:
        raise UsageError(f"`select` must be one of {', '.join(SELECTS)}, got {select!r}")
    if threshold is not None and not 0.0 <= threshold <= 1.0:
        raise UsageError(f"`threshold` must be within [0, 1], got {threshold}")
    for name, value in (("--segments", segments), ("--min-units", min_units), ("--max-units", max_units)):
        if value is not None and value < 1:
            raise UsageError(f"{name} must be at least 1, got {value}")
    if min_units and max_units and min_units > max_units:
        raise UsageError(f"`min_units` ({min_units}) is larger than `max_units` ({max_units})")
    if select == "best" and segments is None:
        raise UsageError("`select` best needs `segments` K")
    if select is None:
        select = "best" if segments and not (min_units or max_units) else \
            "dp" if (segments or min_units or max_units) else "threshold"
    return select


def decide(scores: Scores, select: str = "threshold", threshold: float | None = None,
           segments: int | None = None, min_units: int | None = None,
           max_units: int | None = None) -> list[int]:
    """Unit indices where a new segment starts (0 left out), sorted."""
    n = len(scores.values)
    if n < 2:
        return []
    cut = scores.cutoff if threshold is None else threshold
    if select == "best":
        return best_k(scores, min(segments or 1, n), min_units or 1)
    if select == "dp" or min_units or max_units:
        return by_dp(scores, cut, segments, min_units or 1, max_units or n)
    picked = scores.candidates & (scores.values > cut)
    picked[0] = False
    return [int(i) for i in np.flatnonzero(picked)]


def best_k(scores: Scores, k: int, min_units: int) -> list[int]:
    """The k - 1 strongest boundaries, strongest first, skipping any that would leave a short segment."""
    n = len(scores.values)
    order = sorted(range(1, n), key=lambda i: (not scores.candidates[i], -scores.values[i], i))
    chosen: list[int] = []
    for i in order:
        if len(chosen) >= k - 1:
            break
        edges = sorted([0, n, *chosen])
        j = int(np.searchsorted(edges, i))
        if i - edges[j - 1] >= min_units and edges[j] - i >= min_units:
            chosen.append(i)
    return sorted(chosen)


def by_dp(scores: Scores, cut: float, segments: int | None, min_units: int, max_units: int) -> list[int]:
    from seamline.kernels.topics import best_segmentation

    n = len(scores.values)
    if segments:
        gain = scores.values.astype(np.float64).copy()
    else:
        gain = scores.values - cut
        gain[~scores.candidates] = -1.0  # a boundary the method never proposed: only when lengths force it
    gain[0] = 0.0
    starts = best_segmentation(np.ascontiguousarray(gain, dtype=np.float64), min_units, max_units,
                               min(segments or 0, n))
    one_segment_fits = min_units <= n <= max_units and (segments or 1) == 1
    if len(starts) == 0 and not one_segment_fits and n > max(min_units, 1) and (min_units > 1 or max_units < n):
        # The limits cannot all be met (e.g. --min-units larger than the document): keep the
        # length cap only, which can always be met with segments of one unit.
        starts = best_segmentation(np.ascontiguousarray(gain, dtype=np.float64), 1, max_units,
                                   min(segments or 0, n))
    return [int(i) for i in starts]
