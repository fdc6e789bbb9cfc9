"""`seamline pipe` against the shell pipeline of the same stages, over ../shared/data/corpus.

Both read the corpus's files (25.7 MB of text in 17 files) and write to a file; the
outputs are compared byte for byte before any time is printed. Each chain runs
`--repeat` times and the best time of each side is kept.

    .venv/bin/python benchmarks/pipe.py [--corpus DIR] [--repeat 2]
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "data" / "corpus"
SEAMLINE = f"{sys.executable} -m seamline"
CHAINS = [
    "segment --by sentence | chunk --max-tokens 512",
    "segment --by sentence | chunk --max-tokens 128 | merge --max-tokens 512 --min-tokens 256",
]


def timed(cmd: str) -> float:
    start = time.perf_counter()
    subprocess.run(["bash", "-o", "pipefail", "-c", cmd], check=True, cwd=ROOT)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    files = sorted(str(p) for p in args.corpus.rglob("*") if p.suffix in (".txt", ".md"))
    megabytes = sum(os.path.getsize(f) for f in files) / 1e6
    inputs = " ".join(files)
    print(f"corpus: {len(files)} files, {megabytes:.1f} MB; best of {args.repeat}; load average "
          f"{os.getloadavg()[0]:.1f} at the start")
    print(f"{'chain':<90} {'shell s':>8} {'pipe s':>8} {'shell MB/s':>10} {'pipe MB/s':>10}")
    with tempfile.TemporaryDirectory() as tmp:
        shell_out, pipe_out = Path(tmp) / "shell.jsonl", Path(tmp) / "pipe.jsonl"
        for chain in CHAINS:
            stages = [s.strip() for s in chain.split("|")]
            shell = f"{SEAMLINE} {stages[0]} {inputs}" + "".join(f" | {SEAMLINE} {s}" for s in stages[1:])
            shell += f" > {shell_out}"
            pipe = f"{SEAMLINE} pipe '{chain}' {inputs} -o {pipe_out}"
            best_shell = best_pipe = float("inf")
            for _ in range(args.repeat):
                best_shell = min(best_shell, timed(shell))
                best_pipe = min(best_pipe, timed(pipe))
            if shell_out.read_bytes() != pipe_out.read_bytes():
                raise SystemExit(f"outputs differ for {chain!r}")
            print(f"{chain:<90} {best_shell:>8.2f} {best_pipe:>8.2f} {megabytes / best_shell:>10.2f} "
                  f"{megabytes / best_pipe:>10.2f}", flush=True)


if __name__ == "__main__":
    main()
