"""`pack` on texts that give the token counter no anchors: Chinese without spaces, a base64 blob.

Run: .venv/bin/python benchmarks/chunk_hard_texts.py [--chars 30000] [--max-tokens 512]

Times `seamline chunk`'s document path (sentences from the rules engine, then
pack under cl100k_base) in-process, best of --repeat, and checks that the
chunks tile the text and keep the budget. To time another version of the code,
run this file with that checkout first on the path, e.g. the code before the
galloping search (commit 7849bfd):

    mkdir /tmp/before && git archive 7849bfd~1 seamline | tar -x -C /tmp/before
    PYTHONPATH=/tmp/before .venv/bin/python benchmarks/chunk_hard_texts.py --repeat 1
"""
from __future__ import annotations

import argparse
import os
import time

import seamline
from seamline.chunkers.documents import document_groups
from seamline.chunkers.options import ChunkOptions
from seamline.chunkers.run import chunk_groups
from seamline.formats import Item
from seamline.segmenters import get_segmenter
from seamline.tokenizers import get_tokenizer

CJK = "的一是不了人我在有他这为之大来以个中上们到说国和"


def texts(chars: int) -> dict[str, str]:
    chinese = "".join(CJK[k % len(CJK)] + ("\u3002" if k % 41 == 0 else "") for k in range(chars))[:chars]
    blob = ("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=" * (chars // 36 + 1))[:chars]
    return {f"{chars:,} Chinese characters": chinese, f"{chars:,} characters of base64": blob}


def chunk(text: str, budget: int) -> list[dict]:
    items = [Item({"id": "t", "text": text}, "<bench>", 1)]
    seg = get_segmenter("sentence", "rules")
    groups = chunk_groups(document_groups(iter(items), lambda: seg), get_tokenizer("cl100k_base"),
                          ChunkOptions(max_tokens=budget), "pack")
    return [c for group in groups for c in group]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--chars", type=int, default=30_000)
    ap.add_argument("--max-tokens", type=int, default=512)
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    print(f"seamline from {seamline.__file__}; pack, rules sentences, cl100k_base, {a.max_tokens} tokens; "
          f"best of {a.repeat}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    for label, text in texts(a.chars).items():
        best = cpu = float("inf")
        for _ in range(a.repeat):
            t0, c0 = time.perf_counter(), time.process_time()
            chunks = chunk(text, a.max_tokens)
            best, cpu = min(best, time.perf_counter() - t0), min(cpu, time.process_time() - c0)
        assert "".join(c["text"] for c in chunks) == text
        assert max(c["tokens"] for c in chunks) <= a.max_tokens
        print(f"{label}: {cpu:.2f} s CPU ({best:.2f} s wall), {len(chunks)} chunks")


if __name__ == "__main__":
    main()
