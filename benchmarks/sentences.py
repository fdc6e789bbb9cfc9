"""Sentence segmentation side by side: boundary F1 on the DEV sets and speed on one text.

    .venv/bin/python benchmarks/sentences.py [--data ../shared/data] [--speed-chars 1000000] [--memory]

F1: boundary = first non-space character of each gold segment but the first,
computed here (micro over the documents of each set). Speed: characters per
second in-process on one core, on the same Gutenberg text for every engine,
after a warm-up call (so Numba compilation and model loading are excluded),
and on many small documents (every DEV sentence document, one call each).
`learned` is the default path (vectorized NumPy below 50 million characters),
`learned-numba` the compiled kernel. Peers: pysbd, spaCy sentencizer, nupunkt,
charboundary, blingfire, syntok. pysbd and charboundary are timed on a
100,000-character slice (they are slow).
--memory: peak RSS and wall time of `seamline segment --by sentence` on a
small input and on a 100 MB stream of small documents, built like the
conformance memory check.
"""
from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from seamline.segmenters import get_segmenter, tile  # noqa: E402
from seamline.segmenters.base import align  # noqa: E402

SETS = ["ud_en_ewt", "legal_sbd_savelka", "ud_fr_gsd", "ud_de_gsd", "legal_sbd_multilegal", "ud_en_gum"]
SLOW = {"pysbd", "charboundary", "spacy-senter"}



class Syntok:
    def starts(self, text):
        from syntok import segmenter
        out = []
        for paragraph in segmenter.analyze(text):
            for sentence in paragraph:
                out.append(sentence[0].offset)
        return out


class _LearnedPath:
    """The learned engine on one path: compiled=False vectorized NumPy, True the Numba kernel."""

    def __init__(self, compiled: bool):
        from seamline.sbd.model import SentenceModel
        self.model = SentenceModel.load()
        self.model.compiled = compiled

    def starts(self, text):
        return self.model.starts(text).tolist()

    def starts_many(self, texts):
        return [found.tolist() for found in self.model.starts_many(texts)]


def engine(name):
    if name in ("learned", "learned-numba"):
        return _LearnedPath(name == "learned-numba")
    if name == "blingfire":
        import blingfire  # noqa: F401
        return _BlingfireChars()
    if name == "syntok":
        import syntok  # noqa: F401
        return Syntok()
    return get_segmenter("sentence", name)


class _BlingfireChars:
    """blingfire returns sentences; offsets are recovered by aligning them onto the text."""

    def starts(self, text):
        import blingfire
        return align(text, blingfire.text_to_sentences(text).split("\n"))


def read(path: Path) -> list[dict]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def f1(seg, docs) -> float:
    tp = fp = fn = 0
    for d in docs:
        gold = {s for s, _ in d["segments"][1:]}
        pred = {s for s, _ in tile(d["text"], seg.starts(d["text"]))[1:]}
        tp, fp, fn = tp + len(gold & pred), fp + len(pred - gold), fn + len(gold - pred)
    p, r = tp / max(1, tp + fp), tp / max(1, tp + fn)
    return 2 * p * r / max(1e-9, p + r)


def golden_en(seg, docs) -> float:
    en = [d for d in docs if d["lang"] == "en"]
    exact = sum({s for s, _ in tile(d["text"], seg.starts(d["text"]))[1:]} == {s for s, _ in d["segments"][1:]}
                for d in en)
    return exact / len(en)


def speed(seg, text: str) -> float:
    seg.starts(text[:20000])      # warm-up: model load, Numba compile or cache load
    t = time.perf_counter()
    seg.starts(text)
    return len(text) / (time.perf_counter() - t)


def stream_speed(seg, docs: list[str], limit: int) -> float:
    """Characters per second over many small documents, one call each (per-document costs count).

    Engines with `starts_many` get the documents in batches, as `seamline segment`
    gives them when it reads a file (a pipe is read one document at a time).
    """
    texts, total = [], 0
    for text in docs:
        if total >= limit:
            break
        texts.append(text)
        total += len(text)
    seg.starts(texts[0])
    t = time.perf_counter()
    many = getattr(seg, "starts_many", None)
    if many is not None:  # as `seamline segment FILE` runs it: short documents a few at a time
        from seamline.streams import BATCH_DOCUMENTS
        for k in range(0, len(texts), BATCH_DOCUMENTS):
            many(texts[k:k + BATCH_DOCUMENTS])
    else:
        for text in texts:
            seg.starts(text)
    return total / (time.perf_counter() - t)


