"""Kernels for `seamline eval`: window errors (Pk, WindowDiff), boundary edits (B), matching.

Every kernel works on sorted arrays of boundary positions, never on one entry
per unit, so its cost grows with the number of boundaries, not with the length
of the document. Plain-Python references that follow the textbook definitions
(one window at a time) are in tests/test_eval_kernels.py.

The functions here are plain Python written in the subset Numba compiles.
`jitted(fn)` compiles one on first use (`numba.njit(cache=True)`), so that this
module can be imported, and small inputs scored, without importing numba at
all: importing numba costs ~0.7 s, more than scoring a small file.
"""
from __future__ import annotations

import numpy as np

PK = 0
WINDOWDIFF = 1
FAR = 1 << 62  # beyond any event position

def jitted(fn):
    """The Numba-compiled version of a kernel of this module (seamline.kernels.compiled)."""
    from seamline.kernels import compiled

    return compiled(fn)


def window_errors(ref, hyp, k, m, mode):
    """Windows in [0, m) whose reference and hypothesis disagree.

    ref, hyp: sorted, distinct gap indices that hold a boundary (gap g lies
    between unit g and unit g + 1). Window i covers the k gaps i .. i + k - 1.
    mode PK: they disagree when exactly one of them has a boundary in the
    window; mode WINDOWDIFF: when their numbers of boundaries differ.

    A sweep over events: boundary g enters the windows from i = g - k + 1 and
    leaves at i = g + 1, so between two events the state is constant.
    """
    nr = len(ref)
    nh = len(hyp)
    a = 0  # next ref boundary to enter
    b = 0  # next ref boundary to leave
    c = 0  # next hyp boundary to enter
    d = 0  # next hyp boundary to leave
    in_ref = 0
    in_hyp = 0
    pos = 0
    errors = 0
    while b < nr or d < nh:
        x = FAR
        if a < nr and ref[a] - k + 1 < x:
            x = ref[a] - k + 1
        if b < nr and ref[b] + 1 < x:
            x = ref[b] + 1
        if c < nh and hyp[c] - k + 1 < x:
            x = hyp[c] - k + 1
        if d < nh and hyp[d] + 1 < x:
            x = hyp[d] + 1
        if mode == PK:
            bad = (in_ref > 0) != (in_hyp > 0)
        else:
            bad = in_ref != in_hyp
        if bad:
            lo = max(pos, 0)
            hi = min(x, m)
            if hi > lo:
                errors += hi - lo
        while a < nr and ref[a] - k + 1 == x:
            in_ref += 1
            a += 1
        while b < nr and ref[b] + 1 == x:
            in_ref -= 1
            b += 1
        while c < nh and hyp[c] - k + 1 == x:
            in_hyp += 1
            c += 1
        while d < nh and hyp[d] + 1 == x:
            in_hyp -= 1
            d += 1
        pos = x
    return errors


def boundary_edits(ref, hyp, n_t):
    """Boundary edit distance between two single-type boundary strings (Fournier 2013).

    Returns (matches, additions, transpositions, transposition_span): positions
    where both have a boundary; boundaries only one side has and no
    transposition explains; near misses (a boundary on each side, at most
    n_t - 1 positions apart, on opposite sides); the sum of their spans.

    Near misses are found as segeval does: spans 1, 2, ... n_t - 1 in turn, each
    left to right, a position used by one transposition is not used again.
    """
    nr = len(ref)
    nh = len(hyp)
    diff = np.empty(nr + nh, dtype=np.int64)
    side = np.empty(nr + nh, dtype=np.int8)  # 0: only hyp has it, 1: only ref
    nd = 0
    matches = 0
    i = 0
    j = 0
    while i < nh or j < nr:
        if j >= nr or (i < nh and hyp[i] < ref[j]):
            diff[nd] = hyp[i]
            side[nd] = 0
            nd += 1
            i += 1
        elif i >= nh or ref[j] < hyp[i]:
            diff[nd] = ref[j]
            side[nd] = 1
            nd += 1
            j += 1
        else:
            matches += 1
            i += 1
            j += 1
    used = np.zeros(nd, dtype=np.bool_)
    transpositions = 0
    span = 0
    for s in range(1, n_t):
        p = 0
        for q in range(nd):
            if used[q]:
                continue
            target = diff[q] + s
            while p < nd and diff[p] < target:
                p += 1
            if p < nd and diff[p] == target and not used[p] and side[p] != side[q]:
                used[q] = True
                used[p] = True
                transpositions += 1
                span += s
    additions = nd - 2 * transpositions
    return matches, additions, transpositions, span


def match_within(ref, hyp, tolerance):
    """Largest number of (ref, hyp) pairs at most `tolerance` apart, each used once.

    On a line the greedy two-pointer pass is optimal: the earliest unmatched
    pair that can match never blocks a better matching.
    """
    i = 0
    j = 0
    matched = 0
    while i < len(ref) and j < len(hyp):
        if abs(ref[i] - hyp[j]) <= tolerance:
            matched += 1
            i += 1
            j += 1
        elif ref[i] < hyp[j]:
            i += 1
        else:
            j += 1
    return matched
