"""What every scoring method returns: one boundary strength per unit."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np


@dataclass
class Scores:
    """values[i]: strength in [0, 1] of the boundary before unit i (values[0] is unused, 0).

    candidates[i]: whether the method proposes a boundary there at all (TextTiling
    only sees the unit starts its gaps snap to, perplexity only local minima).
    cutoff: the method's own default threshold on values, from its source.
    """

    values: np.ndarray
    candidates: np.ndarray
    cutoff: float

    @classmethod
    def empty(cls, n: int) -> "Scores":
        return cls(np.zeros(n), np.zeros(n, dtype=bool), 1.0)


def mean_minus_half_std(values: np.ndarray, mask: np.ndarray) -> float:
    """TextTiling's HC cutoff, over the proposed boundaries only."""
    picked = values[mask]
    if picked.size == 0:
        return 1.0
    return float(picked.mean() - picked.std() / 2.0)


@runtime_checkable
class PlacesBoundaries(Protocol):
    """A scorer that settles where the chosen boundaries go itself (bayes and c99 run a
    search over their own costs), given the starts a decision picked and the length limits."""

    def place(self, starts: list[int], min_units: int | None, max_units: int | None) -> list[int]: ...
