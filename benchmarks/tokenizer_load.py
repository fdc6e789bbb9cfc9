"""Loading cl100k_base in a fresh process: tiktoken's own loader against seamline's parsed-table cache.

Run: .venv/bin/python benchmarks/tokenizer_load.py [--repeat 5]

Each run is a new interpreter that times `get_tokenizer("cl100k_base")` and one
count (imports before it are not timed): once with SEAMLINE_CACHE_DIR=off
(tiktoken parses the 100,256 base64 lines), once with a cache directory that an
earlier run filled. Medians of --repeat, CPU (user + system) and wall seconds.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

CHILD = r"""
import json, time
import tiktoken
from seamline import tokenizers
t0, c0 = time.perf_counter(), time.process_time()
tokenizers.get_tokenizer("cl100k_base").count("warm")
print(json.dumps({"wall": time.perf_counter() - t0, "cpu": time.process_time() - c0}))
"""


def run(cache: str) -> dict:
    env = {**os.environ, "SEAMLINE_CACHE_DIR": cache}
    out = subprocess.run([sys.executable, "-c", CHILD], env=env, check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=5)
    a = ap.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; median of {a.repeat} fresh processes")
    with tempfile.TemporaryDirectory() as cache:
        run(cache)  # fills the cache
        for label, where in (("tiktoken's loader (cache off)", "off"), ("seamline's cache", cache)):
            runs = [run(where) for _ in range(a.repeat)]
            print(f"{label}: {statistics.median(r['cpu'] for r in runs) * 1e3:.0f} ms CPU, "
                  f"{statistics.median(r['wall'] for r in runs) * 1e3:.0f} ms wall")


if __name__ == "__main__":
    main()
