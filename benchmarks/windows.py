"""`pack` with the learned engine: deciding sentences in windows near chunk ends, or over the whole text.

For each budget, the CPU seconds of `pack_strategy` on one document of books
(its token counts made beforehand, as `chunk` does on another thread), with the
engine's windows and with whole-text units; the chunks are checked to be equal.
The learned engine's `window_from_tokens` (where `pack` switches to windows) is
set from this table.

    .venv/bin/python benchmarks/windows.py [--mb 3.8] [--repeat 3]
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

from seamline.chunkers.documents import DocumentGroup
from seamline.chunkers.options import ChunkOptions
from seamline.chunkers.pack import pack_strategy
from seamline.records import Document
from seamline.segmenters.learned import LearnedSentences
from seamline.tokenizers import get_tokenizer

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "corpus"


class _Ready:
    def __init__(self, value):
        self.value = value

    def result(self):
        return self.value


def run(text: str, tok, spans, budget: int, windowed: bool):
    seg = LearnedSentences()
    seg.window_from_tokens = 0 if windowed else 10 ** 9
    group = DocumentGroup(Document(id="d", text=text, meta={}), seg, "all")
    group.prepared = (tok, text, _Ready(spans))  # counted already: time the packing alone
    start = time.process_time()
    records = pack_strategy(group, tok, ChunkOptions(max_tokens=budget))
    return time.process_time() - start, records


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=float, default=3.8)
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    books = "".join(p.read_text(encoding="utf-8") for p in sorted((CORPUS / "gutenberg").glob("*.txt")))
    text = books[200_000:200_000 + int(a.mb * 1e6)]
    tok = get_tokenizer("cl100k_base")
    spans = tok.spans(text)
    print(f"# {len(text) / 1e6:.1f} M characters of books; CPU seconds, best of {a.repeat}")
    print("| --max-tokens | chunks | whole text s | windows s | windows vs whole |")
    print("|---:|---:|---:|---:|---:|")
    for budget in (256, 512, 1024, 1536, 2048, 4096):
        best = {}
        for _ in range(a.repeat):
            for windowed in (False, True):
                seconds, records = run(text, tok, spans, budget, windowed)
                best[windowed] = min(best.get(windowed, seconds), seconds)
                best[windowed, "records"] = records
        assert best[False, "records"] == best[True, "records"], budget
        print(f"| {budget} | {len(best[True, 'records'])} | {best[False]:.3f} | {best[True]:.3f} "
              f"| {best[False] / best[True]:.2f}x |", flush=True)


if __name__ == "__main__":
    main()
