"""Numba kernels for topic segmentation: block similarity, depth scores, C99, DP.

Each kernel is small and has a plain-Python reference in tests/test_topic_kernels.py.
Importing this module imports numba, so callers import it lazily (only when a
document actually needs scoring): `seamline --help` must not pay for numba.
"""
from __future__ import annotations

import math

import numpy as np
from numba import njit


@njit(cache=True)
def block_similarity(terms, seq_start, k):
    """Cosine of term counts between the k pseudo-sentences before and after each gap.

    terms: term ids of the kept tokens, in text order; seq_start[s] .. seq_start[s+1]
    are the tokens of pseudo-sentence s. Gap g lies after pseudo-sentence g. Near
    the ends the window shrinks as in NLTK. Counts are integers, so the sums are
    exact and the result does not depend on the order of summation.
    """
    n_seq = seq_start.shape[0] - 1
    numgaps = n_seq - 1
    out = np.zeros(max(numgaps, 0), dtype=np.float64)
    if numgaps <= 0:
        return out
    vocab = 0
    for t in terms:
        if t + 1 > vocab:
            vocab = t + 1
    left = np.zeros(vocab, dtype=np.int64)
    right = np.zeros(vocab, dtype=np.int64)
    for g in range(numgaps):
        if g < k - 1:
            ws = g + 1
        elif g > numgaps - k:
            ws = numgaps - g
        else:
            ws = k
        l0 = seq_start[g - ws + 1]
        mid = seq_start[g + 1]
        r1 = seq_start[min(g + ws + 1, n_seq)]
        for i in range(l0, mid):
            left[terms[i]] += 1
        for i in range(mid, r1):
            right[terms[i]] += 1
        dot = 0
        s1 = 0
        s2 = 0
        for i in range(l0, mid):
            c = left[terms[i]]
            if c > 0:
                s1 += c * c
                dot += c * right[terms[i]]
                left[terms[i]] = 0
        for i in range(mid, r1):
            c = right[terms[i]]
            if c > 0:
                s2 += c * c
                right[terms[i]] = 0
        denom = float(s1) * float(s2)
        if denom > 0.0:
            out[g] = float(dot) / math.sqrt(denom)
    return out


@njit(cache=True)
def depth_scores(scores, clip):
    """TextTiling depth of each gap: climb to the peak on each side while scores do not fall.

    Gaps within `clip` of either end keep depth 0 (NLTK's rule of thumb).
    """
    n = scores.shape[0]
    out = np.zeros(n, dtype=np.float64)
    for i in range(clip, n - clip):
        gap = scores[i]
        lpeak = gap
        j = i
        while j >= 0 and scores[j] >= lpeak:
            lpeak = scores[j]
            j -= 1
        rpeak = gap
        j = i
        while j < n and scores[j] >= rpeak:
            rpeak = scores[j]
            j += 1
        out[i] = lpeak + rpeak - 2 * gap
    return out


@njit(cache=True)
def cosine_matrix(indptr, indices, data, vocab):
    """Cosine similarity between all rows of a sparse (CSR) sentence-term matrix."""
    n = indptr.shape[0] - 1
    out = np.zeros((n, n), dtype=np.float64)
    norms = np.zeros(n, dtype=np.float64)
    for i in range(n):
        s = 0.0
        for p in range(indptr[i], indptr[i + 1]):
            s += data[p] * data[p]
        norms[i] = math.sqrt(s)
    dense = np.zeros(vocab, dtype=np.float64)
    for i in range(n):
        for p in range(indptr[i], indptr[i + 1]):
            dense[indices[p]] = data[p]
        for j in range(i, n):
            dot = 0.0
            for p in range(indptr[j], indptr[j + 1]):
                dot += dense[indices[p]] * data[p]
            if norms[i] > 0.0 and norms[j] > 0.0:
                v = dot / (norms[i] * norms[j])
                out[i, j] = v
                out[j, i] = v
        for p in range(indptr[i], indptr[i + 1]):
            dense[indices[p]] = 0.0
    return out


@njit(cache=True)
def rank_matrix(sim, radius):
    """Choi's rank transform: each cell becomes the share of its neighbours with a lower value.

    Neighbours are the other cells of the (2 radius + 1) square around it, clipped at the edges.
    """
    n = sim.shape[0]
    out = np.zeros((n, n), dtype=np.float64)
    for i in range(n):
        for j in range(i, n):
            v = sim[i, j]
            lower = 0
            seen = 0
            for a in range(max(0, i - radius), min(n, i + radius + 1)):
                for b in range(max(0, j - radius), min(n, j + radius + 1)):
                    if a == i and b == j:
                        continue
                    seen += 1
                    if sim[a, b] < v:
                        lower += 1
            r = lower / seen if seen > 0 else 0.0
            out[i, j] = r
            out[j, i] = r
    return out


