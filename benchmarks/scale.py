"""Time the same pipeline in one process and on Ray Data with 1 and 2 CPUs.

Over ../shared/data/corpus written as one JSONL document stream (26 MB of books
and EU acts, 17 documents), or a stream `--copies` times as long, it prints:

- the single-process `pipe` (in this process, no start-up) and its throughput;
- Ray's fixed start-up cost (`ray.init` of a local cluster, and the first
  task's actor start: model and tokenizer loads);
- Ray with 1 and 2 CPUs: wall time after start-up, throughput, and the 2-CPU
  speed-up over the single-process `pipe`;
- peak resident memory of the driver (this process) and of the largest
  worker, sampled every 0.1 s.

Every run's output is compared with the single-process output, byte for byte.

    .venv/bin/python benchmarks/scale.py [--copies 1] [--stages "segment | chunk --max-tokens 512"]
"""
from __future__ import annotations

import argparse
import hashlib
import itertools
import os
import resource
import sys
import tempfile
import threading
import time
from pathlib import Path


ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "data" / "corpus"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from pipeline import corpus_jsonl  # noqa: E402  (the same document stream pipeline.py times)


class PeakWorkers:
    """The largest resident set of Ray's worker processes while a run goes on."""

    def __init__(self):
        import psutil

        self.psutil = psutil
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def _watch(self):
        while not self._stop.wait(0.1):
            for proc in self.psutil.process_iter(["cmdline", "memory_info"]):
                cmd = " ".join(proc.info["cmdline"] or [])
                if "ray::" in cmd and proc.info["memory_info"] is not None:
                    self.peak = max(self.peak, proc.info["memory_info"].rss)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def digest_of(chunks) -> tuple[str, int]:
    h = hashlib.sha256()
    n = 0
    for data in chunks:
        h.update(data)
        n += len(data)
    return h.hexdigest(), n


LOCAL = """
import hashlib, sys, time
from seamline.api import Pipeline
from seamline.formats.writers import encode_jsonl
pipe = Pipeline(sys.argv[1])
t = time.perf_counter()
h = hashlib.sha256()
for recs in pipe.files([sys.argv[2]]):
    h.update(b"".join(encode_jsonl(r) for r in recs))
print(time.perf_counter() - t, h.hexdigest())
"""


def local_run(stages: str, path: str) -> tuple[float, str]:
    """The single-process pipe in a process of its own (so the driver's memory below is Ray's alone)."""
    import subprocess

    out = subprocess.run([sys.executable, "-c", LOCAL, stages, path], capture_output=True, check=True,
                         cwd=ROOT, text=True).stdout.split()
    return float(out[0]), out[1]


def ray_run(stages: str, path: str, cpus: int) -> tuple[float, float, str, int, int]:
    """(first-task latency, wall time after ray.init, digest, peak worker RSS, bytes of input in the
    first task) on a fresh local Ray."""
    import ray

    from seamline.executors import ray_data

    ray_data.start(num_cpus=cpus)
    with PeakWorkers() as peak:
        t = time.perf_counter()
        outcomes = ray_data.run_files(stages, [path], num_cpus=cpus)
        first = next(outcomes)
        latency = time.perf_counter() - t
        # a generator, not a list: the driver's memory must be Ray's, not the benchmark's
        digest, _ = digest_of(itertools.chain([first.data], (o.data for o in outcomes)))
        wall = time.perf_counter() - t
    ray.shutdown()
    return latency, wall, digest, peak.peak, first.size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--copies", type=int, default=1)
    parser.add_argument("--stages", default="segment --by sentence | chunk --max-tokens 512")
    args = parser.parse_args()
    if not CORPUS.is_dir():
        sys.exit(f"{CORPUS} is not here: the benchmark needs ../shared/data/corpus")
    import ray

    with tempfile.TemporaryDirectory() as tmp:
        path = str(Path(tmp) / "corpus.jsonl")
        size = corpus_jsonl(CORPUS, args.copies, Path(path))
        mb = size / 1e6
        print(f"input: {mb:.1f} MB of text in one JSONL file; stages: {args.stages!r}; "
              f"{os.cpu_count()} cores; ray {ray.__version__}")
        seconds, reference = local_run(args.stages, path)
        print(f"{'single process (pipe, in-process)':<38} {seconds:7.2f} s {mb / seconds:7.2f} MB/s")
        t = time.perf_counter()
        ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, _node_ip_address="127.0.0.1")
        print(f"{'ray.init, local cluster of 2 CPUs':<38} {time.perf_counter() - t:7.2f} s")
        ray.shutdown()
        rows = []
        for cpus in (1, 2):
            t = time.perf_counter()
            latency, wall, digest, peak, first_bytes = ray_run(args.stages, path, cpus)
            same = "same bytes" if digest == reference else "DIFFERENT OUTPUT"
            rows.append(wall)
            # after the first task: the actors are up (models loaded), so this is the pool's throughput
            steady = (size - first_bytes) / 1e6 / max(wall - latency, 1e-9)
            print(f"{f'ray, {cpus} CPU':<38} {wall:7.2f} s {mb / wall:7.2f} MB/s  first task {latency:5.2f} s  "
                  f"after it {steady:5.2f} MB/s  worker peak {peak / 1e6:5.0f} MB  {same}")
        print(f"2-CPU speed-up over the single-process pipe: {seconds / rows[1]:.2f}x "
              f"(over ray with 1 CPU: {rows[0] / rows[1]:.2f}x)")
        print(f"driver peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3:.0f} MB")


if __name__ == "__main__":
    main()
