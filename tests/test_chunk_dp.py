"""The optimal-chunking DP kernel against plain-Python references on random inputs.

Two references, written apart from the kernel: an exhaustive search over all
segmentations (small n), and a direct DP over all (i, j) pairs without the
early stop (larger n). The compiled kernel (or, with NUMBA_DISABLE_JIT=1, the
same code in Python) must match both.
"""
from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from seamline.chunkers.optimal import optimal_strategy
from seamline.chunkers.options import ChunkOptions
from seamline.kernels import dp
from seamline.records import UnitGroup
from seamline.tokenizers import get_tokenizer

pytestmark = pytest.mark.kernels


def objective(f, g, score, lo, hi, penalty, cuts):
    total = 0.0
    for a, b in zip(cuts, cuts[1:]):
        length = f[b] - g[a]
        if not lo <= length <= hi:
            return -math.inf
        total += (score[a] if a > 0 else 0.0) - penalty * (1 - length / hi) ** 2
    return total


def brute_force(f, g, score, lo, hi, penalty):
    n = len(f) - 1
    best = -math.inf
    for k in range(n):
        for inner in itertools.combinations(range(1, n), k):
            best = max(best, objective(f, g, score, lo, hi, penalty, [0, *inner, n]))
    return best


def all_pairs_dp(f, g, score, lo, hi, penalty):
    n = len(f) - 1
    best = [-math.inf] * (n + 1)
    best[0] = 0.0
    for j in range(1, n + 1):
        for i in range(j):
            length = f[j] - g[i]
            if lo <= length <= hi and best[i] > -math.inf:
                best[j] = max(best[j], best[i] + (score[i] if i > 0 else 0.0) - penalty * (1 - length / hi) ** 2)
    return best[n]


def random_case(rng, n):
    sizes = rng.integers(1, 12, size=n)
    f = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
    score = rng.random(n + 1)
    hi = int(rng.integers(int(sizes.max()), int(sizes.max()) * 4 + 1))
    lo = int(rng.integers(0, hi // 2 + 1))
    return f, f.copy(), score, lo, hi, float(rng.choice([0.0, 0.5, 1.0, 3.0]))


def run_kernel(kernel, f, g, score, lo, hi, penalty):
    n = len(f) - 1
    best = np.full(n + 1, -np.inf)
    back = np.full(n + 1, -1, dtype=np.int64)
    return kernel(f, g, score, lo, hi, penalty, best, back), back


@pytest.mark.parametrize("seed", range(40))
def test_kernel_equals_brute_force_on_small_inputs(seed):
    rng = np.random.default_rng(seed)
    f, g, score, lo, hi, penalty = random_case(rng, int(rng.integers(1, 10)))
    value, _ = run_kernel(dp._kernel(), f, g, score, lo, hi, penalty)
    assert value == pytest.approx(brute_force(f, g, score, lo, hi, penalty))


@pytest.mark.parametrize("seed", range(20))
def test_kernel_equals_all_pairs_dp_and_its_cuts_reach_the_value(seed):
    rng = np.random.default_rng(100 + seed)
    f, g, score, lo, hi, penalty = random_case(rng, int(rng.integers(20, 300)))
    value, _ = run_kernel(dp._kernel(), f, g, score, lo, hi, penalty)
    assert value == pytest.approx(all_pairs_dp(f, g, score, lo, hi, penalty))
    cuts = dp.best_cuts(f, g, score, lo, hi, penalty)
    if value == -np.inf:
        assert cuts is None
    else:
        assert objective(f, g, score, lo, hi, penalty, cuts) == pytest.approx(value)


def test_python_path_and_compiled_kernel_agree():
    rng = np.random.default_rng(7)
    f, g, score, lo, hi, penalty = random_case(rng, 500)
    a, back_a = run_kernel(dp._dp, f, g, score, lo, hi, penalty)
    b, back_b = run_kernel(dp._kernel(), f, g, score, lo, hi, penalty)
    assert a == pytest.approx(b)
    assert back_a.tolist() == back_b.tolist()


def test_optimal_cuts_at_strong_boundaries_when_they_pay():
    # ten 10-character sentences; a strong boundary before sentence 5, weak ones elsewhere
    units, text = [], ""
    for k in range(10):
        s = f"Sent {k:03d}. "[:10]
        units.append({"doc": "d", "seq": k, "kind": "sentence", "start": len(text), "end": len(text) + 10,
                      "text": s, "score": None if k == 0 else (0.95 if k == 5 else 0.05)})
        text += s
    chunks = optimal_strategy(UnitGroup("d", units), get_tokenizer("chars"),
                              ChunkOptions(max_tokens=60, min_tokens=20, length_penalty=0.5))
    starts = [c["start"] for c in chunks]
    assert 50 in starts  # the strong boundary is cut
    assert all(20 <= c["tokens"] <= 60 for c in chunks)
    assert "".join(c["text"] for c in chunks) == text
