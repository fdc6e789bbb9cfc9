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
from seamline.sbd import cascade, vectorized
from seamline.sbd.charset import tables
from seamline.sbd.model import MODEL_FILE, SentenceModel, codes_of

# The DEV sentence sets used for training and tuning; the dataset name is the file stem.
DEV_SETS = ["ud_en_ewt", "ud_en_gum", "ud_fr_gsd", "ud_de_gsd", "legal_sbd_savelka",
            "legal_sbd_multilegal", "legal_sbd_alea_sample", "pysbd_golden_rules"]
TRAIN_SETS = ["ud_en_ewt", "ud_en_gum"]
HASH_BITS = 21
WEIGHT_BASE = 100_000   # a dataset with fewer candidates is up-weighted towards this many (at most 20x)
EPOCHS = 4              # 4-6 epochs were best in cross-validation; 10 overfit
# The second stage (seamline.sbd.cascade): settings chosen by `--cv 2` (docs/sentences.md).
BAND = 1.0              # it decides the candidates with |linear logit - threshold| < BAND
TRAIN_BAND = 6.0        # and learns from a wider band of out-of-fold linear logits
SECOND_BITS = 15
SECOND_HIDDEN = 16
SECOND_EPOCHS = 2
SECOND_RATE = 5e-4
SECOND_L2 = 1e-6
SECOND_BATCH = 128


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


def fold_of(doc_id: str, folds: int = 2) -> int:
    """The cross-validation fold of a document: fixed by its id, so every run splits alike."""
    return hashlib.sha1(doc_id.encode()).digest()[0] % folds


def in_first_half(doc_id: str) -> bool:
    return fold_of(doc_id) == 0


def load(data: Path, holdout: bool, fold: int = 1, folds: int = 2,
         train_sets: list[str] | None = None, dev_sets: list[str] | None = None) -> tuple[list[Doc], list[Doc]]:
    """(training documents, evaluation documents).

    holdout: the DEV documents of `fold` are scored and left out of training
    (the training files and the other folds' DEV documents train); otherwise
    everything trains and DEV is scored in-sample.
    """
    train, evaluate = [], []
    for name in TRAIN_SETS if train_sets is None else train_sets:
        train += read_gold(data / "train" / f"{name}.train.jsonl", name + "_train")
    for name in DEV_SETS if dev_sets is None else dev_sets:
        path = data / "sentences" / f"{name}.dev.jsonl"
        if not path.exists():
            print(f"skipping {name}: {path} not found", file=sys.stderr)
            continue
        docs = read_gold(path, name)
        if holdout:
            train += [d for d in docs if fold_of(d.id, folds) != fold]
            evaluate += [d for d in docs if fold_of(d.id, folds) == fold]
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
        weight[sel] = min(20.0, max(1.0, WEIGHT_BASE / sel.sum()))
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


def evaluate(docs: list[Doc], m: Matrix, scores: np.ndarray, threshold: float,
             into: dict[str, dict] | None = None, accepted: np.ndarray | None = None) -> dict[str, dict]:
    """Boundary precision, recall, F1 and exact-document rate per dataset (counts added to `into`).

    The candidates taken are `accepted` (the cascade's decisions) or else those with scores > threshold.
    """
    pred: list[set] = [set() for _ in docs]
    for i in np.nonzero(scores > threshold if accepted is None else accepted)[0]:
        pred[m.doc_of[i]].add(int(m.starts[i]))
    out: dict[str, dict] = {} if into is None else into
    for doc, p in zip(docs, pred):
        names = [doc.dataset]
        if doc.dataset == "pysbd_golden_rules" and doc.id.split(":")[1] == "en":
            names.append("pysbd_golden_rules_en")
        for name in names:
            r = out.setdefault(name, {"tp": 0, "fp": 0, "fn": 0, "docs": 0, "exact": 0})
            r["tp"] += len(p & doc.gold)
            r["fp"] += len(p - doc.gold)
            r["fn"] += len(doc.gold - p)
            r["docs"] += 1
            r["exact"] += p == doc.gold
    for r in out.values():
        prec = r["tp"] / max(1, r["tp"] + r["fp"])
        rec = r["tp"] / max(1, r["tp"] + r["fn"])
        r.update(precision=prec, recall=rec, f1=2 * prec * rec / max(1e-9, prec + rec),
                 exact_rate=r["exact"] / max(1, r["docs"]))
    return out


