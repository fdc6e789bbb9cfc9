"""The eval kernels against plain-Python references that follow the definitions.

Each kernel runs twice: as the interpreter runs it (small inputs in the CLI)
and compiled by Numba (large inputs); both must equal the reference.
"""
from __future__ import annotations

import random

import numpy as np
import pytest

from seamline.kernels import metrics as k

pytestmark = pytest.mark.kernels


def ref_window_errors(ref, hyp, width, m, mode):
    """One window at a time: window i covers gaps i .. i + width - 1."""
    rs, hs = set(ref), set(hyp)
    errors = 0
    for i in range(m):
        cr = sum(1 for g in range(i, i + width) if g in rs)
        ch = sum(1 for g in range(i, i + width) if g in hs)
        bad = (cr > 0) != (ch > 0) if mode == k.PK else cr != ch
        errors += bad
    return errors


def ref_boundary_edits(ref, hyp, n_t):
    """segeval's procedure on a dense boundary string: spans 1..n_t-1, positions left to right."""
    size = max([0, *ref, *hyp]) + n_t + 1
    a = [i in set(hyp) for i in range(size)]
    b = [i in set(ref) for i in range(size)]
    used = set()
    transpositions = span = 0
    for s in range(1, n_t):
        for i in range(size - s):
            j = i + s
            if a[i] != b[i] and a[j] != b[j] and a[i] != a[j] and i not in used and j not in used:
                used.update((i, j))
                transpositions += 1
                span += s
    mismatches = sum(1 for i in range(size) if a[i] != b[i])
    matches = sum(1 for i in range(size) if a[i] and b[i])
    return matches, mismatches - 2 * transpositions, transpositions, span


def ref_match(ref, hyp, tol):
    """Maximum bipartite matching by augmenting paths (Kuhn)."""
    owner: dict[int, int] = {}

    def augment(i, seen):
        for j, h in enumerate(hyp):
            if abs(ref[i] - h) <= tol and j not in seen:
                seen.add(j)
                if j not in owner or augment(owner[j], seen):
                    owner[j] = i
                    return True
        return False

    return sum(augment(i, set()) for i in range(len(ref)))


def random_boundaries(rng, n, density):
    return sorted(g for g in range(n) if rng.random() < density)


def arrays(*xs):
    return [np.asarray(x, dtype=np.int64) for x in xs]


@pytest.mark.parametrize("compiled", [False, True], ids=["python", "numba"])
def test_window_errors_equal_reference(compiled):
    fn = k.jitted(k.window_errors) if compiled else k.window_errors
    rng = random.Random(1)
    for _ in range(400):
        n = rng.randint(1, 80)
        ref = random_boundaries(rng, n - 1, rng.choice([0.05, 0.2, 0.5]))
        hyp = random_boundaries(rng, n - 1, rng.choice([0.0, 0.05, 0.2, 0.6]))
        width = rng.randint(0, 12)
        m = max(0, n - width + rng.choice([0, 1]))
        for mode in (k.PK, k.WINDOWDIFF):
            want = ref_window_errors(ref, hyp, width, m, mode)
            args = arrays(ref, hyp) if compiled else (ref, hyp)
            assert fn(*args, width, m, mode) == want, (n, ref, hyp, width, m, mode)


@pytest.mark.parametrize("compiled", [False, True], ids=["python", "numba"])
def test_boundary_edits_equal_reference(compiled):
    fn = k.jitted(k.boundary_edits) if compiled else k.boundary_edits
    rng = random.Random(2)
    for _ in range(400):
        n = rng.randint(1, 60)
        ref = random_boundaries(rng, n, rng.choice([0.05, 0.2, 0.5]))
        hyp = random_boundaries(rng, n, rng.choice([0.0, 0.1, 0.3, 0.7]))
        n_t = rng.choice([1, 2, 2, 3, 5])
        args = arrays(ref, hyp) if compiled else (ref, hyp)
        assert tuple(fn(*args, n_t)) == ref_boundary_edits(ref, hyp, n_t), (ref, hyp, n_t)


@pytest.mark.parametrize("compiled", [False, True], ids=["python", "numba"])
def test_match_within_is_a_maximum_matching(compiled):
    fn = k.jitted(k.match_within) if compiled else k.match_within
    rng = random.Random(3)
    for _ in range(400):
        ref = random_boundaries(rng, 50, rng.choice([0.05, 0.2, 0.4]))
        hyp = random_boundaries(rng, 50, rng.choice([0.05, 0.2, 0.4]))
        tol = rng.randint(0, 4)
        args = arrays(ref, hyp) if compiled else (ref, hyp)
        assert fn(*args, tol) == ref_match(ref, hyp, tol), (ref, hyp, tol)
