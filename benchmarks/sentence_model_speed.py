"""Speed of the shipped sentence model against the model file of another commit, in CPU time.

    .venv/bin/python benchmarks/sentence_model_speed.py [--against REV] [--chars 1000000] [--runs 3] [--cascade]

Both models run on the default (vectorized NumPy) path over the first CHARS
characters of Bleak House, after a warm-up call; the figure is characters per
CPU second of this process (process_time), best of RUNS, so that other jobs on
a shared machine disturb it less than wall time. A larger weight table costs
cache misses, which is what this compares. Then the same over the EWT DEV
documents, one call each ("small documents": there a fixed cost per call, such
as the second stage's NumPy steps, weighs most). With --cascade the shipped
model runs with its second stage (the `learned-cascade` engine).
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def cpu_speed(path: str, text: str, runs: int, cascade_on: bool = False) -> float:
    from seamline.sbd.model import SentenceModel
    model = SentenceModel.load(path, cascade_on)
    model.compiled = False
    model.starts(text[:20_000])
    best = 0.0
    for _ in range(runs):
        t = time.process_time()
        model.starts(text)
        best = max(best, len(text) / max(time.process_time() - t, 1e-9))
    return best


def small_speed(path: str, texts: list[str], runs: int, cascade_on: bool = False) -> float:
    from seamline.sbd.model import SentenceModel
    model = SentenceModel.load(path, cascade_on)
    model.compiled = False
    for text in texts[:20]:
        model.starts(text)
    size, best = sum(map(len, texts)), 0.0
    for _ in range(runs):
        t = time.process_time()
        for text in texts:
            model.starts(text)
        best = max(best, size / max(time.process_time() - t, 1e-9))
    return best


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--against", default="HEAD~1", help="git revision whose seamline/models/sentences.npz to compare")
    ap.add_argument("--chars", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--cascade", action="store_true", help="run the shipped model with its second stage")
    a = ap.parse_args()
    book = ROOT.parent / "shared" / "data" / "corpus" / "gutenberg" / "dickens_bleak_house.txt"
    text = book.read_text(encoding="utf-8")[:a.chars]
    old = subprocess.run(["git", "-C", str(ROOT), "show", f"{a.against}:seamline/models/sentences.npz"],
                         capture_output=True, check=True).stdout
    with tempfile.NamedTemporaryFile(suffix=".npz") as f:
        f.write(old)
        f.flush()
        shipped = str(ROOT / "seamline" / "models" / "sentences.npz")
        mine = "shipped model" + (" (cascade)" if a.cascade else "")
        runs = [(f"model at {a.against}", f.name, False), (mine, shipped, a.cascade)] * 2
        for label, path, cascade_on in runs:
            print(f"{label:28s} {cpu_speed(path, text, a.runs, cascade_on) / 1e6:6.2f} million characters per CPU second")
        import json
        dev = ROOT.parent / "shared" / "data" / "sentences" / "ud_en_ewt.dev.jsonl"
        texts = [json.loads(line)["text"] for line in dev.read_text(encoding="utf-8").splitlines()]
        for label, path, cascade_on in runs:
            print(f"{label:28s} {small_speed(path, texts, a.runs, cascade_on) / 1e6:6.2f} million characters per "
                  f"CPU second on {len(texts)} small documents, one call each")
    return 0


if __name__ == "__main__":
    sys.exit(main())