def memory(data: Path) -> None:
    """Peak RSS of the CLI on a small input and on a 100 MB stream of small documents."""
    docs = []
    for path in sorted((data / "sentences").glob("*.jsonl")):
        fitting = [d for d in read(path) if len(d["text"]) <= 200_000][:15]
        docs += [{"id": f"{path.name}:{i}", "text": d["text"]} for i, d in enumerate(fitting)]
    unit = b"".join(json.dumps(d, ensure_ascii=False).encode() + b"\n" for d in docs)
    cli = str(Path(sys.executable).with_name("seamline"))
    probe = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
             "subprocess.run(sys.argv[1:], stdin=sys.stdin, stdout=subprocess.DEVNULL, check=True); "
             "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, time.perf_counter() - t)")
    with tempfile.TemporaryDirectory() as tmp:
        small, big = Path(tmp) / "small.jsonl", Path(tmp) / "big.jsonl"
        small.write_bytes(b"".join(json.dumps(d, ensure_ascii=False).encode() + b"\n" for d in docs[:5]))
        with open(big, "wb") as f:
            for _ in range(100_000_000 // len(unit) + 1):
                f.write(unit)
        for label, path in [("small input", small), ("100 MB stream", big)]:
            with open(path, "rb") as f:
                out = subprocess.run([sys.executable, "-c", probe, cli, "segment", "--by", "sentence"], stdin=f,
                                     capture_output=True, text=True, check=True).stdout.split()
            print(f"{label:14s} {path.stat().st_size / 1e6:8.1f} MB  peak RSS {float(out[0]):6.0f} MB  "
                  f"{float(out[1]):6.1f} s")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    ap.add_argument("--speed-chars", type=int, default=1_000_000)
    ap.add_argument("--engines", default="learned,learned-numba,rules,pysbd,spacy,spacy-senter,nupunkt,charboundary,"
                                         "blingfire,syntok")
    ap.add_argument("--memory", action="store_true", help="also measure the CLI's peak RSS on a 100 MB stream")
    a = ap.parse_args()
    data = {name: read(a.data / "sentences" / f"{name}.dev.jsonl") for name in SETS}
    golden = read(a.data / "sentences" / "pysbd_golden_rules.dev.jsonl")
    book = (a.data / "corpus" / "gutenberg" / "dickens_bleak_house.txt").read_text(encoding="utf-8")
    book = book[:a.speed_chars]
    small_docs = [d["text"] for path in sorted((a.data / "sentences").glob("*.dev.jsonl")) for d in read(path)]
    rows = []
    for name in a.engines.split(","):
        try:
            seg = engine(name)
        except Exception as err:   # an optional peer that is not installed
            print(f"{name}: skipped ({err})", file=sys.stderr)
            continue
        scores = {s: f1(seg, docs) for s, docs in data.items()}
        text = book[:100_000] if name in SLOW else book
        limit = 100_000 if name in SLOW else 10**9
        rows.append((name, scores, golden_en(seg, golden), speed(seg, text), stream_speed(seg, small_docs, limit)))
        print(f"{name}: done", file=sys.stderr)
    base = {r[0]: r[3] for r in rows}
    many = {r[0]: r[4] for r in rows}
    head = f"{'engine':14s}" + "".join(f"{s[:12]:>13s}" for s in SETS) + f"{'golden_en':>10s}{'chars/s':>12s}"
    print(head + f"{'vs nupunkt':>11s}{'vs pysbd':>10s}{'small docs':>12s}{'vs nupunkt':>11s}{'vs pysbd':>10s}")
    for name, scores, gold, cps, small in rows:
        line = f"{name:14s}" + "".join(f"{scores[s]:13.4f}" for s in SETS) + f"{gold:10.3f}{cps:12,.0f}"
        line += f"{cps / base['nupunkt']:11.2f}" if "nupunkt" in base else f"{'-':>11s}"
        line += f"{cps / base['pysbd']:10.1f}" if "pysbd" in base else f"{'-':>10s}"
        line += f"{small:12,.0f}"
        line += f"{small / many['nupunkt']:11.2f}" if "nupunkt" in many else f"{'-':>11s}"
        line += f"{small / many['pysbd']:10.1f}" if "pysbd" in many else f"{'-':>10s}"
        print(line)
    if a.memory:
        print()
        memory(a.data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