def subset(docs: list[Doc], m: Matrix, keep: list[bool]) -> tuple[list[Doc], Matrix]:
    """The documents with keep[i] and their candidates (document indices renumbered)."""
    index = np.cumsum(keep) - 1
    rows = np.asarray(keep)[m.doc_of]
    chosen = [d for d, k in zip(docs, keep) if k]
    doc_of = index[m.doc_of[rows]]
    return chosen, Matrix(m.feats[rows], m.labels[rows], dataset_weights(chosen, doc_of), doc_of, m.starts[rows])


# ---------------------------------------------------------------- the second stage

def inner_fold(doc: Doc) -> int:
    """The fold of a training document for out-of-fold linear logits (independent of `fold_of`)."""
    return hashlib.sha1(f"inner:{doc.dataset}:{doc.id}".encode()).digest()[0] % 2


def out_of_fold_scores(docs: list[Doc], m: Matrix, bits: int, epochs: int, rate: float, l2: float) -> np.ndarray:
    """Every candidate's linear logit from a model trained on the other half of `docs`.

    The second stage learns from these: logits of the model that saw a candidate
    are over-confident, and the band would hold few of the errors unseen text brings.
    """
    scores = np.empty(len(m.labels))
    halves = np.array([inner_fold(d) for d in docs])
    for half in range(2):
        _, fit_m = subset(docs, m, list(halves != half))
        weights = fit(fit_m, bits, epochs, rate, l2).astype(np.float16).astype(np.float64)
        rows = (halves == half)[m.doc_of]
        scores[rows] = weights[m.feats[rows]].sum(axis=1)
    return scores


def second_rows(docs: list[Doc], m: Matrix, chosen: np.ndarray, bits: int) -> np.ndarray:
    """The second stage's feature rows (len(chosen), cascade.FEATURES) of the candidates `chosen`."""
    classes, lower = tables()
    prepared = vectorized.Tables(classes, lower, np.zeros(2, np.float32), 0.0, exact_sums=True)
    out = np.empty((len(chosen), cascade.FEATURES), np.int64)
    order = np.argsort(m.doc_of[chosen], kind="stable")
    by_doc = m.doc_of[chosen][order]
    cuts = np.flatnonzero(np.diff(by_doc)) + 1
    for group in np.split(order, cuts):
        if group.size == 0:
            continue
        codes = codes_of(docs[m.doc_of[chosen[group[0]]]].text)
        idx = codes if int(codes.max()) < 0x10000 else np.minimum(codes, 0x10000)
        cls = prepared.classes[idx]
        s = m.starts[chosen[group]]
        e = vectorized._Marks(cls > 1).last_before(s) + 1      # the end of the token before the gap
        out[group] = cascade.features(codes, idx, cls, prepared, e, s, (1 << bits) - 1).T
    return out


def fit_second(rows: np.ndarray, z: np.ndarray, labels: np.ndarray, weight: np.ndarray, band: float,
               seed: int = 0, bits: int | None = None, hidden: int | None = None, epochs: int | None = None,
               rate: float | None = None) -> cascade.SecondStage:
    """Train the second stage (Adam, minibatches) on candidates with linear logits z - threshold.

    rows are feature rows of `bits` bits; settings left None are the module's (SECOND_*).
    """
    kernels = K.jitted()
    bits, hidden = bits or SECOND_BITS, hidden or SECOND_HIDDEN
    epochs, rate = epochs or SECOND_EPOCHS, rate or SECOND_RATE
    rng = np.random.RandomState(seed)
    table = np.zeros((1 << bits, hidden))    # rows no feature reaches stay zero (the file compresses)
    small = np.zeros(3 * hidden + 1)
    small[hidden:2 * hidden] = rng.randn(hidden) * 0.1       # u
    small[2 * hidden:3 * hidden] = rng.randn(hidden) * 0.1   # w2
    moments = np.zeros((2, small.shape[0]))
    table_moments = np.zeros((2,) + table.shape)
    touched = np.zeros(table.shape[0], np.bool_)
    scratch = np.zeros_like(table)
    step = np.zeros(1, np.int64)
    for epoch in range(epochs):
        order = rng.permutation(len(labels)).astype(np.int64)
        loss = kernels.train_second_epoch(rows, z, labels, weight, order, table, small, moments, table_moments,
                                          touched, scratch, step, rate, SECOND_L2, SECOND_BATCH)
        print(f"  second stage, epoch {epoch + 1}: loss {loss:.4f}", file=sys.stderr)
    f32 = np.float32
    return cascade.SecondStage(table.astype(np.float16).astype(f32), small[:hidden].astype(f32),
                               small[hidden:2 * hidden].astype(f32), small[2 * hidden:3 * hidden].astype(f32),
                               float(small[-1]), band)


