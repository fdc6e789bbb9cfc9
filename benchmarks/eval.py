"""Time seamline's segmentation metrics against segeval and NLTK, side by side.

A synthetic document of 100,000 units: the reference has 2,000 segments of
random lengths; the hypothesis moves most reference boundaries by a few units,
drops some and adds others. Each library scores the same pair with its own
default conventions (seamline under the matching one), the values are checked
to agree, and the table gives the time per call and the ratio to seamline.

seamline: the compiled kernels (timed after a warm-up call: compilation is
cached on disk; numba's import and first call cost ~1.3 s once per process,
shown separately), and the same kernels run by the interpreter (--jit never).

Usage: python benchmarks/eval.py [--units N] [--segments S] [--repeat R]
Needs the bench extra (segeval, nltk).
"""
from __future__ import annotations

import argparse
import random
import time
from itertools import accumulate


def synthetic(units: int, segments: int, seed: int = 7):
    rng = random.Random(seed)
    ref = sorted(rng.sample(range(1, units), segments - 1))
    hyp = set()
    for b in ref:
        roll = rng.random()
        if roll < 0.1:
            continue  # missed
        shift = 0 if roll < 0.5 else rng.randint(-3, 3)
        if 0 < b + shift < units:
            hyp.add(b + shift)
    hyp.update(rng.sample(range(1, units), segments // 10))  # spurious
    return ref, sorted(hyp)


def masses(n, bounds):
    edges = [0, *bounds, n]
    return [b - a for a, b in zip(edges, edges[1:])]


def nltk_string(n, bounds):
    s = ["0"] * n
    for u in bounds:
        s[u - 1] = "1"
    return "".join(s)


def best(fn, repeat):
    times, value = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - t)
    return min(times), value


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--units", type=int, default=100_000)
    ap.add_argument("--segments", type=int, default=2_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--peer-repeat", type=int, default=1)
    a = ap.parse_args()

    import numpy as np
    import segeval
    from nltk.metrics import segmentation as nltk_seg

    from seamline.evaluation import metrics
    from seamline.kernels import metrics as kernels

    n = a.units
    ref, hyp = synthetic(n, a.segments)
    ref_m, hyp_m = masses(n, ref), masses(n, hyp)
    ref_s, hyp_s = nltk_string(n, ref), nltk_string(n, hyp)
    k_seg = metrics.window_size(n, ref, "segeval")
    k_nltk = metrics.window_size(n, ref, "nltk")

    t = time.perf_counter()
    kernels.jitted(kernels.window_errors)
    import numba  # noqa: F401
    metrics.set_jit("always")
    metrics.pk(n, ref, hyp)
    metrics.windowdiff(n, ref, hyp)
    metrics.boundary_edits(ref, hyp)
    startup = time.perf_counter() - t

    rows = [
        ("Pk", "segeval", lambda: metrics.pk(n, ref, hyp).value,
         lambda: float(segeval.pk(hyp_m, ref_m))),
        ("WindowDiff", "segeval", lambda: metrics.windowdiff(n, ref, hyp).value,
         lambda: float(segeval.window_diff(hyp_m, ref_m))),
        ("B (n_t=2)", "segeval", lambda: metrics.boundary_edits(ref, hyp).b,
         lambda: float(segeval.boundary_similarity(hyp_m, ref_m))),
        ("Pk", "nltk", lambda: metrics.pk(n, ref, hyp, None, "nltk").value,
         lambda: nltk_seg.pk(ref_s, hyp_s)),
        ("WindowDiff", "nltk", lambda: metrics.windowdiff(n, ref, hyp, None, "nltk").value,
         lambda: nltk_seg.windowdiff(ref_s, hyp_s, k_nltk)),
    ]
    print(f"document: {n:,} units, reference {len(ref) + 1:,} segments, hypothesis {len(hyp) + 1:,}; "
          f"k = {k_seg} (segeval), {k_nltk} (nltk)")
    print(f"numba import + first calls (once per process, compiled code cached on disk): {startup:.2f} s\n")
    head = f"{'metric':<11} {'peer':<8} {'seamline jit':>13} {'seamline py':>12} {'peer time':>10} {'peer/jit':>9} {'peer/py':>8}  agree"
    print(head)
    print("-" * len(head))
    for name, peer, ours, theirs in rows:
        metrics.set_jit("always")
        t_jit, v_jit = best(ours, a.repeat)
        metrics.set_jit("never")
        t_py, v_py = best(ours, a.repeat)
        t_peer, v_peer = best(theirs, a.peer_repeat)
        agree = abs(v_jit - v_peer) < 1e-9 and abs(v_py - v_peer) < 1e-9
        print(f"{name:<11} {peer:<8} {t_jit * 1e3:>10.3f} ms {t_py * 1e3:>9.3f} ms {t_peer * 1e3:>7.1f} ms "
              f"{t_peer / t_jit:>8.0f}x {t_peer / t_py:>7.0f}x  {'yes' if agree else 'NO'}")
    _ = np  # numpy arrays are built inside the seamline calls; their cost is included


if __name__ == "__main__":
    main()
