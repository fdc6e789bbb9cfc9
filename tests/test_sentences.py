"""The learned sentence engine: shipped model, fixtures, DEV scores, losslessness, CLI."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from conftest import SHARED_DATA, FIXTURES, assert_tiles, read_jsonl, records, run_cli, shared_path, to_jsonl

from seamline.sbd.model import SentenceModel
from seamline.segmenters import get_segmenter, tile
from seamline.segmenters.base import cut_points
from seamline.segmenters.learned import LearnedSentences

CASES = [json.loads(line) for line in (FIXTURES / "sentences" / "cases.jsonl").read_text().splitlines()]


def sentences_of(engine, text: str) -> list[str]:
    return [text[s:e].strip() for s, e in tile(text, engine.starts(text))]


def boundary_f1(engine, docs: list[dict]) -> float:
    tp = fp = fn = 0
    for doc in docs:
        gold = {s for s, _ in doc["segments"][1:]}
        pred = {s for s, _ in tile(doc["text"], engine.starts(doc["text"]))[1:]}
        tp, fp, fn = tp + len(gold & pred), fp + len(pred - gold), fn + len(gold - pred)
    precision, recall = tp / max(1, tp + fp), tp / max(1, tp + fn)
    return 2 * precision * recall / max(1e-9, precision + recall)


def test_shipped_model_loads_offline_and_is_small():
    model = SentenceModel.load()
    assert model.weights.size & (model.weights.size - 1) == 0      # a power of two: hashed features
    assert model.classes.shape == (0x10000,) and model.lower.shape == (0x10000,)
    assert "ud_en_ewt_train" in model.info["trained_on"]
    path = Path(__file__).resolve().parent.parent / "seamline" / "models" / "sentences.npz"
    assert path.stat().st_size < 4_000_000


def test_learned_is_the_default_sentence_engine():
    assert isinstance(get_segmenter("sentence"), LearnedSentences)


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_fixture_cases(case):
    text = case.get("joiner", " ").join(case["sentences"])
    assert sentences_of(LearnedSentences(), text) == case["sentences"]


def test_plain_and_compiled_paths_agree_on_real_text():
    model = SentenceModel.load()
    text = "\n\n".join(" ".join(c["sentences"]) for c in CASES) * 3
    plain = model._starts_plain(text).tolist()
    model.compiled = True            # force the Numba path
    assert model.starts(text).tolist() == plain
    model.compiled = False           # force the vectorized NumPy path
    assert model.starts(text).tolist() == plain


@pytest.mark.parametrize("text, cuts", [
    ("", []), (" ", []), ("a", []), ("Hi.", []), ("   \n\n  ", []), ("x. Y", [3]),
    ("\ud800 lone surrogate. Fine.", [18]), ("😀 emoji. Next one.", [9]),
])
def test_edge_inputs(text, cuts):
    assert cut_points(text, LearnedSentences().starts(text)) == cuts


def test_cli_segments_losslessly_with_the_default_engine():
    docs = [{"id": c["id"], "text": c.get("joiner", " ").join(c["sentences"])} for c in CASES]
    proc = run_cli("segment", "--by", "sentence", stdin=to_jsonl(docs), check=True)
    units = records(proc.stdout)
    for doc in docs:
        mine = [u for u in units if u["doc"] == doc["id"]]
        assert_tiles(doc["text"], mine)
        assert all(u["kind"] == "sentence" for u in mine)


# Regression guards, not accuracy claims: the shipped model was trained on all of DEV, so
# these in-sample scores only catch a change that breaks it. The accuracy targets are
# asserted on held-out halves below.
@pytest.mark.parametrize("name, count, target", [
    ("ud_en_ewt", 120, 0.97), ("legal_sbd_savelka", 4, 0.95), ("ud_fr_gsd", 30, 0.95),
    ("ud_de_gsd", 20, 0.95), ("legal_sbd_multilegal", 150, 0.95),
])
def test_regression_guard_in_sample_dev_scores(name, count, target):
    docs = read_jsonl(shared_path("sentences", f"{name}.dev.jsonl"))[:count]
    assert boundary_f1(LearnedSentences(), docs) >= target


# Targets on text the model never saw: a model trained the shipped way (the training files
# plus half of each DEV set by document) scores the other half, for each of the two halves
# (two-fold cross-validation, as `python -m seamline.sbd.train --cv 2`): the linear model alone
# (the `learned` engine) and the whole cascade (`learned-cascade`, the second stage trained on
# out-of-fold logits of the same documents). The floors sit a little under each fold's score
# (26 Nov, linear: EWT 0.948/0.936, GUM 0.980/0.977, FR 0.985/0.983, DE 0.978/0.961, Savelka
# 0.944/0.959, MultiLegal 0.962/0.944; cascade: 0.949/0.941, 0.982/0.979, 0.990/0.984,
# 0.977/0.974, 0.947/0.967, 0.962/0.951); the issue's own targets for EWT, GUM and Savelka are
# not met (docs/sentences.md), so they are not asserted.
HELD_OUT_TARGETS = {"ud_en_ewt": 0.92, "ud_en_gum": 0.95, "ud_fr_gsd": 0.96, "ud_de_gsd": 0.95,
                    "legal_sbd_savelka": 0.92, "legal_sbd_multilegal": 0.93}
CASCADE_TARGETS = {"ud_en_ewt": 0.93, "ud_en_gum": 0.97, "ud_fr_gsd": 0.975, "ud_de_gsd": 0.96,
                   "legal_sbd_savelka": 0.94, "legal_sbd_multilegal": 0.94}


@pytest.fixture(scope="module")
def cross_validated() -> list[dict]:
    """Per fold: {"linear": scores per set, "cascade": scores per set}."""
    from seamline.sbd import train
    from seamline.sbd.charset import tables
    shared_path("sentences")
    shared_path("train", "ud_en_ewt.train.jsonl")
    classes, lower = tables()
    train_docs, held_out = train.load(SHARED_DATA, holdout=True)
    folds = []
    base = [d for d in train_docs if d.dataset.endswith("_train")]
    first = [d for d in train_docs if not d.dataset.endswith("_train")]
    shipped = SentenceModel.load()  # train with the shipped model's settings
    bits, epochs, rate, l2 = (int(shipped.info["bits"]), int(shipped.info["epochs"]), float(shipped.info["rate"]),
                              float(shipped.info["l2"]))
    band = float(shipped.info["band"])
    for fit_on, score_on in ((first, held_out), (held_out, first)):
        m = train.featurize(base + fit_on, classes, lower, bits)
        weights, stage = train.fit_cascade(base + fit_on, m, bits, epochs, rate, l2, shipped.threshold, band)
        e = train.featurize(score_on, classes, lower, bits)
        scores = train.scores_of(e, weights)
        folds.append({"linear": train.evaluate(score_on, e, scores, shipped.threshold),
                      "cascade": train.evaluate(score_on, e, scores, shipped.threshold,
                                                accepted=train.decisions(score_on, e, scores, shipped.threshold,
                                                                         stage))})
    return folds


@pytest.mark.parametrize("name", list(CASCADE_TARGETS))
def test_held_out_scores_of_the_cascade_reach_the_targets(cross_validated, name):
    for fold in cross_validated:
        assert fold["cascade"][name]["f1"] >= CASCADE_TARGETS[name], (name, fold["cascade"][name])


@pytest.mark.parametrize("name", list(HELD_OUT_TARGETS))
def test_held_out_scores_reach_the_targets(cross_validated, name):
    for fold in cross_validated:
        assert fold["linear"][name]["f1"] >= HELD_OUT_TARGETS[name], (name, fold["linear"][name])


def test_pysbd_golden_rules_english_exact():
    docs = [d for d in read_jsonl(shared_path("sentences", "pysbd_golden_rules.dev.jsonl")) if d["lang"] == "en"]
    engine = LearnedSentences()
    exact = sum({s for s, _ in tile(d["text"], engine.starts(d["text"]))[1:]} == {s for s, _ in d["segments"][1:]}
                for d in docs)
    assert exact / len(docs) >= 0.95


def test_a_decision_reads_only_the_declared_context():
    """A windowed caller (pack) keeps context_before/context_after around a gap and gets the same decision."""
    model = SentenceModel.load()
    before, after = model.context_before, model.context_after
    assert 0 < before < 1000 and 0 < after < 100
    docs = read_jsonl(shared_path("sentences", "legal_sbd_savelka.dev.jsonl"))[:2]
    docs += read_jsonl(shared_path("sentences", "ud_en_ewt.dev.jsonl"))[:40]
    checked = 0
    for doc in docs:
        text = doc["text"][:20_000]
        found = set(model.starts(text).tolist())
        for s in range(1, len(text)):
            if text[s].isspace() or not text[s - 1].isspace():
                continue
            e = s
            while e > 0 and text[e - 1].isspace():
                e -= 1
            if e == 0:
                continue
            lo = max(0, e - before)
            window = text[lo:s + after]
            assert (s - lo in set(model.starts(window).tolist())) == (s in found), (doc["id"], s)
            checked += 1
    assert checked > 1000
