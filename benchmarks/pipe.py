"""`seamline pipe` against the shell pipeline of the same stages, over ../shared/data/corpus.

Both read the corpus's files (25.7 MB of text in 17 files) and write to a file; the
outputs are compared byte for byte before any time is printed. Each chain runs
`--repeat` times and the best wall time of each side is kept, with the CPU seconds
its processes used (user + system, all processes of the pipeline).

    .venv/bin/python benchmarks/pipe.py [--corpus DIR] [--repeat 2]
"""
from __future__ import annotations

import argparse
import os
import resource
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


def timed(cmd: str) -> tuple[float, float]:
    """(wall seconds, CPU seconds of every process of the command)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(["bash", "-o", "pipefail", "-c", cmd], check=True, cwd=ROOT)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


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
    print(f"{'chain':<88} {'shell s':>8} {'pipe s':>8} {'shell MB/s':>10} {'pipe MB/s':>10} "
          f"{'shell CPU s':>11} {'pipe CPU s':>10}")
    with tempfile.TemporaryDirectory() as tmp:
        shell_out, pipe_out = Path(tmp) / "shell.jsonl", Path(tmp) / "pipe.jsonl"
        for chain in CHAINS:
            stages = [s.strip() for s in chain.split("|")]
            shell = f"{SEAMLINE} {stages[0]} {inputs}" + "".join(f" | {SEAMLINE} {s}" for s in stages[1:])
            shell += f" > {shell_out}"
            pipe = f"{SEAMLINE} pipe '{chain}' {inputs} -o {pipe_out}"
            best_shell = best_pipe = (float("inf"), float("inf"))
            for _ in range(args.repeat):
                best_shell = min(best_shell, timed(shell))
                best_pipe = min(best_pipe, timed(pipe))
            if shell_out.read_bytes() != pipe_out.read_bytes():
                raise SystemExit(f"outputs differ for {chain!r}")
            (shell_s, shell_cpu), (pipe_s, pipe_cpu) = best_shell, best_pipe
            print(f"{chain:<88} {shell_s:>8.2f} {pipe_s:>8.2f} {megabytes / shell_s:>10.2f} "
                  f"{megabytes / pipe_s:>10.2f} {shell_cpu:>11.2f} {pipe_cpu:>10.2f}", flush=True)
    print(f"load average {os.getloadavg()[0]:.1f} at the end (on a loaded machine a two-process shell pipeline "
          "gets a larger share of the CPUs than one process: compare the CPU seconds too)")


if __name__ == "__main__":
    main()
