"""Numba's fixed cost per process, and where the compiled sentence kernel starts to pay.

Run: .venv/bin/python benchmarks/numba_cost.py [--repeat 3] [--sizes 5,20]

Every figure comes from a fresh `python` process (the on-disk kernel cache warmed
first), so it includes imports, as a CLI run does:

1. fixed cost: segment one short document with the learned sentence model on the
   vectorized NumPy path, and again with the Numba kernel forced
   (`SentenceModel.compiled = True`); the difference in wall time and in peak
   resident memory is what Numba's import, cache load and first call cost.
2. threshold (`JIT_FROM_CHARS` in seamline/sbd/model.py): segment the first N
   million characters of Bleak House (repeated) on each path.

Reports CPU seconds (user + system: what a loaded machine changes least) and wall
seconds, median of --repeat runs (wall range beside it), and the load average.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BOOK = ROOT.parent / "shared" / "data" / "corpus" / "gutenberg" / "dickens_bleak_house.txt"

CHILD = r"""
import json, resource, sys, time
t0 = time.perf_counter()
from seamline.sbd.model import SentenceModel
path, chars, compiled = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "compiled"
text = open(path, encoding="utf-8").read() if path != "-" else "A short document. It has two sentences."
text = (text * (chars // max(1, len(text)) + 1))[:chars] if path != "-" else text
t1, c1 = time.perf_counter(), time.process_time()
model = SentenceModel.load()
model.compiled = compiled
starts = model.starts(text)
t2, c2 = time.perf_counter(), time.process_time()
whole = path == "-"  # the short document: the whole process; the book: without reading it
print(json.dumps({"wall": t2 - (t0 if whole else t1), "cpu": c2 if whole else c2 - c1, "starts": len(starts),
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def child(path: str, chars: int, mode: str) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD, path, str(chars), mode], check=True,
                         capture_output=True, text=True, cwd=ROOT)
    return json.loads(out.stdout)


def runs(path: str, chars: int, mode: str, repeat: int) -> dict:
    results = [child(path, chars, mode) for _ in range(repeat)]
    walls, peaks = [r["wall"] for r in results], [r["peak_mb"] for r in results]
    return {"wall": statistics.median(walls), "wall_range": (min(walls), max(walls)),
            "cpu": statistics.median(r["cpu"] for r in results),
            "peak": statistics.median(peaks), "starts": results[0]["starts"]}


def show(label: str, r: dict) -> str:
    lo, hi = r["wall_range"]
    return f"| {label} | {r['cpu']:.2f} s | {r['wall']:.2f} s ({lo:.2f}-{hi:.2f}) | {r['peak']:.0f} MB |"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--sizes", default="5,20", help="million characters for the threshold runs")
    a = ap.parse_args()
    child("-", 0, "compiled")  # warm the on-disk kernel cache
    print(f"# Numba's fixed cost (fresh processes, warm cache, median of {a.repeat})\n")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; CPU = user + system seconds\n")
    print("| run | CPU | wall | peak RSS |\n|---|---:|---:|---:|")
    plain, jit = runs("-", 0, "vectorized", a.repeat), runs("-", 0, "compiled", a.repeat)
    print(show("one short document, vectorized", plain))
    print(show("one short document, Numba kernel forced", jit))
    print(f"\nNumba's import, cache load and first call: +{jit['cpu'] - plain['cpu']:.2f} s CPU "
          f"(+{jit['wall'] - plain['wall']:.2f} s wall), +{jit['peak'] - plain['peak']:.0f} MB peak RSS\n")
    if not BOOK.exists():
        print(f"{BOOK} is not here: no threshold runs")
        return
    print("# JIT_FROM_CHARS: Bleak House repeated (imports and reading the file excluded)\n")
    print("| run | CPU | wall | peak RSS |\n|---|---:|---:|---:|")
    for size in (int(s) for s in a.sizes.split(",")):
        vec = runs(str(BOOK), size * 1_000_000, "vectorized", a.repeat)
        com = runs(str(BOOK), size * 1_000_000, "compiled", a.repeat)
        assert vec["starts"] == com["starts"], "the two paths disagree"
        print(show(f"{size} M characters, vectorized", vec))
        print(show(f"{size} M characters, compiled", com))


if __name__ == "__main__":
    main()
