"""Numbers a view shows about one document as one stream cut it: sizes, bins, scores."""
from __future__ import annotations

import math
from dataclasses import dataclass

from seamline.view.stream import StreamDoc


@dataclass
class Sizes:
    measure: str  # 'tokens' or 'characters'
    count: int
    smallest: int
    median: float
    mean: float
    p95: int
    largest: int
    over: int | None  # units over the budget, when a budget in tokens is known


def sizes(doc: StreamDoc, max_tokens: int | None = None) -> Sizes:
    measure, values = doc.sizes
    ordered = sorted(values) or [0]
    n = len(ordered)
    middle = n // 2
    median = ordered[middle] if n % 2 else (ordered[middle - 1] + ordered[middle]) / 2
    p95 = ordered[min(n - 1, math.ceil(0.95 * n) - 1)]
    over = sum(v > max_tokens for v in values) if max_tokens and measure == "tokens" else None
    return Sizes(measure, len(values), ordered[0], median, sum(values) / max(len(values), 1), p95,
                 ordered[-1], over)


def histogram(values: list[int], bins: int = 24, top: int | None = None) -> tuple[list[int], float]:
    """Counts in `bins` equal bins from 0 to the largest value (or `top`, a budget, if larger); and the bin width."""
    high = max([*values, top or 0, 1])
    width = high / bins
    counts = [0] * bins
    for v in values:
        counts[min(int(v / width), bins - 1)] += 1
    return counts, width


def threshold(doc: StreamDoc, given: float | None) -> float | None:
    """The line drawn across a score curve: the one asked for, else TextTiling's mean - sd/2.

    Only scores above zero count: a method gives zero where it proposes no boundary.
    """
    if given is not None:
        return given
    values = [u.score for u in doc.units if u.score]
    if not values:
        return None
    mean = sum(values) / len(values)
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / len(values))
    return max(0.0, mean - sd / 2)


def curve(doc: StreamDoc, points: int = 1200) -> list[tuple[int, float]]:
    """(offset, score) along the document, at most `points` of them: the highest score of each stretch.

    Keeping each stretch's maximum keeps the peaks a reader looks for.
    """
    scored = [(u.start, u.score) for u in doc.units if u.score is not None]
    if len(scored) <= points:
        return scored
    stretch = max(len(doc.text), 1) / points
    best: dict[int, tuple[int, float]] = {}
    for at, value in scored:
        key = int(at / stretch)
        if key not in best or value > best[key][1]:
            best[key] = (at, value)
    return [best[k] for k in sorted(best)]


def boundaries(doc: StreamDoc) -> list[int]:
    """Where this stream's units start, the first one left out."""
    return [u.start for u in doc.units[1:]]
