"""Where the learned sentence model errs on unseen text: the cross-validated misses, and the band.

    .venv/bin/python benchmarks/sentence_errors.py [--sets ud_en_ewt,legal_sbd_savelka] [--show 20]

Runs the two-fold cross-validation of `python -m seamline.sbd.train --cv 2`
(every DEV document scored by a cascade trained without it) and prints, per set:
- the errors of the linear model alone and of the cascade (missed and invented boundaries);
- for bands of width B around the threshold, the share of candidates whose linear
  logit falls inside |z - threshold| < B and the share of the linear model's errors
  inside it (what a second stage deciding only that band can reach);
- a sample of the cascade's misses with 70 characters of context on each side
  (fixed seed), `||` marking the gap, the linear logit in front.
"""
from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BANDS = [1, 2, 3, 4, 6]


def main() -> int:
    from seamline.sbd import train as T
    from seamline.sbd.charset import tables

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sets", default="ud_en_ewt,ud_en_gum,legal_sbd_savelka")
    ap.add_argument("--show", type=int, default=20, help="misses and inventions printed per set")
    a = ap.parse_args()
    threshold = -1.0
    classes, lower = tables()
    docs, dev = T.load(T.default_data_dir(), holdout=False)
    dev_ids = {id(d) for d in dev}
    m = T.featurize(docs, classes, lower, T.HASH_BITS)
    scores = np.full(len(m.labels), np.nan)
    cascade = np.zeros(len(m.labels), bool)
    for fold in range(2):
        held = [id(d) in dev_ids and T.fold_of(d.id, 2) == fold for d in docs]
        fit_docs, fit_m = T.subset(docs, m, [not h for h in held])
        weights, stage = T.fit_cascade(fit_docs, fit_m, T.HASH_BITS, T.EPOCHS, 0.1, 1e-6, threshold)
        rows = np.asarray(held)[m.doc_of]
        eval_docs, eval_m = T.subset(docs, m, held)
        scores[rows] = T.scores_of(eval_m, weights)
        cascade[rows] = T.decisions(eval_docs, eval_m, scores[rows], threshold, stage)
    names = np.array([d.dataset for d in docs])[m.doc_of]
    rng = random.Random(0)
    for name in a.sets.split(","):
        sel = np.flatnonzero((names == name) & ~np.isnan(scores))
        gold = m.labels[sel] > 0
        linear = scores[sel] > threshold
        print(f"\n## {name}: {len(sel)} candidates, {int(gold.sum())} boundaries among them")
        for label, pred in (("linear", linear), ("cascade", cascade[sel])):
            print(f"{label:8s} missed {int((gold & ~pred).sum()):5d}  invented {int((~gold & pred).sum()):5d}")
        wrong = gold != linear
        print("band  candidates inside  linear errors inside")
        for band in BANDS:
            inside = np.abs(scores[sel] - threshold) < band
            print(f"{band:4d}  {inside.mean():17.3f}  {(wrong & inside).sum() / max(1, wrong.sum()):20.3f}")
        for label, mask in (("MISSED", gold & ~cascade[sel]), ("INVENTED", ~gold & cascade[sel])):
            picked = sorted(rng.sample(list(sel[mask]), min(a.show, int(mask.sum()))))
            print(f"### {label} by the cascade ({int(mask.sum())}), a sample of {len(picked)}")
            for r in picked:
                text, s = docs[m.doc_of[r]].text, int(m.starts[r])
                print(f"{scores[r]:+6.2f} | {text[max(0, s - 70):s]!r} || {text[s:s + 40]!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
