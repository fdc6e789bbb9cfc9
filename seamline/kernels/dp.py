"""The optimal-chunking dynamic programme (used by `chunk --strategy optimal`).

Positions 0..n are cut candidates; the span i..j has length f[j] - g[i]
tokens. best[j] is the best objective over ways to chunk positions 0..j:

    best[j] = max over i < j with lo <= len(i, j) <= hi of
              best[i] + score[i] (i > 0) - penalty * (1 - len(i, j) / hi)^2

The inner loop walks i down from j - 1 and stops once the span is over hi
(lengths grow as i falls), so the work is O(n * w) for w positions per chunk.
The span i = j - 1 is always allowed, so a solution exists without a lower
bound. Ties keep the first (latest) i found. Numba compiles the kernel on first
use of a large input; small inputs run the same code as plain Python.
"""
from __future__ import annotations

import numpy as np

from seamline.kernels import JitPolicy

JIT_FROM = 20_000  # positions times window below which plain Python beats compiling


def _dp(f, g, score, lo, hi, penalty, best, back):
    n = f.shape[0] - 1
    best[0] = 0.0
    for j in range(1, n + 1):
        i = j - 1
        while i >= 0:
            length = f[j] - g[i]
            if length > hi and i < j - 1:
                break
            if length >= lo and best[i] > -np.inf:
                gain = score[i] if i > 0 else 0.0
                short = 1.0 - length / hi
                value = best[i] + gain - penalty * short * short
                if value > best[j]:
                    best[j] = value
                    back[j] = i
            i -= 1
    return best[n]


def _kernel():
    from seamline.kernels import compiled

    return compiled(_dp)


def best_cuts(f: np.ndarray, g: np.ndarray, score: np.ndarray, lo: int, hi: int, penalty: float):
    """Cut indices 0 = c0 < c1 < ... = n of the best chunking, or None if --min-tokens cannot be met."""
    n = len(f) - 1
    best = np.full(n + 1, -np.inf)
    back = np.full(n + 1, -1, dtype=np.int64)
    window = int(np.median(np.diff(f))) if n > 1 else 1
    run = JitPolicy(JIT_FROM).pick(_dp, n * max(1, hi // max(1, window)))
    total = run(f.astype(np.int64), g.astype(np.int64), score.astype(np.float64), int(lo), int(hi),
                float(penalty), best, back)
    if total == -np.inf:
        return None
    cuts = [n]
    while cuts[-1] > 0:
        cuts.append(int(back[cuts[-1]]))
    return cuts[::-1]
