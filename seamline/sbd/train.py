"""Train the shipped sentence model: `python -m seamline.sbd.train`.

Reads gold sentence files (JSONL with `text` and `segments`), turns every
candidate into hashed features with the same kernel inference uses, fits a
logistic regression with Adagrad, picks the decision threshold, and writes
seamline/models/sentences.npz. The run is deterministic (fixed seed, fixed
file order). `--holdout` trains on half of every DEV file (by document) and
reports on the other half: the honest estimate for text the model never saw.
"""
from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from seamline.kernels import sentences as K
from seamline.sbd.charset import tables
from seamline.sbd.model import MODEL_FILE, SentenceModel, codes_of

# The DEV sentence sets used for training and tuning; the dataset name is the file stem.
DEV_SETS = ["ud_en_ewt", "ud_en_gum", "ud_fr_gsd", "ud_de_gsd", "legal_sbd_savelka",
            "legal_sbd_multilegal", "legal_sbd_alea_sample", "pysbd_golden_rules"]
TRAIN_SETS = ["ud_en_ewt"]
HASH_BITS = 20


@dataclass
class Doc:
    dataset: str
    id: str
    text: str
    gold: set


@dataclass
class Matrix:
    feats: np.ndarray     # (candidates, FEATURES) int64 indices
    labels: np.ndarray    # float64 0/1
    weight: np.ndarray    # float64 sample weights
    doc_of: np.ndarray    # candidate -> document index
    starts: np.ndarray    # candidate -> offset


def default_data_dir() -> Path:
    env = os.environ.get("SEAMLINE_DATA")
    if env:
        return Path(env)
    here = Path(__file__).resolve().parents[2]
    return here.parent / "shared" / "data"


