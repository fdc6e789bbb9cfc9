"""TopicTiling on the Choi DEV set: the shipped Gutenberg model and 5-fold cross-validation.

Run: .venv/bin/python benchmarks/topics_lda.py [--docs N] [--folds 5] [--iterations 300]
     [--window 3] [--disjoint] [--methods topictiling,bayes]

Each Choi document is scored on its gold sentences (meta.sentence_spans); Pk and
WindowDiff (segeval convention, seamline.evaluation.metrics) are averaged over
documents, without K (the method's own threshold) and with K known (the K - 1
strongest boundaries). Rows:

  gutenberg        the shipped model (public-domain books only; no Choi text)
  cv               5-fold CV over documents (document i in fold i mod 5): a model is
                   fitted on the gold segments of the other folds (duplicates removed)
                   and scores the held-out fold. Choi builds its documents from ~400
                   Brown-corpus excerpts shared across documents, so almost every
                   held-out segment's excerpt is also in the training folds: this is
                   the literature's protocol, and it is optimistic.
  cv, disjoint     (--disjoint) as cv, but training segments whose excerpt (first 80
                   characters) occurs in the held-out fold are dropped.
  bayes            the best method without LDA, for comparison (--methods).

MB/s: UTF-8 bytes of the scored text over scoring + decision time.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = Path(os.environ.get("SEAMLINE_SHARED_DATA", ROOT.parent / "shared" / "data"))

from seamline.evaluation.metrics import pk, windowdiff  # noqa: E402
from seamline.topics import get_scorer  # noqa: E402
from seamline.topics import lda  # noqa: E402
from seamline.topics.decide import decide  # noqa: E402
from seamline.topics.topictiling import TopicTilingScorer  # noqa: E402


def read_choi(limit: int | None) -> list[dict]:
    with open(DATA / "topics" / "choi.dev.jsonl", encoding="utf-8") as f:
        docs = [json.loads(line) for line in f]
    return docs[:limit] if limit else docs


def gold(doc: dict) -> tuple[list[str], list[int]]:
    spans = doc["meta"]["sentence_spans"]
    index = {s: i for i, (s, _) in enumerate(spans)}
    return [doc["text"][s:e] for s, e in spans], [index[s] for s, _ in doc["segments"][1:] if s in index]


def evaluate(scorer, docs: list[dict], out: dict) -> None:
    """Adds Pk / WindowDiff lists for both decisions, and the time, to `out`."""
    for doc in docs:
        sentences, ref = gold(doc)
        n = len(sentences)
        t0 = time.perf_counter()
        scores = scorer.score(sentences)
        hyps = {"default": decide(scores, "threshold"), "K known": decide(scores, "best", segments=len(ref) + 1)}
        place = getattr(scorer, "place", None)
        if place is not None:
            hyps = {k: place(h, None, None) for k, h in hyps.items()}
        out["secs"] += time.perf_counter() - t0
        out["bytes"] += sum(len(s.encode()) for s in sentences)
        for k, hyp in hyps.items():
            out.setdefault(k, {"pk": [], "wd": []})
            out[k]["pk"].append(pk(n, ref, hyp).value)
            out[k]["wd"].append(windowdiff(n, ref, hyp).value)


def new_result() -> dict:
    return {"secs": 0.0, "bytes": 0, "fit_secs": 0.0}


def training_segments(docs: list[dict], held_out: list[dict], disjoint: bool) -> list[str]:
    segs = [d["text"][s:e] for d in docs for s, e in d["segments"]]
    if disjoint:
        seen = {d["text"][s:e][:80] for d in held_out for s, e in d["segments"]}
        segs = [t for t in segs if t[:80] not in seen]
    return list(dict.fromkeys(segs))


def cross_validate(docs: list[dict], folds: int, args, disjoint: bool) -> dict:
    res = new_result()
    for f in range(folds):
        test = [d for i, d in enumerate(docs) if i % folds == f]
        train = training_segments([d for i, d in enumerate(docs) if i % folds != f], test, disjoint)
        t0 = time.perf_counter()
        model = lda.fit(train, topics=args.topics, iterations=args.iterations, vocab_size=args.vocab)
        res["fit_secs"] += time.perf_counter() - t0
        scorer = TopicTilingScorer(window=args.window)
        scorer._model = model
        evaluate(scorer, test, res)
        print(f"  fold {f}: {len(train)} training segments, {int(model.topic_term.sum())} tokens, "
              f"{len(model.vocab)} terms", file=sys.stderr)
    return res


def row(name: str, res: dict) -> list[str]:
    lines = []
    for k in ("default", "K known"):
        r = res[k]
        mbs = res["bytes"] / 1e6 / res["secs"] if res["secs"] else 0.0
        lines.append(f"| {name}, {k} | {np.mean(r['pk']):.3f} | {np.mean(r['wd']):.3f} | {mbs:.2f} |"
                     f" {res['fit_secs']:.0f} |")
    return lines


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=None, help="first N Choi DEV documents (default all 460)")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--topics", type=int, default=100)
    ap.add_argument("--iterations", type=int, default=300)
    ap.add_argument("--vocab", type=int, default=20000)
    ap.add_argument("--window", type=int, default=3)
    ap.add_argument("--disjoint", action="store_true", help="also run CV without shared excerpts")
    ap.add_argument("--methods", default="topictiling", help="comma list: topictiling, bayes, cv-only")
    args = ap.parse_args()
    docs = read_choi(args.docs)
    methods = args.methods.split(",")
    table = ["| TopicTiling on Choi DEV | Pk | WindowDiff | MB/s | fit s |", "|---|---:|---:|---:|---:|"]
    if "bayes" in methods:
        res = new_result()
        evaluate(get_scorer("bayes"), docs, res)
        table += row("bayes (no LDA)", res)
    if "topictiling" in methods:
        res = new_result()
        evaluate(TopicTilingScorer(window=args.window), docs, res)
        table += row("topictiling, shipped Gutenberg model", res)
    if args.folds > 1:
        table += row(f"topictiling, {args.folds}-fold CV", cross_validate(docs, args.folds, args, False))
    if args.folds > 1 and args.disjoint:
        table += row(f"topictiling, {args.folds}-fold CV, excerpt-disjoint",
                     cross_validate(docs, args.folds, args, True))
    print(f"{len(docs)} Choi DEV documents; window {args.window}, {args.topics} topics, "
          f"{args.iterations} sweeps; 2-core machine shared with other jobs (loaded)")
    print("\n".join(table))


if __name__ == "__main__":
    main()