@njit(cache=True)
def prefix_sums(matrix):
    """pre[i, j] = sum of matrix[:i, :j], so that any block's sum costs four lookups."""
    n = matrix.shape[0]
    pre = np.zeros((n + 1, n + 1), dtype=np.float64)
    for i in range(n):
        row = 0.0
        for j in range(n):
            row += matrix[i, j]
            pre[i + 1, j + 1] = pre[i, j + 1] + row
    return pre


@njit(cache=True)
def square_sum(pre, a, b):
    """Sum of the matrix over the square block of units a .. b-1 (pre from prefix_sums)."""
    return pre[b, b] - pre[a, b] - pre[b, a] + pre[a, a]


@njit(cache=True)
def divisive_split(rank, max_splits):
    """C99's divisive clustering: split where the inside density rises most, step by step.

    Density D = sum of rank values inside the diagonal blocks / their area. Returns
    (positions, gains): the boundary added at each step (a unit index where a segment
    starts) and how much D rose with it.
    """
    n = rank.shape[0]
    pre = prefix_sums(rank)
    steps = min(max_splits, n - 1)
    positions = np.zeros(max(steps, 0), dtype=np.int64)
    gains = np.zeros(max(steps, 0), dtype=np.float64)
    if steps <= 0:
        return positions, gains
    is_cut = np.zeros(n + 1, dtype=np.bool_)
    is_cut[0] = True
    is_cut[n] = True
    nxt = np.zeros(n + 1, dtype=np.int64)
    total_s = pre[n, n]
    total_a = float(n) * float(n)
    for step in range(steps):
        b = n
        for p in range(n, -1, -1):  # next cut at or after p
            if is_cut[p]:
                b = p
            nxt[p] = b
        best = -1.0
        best_p = -1
        a = 0
        for p in range(1, n):
            if is_cut[p]:
                a = p
                continue
            b = nxt[p]
            s_whole = square_sum(pre, a, b)
            s_left = square_sum(pre, a, p)
            s_right = square_sum(pre, p, b)
            s_new = total_s - s_whole + s_left + s_right
            a_new = total_a - float(b - a) ** 2 + float(p - a) ** 2 + float(b - p) ** 2
            d = s_new / a_new
            if d > best:
                best = d
                best_p = p
        if best_p < 0:
            return positions[:step], gains[:step]
        p = best_p
        a = p - 1
        while not is_cut[a]:
            a -= 1
        b = nxt[p]
        old_d = total_s / total_a
        total_s = total_s - square_sum(pre, a, b) + square_sum(pre, a, p) + square_sum(pre, p, b)
        total_a = total_a - float(b - a) ** 2 + float(p - a) ** 2 + float(b - p) ** 2
        is_cut[p] = True
        positions[step] = p
        gains[step] = total_s / total_a - old_d
    return positions, gains


@njit(cache=True)
def best_segmentation(gain, min_len, max_len, k):
    """Segment starts maximising the summed gain of the boundaries used, by dynamic programming.

    gain[i] is the value of starting a segment at unit i (gain[0] is ignored). Every
    segment has between min_len and max_len units; k > 0 asks for exactly k segments,
    k == 0 for any number. Returns the starts after 0, or an empty array when no
    segmentation meets the constraints.
    """
    n = gain.shape[0]
    neg = -1e300
    if k > 0:
        rows = k + 1
    else:
        rows = 2
    best = np.full((rows, n + 1), neg)
    back = np.full((rows, n + 1), -1, dtype=np.int64)
    best[0, 0] = 0.0
    for j in range(1, n + 1):
        lo = max(0, j - max_len)
        hi = j - min_len
        for c in range(1, rows):
            prev_c = c - 1 if k > 0 else 0
            top = neg
            arg = -1
            for i in range(lo, hi + 1):
                if k == 0 and i > 0:
                    base = best[1, i]
                else:
                    base = best[prev_c, i]
                if base <= neg:
                    continue
                v = base + (gain[i] if i > 0 else 0.0)
                if v > top:
                    top = v
                    arg = i
            best[c, j] = top
            back[c, j] = arg
    row = k if k > 0 else 1
    if back[row, n] < 0:
        return np.zeros(0, dtype=np.int64)
    starts = []
    j = n
    c = row
    while j > 0:
        i = back[c, j]
        if i > 0:
            starts.append(i)
        j = i
        if k > 0:
            c -= 1
    out = np.zeros(len(starts), dtype=np.int64)
    for t in range(len(starts)):
        out[t] = starts[len(starts) - 1 - t]
    return out


