"""Accuracy on every DEV set: the honest estimate beside the in-sample figure and the peers.

    NLTK_DATA=../shared/data/nltk_data .venv/bin/python benchmarks/accuracy.py [--only sentences|topics]

The shipped models were trained or tuned on DEV, so their score on DEV
("in-sample") says little about new text. The estimate printed beside it is
cross-validated over documents: every DEV document is scored by a model that
never saw it.

Sentences (boundary F1, boundary = first non-space character of each gold
segment but the first, micro over the documents of a set), for the `learned`
engine (the linear model) and `learned-cascade` (with the second stage):
  in-sample  the shipped model (seamline/models/sentences.npz) on the whole DEV set;
  CV         `python -m seamline.sbd.train --cv 2` (`--band 0` for the linear model):
             the DEV documents of each set are split in two folds by document id
             (sha1); each fold is scored by a model trained, with the shipped
             settings, on the training files (../shared/data/train) and the other
             fold of every DEV set;
  peers      pysbd, spaCy's sentencizer, nupunkt, syntok (those installed), with
             the set's language where the engine takes one.

Topics (Pk over the gold sentences, segeval's window; lower is better; mean over
the documents of a set), scored on the gold sentences (meta.sentence_spans):
  in-sample  the default of `segment --by topic` (bayes, with the prior weight MU,
             the sentence-end discount RHO, the length power and cap of the
             prior as shipped, chosen on these sets);
  CV         bayes with (MU, RHO, LENGTH_POWER, LENGTH_CAP) chosen on the other
             folds (5 folds by document id over the three sets together; the
             objective gives each set equal weight). The nine multi-coder documents
             are nine coders' readings of one poem, so for that set the fold holds
             out a coder, not the text.
  all        `--only topics-all`: bayes with every constant tuned on DEV (BETA,
             LAMBDA, POWER, MU, LENGTH_POWER) chosen on the other folds, the
             most honest topic estimate (not in the default run);
  peers      NLTK's TextTilingTokenizer (one sentence a paragraph), no boundary at
             all, a boundary before every unit, even spacing and random boundaries
             with the gold number of segments, and seamline's previous default
             (tiling, own threshold).

Paragraphs and legal structure (boundary F1): hand-written rules, nothing
trained; they were written with these DEV sets in view, so only the in-sample
figure exists, and it is labelled so.
"""
from __future__ import annotations

import argparse
import hashlib
import math
import os
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
DATA = Path(os.environ.get("SEAMLINE_DATA", ROOT.parent / "shared" / "data"))
os.environ.setdefault("NLTK_DATA", str(DATA / "nltk_data"))

SENTENCE_SETS = {"ud_en_ewt": "en", "ud_en_gum": "en", "ud_fr_gsd": "fr", "ud_de_gsd": "de",
                 "legal_sbd_savelka": "en", "legal_sbd_multilegal": "fr"}
SENTENCE_PEERS = ["pysbd", "spacy", "nupunkt", "syntok"]
TOPIC_SETS = ["choi", "manifesto", "multicoder_fournier"]
MU_GRID = [0.6, 0.9, 1.2, 1.5, 1.8, 2.4, 3.0, 4.0]
RHO_GRID = [0.0, 0.5, 1.0]
POWER_GRID = [0.0, 0.2, 0.4, 0.6]
CAP_GRID = [2000, 4000, math.inf]
# the cap means nothing at power 0: one entry there
GRID = [(mu, rho, power, cap) for mu in MU_GRID for rho in RHO_GRID for power in POWER_GRID for cap in CAP_GRID
        if power or cap == math.inf]
TOPIC_FOLDS = 5


# ---------------------------------------------------------------- sentences

def sentence_peer(name: str, lang: str):
    from sentences import Syntok
    from seamline.segmenters import get_segmenter
    if name == "syntok":
        import syntok  # noqa: F401  (skipped when absent)
        return Syntok()
    options = {"lang": lang} if name in ("pysbd", "spacy") else {}
    return get_segmenter("sentence", name, **options)


