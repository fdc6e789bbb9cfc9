"""Topic segmentation: Pk, WindowDiff and speed of every method beside NLTK's TextTiling.

Run: .venv/bin/python benchmarks/topics.py [--choi-docs N] [--sets choi,manifesto,multicoder_fournier]

Methods score the gold sentences of each DEV document (meta.sentence_spans) so
that Pk and WindowDiff are over the same units as the gold; `default` is each
method's own decision, `K known` gives it the gold number of segments. NLTK
needs blank lines, so it gets one sentence a paragraph. `random` places as many
boundaries as the gold at random sentence starts (mean of 5 seeds). MB/s is
text characters (as bytes of UTF-8) over scoring + decision time. Pk/WindowDiff
are computed here (segeval's window: half the mean gold segment length, at
least 2; N - k windows).
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = Path(os.environ.get("SEAMLINE_SHARED_DATA", ROOT.parent / "shared" / "data"))

from seamline.topics import METHODS, get_scorer  # noqa: E402
from seamline.topics.decide import decide  # noqa: E402


def read(name: str) -> list[dict]:
    path = DATA / "topics" / f"{name}.dev.jsonl"
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def gold(doc: dict) -> tuple[list[str], list[int]]:
    spans = doc["meta"]["sentence_spans"]
    index = {s: i for i, (s, _) in enumerate(spans)}
    starts = [index[s] for s, _ in doc["segments"][1:] if s in index]
    return [doc["text"][s:e] for s, e in spans], starts


def labels(starts, n):
    out = np.zeros(n, dtype=np.int64)
    for s in starts:
        out[s:] += 1
    return out


def window(ref, n):
    k = int(round(n / (len(ref) + 1) / 2.0))
    return max(k, 2)


def pk(ref, hyp, n):
    k = window(ref, n)
    if n <= k:
        return 0.0
    r, h = labels(ref, n), labels(hyp, n)
    return float(np.mean((r[:-k] == r[k:]) != (h[:-k] == h[k:])))


def windowdiff(ref, hyp, n):
    k = window(ref, n)
    if n <= k:
        return 0.0
    r, h = labels(ref, n), labels(hyp, n)
    return float(np.mean((r[k:] - r[:-k]) != (h[k:] - h[:-k])))


def nltk_starts(tt, sentences: list[str]) -> list[int]:
    text = "\n\n".join(sentences)
    pieces = tt.tokenize(text)
    offsets, pos = [], 0
    for p in pieces[:-1]:
        pos += len(p)
        offsets.append(pos)
    starts, pos, out = [], 0, []
    for s in sentences:
        starts.append(pos)
        pos += len(s) + 2
    for off in offsets:  # a break offset sits on the blank line before a sentence
        j = int(np.searchsorted(starts, off))
        if 0 < j < len(sentences):
            out.append(j)
    return sorted(set(out))


def run_method(name, docs, known_k):
    scorer = get_scorer(name)
    res = {"pk": [], "wd": [], "chars": 0, "secs": 0.0}
    for sentences, ref in docs:
        n = len(sentences)
        t0 = time.perf_counter()
        scores = scorer.score(sentences)
        if known_k:
            hyp = decide(scores, "best", segments=len(ref) + 1)
        else:
            hyp = decide(scores, "threshold")
        place = getattr(scorer, "place", None)
        if place is not None:
            hyp = place(hyp, None, None)
        res["secs"] += time.perf_counter() - t0
        res["chars"] += sum(len(s.encode()) for s in sentences)
        res["pk"].append(pk(ref, hyp, n))
        res["wd"].append(windowdiff(ref, hyp, n))
    return res


def run_nltk(docs):
    os.environ.setdefault("NLTK_DATA", str(DATA / "nltk_data"))
    from nltk.corpus import stopwords
    from nltk.tokenize.texttiling import TextTilingTokenizer

    tt = TextTilingTokenizer(stopwords=stopwords.words("english"))
    res = {"pk": [], "wd": [], "chars": 0, "secs": 0.0, "failed": 0}
    for sentences, ref in docs:
        t0 = time.perf_counter()
        try:
            hyp = nltk_starts(tt, sentences)
        except ValueError:
            hyp = []
            res["failed"] += 1
        res["secs"] += time.perf_counter() - t0
        res["chars"] += sum(len(s.encode()) for s in sentences)
        res["pk"].append(pk(ref, hyp, len(sentences)))
        res["wd"].append(windowdiff(ref, hyp, len(sentences)))
    return res


def run_random(docs, seeds=5):
    pks, wds = [], []
    for seed in range(seeds):
        rng = np.random.default_rng(seed)
        for sentences, ref in docs:
            n = len(sentences)
            hyp = sorted(rng.choice(np.arange(1, n), size=min(len(ref), n - 1), replace=False).tolist())
            pks.append(pk(ref, hyp, n))
            wds.append(windowdiff(ref, hyp, n))
    return {"pk": pks, "wd": wds, "chars": 0, "secs": 0.0}


def row(label, res, base_secs=None):
    mbs = res["chars"] / res["secs"] / 1e6 if res["secs"] else float("nan")
    ratio = f"{base_secs / res['secs']:.0f}x" if base_secs and res["secs"] else ""
    return f"| {label} | {np.mean(res['pk']):.3f} | {np.mean(res['wd']):.3f} | {mbs:.3f} | {ratio} |"


def tiling_speed(docs):
    """Whole TextTiling, ours (NLTK-compatible path) against NLTK, on the same paragraph texts."""
    from seamline.topics.tiling import TilingParams, nltk_boundaries

    os.environ.setdefault("NLTK_DATA", str(DATA / "nltk_data"))
    from nltk.corpus import stopwords
    from nltk.tokenize.texttiling import TextTilingTokenizer

    stop = stopwords.words("english")
    tt = TextTilingTokenizer(stopwords=stop)
    params = TilingParams(stopwords=frozenset(stop), ascii_only=True)
    texts = ["\n\n".join(s) for s, _ in docs]
    nltk_boundaries(texts[0], params)  # compile / load the kernels first
    t0 = time.perf_counter()
    theirs = [tt.tokenize(t) for t in texts]
    t_nltk = time.perf_counter() - t0
    t0 = time.perf_counter()
    ours = [nltk_boundaries(t, params) for t in texts]
    t_ours = time.perf_counter() - t0
    # NLTK returns the pieces; their running lengths are its boundary offsets
    same = sum(o == np.cumsum([len(p) for p in pieces[:-1]]).tolist() for o, pieces in zip(ours, theirs))
    mb = sum(len(t.encode()) for t in texts) / 1e6
    return mb, t_nltk, t_ours, same, len(texts)


def cold_start(method: str | None = None) -> list[tuple[float, float]]:
    page = " ".join(s for s, _ in [(d["text"][:3000], 0) for d in read("choi")[:1]])
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        f.write(page)
    cli = str(ROOT / ".venv" / "bin" / "seamline")
    times = []
    for _ in range(3):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        options = ["--method", method] if method else []
        subprocess.run([cli, "segment", "--by", "topic", *options, f.name], check=True, stdout=subprocess.DEVNULL)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        times.append((time.perf_counter() - t0, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime))
    os.unlink(f.name)
    return times


def book(path: str, chars: int | None = None) -> None:
    """The default of `segment --by topic` against tiling on a whole book (or its first `chars`
    characters): pieces and CPU seconds in-process."""
    from seamline.segmenters.topic import TopicSegmenter
    text = Path(path).read_text(encoding="utf-8")[:chars]
    for method in ("bayes", "tiling"):
        seg = TopicSegmenter(method=method)
        seg.annotated(text[:5000])  # load the kernels first
        t = time.process_time()
        out = seg.annotated(text)
        lengths = sorted(e - s for s, e, _ in out)
        print(f"{method}: {Path(path).name} ({len(text):,} characters): {len(out)} topics, median "
              f"{lengths[len(lengths) // 2]:,} characters, {time.process_time() - t:.1f} s CPU")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--choi-docs", type=int, default=460)
    ap.add_argument("--sets", default="choi,manifesto,multicoder_fournier",
                    help="which of the three DEV sets to score (comma-separated)")
    ap.add_argument("--book", help="only: the default against tiling on this whole text file")
    ap.add_argument("--book-chars", type=int, help="with --book: only its first N characters")
    args = ap.parse_args()
    if args.book:
        book(args.book, args.book_chars)
        return
    sets = {"choi": read("choi")[:args.choi_docs], "manifesto": read("manifesto"),
            "multicoder_fournier": read("multicoder_fournier")}

    print(f"# topics benchmark ({os.cpu_count()} cores; other work running on the machine)\n")
    for name, raw in sets.items():
        if name not in args.sets.split(","):
            continue
        docs = [gold(d) for d in raw]
        print(f"## {name}: {len(docs)} docs, {sum(len(s) for s, _ in docs)} sentences\n")
        print("| method | Pk | WindowDiff | MB/s | speed vs NLTK |")
        print("|---|---:|---:|---:|---:|")
        nl = run_nltk(docs)
        print(row("NLTK TextTiling" + (f" ({nl['failed']} docs failed)" if nl["failed"] else ""), nl))
        print(row("random, gold number of segments", run_random(docs)))
        for method in METHODS:
            for known in (False, True):
                res = run_method(method, docs, known)
                print(row(f"{method}, {'K known' if known else 'default'}", res, nl["secs"]))
        print()
    mb, t_nltk, t_ours, same, count = tiling_speed([gold(d) for d in sets["choi"][:100]])
    print(f"TextTiling, {mb:.2f} MB of Choi text as paragraphs ({count} documents): same boundaries as NLTK "
          f"on {same} of {count}; NLTK {t_nltk:.2f} s, seamline {t_ours:.3f} s: {t_nltk / t_ours:.0f}x faster\n")
    for method in (None, "bayes", "topictiling"):
        times = cold_start(method)
        command = "seamline segment --by topic" + (f" --method {method}" if method else "")
        print(f"cold start, `{command}` on a 3,000-character page, whole process (first, second, third run; "
              f"load average {os.getloadavg()[0]:.1f}): " + ", ".join(f"{c:.2f} s CPU ({w:.2f} s wall)" for w, c in times))


if __name__ == "__main__":
    main()
