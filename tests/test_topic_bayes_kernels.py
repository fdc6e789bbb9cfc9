"""The `bayes` kernels against plain-Python references on random inputs (also with NUMBA_DISABLE_JIT=1)."""
from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from seamline.kernels import topics as K

pytestmark = pytest.mark.kernels


def ref_segment_costs(terms, start, vocab, beta):
    """Dirichlet-multinomial marginal likelihood of each span, from the Gamma-function formula."""
    n = len(start) - 1
    alpha = beta / vocab
    out = np.full((n, n), np.inf)
    for i in range(n):
        for j in range(i, n):
            words = list(terms[start[i]:start[j + 1]])
            counts = [words.count(t) for t in set(words)]
            loglik = math.lgamma(beta) - math.lgamma(beta + len(words)) + sum(
                math.lgamma(c + alpha) - math.lgamma(alpha) for c in counts)
            out[i, j] = -loglik
    return out


def ref_block_density(matrix, power):
    n = len(matrix)
    out = np.zeros((n, n))
    for i in range(n):
        for j in range(i, n):
            out[i, j] = matrix[i:j + 1, i:j + 1].sum() / (j + 1 - i) ** power
    return out


def ref_min_cost(cost, penalty, k, min_len, max_len):
    """Every segmentation enumerated; the cheapest (first found on ties is not required: compare costs)."""
    n = len(cost)
    best, best_starts = math.inf, None
    for mask in itertools.product([0, 1], repeat=n - 1):
        starts = [i + 1 for i, m in enumerate(mask) if m]
        edges = [0, *starts, n]
        lengths = [b - a for a, b in zip(edges, edges[1:])]
        if k and len(lengths) != k:
            continue
        if min(lengths) < min_len or max(lengths) > max_len:
            continue
        total = sum(cost[a, b - 1] + penalty for a, b in zip(edges, edges[1:]))
        if total < best - 1e-9:
            best, best_starts = total, starts
    return best, best_starts


def total_cost(cost, penalty, starts, n):
    edges = [0, *starts, n]
    return sum(cost[a, b - 1] + penalty for a, b in zip(edges, edges[1:]))


def random_tokens(rng, n, vocab):
    lengths = rng.integers(0, 6, size=n)
    start = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    terms = rng.integers(0, vocab, size=int(start[-1])).astype(np.int64)
    return terms, start


@pytest.mark.parametrize("seed", range(6))
def test_segment_costs_match_the_gamma_formula(seed):
    rng = np.random.default_rng(seed)
    vocab = int(rng.integers(1, 9))
    terms, start = random_tokens(rng, int(rng.integers(1, 9)), vocab)
    beta = float(rng.choice([0.5, 3.0, 1000.0]))
    got = K.segment_costs(terms, start, vocab, beta)
    want = ref_segment_costs(terms, start, vocab, beta)
    upper = np.triu(np.ones_like(got, dtype=bool))
    assert np.allclose(got[upper], want[upper], rtol=1e-9, atol=1e-8)
    assert np.all(np.isinf(got[~upper]))


def test_segment_costs_favour_a_span_of_repeated_words():
    # same words again are likely under the span's own distribution: two spans of one topic
    # cost less together than apart plus nothing; mixed topics cost more together
    terms = np.array([0, 1, 0, 1, 2, 3, 2, 3], dtype=np.int64)
    start = np.array([0, 2, 4, 6, 8], dtype=np.int64)
    cost = K.segment_costs(terms, start, 4, 1.0)
    assert cost[0, 1] < cost[0, 0] + cost[1, 1]
    assert cost[1, 2] - cost[1, 1] - cost[2, 2] > cost[0, 1] - cost[0, 0] - cost[1, 1]


@pytest.mark.parametrize("seed", range(6))
def test_block_density_matches_reference(seed):
    rng = np.random.default_rng(seed)
    m = rng.random((int(rng.integers(1, 12)),) * 2)
    power = float(rng.choice([0.5, 0.8, 1.0, 2.0]))
    assert np.allclose(K.block_density(m, power), ref_block_density(m, power))


@pytest.mark.parametrize("seed", range(12))
def test_min_cost_segmentation_is_the_optimum(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 10))
    cost = np.triu(rng.normal(size=(n, n)) + rng.random((n, n)) * np.arange(n)[None, :])
    penalty = float(rng.choice([0.0, 0.5, 2.0]))
    k = int(rng.integers(0, n + 1))
    min_len = int(rng.integers(1, 3))
    max_len = int(rng.integers(min_len, n + 1))
    got = [int(i) for i in K.min_cost_segmentation(cost, penalty, k, min_len, max_len)]
    want_total, want = ref_min_cost(cost, penalty, k, min_len, max_len)
    if want is None:
        assert got == [] or n == 1
        return
    assert total_cost(cost, penalty, got, n) == pytest.approx(want_total)
    if k:
        assert len(got) == k - 1
    edges = [0, *got, n]
    assert all(min_len <= b - a <= max_len for a, b in zip(edges, edges[1:]))


def test_min_cost_segmentation_penalty_trades_segments():
    # two clear blocks: a zero penalty splits everything helpful, a huge one keeps one segment
    cost = np.array([[0.0, 0.0, 9.0, 9.0], [np.inf, 0.0, 9.0, 9.0],
                     [np.inf, np.inf, 0.0, 0.0], [np.inf, np.inf, np.inf, 0.0]])
    assert list(K.min_cost_segmentation(cost, 1.0, 0, 1, 4)) == [2]
    assert list(K.min_cost_segmentation(cost, 100.0, 0, 1, 4)) == []
    assert list(K.min_cost_segmentation(cost, 0.0, 2, 1, 4)) == [2]