def sentences() -> None:
    from sentences import f1, golden_en, read
    from seamline.sbd.train import cross_validate
    from seamline.segmenters.learned import LearnedCascadeSentences, LearnedSentences

    data = {name: read(DATA / "sentences" / f"{name}.dev.jsonl") for name in SENTENCE_SETS}
    golden = read(DATA / "sentences" / "pysbd_golden_rules.dev.jsonl")
    engines = {"learned": (LearnedSentences(), cross_validate(DATA, folds=2, band=0)),
               "learned-cascade": (LearnedCascadeSentences(), cross_validate(DATA, folds=2))}
    columns = [f"{e} {kind}" for e in engines for kind in ("in-sample", "CV (honest)")] + SENTENCE_PEERS
    rows = {name: {} for name in [*SENTENCE_SETS, "golden rules EN (exact)"]}
    for engine, (segmenter, cv) in engines.items():
        for name, docs in data.items():
            rows[name][f"{engine} in-sample"] = f1(segmenter, docs)
            rows[name][f"{engine} CV (honest)"] = cv[name]["f1"]
        rows["golden rules EN (exact)"][f"{engine} in-sample"] = golden_en(segmenter, golden)
        rows["golden rules EN (exact)"][f"{engine} CV (honest)"] = cv["pysbd_golden_rules_en"]["exact_rate"]
    for peer in SENTENCE_PEERS:
        try:
            sentence_peer(peer, "en")
        except Exception as err:  # an optional peer that is not installed
            print(f"{peer}: skipped ({err})", file=sys.stderr)
            continue
        for name, docs in data.items():
            rows[name][peer] = f1(sentence_peer(peer, SENTENCE_SETS[name]), docs)
        rows["golden rules EN (exact)"][peer] = golden_en(sentence_peer(peer, "en"), golden)
    print("\n## Sentences: boundary F1 on DEV\n")
    print("| set | " + " | ".join(columns) + " |")
    print("|---|" + "---:|" * len(columns))
    for name, row in rows.items():
        print(f"| {name} | " + " | ".join(f"{row[c]:.4f}" if c in row else "-" for c in columns) + " |")


# ---------------------------------------------------------------- topics

def fold_of(doc_id: str) -> int:
    return hashlib.sha1(doc_id.encode()).digest()[0] % TOPIC_FOLDS


def cross_validate(grid: dict, folds: dict, settings: list) -> tuple[dict, list]:
    """Each held-out fold scored with the setting that is best on the other folds (each set weighing the same).

    grid[name]: Pk per document (rows) and setting (columns); folds[name]: each document's fold.
    Returns the held-out Pk per document of each set and the setting each fold chose.
    """
    cv = {name: np.zeros(values.shape[0]) for name, values in grid.items()}
    chosen = []
    for fold in range(TOPIC_FOLDS):
        objective = np.mean([grid[name][folds[name] != fold].mean(axis=0)
                             for name in TOPIC_SETS if (folds[name] != fold).any()], axis=0)
        best = int(np.argmin(objective))
        chosen.append(settings[best])
        for name in TOPIC_SETS:
            held = folds[name] == fold
            cv[name][held] = grid[name][held, best]
    return cv, chosen


class BayesDoc:
    """A document's span charges, computed once, so the priors can be varied cheaply."""

    def __init__(self, sentences: list[str]):
        from seamline.topics.bayes import WINDOW, BayesScorer, end_weights, token_arrays
        scorer = BayesScorer(mu=1.0)
        self.windows = []
        for lo in range(0, len(sentences), WINDOW):
            part = sentences[lo:lo + WINDOW]
            if len(part) >= 2:
                charge, _ = scorer.cohesion_charges(part)
                tokens = int(token_arrays(part)[1][-1])
                self.windows.append((lo, charge, tokens, end_weights(part, 1.0)))

    def starts(self, mu: float, rho: float, power: float, cap: float) -> list[int]:
        return bayes_starts(self.windows, mu, rho, power, cap)


def bayes_starts(windows: list, mu: float, rho: float, power: float, cap: float) -> list[int]:
    """The optimum of bayes over (first sentence, cohesion charges, tokens, end weights at rho 1) windows,
    with segment prior `mu`, sentence-end discount `rho` (see bayes.end_weights) and the prior's
    length factor (power, cap; see bayes.segment_prior)."""
    from seamline.kernels.topics import min_cost_segmentation
    from seamline.topics.bayes import segment_prior
    out = []
    for lo, charge, tokens, weights in windows:
        n = charge.shape[0]
        prior = segment_prior(mu, tokens, n, power, cap)
        if weights is not None:  # weights at rho 1: 1 inside a sentence, -1 (verse) or 0 at a sentence end
            charge = charge + prior * np.where(weights > 0, 1.0, weights * rho)[np.newaxis, :]
        out += [lo + int(i) for i in min_cost_segmentation(charge, prior, 0, 1, n)]
    return out