def read_gold(path: Path, dataset: str) -> list[Doc]:
    opener = gzip.open if path.suffix == ".gz" else open
    docs = []
    with opener(path, "rt", encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            starts = {s for s, _ in rec["segments"][1:]}
            docs.append(Doc(dataset, rec["id"], rec["text"], starts))
    return docs


def in_first_half(doc_id: str) -> bool:
    return hashlib.sha1(doc_id.encode()).digest()[0] % 2 == 0


def load(data: Path, holdout: bool) -> tuple[list[Doc], list[Doc]]:
    """(training documents, evaluation documents)."""
    train, evaluate = [], []
    for name in TRAIN_SETS:
        train += read_gold(data / "train" / f"{name}.train.jsonl", name + "_train")
    for name in DEV_SETS:
        path = data / "sentences" / f"{name}.dev.jsonl"
        if not path.exists():
            print(f"skipping {name}: {path} not found", file=sys.stderr)
            continue
        docs = read_gold(path, name)
        if holdout:
            train += [d for d in docs if in_first_half(d.id)]
            evaluate += [d for d in docs if not in_first_half(d.id)]
        else:
            train += docs
            evaluate += docs
    return train, evaluate


def featurize(docs: list[Doc], classes, lower, bits: int) -> Matrix:
    kernels = K.jitted()
    mask = (1 << bits) - 1
    feats, labels, doc_of, starts = [], [], [], []
    for i, doc in enumerate(docs):
        codes = codes_of(doc.text)
        pos = np.empty(len(codes) + 1, np.int64)
        rows = np.empty((len(codes) + 1, K.FEATURES), np.int64)
        count = kernels.candidate_features(codes, classes, lower, mask, pos, rows)
        feats.append(rows[:count])
        starts.append(pos[:count])
        labels.append(np.fromiter((p in doc.gold for p in pos[:count]), np.float64, count))
        doc_of.append(np.full(count, i, np.int64))
    labels_all = np.concatenate(labels)
    doc_all = np.concatenate(doc_of)
    return Matrix(np.concatenate(feats), labels_all, dataset_weights(docs, doc_all), doc_all,
                  np.concatenate(starts))


def dataset_weights(docs: list[Doc], doc_of: np.ndarray) -> np.ndarray:
    """Small datasets count more, so that every domain shapes the model (capped at 20x)."""
    names = np.array([d.dataset for d in docs])[doc_of]
    weight = np.ones(len(doc_of))
    for name in set(names):
        sel = names == name
        weight[sel] = min(20.0, max(1.0, 100_000 / sel.sum()))
    return weight


def fit(m: Matrix, bits: int, epochs: int, rate: float, l2: float, seed: int = 0) -> np.ndarray:
    kernels = K.jitted()
    weights = np.zeros(1 << bits, np.float64)
    sq = np.zeros(1 << bits, np.float64)
    rng = np.random.RandomState(seed)
    for epoch in range(epochs):
        order = rng.permutation(len(m.labels)).astype(np.int64)
        loss = kernels.train_epoch(m.feats, m.labels, m.weight, order, weights, sq, rate, l2)
        print(f"  epoch {epoch + 1}: loss {loss:.4f}", file=sys.stderr)
    return weights


def scores_of(m: Matrix, weights: np.ndarray) -> np.ndarray:
    return weights[m.feats].sum(axis=1)


def evaluate(docs: list[Doc], m: Matrix, scores: np.ndarray, threshold: float) -> dict[str, dict]:
    """Boundary precision, recall, F1 and exact-document rate per dataset."""
    pred: list[set] = [set() for _ in docs]
    for i in np.nonzero(scores > threshold)[0]:
        pred[m.doc_of[i]].add(int(m.starts[i]))
    out: dict[str, dict] = {}
    for doc, p in zip(docs, pred):
        r = out.setdefault(doc.dataset, {"tp": 0, "fp": 0, "fn": 0, "docs": 0, "exact": 0})
        r["tp"] += len(p & doc.gold)
        r["fp"] += len(p - doc.gold)
        r["fn"] += len(doc.gold - p)
        r["docs"] += 1
        r["exact"] += p == doc.gold
        if doc.dataset == "pysbd_golden_rules" and doc.id.split(":")[1] == "en":
            en = out.setdefault("pysbd_golden_rules_en", {"tp": 0, "fp": 0, "fn": 0, "docs": 0, "exact": 0})
            en["tp"] += len(p & doc.gold)
            en["fp"] += len(p - doc.gold)
            en["fn"] += len(doc.gold - p)
            en["docs"] += 1
            en["exact"] += p == doc.gold
    for r in out.values():
        prec = r["tp"] / max(1, r["tp"] + r["fp"])
        rec = r["tp"] / max(1, r["tp"] + r["fn"])
        r.update(precision=prec, recall=rec, f1=2 * prec * rec / max(1e-9, prec + rec),
                 exact_rate=r["exact"] / max(1, r["docs"]))
    return out


def report(results: dict[str, dict], title: str) -> None:
    print(f"\n{title}")
    print(f"{'dataset':28s} {'docs':>5s} {'P':>7s} {'R':>7s} {'F1':>7s} {'exact':>7s}")
    for name, r in sorted(results.items()):
        print(f"{name:28s} {r['docs']:5d} {r['precision']:7.4f} {r['recall']:7.4f} {r['f1']:7.4f} "
              f"{r['exact_rate']:7.3f}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m seamline.sbd.train", description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=default_data_dir(), help="the shared data folder")
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / "models" / MODEL_FILE)
    ap.add_argument("--holdout", action="store_true", help="train on half of each DEV set, report on the rest; "
                    "writes no model unless --out is given explicitly")
    ap.add_argument("--bits", type=int, default=HASH_BITS, help="log2 of the number of weights")
    ap.add_argument("--epochs", type=int, default=6)
    ap.add_argument("--rate", type=float, default=0.1)
    ap.add_argument("--l2", type=float, default=1e-6)
    ap.add_argument("--threshold", type=float, default=-1.0,
                    help="logit above which a candidate is a boundary (-1.0: best mean F1 in --holdout runs)")
    a = ap.parse_args(argv)

    t0 = time.time()
    classes, lower = tables()
    train_docs, eval_docs = load(a.data, a.holdout)
    train_m = featurize(train_docs, classes, lower, a.bits)
    print(f"{len(train_docs)} documents, {len(train_m.labels)} candidates, "
          f"{int(train_m.labels.sum())} boundaries ({time.time() - t0:.1f}s)", file=sys.stderr)
    weights = fit(train_m, a.bits, a.epochs, a.rate, a.l2)
    weights = weights.astype(np.float16).astype(np.float64)   # score what ships
    threshold = a.threshold
    eval_m = featurize(eval_docs, classes, lower, a.bits)
    report(evaluate(eval_docs, eval_m, scores_of(eval_m, weights), threshold),
           f"{'held-out half' if a.holdout else 'DEV (also trained on)'}, threshold {threshold:+.2f}")
    explicit_out = "--out" in (argv if argv is not None else sys.argv)
    if a.holdout and not explicit_out:
        return 0
    info = {"trained_on": ", ".join(sorted({d.dataset for d in train_docs})), "epochs": str(a.epochs),
            "bits": str(a.bits), "l2": str(a.l2), "rate": str(a.rate)}
    SentenceModel(weights.astype(np.float32), classes, lower, threshold, info).save(a.out)
    print(f"wrote {a.out} ({a.out.stat().st_size / 1e6:.2f} MB) in {time.time() - t0:.0f}s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
