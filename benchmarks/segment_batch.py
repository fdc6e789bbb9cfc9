"""`seamline segment` on a file (short documents batched) against the same file from a pipe (one at a time).

Run: .venv/bin/python benchmarks/segment_batch.py [--times 20] [--repeat 3]

The input is the UD EWT DEV sentence file repeated --times times (each copy's ids
made unique). `seamline segment FILE` runs short documents through the learned
model several at a time; `cat FILE | seamline segment` reads a pipe, so it
segments each document as it arrives. Whole processes, wall time median of
--repeat, CPU seconds (user + system) and wall; the two outputs are checked to be identical.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT.parent / "shared" / "data" / "sentences" / "ud_en_ewt.dev.jsonl"


def timed(command: str) -> tuple[float, float, bytes]:
    """(wall seconds, CPU seconds of the command's processes, its output)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    out = subprocess.run(command, shell=True, check=True, capture_output=True).stdout
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--times", type=int, default=20)
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    docs = [json.loads(line) for line in DEV.open(encoding="utf-8")]
    cli = f"{sys.executable} -m seamline segment --by sentence"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ewt.jsonl"
        with path.open("w", encoding="utf-8") as f:
            for k in range(a.times):
                for d in docs:
                    f.write(json.dumps({"id": f"{k}:{d['id']}", "text": d["text"]}) + "\n")
        size = path.stat().st_size / 1e6
        results = {}
        for label, command in (("file", f"{cli} {path}"), ("pipe", f"cat {path} | {cli}")):
            runs = [timed(command) for _ in range(a.repeat)]
            results[label] = (statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs), runs[0][2])
    assert results["file"][2] == results["pipe"][2], "file and pipe outputs differ"
    (fw, fc, _), (pw, pc, _) = results["file"], results["pipe"]
    print(f"{len(docs) * a.times:,} EWT DEV documents ({size:.1f} MB), median of {a.repeat}, "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores: `seamline segment FILE` "
          f"{fc:.2f} s CPU ({fw:.2f} s wall), `cat FILE | seamline segment` {pc:.2f} s CPU ({pw:.2f} s wall), "
          f"the same output")


if __name__ == "__main__":
    main()