def fit_cascade(docs: list[Doc], m: Matrix, bits: int, epochs: int, rate: float, l2: float, threshold: float,
                band: float = BAND, second: dict | None = None) -> tuple[np.ndarray, cascade.SecondStage | None]:
    """(linear weights as shipped, second stage or None when band is 0) trained on `docs`.

    `second`: settings of the second stage (bits, hidden, epochs, rate) other than the module's.
    """
    second = second or {}
    weights = fit(m, bits, epochs, rate, l2).astype(np.float16).astype(np.float64)
    if band <= 0:
        return weights, None
    z = out_of_fold_scores(docs, m, bits, epochs, rate, l2) - threshold
    chosen = np.flatnonzero(np.abs(z) < max(TRAIN_BAND, band))
    print(f"  second stage: {len(chosen)} candidates in the training band", file=sys.stderr)
    rows = second_rows(docs, m, chosen, second.get("bits") or SECOND_BITS)
    stage = fit_second(rows, z[chosen], m.labels[chosen], m.weight[chosen], band, **second)
    return weights, stage


def decisions(docs: list[Doc], m: Matrix, scores: np.ndarray, threshold: float,
              stage: cascade.SecondStage | None) -> np.ndarray:
    """The cascade's decision for every candidate: the linear one, the band's by the second stage."""
    accepted = scores > threshold
    if stage is not None:
        close = np.flatnonzero(np.abs(scores - threshold) < stage.band)
        rows = second_rows(docs, m, close, int(np.log2(stage.table.shape[0])))
        accepted[close] = stage.logits(rows.T.astype(np.uint32), scores[close] - threshold) > 0
    return accepted