@njit(cache=True)
def densest_segmentation(matrix, k, min_len, max_len, power=1.0):
    """Segment starts for exactly k segments maximising sum over segments of (block sum / length ** power).

    That is the length-weighted mean inside density of the (rank) matrix: the
    global optimum of what C99's divisive clustering approaches greedily.
    Returns the starts after 0 (empty when the lengths cannot be met).
    """
    n = matrix.shape[0]
    pre = prefix_sums(matrix)
    neg = -1e300
    best = np.full((k + 1, n + 1), neg)
    back = np.full((k + 1, n + 1), -1, dtype=np.int64)
    best[0, 0] = 0.0
    for c in range(1, k + 1):
        for j in range(1, n + 1):
            for i in range(max(0, j - max_len), j - min_len + 1):
                if best[c - 1, i] <= neg:
                    continue
                block = square_sum(pre, i, j)
                v = best[c - 1, i] + block / float(j - i) ** power
                if v > best[c, j]:
                    best[c, j] = v
                    back[c, j] = i
    if back[k, n] < 0:
        return np.zeros(0, dtype=np.int64)
    out = np.zeros(k - 1, dtype=np.int64)
    j = n
    for c in range(k, 0, -1):
        i = back[c, j]
        if c > 1:
            out[c - 2] = i
        j = i
    return out


@njit(cache=True)
def segment_costs(terms, start, vocab, beta):
    """Utiyama & Isahara's segment cost for every span of units, as an n x n matrix.

    cost[i, j] (i <= j) is minus the log-likelihood of the words of units i..j
    under a word distribution fitted to that span with a symmetric Dirichlet
    prior of total weight beta (beta / vocab pseudo-counts per word), i.e. the
    Dirichlet-multinomial: sum over tokens of log(m + beta) - log(count + alpha),
    counts taken before each token. terms are the term ids of all tokens in
    order; start[u] .. start[u + 1] are those of unit u. Cells below the
    diagonal are +inf.
    """
    n = start.shape[0] - 1
    cost = np.full((n, n), np.inf)
    counts = np.zeros(max(vocab, 1), dtype=np.int64)
    alpha = beta / max(vocab, 1)
    for i in range(n):
        total = 0.0
        m = 0
        for j in range(i, n):
            for p in range(start[j], start[j + 1]):
                t = terms[p]
                total += math.log(m + beta) - math.log(counts[t] + alpha)
                counts[t] += 1
                m += 1
            cost[i, j] = total
        for p in range(start[i], start[n]):
            counts[terms[p]] = 0
    return cost


@njit(cache=True)
def block_density(matrix, power):
    """out[i, j] = sum of matrix over the square block of units i..j / its length ** power (i <= j), else 0."""
    n = matrix.shape[0]
    pre = prefix_sums(matrix)
    out = np.zeros((n, n), dtype=np.float64)
    for i in range(n):
        for j in range(i, n):
            block = square_sum(pre, i, j + 1)
            out[i, j] = block / float(j + 1 - i) ** power
    return out


@njit(cache=True)
def min_cost_segmentation(cost, penalty, k, min_len, max_len):
    """Segment starts minimising sum of cost[first, last] over segments + penalty per segment.

    k > 0 asks for exactly k segments (the penalty then changes nothing), k == 0
    for any number. Every segment has between min_len and max_len units. Returns
    the starts after 0, or an empty array when the lengths cannot be met.
    """
    n = cost.shape[0]
    rows = k + 1 if k > 0 else 2
    best = np.full((rows, n + 1), np.inf)
    back = np.full((rows, n + 1), -1, dtype=np.int64)
    best[0, 0] = 0.0
    for j in range(1, n + 1):
        for c in range(1, rows):
            for i in range(max(0, j - max_len), j - min_len + 1):
                if k > 0:
                    base = best[c - 1, i]
                elif i == 0:
                    base = best[0, 0]
                else:
                    base = best[1, i]
                if base == np.inf:
                    continue
                v = base + cost[i, j - 1] + penalty
                if v < best[c, j]:
                    best[c, j] = v
                    back[c, j] = i
    row = k if k > 0 else 1
    if back[row, n] < 0:
        return np.zeros(0, dtype=np.int64)
    count = 0
    j = n
    c = row
    while j > 0:
        i = back[c, j]
        if i > 0:
            count += 1
        j = i
        if k > 0:
            c -= 1
    out = np.zeros(count, dtype=np.int64)
    j = n
    c = row
    while j > 0:
        i = back[c, j]
        if i > 0:
            count -= 1
            out[count] = i
        j = i
        if k > 0:
            c -= 1
    return out
