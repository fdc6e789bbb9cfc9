"""Time `seamline segment | seamline chunk` over ../shared/data/corpus, as a shell user would.

Prints MB/s for the whole pipeline (two processes, start-up included) and for each
stage alone, and the peak resident memory of each stage on one copy of the corpus
and on a stream three times as long: memory must not grow with the stream's length.

    .venv/bin/python benchmarks/pipeline.py [--corpus DIR] [--repeat 3] [--max-tokens 512]
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "data" / "corpus"
SEAMLINE = [sys.executable, "-m", "seamline"]


def corpus_jsonl(corpus: Path, copies: int, out: Path) -> int:
    """Write the corpus as a document stream, `copies` times over; return its size in bytes of text."""
    files = sorted(p for p in corpus.rglob("*") if p.suffix in (".txt", ".md"))
    size = 0
    with open(out, "wb") as f:
        for copy in range(copies):
            for path in files:
                text = path.read_text(encoding="utf-8")
                size += len(text.encode("utf-8"))
                f.write(json.dumps({"id": f"{copy}/{path.name}", "text": text}).encode() + b"\n")
    return size


def run_stage(args: list[str], stdin_path: Path, stdout_path: Path | None) -> tuple[float, float]:
    """Run one stage as its own process; return (seconds, peak RSS in MB of that process)."""
    code = (
        "import resource, subprocess, sys, time\n"
        f"t = time.perf_counter()\n"
        f"p = subprocess.run({args!r}, stdin=open({str(stdin_path)!r}, 'rb'), "
        f"stdout=open({str(stdout_path or os.devnull)!r}, 'wb'))\n"
        "dt = time.perf_counter() - t\n"
        "print(dt, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, p.returncode)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    if out[2] != "0":
        raise SystemExit(f"stage {' '.join(args)} failed with status {out[2]}")
    return float(out[0]), int(out[1]) / 1024.0


def run_pipeline(docs: Path, max_tokens: int) -> float:
    cmd = (f"{' '.join(SEAMLINE)} segment --by sentence < {docs} | "
           f"{' '.join(SEAMLINE)} chunk --max-tokens {max_tokens} > /dev/null")
    start = time.perf_counter()
    subprocess.run(["bash", "-o", "pipefail", "-c", cmd], check=True, cwd=ROOT)
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--repeat", type=int, default=3, help="best of N runs")
    ap.add_argument("--max-tokens", type=int, default=512)
    a = ap.parse_args()
    if not a.corpus.exists():
        raise SystemExit(f"{a.corpus} not found: the benchmark reads ../shared/data/corpus")
    with tempfile.TemporaryDirectory() as tmp:
        one, three = Path(tmp) / "one.jsonl", Path(tmp) / "three.jsonl"
        units = Path(tmp) / "units.jsonl"
        mb = corpus_jsonl(a.corpus, 1, one) / 1e6
        corpus_jsonl(a.corpus, 3, three)
        best = min(run_pipeline(one, a.max_tokens) for _ in range(a.repeat))
        seg_s, seg_mem = min(run_stage([*SEAMLINE, "segment", "--by", "sentence"], one, units) for _ in range(a.repeat))
        chunk_s, chunk_mem = min(run_stage([*SEAMLINE, "chunk", "--max-tokens", str(a.max_tokens)], units, None)
                                 for _ in range(a.repeat))
        _, seg_mem3 = run_stage([*SEAMLINE, "segment", "--by", "sentence"], three, units)
        _, chunk_mem3 = run_stage([*SEAMLINE, "chunk", "--max-tokens", str(a.max_tokens)], units, None)
    print(f"corpus: {a.corpus} ({mb:.1f} MB of text), chunk --max-tokens {a.max_tokens} (cl100k_base), "
          f"best of {a.repeat}, whole processes")
    print(f"{'what':<34}{'seconds':>9}{'MB/s':>9}{'peak MB (1x)':>14}{'peak MB (3x)':>14}")
    print(f"{'segment | chunk (pipeline)':<34}{best:>9.2f}{mb / best:>9.2f}{'':>14}{'':>14}")
    print(f"{'segment --by sentence':<34}{seg_s:>9.2f}{mb / seg_s:>9.2f}{seg_mem:>14.0f}{seg_mem3:>14.0f}")
    print(f"{'chunk (units in)':<34}{chunk_s:>9.2f}{mb / chunk_s:>9.2f}{chunk_mem:>14.0f}{chunk_mem3:>14.0f}")
    growth = max(seg_mem3 - seg_mem, chunk_mem3 - chunk_mem)
    print(f"memory growth from a 1x to a 3x stream: {growth:+.0f} MB "
          f"({'bounded' if growth < 50 else 'GROWS WITH THE STREAM'}; the largest document is "
          f"{max(p.stat().st_size for p in a.corpus.rglob('*.txt')) / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