def topics() -> None:
    from topics import gold, nltk_starts, pk, read
    from nltk.corpus import stopwords
    from nltk.tokenize.texttiling import TextTilingTokenizer
    from seamline.topics import TOPIC_DEFAULT, get_scorer
    from seamline.topics.bayes import LENGTH_CAP, LENGTH_POWER, MU, RHO
    from seamline.topics.decide import decide

    tt = TextTilingTokenizer(stopwords=stopwords.words("english"))
    sets = {name: read(name) for name in TOPIC_SETS}
    docs = {name: [(d["id"], *gold(d)) for d in raw] for name, raw in sets.items()}
    print(f"bayes charges for {sum(len(v) for v in docs.values())} documents ...", file=sys.stderr)
    charges = {name: [BayesDoc(s) for _, s, _ in items] for name, items in docs.items()}
    # Pk of every document under every (prior, sentence-end discount) on the grid
    grid = {name: np.array([[pk(ref, c.starts(*setting), len(s)) for setting in GRID]
                            for (_, s, ref), c in zip(items, charges[name])])
            for name, items in docs.items()}
    folds = {name: np.array([fold_of(i) for i, _, _ in items]) for name, items in docs.items()}
    cv, chosen = cross_validate(grid, folds, GRID)
    shipped = (MU, RHO, LENGTH_POWER, LENGTH_CAP)
    in_sample = GRID.index(shipped) if shipped in GRID else None

    print("\n## Topics: Pk on DEV (lower is better)\n")
    print(f"Default: `segment --by topic` = {TOPIC_DEFAULT}, (MU, RHO, LENGTH_POWER, LENGTH_CAP) = {shipped}; "
          "CV chose " + ", ".join(str(c) for c in chosen) + f" in its {TOPIC_FOLDS} folds.\n")
    columns = [f"{TOPIC_DEFAULT} in-sample", f"{TOPIC_DEFAULT} CV (honest)", "NLTK TextTiling", "no boundary",
               "every unit", "even spacing (gold K)", "random (gold K)", "tiling, own threshold"]
    print("| set | docs | " + " | ".join(columns) + " |")
    print("|---|---:|" + "---:|" * len(columns))
    tiling = get_scorer("tiling")
    for name, items in docs.items():
        row = {columns[0]: grid[name][:, in_sample].mean() if in_sample is not None else math.nan,
               columns[1]: cv[name].mean()}
        nl, none, every, even, rand, til = [], [], [], [], [], []
        rng = np.random.default_rng(0)
        for _, s, ref in items:
            n = len(s)
            try:
                nl.append(pk(ref, nltk_starts(tt, s), n))
            except ValueError:  # NLTK fails on very short texts: no boundary
                nl.append(pk(ref, [], n))
            none.append(pk(ref, [], n))
            every.append(pk(ref, list(range(1, n)), n))
            k = len(ref) + 1
            even.append(pk(ref, sorted({round(n * j / k) for j in range(1, k)} - {0}), n))
            rand.append(pk(ref, sorted(rng.choice(np.arange(1, n), size=min(len(ref), n - 1),
                                                  replace=False).tolist()), n))
            til.append(pk(ref, decide(tiling.score(s), "threshold"), n))
        for col, vals in zip(columns[2:], [nl, none, every, even, rand, til]):
            row[col] = float(np.mean(vals))
        print(f"| {name} | {len(items)} | " + " | ".join(f"{row[c]:.3f}" for c in columns) + " |")


# Every constant of bayes that was tuned on these sets, for `--only topics-all`: BETA, LAMBDA and POWER
# (tuned on the whole Choi DEV set before the CV above existed) with the prior MU and its length power.
BETA_GRID = [100.0, 300.0, 1000.0, 3000.0]
LAMBDA_GRID = [0.0, 0.25, 0.5, 1.0, 2.0]
DENSITY_POWER_GRID = [0.6, 0.8, 1.0]
ALL_GRID = [(beta, lam, dpow, mu, lpow) for beta in BETA_GRID for lam in LAMBDA_GRID for dpow in DENSITY_POWER_GRID
            for mu in MU_GRID for lpow in (0.0, 0.4)]


