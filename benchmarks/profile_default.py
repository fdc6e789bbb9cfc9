"""Where the default path's time goes: start-up pieces and the stages of `chunk` on one long document.

Start-up: CPU seconds (user + system, the median of --repeat fresh processes) of
Python alone, then of each import or load a `seamline segment` / `chunk` run needs,
each measured in a process of its own, cumulative (each line includes the ones above).
Stages: CPU seconds of each stage of the default `chunk --max-tokens 512` on one
document of books, run one after the other in one process (the CLI overlaps the
counting with the rest on other threads; here each is measured alone).

CPU seconds rather than wall seconds: on a shared machine they show the work of
each piece apart from the waiting.

    .venv/bin/python benchmarks/profile_default.py [--mb 3.8] [--repeat 5]
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "corpus"

STARTUP = [
    ("python -c pass", "pass"),
    ("+ import typer", "import typer"),
    ("+ import seamline.cli", "import seamline.cli"),
    ("+ import numpy", "import seamline.cli, numpy"),
    ("+ load the sentence model", "import seamline.cli\nfrom seamline.segmenters import get_segmenter\n"
                                  "get_segmenter('sentence')"),
    ("+ load cl100k_base (tiktoken)", "import seamline.cli\nfrom seamline.segmenters import get_segmenter\n"
                                      "get_segmenter('sentence')\nfrom seamline.tokenizers import get_tokenizer\n"
                                      "get_tokenizer('cl100k_base')"),
]


def cpu_of(code: str, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        proc = subprocess.Popen([sys.executable, "-c", code])
        _, status, usage = os.wait4(proc.pid, 0)
        if status:
            raise SystemExit(f"failed: {code!r}")
        times.append(usage.ru_utime + usage.ru_stime)
    return statistics.median(times)


class _Ready:
    def __init__(self, value):
        self.value = value

    def result(self):
        return self.value


def stages(text: str) -> list[tuple[str, float]]:
    from seamline.chunkers.options import ChunkOptions
    from seamline.chunkers.documents import DocumentGroup
    from seamline.chunkers.pack import pack_strategy
    from seamline.formats.writers import encoder
    from seamline.records import Document
    from seamline.segmenters import get_segmenter
    from seamline.tokenizers import get_tokenizer

    out = []
    clock = time.process_time()

    def mark(name):
        nonlocal clock
        now = time.process_time()
        out.append((name, now - clock))
        clock = now

    tok = get_tokenizer("cl100k_base")
    seg = get_segmenter("sentence")
    mark("load the tokenizer and the model")
    spans = tok.spans(text)
    mark("count tokens (anchors and distinct segments)")
    group = DocumentGroup(Document(id="d", text=text, meta={}), seg, "all")
    if not group.by_window(512):
        group.units  # noqa: B018
    mark("sentences of the whole text (learned, vectorized)")
    group.prepared = (tok, text, _Ready(spans))
    records = pack_strategy(group, tok, ChunkOptions(max_tokens=512))
    mark(f"pack into {len(records)} chunks and make the records")
    encode = encoder("jsonl")
    for record in records:
        encode(record)
    mark("encode the records as JSON Lines")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=float, default=3.8)
    ap.add_argument("--repeat", type=int, default=5)
    a = ap.parse_args()
    print(f"# {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; load average {os.getloadavg()[0]:.1f}")
    print("| start-up (cumulative) | CPU s |")
    print("|---|---:|")
    for name, code in STARTUP:
        print(f"| {name} | {cpu_of(code, a.repeat):.3f} |", flush=True)
    books = "".join(p.read_text(encoding="utf-8") for p in sorted((CORPUS / "gutenberg").glob("*.txt")))
    text = books[200_000:200_000 + int(a.mb * 1e6)]
    print()
    print(f"| stage of `chunk --max-tokens 512`, {len(text) / 1e6:.1f} M characters | CPU s |")
    print("|---|---:|")
    for name, seconds in stages(text):
        print(f"| {name} | {seconds:.3f} |")


if __name__ == "__main__":
    main()
