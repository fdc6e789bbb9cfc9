"""Time seamline's segmentation metrics against segeval and NLTK, side by side.

A synthetic document of 100,000 units: the reference has 2,000 segments of
random lengths; the hypothesis moves most reference boundaries by a few units,
drops some and adds others. Each library scores the same pair with its own
default conventions (seamline under the matching one), the values are checked
to agree, and the table gives the time per call and the ratio to seamline.

seamline: the compiled kernels (timed after a warm-up call: compilation is
cached on disk; numba's import and first call, once per process, are shown
separately), and the same kernels run by the interpreter (--jit never).

Usage: python benchmarks/eval.py [--units N] [--segments S] [--repeat R]
       python benchmarks/eval.py --end-to-end   # the whole `seamline eval` process on Choi DEV
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
    ap.add_argument("--end-to-end", action="store_true",
                    help="time `seamline eval` of the rules engine's sentences against Choi DEV instead")
    a = ap.parse_args()
    if a.end_to_end:
        end_to_end(a.repeat)
        return

    import numpy as np
    import segeval
    from nltk.metrics import segmentation as nltk_seg

    from seamline.evaluation import metrics
    from seamline.kernels import metrics as kernels
    from seamline.kernels import JitPolicy

    n = a.units
    ref, hyp = synthetic(n, a.segments)
    ref_m, hyp_m = masses(n, ref), masses(n, hyp)
    ref_s, hyp_s = nltk_string(n, ref), nltk_string(n, hyp)
    k_seg = metrics.window_size(n, ref, "segeval")
    k_nltk = metrics.window_size(n, ref, "nltk")

    t = time.perf_counter()
    kernels.jitted(kernels.window_errors)
    import numba  # noqa: F401
    always = JitPolicy(metrics.JIT_FROM, "always")
    never = JitPolicy(metrics.JIT_FROM, "never")
    metrics.pk(n, ref, hyp, policy=always)
    metrics.windowdiff(n, ref, hyp, policy=always)
    metrics.boundary_edits(ref, hyp, policy=always)
    startup = time.perf_counter() - t

    rows = [
        ("Pk", "segeval", lambda p: metrics.pk(n, ref, hyp, policy=p).value,
         lambda: float(segeval.pk(hyp_m, ref_m))),
        ("WindowDiff", "segeval", lambda p: metrics.windowdiff(n, ref, hyp, policy=p).value,
         lambda: float(segeval.window_diff(hyp_m, ref_m))),
        ("B (n_t=2)", "segeval", lambda p: metrics.boundary_edits(ref, hyp, policy=p).b,
         lambda: float(segeval.boundary_similarity(hyp_m, ref_m))),
        ("Pk", "nltk", lambda p: metrics.pk(n, ref, hyp, None, "nltk", p).value,
         lambda: nltk_seg.pk(ref_s, hyp_s)),
        ("WindowDiff", "nltk", lambda p: metrics.windowdiff(n, ref, hyp, None, "nltk", p).value,
         lambda: nltk_seg.windowdiff(ref_s, hyp_s, k_nltk)),
    ]
    print(f"document: {n:,} units, reference {len(ref) + 1:,} segments, hypothesis {len(hyp) + 1:,}; "
          f"k = {k_seg} (segeval), {k_nltk} (nltk)")
    print(f"numba import + first calls (once per process, compiled code cached on disk): {startup:.2f} s\n")
    head = f"{'metric':<11} {'peer':<8} {'seamline jit':>13} {'seamline py':>12} {'peer time':>10} {'peer/jit':>9} {'peer/py':>8}  agree"
    print(head)
    print("-" * len(head))
    for name, peer, ours, theirs in rows:
        t_jit, v_jit = best(lambda: ours(always), a.repeat)
        t_py, v_py = best(lambda: ours(never), a.repeat)
        t_peer, v_peer = best(theirs, a.peer_repeat)
        agree = abs(v_jit - v_peer) < 1e-9 and abs(v_py - v_peer) < 1e-9
        print(f"{name:<11} {peer:<8} {t_jit * 1e3:>10.3f} ms {t_py * 1e3:>9.3f} ms {t_peer * 1e3:>7.1f} ms "
              f"{t_peer / t_jit:>8.0f}x {t_peer / t_py:>7.0f}x  {'yes' if agree else 'NO'}")
    _ = np  # numpy arrays are built inside the seamline calls; their cost is included


# A wrapper process runs one command and reports only that child's peak memory.
MEASURE = r"""
import json, resource, subprocess, sys, time
t0 = time.perf_counter()
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"wall": time.perf_counter() - t0, "cpu": usage.ru_utime + usage.ru_stime,
                  "peak_mb": usage.ru_maxrss / 1024}))
"""


def end_to_end(repeat: int) -> None:
    """`seamline eval` of rules sentences against the Choi DEV gold, as whole processes."""
    import json
    import os
    import subprocess
    import sys
    import tempfile
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    gold = root.parent / "shared" / "data" / "topics" / "choi.dev.jsonl"
    cli = [sys.executable, "-m", "seamline"]
    with tempfile.TemporaryDirectory() as tmp:
        pred = Path(tmp) / "pred.jsonl"
        with open(pred, "wb") as out:
            subprocess.run([*cli, "segment", "--by", "sentence", "--engine", "rules", str(gold)], check=True,
                           stdout=out)
        units = sum(1 for _ in open(pred, encoding="utf-8"))
        command = [*cli, "eval", str(pred), "--gold", str(gold), "--unit", "sentence", "--tolerance", "3"]
        runs = [json.loads(subprocess.run([sys.executable, "-c", MEASURE, *command], check=True,
                                          capture_output=True, text=True).stdout) for _ in range(repeat)]
    walls, cpus = sorted(r["wall"] for r in runs), sorted(r["cpu"] for r in runs)
    print(f"seamline eval, {units:,} rules sentences against {gold.name} (--unit sentence --tolerance 3), "
          f"median of {repeat} runs: CPU {cpus[len(cpus) // 2]:.2f} s, wall {walls[len(walls) // 2]:.2f} s "
          f"({walls[0]:.2f}-{walls[-1]:.2f}), peak RSS {max(r['peak_mb'] for r in runs):.0f} MB; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
