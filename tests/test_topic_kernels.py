"""Each topic kernel against a plain-Python reference on random inputs (also run with NUMBA_DISABLE_JIT=1)."""
from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from seamline.kernels import topics as K

pytestmark = pytest.mark.kernels


def ref_block_similarity(terms, seq_start, k):
    n_seq = len(seq_start) - 1
    seqs = [list(terms[seq_start[s]:seq_start[s + 1]]) for s in range(n_seq)]
    numgaps = n_seq - 1
    out = []
    for g in range(numgaps):
        ws = g + 1 if g < k - 1 else (numgaps - g if g > numgaps - k else k)
        left = [t for s in seqs[g - ws + 1:g + 1] for t in s]
        right = [t for s in seqs[g + 1:g + ws + 1] for t in s]
        vocab = set(left) | set(right)
        dot = sum(left.count(t) * right.count(t) for t in vocab)
        d1 = sum(left.count(t) ** 2 for t in vocab)
        d2 = sum(right.count(t) ** 2 for t in vocab)
        out.append(dot / math.sqrt(d1 * d2) if d1 * d2 else 0.0)
    return out


def ref_depth(scores, clip):
    out = [0.0] * len(scores)
    for i in range(clip, len(scores) - clip):
        lpeak = max_climb(scores[i::-1])
        rpeak = max_climb(scores[i:])
        out[i] = lpeak + rpeak - 2 * scores[i]
    return out


def max_climb(seq):
    peak = seq[0]
    for v in seq:
        if v < peak:
            break
        peak = v
    return peak


def ref_rank(sim, r):
    n = len(sim)
    out = np.zeros((n, n))
    for i in range(n):
        for j in range(n):
            cells = [(a, b) for a in range(max(0, i - r), min(n, i + r + 1))
                     for b in range(max(0, j - r), min(n, j + r + 1)) if (a, b) != (i, j)]
            out[i, j] = sum(sim[a][b] < sim[i][j] for a, b in cells) / len(cells) if cells else 0.0
    return out


def segmentations(n, min_len, max_len, k):
    """Every list of starts (after 0) whose segments meet the limits (and count, k > 0)."""
    for m in range(0, n):
        for starts in itertools.combinations(range(1, n), m):
            edges = [0, *starts, n]
            lengths = [b - a for a, b in zip(edges, edges[1:])]
            if all(min_len <= x <= max_len for x in lengths) and (k == 0 or len(lengths) == k):
                yield list(starts)


@pytest.mark.parametrize("seed", range(6))
def test_block_similarity_matches_reference(seed):
    rng = np.random.default_rng(seed)
    n_seq = int(rng.integers(1, 14))
    sizes = rng.integers(0, 7, n_seq)
    seq_start = np.concatenate(([0], np.cumsum(sizes))).astype(np.int64)
    terms = rng.integers(0, 9, int(seq_start[-1])).astype(np.int64)
    k = int(rng.integers(1, 5))
    got = K.block_similarity(terms, seq_start, k)
    assert np.allclose(got, ref_block_similarity(terms, seq_start, k), atol=1e-12)


@pytest.mark.parametrize("seed", range(6))
def test_depth_scores_match_reference(seed):
    rng = np.random.default_rng(seed)
    scores = np.round(rng.random(int(rng.integers(0, 30))), 1)  # rounding makes ties
    clip = int(rng.integers(0, 4))
    assert np.allclose(K.depth_scores(scores, clip), ref_depth(list(scores), clip))


@pytest.mark.parametrize("seed", range(4))
def test_cosine_and_rank_match_reference(seed):
    rng = np.random.default_rng(seed)
    dense = rng.integers(0, 3, (int(rng.integers(1, 12)), 7)).astype(float)
    indptr, indices, data = [0], [], []
    for row in dense:
        nz = np.flatnonzero(row)
        indices.extend(nz)
        data.extend(row[nz])
        indptr.append(len(indices))
    sim = K.cosine_matrix(np.array(indptr, dtype=np.int64), np.array(indices, dtype=np.int64),
                          np.array(data, dtype=np.float64), 7)
    norms = np.linalg.norm(dense, axis=1)
    want = np.array([[dense[i] @ dense[j] / (norms[i] * norms[j]) if norms[i] and norms[j] else 0.0
                      for j in range(len(dense))] for i in range(len(dense))])
    assert np.allclose(sim, want)
    r = int(rng.integers(1, 4))
    assert np.allclose(K.rank_matrix(sim, r), ref_rank(sim.tolist(), r))


@pytest.mark.parametrize("seed", range(4))
def test_square_sums_from_prefix_sums_match_numpy(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 9))
    m = rng.random((n, n))
    pre = K.prefix_sums(m)
    for a in range(n + 1):
        for b in range(a, n + 1):
            assert math.isclose(K.square_sum(pre, a, b), m[a:b, a:b].sum(), rel_tol=1e-12, abs_tol=1e-12)


def density(rank, starts):
    edges = [0, *starts, len(rank)]
    inside = sum(rank[a:b, a:b].sum() for a, b in zip(edges, edges[1:]))
    return inside / sum((b - a) ** 2 for a, b in zip(edges, edges[1:]))


@pytest.mark.parametrize("seed", range(4))
def test_divisive_split_takes_the_best_split_each_step(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 9))
    m = rng.random((n, n))
    rank = (m + m.T) / 2
    positions, gains = K.divisive_split(rank, n - 1)
    chosen: list[int] = []
    for p, gain in zip(positions, gains):
        before = density(rank, sorted(chosen))
        options = {q: density(rank, sorted(chosen + [q])) for q in range(1, n) if q not in chosen}
        best = max(options.values())
        assert math.isclose(options[int(p)], best, rel_tol=1e-12)
        assert math.isclose(gain, best - before, rel_tol=1e-9, abs_tol=1e-12)
        chosen.append(int(p))
    assert sorted(chosen) == list(range(1, n))


@pytest.mark.parametrize("seed", range(8))
def test_best_segmentation_is_the_brute_force_optimum(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 9))
    gain = rng.normal(size=n)
    min_len = int(rng.integers(1, 3))
    max_len = int(rng.integers(min_len, 6))
    k = int(rng.integers(0, 4))
    options = list(segmentations(n, min_len, max_len, k))
    got = list(K.best_segmentation(gain, min_len, max_len, k))
    if not options:
        assert got == []
        return
    best = max(sum(gain[s] for s in starts) for starts in options)
    assert got in options
    assert math.isclose(sum(gain[s] for s in got), best, abs_tol=1e-12)


@pytest.mark.parametrize("seed", range(6))
def test_densest_segmentation_is_the_brute_force_optimum(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 9))
    m = rng.random((n, n))
    matrix = (m + m.T) / 2
    k = int(rng.integers(1, n + 1))
    power = float(rng.choice([0.8, 1.0]))

    def value(starts):
        edges = [0, *starts, n]
        return sum(matrix[a:b, a:b].sum() / (b - a) ** power for a, b in zip(edges, edges[1:]))

    options = list(segmentations(n, 1, n, k))
    got = list(K.densest_segmentation(matrix, k, 1, n, power))
    assert got in options
    assert math.isclose(value(got), max(value(s) for s in options), rel_tol=1e-12)
