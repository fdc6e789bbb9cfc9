"""The learned sentence engine: shipped model, fixtures, DEV scores, losslessness, CLI."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import FIXTURES, assert_tiles, read_jsonl, records, run_cli, shared_path, to_jsonl

from seamline.sbd.model import SentenceModel
from seamline.segmenters import get_segmenter, tile
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


def test_edge_inputs():
    engine = LearnedSentences()
    for text in ["", " ", "a", "Hi.", "   \n\n  ", "x. Y", "\ud800 lone surrogate. Fine.", "😀 emoji. Next one."]:
        spans = tile(text, engine.starts(text))
        assert "".join(text[s:e] for s, e in spans) == text


def test_cli_segments_losslessly_with_the_default_engine():
    docs = [{"id": c["id"], "text": c.get("joiner", " ").join(c["sentences"])} for c in CASES]
    proc = run_cli("segment", "--by", "sentence", stdin=to_jsonl(docs), check=True)
    units = records(proc.stdout)
    for doc in docs:
        mine = [u for u in units if u["doc"] == doc["id"]]
        assert_tiles(doc["text"], mine)
        assert all(u["kind"] == "sentence" for u in mine)


def test_lossless_on_every_shared_sentence_file():
    folder = shared_path("sentences")
    engine = LearnedSentences()
    files = sorted(folder.glob("*.jsonl"))
    assert files
    for path in files:
        for doc in read_jsonl(path):
            text = doc["text"]
            spans = tile(text, engine.starts(text))
            assert spans[0][0] == 0 and spans[-1][1] == len(text), (path.name, doc["id"])
            assert all(a[1] == b[0] for a, b in zip(spans, spans[1:])), (path.name, doc["id"])


# A sample of each DEV file (the model was trained on DEV too; docs/sentences.md gives held-out scores).
@pytest.mark.parametrize("name, count, target", [
    ("ud_en_ewt", 120, 0.97), ("legal_sbd_savelka", 4, 0.95), ("ud_fr_gsd", 30, 0.95),
    ("ud_de_gsd", 20, 0.95), ("legal_sbd_multilegal", 150, 0.95),
])
def test_dev_sample_scores_as_claimed(name, count, target):
    docs = read_jsonl(shared_path("sentences", f"{name}.dev.jsonl"))[:count]
    assert boundary_f1(LearnedSentences(), docs) >= target


def test_pysbd_golden_rules_english_exact():
    docs = [d for d in read_jsonl(shared_path("sentences", "pysbd_golden_rules.dev.jsonl")) if d["lang"] == "en"]
    engine = LearnedSentences()
    exact = sum({s for s, _ in tile(d["text"], engine.starts(d["text"]))[1:]} == {s for s, _ in d["segments"][1:]}
                for d in docs)
    assert exact / len(docs) >= 0.95