def cross_validate(data: Path, folds: int = 2, bits: int = HASH_BITS, epochs: int = EPOCHS, rate: float = 0.1,
                   l2: float = 1e-6, threshold: float = -1.0,
                   train_sets: list[str] | None = None, dev_sets: list[str] | None = None,
                   band: float = BAND, second: dict | None = None) -> dict[str, dict]:
    """Every DEV document scored by a model trained without it (the training files plus the other folds).

    Folds are by document (`fold_of`), so no document is ever scored by a model
    that saw any of it; counts are pooled over the folds. The whole cascade is
    trained on the other folds (the second stage too, on their out-of-fold logits).
    """
    classes, lower = tables()
    train_docs, dev_docs = load(data, holdout=False, train_sets=train_sets, dev_sets=dev_sets)
    dev_ids = {id(d) for d in dev_docs}
    dev_docs = [d for d in train_docs if id(d) in dev_ids]
    m = featurize(train_docs, classes, lower, bits)
    results: dict[str, dict] = {}
    for fold in range(folds):
        held = [id(d) in dev_ids and fold_of(d.id, folds) == fold for d in train_docs]
        fit_docs, fit_m = subset(train_docs, m, [not h for h in held])
        eval_docs, eval_m = subset(train_docs, m, held)
        print(f"fold {fold + 1}/{folds}: {len(fit_docs)} training documents, {len(eval_docs)} scored",
              file=sys.stderr)
        weights, stage = fit_cascade(fit_docs, fit_m, bits, epochs, rate, l2, threshold, band, second)
        scores = scores_of(eval_m, weights)
        evaluate(eval_docs, eval_m, scores, threshold, into=results,
                 accepted=decisions(eval_docs, eval_m, scores, threshold, stage))
    return results


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
    ap.add_argument("--cv", type=int, metavar="FOLDS", default=0,
                    help="cross-validate over DEV documents in FOLDS folds (every DEV document scored by a "
                    "model that did not see it); writes no model")
    ap.add_argument("--train-sets", default=",".join(TRAIN_SETS),
                    help="training files (train/NAME.train.jsonl) besides DEV; e.g. ud_en_ewt alone to leave out "
                    "GUM (CC BY-NC-SA)")
    ap.add_argument("--dev-sets", default=",".join(DEV_SETS),
                    help="DEV sentence sets (sentences/NAME.dev.jsonl) to train on and score")
    ap.add_argument("--bits", type=int, default=HASH_BITS, help="log2 of the number of weights")
    ap.add_argument("--epochs", type=int, default=EPOCHS)
    ap.add_argument("--rate", type=float, default=0.1)
    ap.add_argument("--l2", type=float, default=1e-6)
    ap.add_argument("--threshold", type=float, default=-1.0,
                    help="logit above which a candidate is a boundary (-1.0: best mean F1 in cross-validation)")
    ap.add_argument("--band", type=float, default=BAND,
                    help="the second stage decides candidates whose linear logit is within BAND of the threshold "
                    "(0: no second stage, the linear model alone)")
    ap.add_argument("--second-bits", type=int, default=SECOND_BITS, help="log2 of the second stage's table rows")
    ap.add_argument("--second-hidden", type=int, default=SECOND_HIDDEN, help="its hidden units")
    ap.add_argument("--second-epochs", type=int, default=SECOND_EPOCHS)
    ap.add_argument("--second-rate", type=float, default=SECOND_RATE, help="its Adam learning rate")
    a = ap.parse_args(argv)
    second = {"bits": a.second_bits, "hidden": a.second_hidden, "epochs": a.second_epochs, "rate": a.second_rate}

    t0 = time.time()
    train_sets = [name for name in a.train_sets.split(",") if name]
    dev_sets = [name for name in a.dev_sets.split(",") if name]
    if a.cv:
        results = cross_validate(a.data, a.cv, a.bits, a.epochs, a.rate, a.l2, a.threshold, train_sets, dev_sets,
                                 a.band, second)
        report(results, f"cross-validated over DEV documents, {a.cv} folds, threshold {a.threshold:+.2f}, "
               f"band {a.band}")
        return 0
    classes, lower = tables()
    train_docs, eval_docs = load(a.data, a.holdout, train_sets=train_sets, dev_sets=dev_sets)
    train_m = featurize(train_docs, classes, lower, a.bits)
    print(f"{len(train_docs)} documents, {len(train_m.labels)} candidates, "
          f"{int(train_m.labels.sum())} boundaries ({time.time() - t0:.1f}s)", file=sys.stderr)
    threshold = a.threshold
    weights, stage = fit_cascade(train_docs, train_m, a.bits, a.epochs, a.rate, a.l2, threshold, a.band, second)
    eval_m = featurize(eval_docs, classes, lower, a.bits)
    scores = scores_of(eval_m, weights)
    report(evaluate(eval_docs, eval_m, scores, threshold, accepted=decisions(eval_docs, eval_m, scores, threshold, stage)),
           f"{'held-out half' if a.holdout else 'DEV (also trained on)'}, threshold {threshold:+.2f}")
    explicit_out = "--out" in (argv if argv is not None else sys.argv)
    if a.holdout and not explicit_out:
        return 0
    info = {"trained_on": ", ".join(sorted({d.dataset for d in train_docs})), "epochs": str(a.epochs),
            "bits": str(a.bits), "l2": str(a.l2), "rate": str(a.rate), "band": str(a.band),
            **{f"second_{k}": str(v) for k, v in second.items()}}
    SentenceModel(weights.astype(np.float32), classes, lower, threshold, info, second=stage).save(a.out)
    print(f"wrote {a.out} ({a.out.stat().st_size / 1e6:.2f} MB) in {time.time() - t0:.0f}s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
