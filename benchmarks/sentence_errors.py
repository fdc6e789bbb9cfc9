"""Where the learned sentence model errs on unseen text: the cross-validated misses, and the band.

    .venv/bin/python benchmarks/sentence_errors.py [--sets ud_en_ewt,legal_sbd_savelka] [--show 20]

Runs the two-fold cross-validation of `python -m seamline.sbd.train --cv 2`
(every DEV document scored by a cascade trained without it) and prints, per set:
- the errors of the linear model alone and of the cascade (missed and invented boundaries);
- for bands of width B around the threshold, the share of candidates whose linear
  logit falls inside |z - threshold| < B and the share of the linear model's errors
  inside it (what a second stage deciding only that band can reach);
- the errors by class (`error_class`: ellipsis, list item or paragraph number,
  footnote or page marker, citation, semicolon, quotation or colon, no final
  punctuation, after . ! ?), for the linear model and the cascade, and how many
  gold boundaries are no candidate at all (inside a token: never found);
- a sample of the cascade's misses with 70 characters of context on each side
  (fixed seed), `||` marking the gap, the linear logit in front.

The classes come from regular expressions over the text around the gap, first
match wins; they are a rough sorting to see which kind of error is largest, not
a gold annotation (docs/sentences.md gives the counts of 26 Nov).
"""
from __future__ import annotations

import argparse
import collections
import random
import re
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BANDS = [1, 2, 3, 4, 6]
QUOTES = "\"“”'‘’`«»"
# a token that opens a line as a list item or paragraph number: 3.  (a)  (iv)  ¶ 20.  114  IV.  -
MARKER = re.compile(r"^(\(?\d{1,3}[.)]|\(?[A-Za-z]{1,2}[.)]|\([ivxlcdmIVXLCDM0-9a-zA-Z]{1,5}\)|¶\s*\d*\.?|\d{1,4}"
                    r"|[IVXLC]{1,5}\.?|[-*•])$")
CITATION_AFTER = re.compile(r"^\(?(Id\.|Ibid|See\b|Cf\.|§|\d+ [A-Z][\w.]* ?\d|[A-Z][\w.']*\s+v\.)")
CITATION_BEFORE = re.compile(r"(\bv\.|U\.\s?S\.|F\.\s?\dd|Cal\.|\bId\.|§|Stat\.|Compl\.|Supp\.|\bat pp?\.|\bNo\.)"
                             r"[^.!?]{0,25}$")


def error_class(text: str, s: int) -> str:
    """A rough class of the gap before offset s (the first match of the rules below wins)."""
    e = len(text[:s].rstrip()) if text[s - 1:s].isspace() else s
    left, gap, right = text[max(0, e - 80):e], text[e:s], text[s:s + 80]
    tok = left.split()[-1] if left.split() else ""
    opens_line = text[text.rfind("\n", 0, e - len(tok)) + 1:e - len(tok)].strip() == ""
    rtok = right.split()[0] if right.split() else ""
    if re.search(r"(\.\s?){3,}\W*$|…\W*$", left) or re.match(r"^\W?(\.\s?){3}|^…", right):
        return "ellipsis"
    if (opens_line and MARKER.match(tok)) or (MARKER.match(rtok) and (
            rtok[0] in "(¶" or "\n" in gap or "\n" in right[len(rtok):len(rtok) + 2])):
        return "list item / paragraph number"
    if re.search(r"(\[\d+\]|\*\d+|[.!?\"”]\d{1,2})$", tok) or re.match(r"^(\[\d+\]|\*\d+|\[\*?\d+|Footnote)", right):
        return "footnote / page marker"
    if CITATION_AFTER.match(right) or CITATION_BEFORE.search(left[-40:]):
        return "citation"
    last = left.rstrip()[-1:]
    if last == ";":
        return "semicolon"
    if last == ":" or right[:1] in QUOTES or re.search(r"[.!?,][\"”'’]+\)?$", tok):
        return "quotation / colon"
    if last.isalnum() or last in ")]":
        return "no final punctuation, " + ("line break" if "\n" in gap else "same line")
    if last in ".!?":
        return "after . ! ? (abbreviation, initial, lower case next)"
    return "other"


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
        found = {(int(m.doc_of[r]), int(m.starts[r])) for r in sel}
        outside = sum(1 for i, d in enumerate(docs) if d.dataset == name for g in d.gold if (i, g) not in found)
        print(f"gold boundaries that are no candidate (always missed): {outside}")
        for label, pred in (("linear", linear), ("cascade", cascade[sel])):
            for kind, mask in (("missed", gold & ~pred), ("invented", ~gold & pred)):
                counts = collections.Counter(error_class(docs[m.doc_of[r]].text, int(m.starts[r])) for r in sel[mask])
                print(f"{label} {kind} by class: " + ", ".join(f"{k} {v}" for k, v in counts.most_common()))
        for label, mask in (("MISSED", gold & ~cascade[sel]), ("INVENTED", ~gold & cascade[sel])):
            picked = sorted(rng.sample(list(sel[mask]), min(a.show, int(mask.sum()))))
            print(f"### {label} by the cascade ({int(mask.sum())}), a sample of {len(picked)}")
            for r in picked:
                text, s = docs[m.doc_of[r]].text, int(m.starts[r])
                print(f"{scores[r]:+6.2f} | {text[max(0, s - 70):s]!r} || {text[s:s + 40]!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