class BayesParts:
    """A document's likelihood charges per BETA and density per POWER, so that every constant can vary."""

    def __init__(self, sentences: list[str]):
        from seamline.kernels.topics import block_density, cosine_matrix, rank_matrix, segment_costs
        from seamline.topics.bayes import RADIUS, WINDOW, end_weights, token_arrays
        from seamline.topics.vectors import term_matrix
        self.windows = []
        for lo in range(0, len(sentences), WINDOW):
            part = sentences[lo:lo + WINDOW]
            if len(part) < 2:
                continue
            terms, start, vocab = token_arrays(part)
            scale = len(part) / max(len(terms), 1)
            likelihood = {b: segment_costs(terms, start, vocab, b) * scale for b in BETA_GRID}
            rank = rank_matrix(cosine_matrix(*term_matrix(part, "count")), RADIUS)
            density = {d: block_density(rank, d) for d in DENSITY_POWER_GRID}
            self.windows.append((lo, likelihood, density, len(terms), end_weights(part, 1.0)))

    def starts(self, beta: float, lam: float, dpow: float, mu: float, lpow: float) -> list[int]:
        """bayes's optimum with these constants (RHO and LENGTH_CAP as shipped)."""
        from seamline.topics.bayes import LENGTH_CAP, RHO
        windows = [(lo, likelihood[beta] - lam * density[dpow], tokens, weights)
                   for lo, likelihood, density, tokens, weights in self.windows]
        return bayes_starts(windows, mu, RHO, lpow, LENGTH_CAP)


def topics_all_constants() -> None:
    """CV over every constant tuned on DEV (a slower, more honest estimate than `--only topics`)."""
    from topics import gold, pk, read
    from seamline.topics.bayes import BETA, LAMBDA, LENGTH_POWER, MU, POWER

    docs = {name: [gold(d) + (d["id"],) for d in read(name)] for name in TOPIC_SETS}
    print(f"bayes parts for {sum(len(v) for v in docs.values())} documents, "
          f"{len(ALL_GRID)} settings ...", file=sys.stderr)
    grid = {}
    for name, items in docs.items():
        rows = []
        for sents, ref, _ in items:
            parts = BayesParts(sents)
            rows.append([pk(ref, parts.starts(*setting), len(sents)) for setting in ALL_GRID])
        grid[name] = np.array(rows)
    folds = {name: np.array([fold_of(i) for _, _, i in items]) for name, items in docs.items()}
    cv, chosen = cross_validate(grid, folds, ALL_GRID)
    shipped = ALL_GRID.index((BETA, LAMBDA, POWER, MU, LENGTH_POWER))
    whole = int(np.argmin(np.mean([grid[name].mean(axis=0) for name in TOPIC_SETS], axis=0)))
    print("\n## Topics: Pk on DEV, every tuned constant cross-validated\n")
    print("(BETA, LAMBDA, POWER, MU, LENGTH_POWER) chosen per fold: " + ", ".join(str(c) for c in chosen) + "\n")
    print(f"Chosen on the whole DEV set by the same objective: {ALL_GRID[whole]}; shipped: {ALL_GRID[shipped]}\n")
    print("| set | docs | shipped (in-sample) | whole-DEV choice (in-sample) | CV over every constant (honest) "
          "| best setting for this set alone (in-sample) |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, items in docs.items():
        print(f"| {name} | {len(items)} | {grid[name][:, shipped].mean():.3f} | {grid[name][:, whole].mean():.3f} | "
              f"{cv[name].mean():.3f} | {grid[name].mean(axis=0).min():.3f} |")


# ---------------------------------------------------------------- rules: paragraphs and legal structure

def rules() -> None:
    """Sets scored by hand-written rules: nothing is trained, but the rules were written with these
    DEV sets in view, so the figure is in-sample and no cross-validated estimate exists."""
    from legal import boundary_f1
    from sentences import f1, read
    from seamline.segmenters import get_segmenter

    print("\n## Paragraphs and legal structure: boundary F1 on DEV (rules, written with DEV in view)\n")
    print("| set | engine | F1 (in-sample; no held-out estimate) |")
    print("|---|---|---:|")
    for name in ["ud_en_ewt_paragraphs", "ud_en_gum_paragraphs"]:
        docs = read(DATA / "sentences" / f"{name}.dev.jsonl")
        for engine in ["layout", "blankline"]:
            print(f"| {name} | paragraph {engine} | {f1(get_segmenter('paragraph', engine), docs):.4f} |")
    for name, level in [("uscode_sections", "section"), ("uscode_provisions", None), ("gdpr_articles", "article")]:
        docs = read(DATA / "legal" / f"{name}.dev.jsonl")
        print(f"| {name} | legal, --level {level or '(finest)'} | {boundary_f1(docs, level)[2]:.4f} |")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--only", choices=["sentences", "topics", "topics-all", "rules"],
                    help="topics-all: the topic CV over every constant bayes tuned on DEV (not in the default run)")
    a = ap.parse_args()
    if a.only in (None, "sentences"):
        sentences()
    if a.only in (None, "topics"):
        topics()
    if a.only == "topics-all":
        topics_all_constants()
    if a.only in (None, "rules"):
        rules()
    return 0


if __name__ == "__main__":
    sys.exit(main())
