"""LDA fitting/inference and `--method topictiling`, on our own tiny corpus and on Choi DEV slices."""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from conftest import FIXTURES, assert_tiles, read_jsonl, records, run_cli, shared_path
from seamline.evaluation.metrics import pk
from seamline.segmenters import get_segmenter, tile
from seamline.topics import get_scorer, lda
from seamline.topics.decide import decide
from seamline.topics.topictiling import TopicTilingScorer, coherence, depth_curve

HERE = FIXTURES / "topics" / "lda"
CORPUS = HERE / "corpus.txt"
FILE = str(HERE / "three_topics.txt")
DOC = Path(FILE).read_text()
TRUE_STARTS = [DOC.index("Melt the butter"), DOC.index("The crew hoisted")]


@pytest.fixture(scope="module")
def model():
    """Three topics fitted on the fixture corpus (18 paragraphs about stars, cooking, sailing)."""
    docs = lda.read_corpus([str(CORPUS)], doc_words=1)
    assert len(docs) == 18
    return lda.fit(docs, topics=3, iterations=200, alpha=0.1, min_count=1)


@pytest.fixture(scope="module")
def model_file(model, tmp_path_factory):
    path = tmp_path_factory.mktemp("lda") / "tiny.npz"
    model.save(path)
    return path


def sentences_of(text: str) -> list[str]:
    return [text[s:e] for s, e in tile(text, get_segmenter("sentence", "rules").starts(text))]


def test_fit_separates_the_three_subjects(model):
    # Each subject's words take one topic, and the three subjects take three different topics.
    ids = model.term_ids()
    phi = model.topic_term
    top = {w: int(phi[:, ids[w]].argmax()) for w in ("telescope", "orbit", "oven", "butter", "sail", "boat")}
    assert top["telescope"] == top["orbit"] and top["oven"] == top["butter"] and top["sail"] == top["boat"]
    assert len({top["telescope"], top["oven"], top["sail"]}) == 3
    assert int(phi.sum()) == sum(len(d) for d in model.encode(lda.read_corpus([str(CORPUS)], doc_words=1)))


def test_infer_gives_each_sentence_its_subject(model):
    sentences = sentences_of(DOC)
    (topics,) = lda.infer(model, [np.concatenate(model.encode(sentences))])
    assert topics.shape == (sum(len(x) for x in model.encode(sentences)),)
    first = [w for w in model.encode(["The telescope showed the rings of the planet."])[0]]
    (alone,) = lda.infer(model, [np.array(first)])
    assert len(set(alone.tolist())) == 1  # one subject, one topic (the mode is steady)


def test_save_load_round_trip(model, model_file):
    back = lda.LdaModel.load(model_file)
    assert back.vocab == model.vocab and (back.topic_term == model.topic_term).all()
    assert (back.alpha, back.beta) == (model.alpha, model.beta)


def test_topictiling_finds_the_two_boundaries(model):
    sentences = sentences_of(DOC)
    scorer = TopicTilingScorer()
    scorer._model = model
    scores = scorer.score(sentences)
    assert ((scores.values >= 0) & (scores.values <= 1)).all() and scores.values[0] == 0
    offsets = np.cumsum([0] + [len(s) for s in sentences])
    truth = [int(np.searchsorted(offsets, t)) for t in TRUE_STARTS]
    assert decide(scores, "best", segments=3) == truth
    assert decide(scores, "threshold") == truth


def test_coherence_and_depth_by_hand():
    v = np.array([[2, 0], [2, 0], [0, 3], [0, 1]], dtype=float)
    assert np.allclose(coherence(v, 1), [1.0, 0.0, 1.0])
    depth, minima = depth_curve(v, 1)
    assert np.allclose(depth, [0.0, 1.0, 0.0]) and minima.tolist() == [False, True, False]
    empty = np.zeros((3, 2))
    assert np.allclose(coherence(empty, 2), 1.0)  # no words: no evidence of a change


def test_score_cli_with_a_user_model(model_file):
    out = run_cli("score", "--method", "topictiling", "--model", str(model_file), FILE)
    assert out.returncode == 0, out.stderr
    units = records(out.stdout)
    assert_tiles(DOC, units)
    assert units[0]["score"] is None and all(0 <= u["score"] <= 1 for u in units[1:])
    best = sorted(units[1:], key=lambda u: -u["score"])[:2]
    assert sorted(u["start"] for u in best) == TRUE_STARTS


def test_segment_cli_with_the_shipped_model():
    out = run_cli("segment", "--by", "topic", "--method", "topictiling", "--segments", "3", FILE)
    assert out.returncode == 0, out.stderr
    units = records(out.stdout)
    assert_tiles(DOC, units)
    assert len(units) == 3 and all(u["kind"] == "topic" for u in units)
    for select in ("threshold", "dp"):
        out = run_cli("segment", "--by", "topic", "--method", "topictiling", "--select", select, FILE)
        assert out.returncode == 0, out.stderr
        assert_tiles(DOC, records(out.stdout))


def test_shipped_model_is_small_and_from_gutenberg_only():
    assert lda.MODEL_PATH.stat().st_size < 4_000_000
    m = lda.load_model()
    assert m.n_topics >= 50 and len(m.vocab) >= 5000
    assert "gutenberg" in m.recipe and "choi" not in m.recipe.lower()


def test_a_missing_model_is_an_input_error(tmp_path):
    out = run_cli("score", "--method", "topictiling", "--model", str(tmp_path / "nope.npz"), FILE)
    assert out.returncode == 1
    assert out.stderr.decode().strip().count("\n") == 0 and "nope.npz" in out.stderr.decode()


def test_fit_command_line(tmp_path):
    import subprocess

    path = tmp_path / "m.npz"
    done = subprocess.run([sys.executable, "-m", "seamline.topics.lda", "fit", str(CORPUS), "-o", str(path),
                           "--topics", "3", "--iterations", "20", "--doc-words", "1"], capture_output=True)
    assert done.returncode == 0, done.stderr
    m = lda.LdaModel.load(path)
    assert m.n_topics == 3 and "--topics 3" in m.recipe
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "fine"}\nnot json\n')
    done = subprocess.run([sys.executable, "-m", "seamline.topics.lda", "fit", str(bad), "-o", str(path)],
                          capture_output=True)
    assert done.returncode == 1 and f"{bad}:2:" in done.stderr.decode()


def test_cross_validated_model_on_choi_slice():
    """Fit on gold segments of 100 Choi DEV documents, segment 15 others (sharing Brown excerpts with
    them, as in the literature's protocol): far better than chance."""
    docs = read_jsonl(shared_path("topics", "choi.dev.jsonl"))
    train = list(dict.fromkeys(d["text"][s:e] for d in docs[15:115] for s, e in d["segments"]))
    model = lda.fit(train, topics=50, iterations=60)
    scorer = TopicTilingScorer()
    scorer._model = model
    values = []
    for doc in docs[:15]:
        spans = doc["meta"]["sentence_spans"]
        index = {s: i for i, (s, _) in enumerate(spans)}
        ref = [index[s] for s, _ in doc["segments"][1:]]
        scores = scorer.score([doc["text"][s:e] for s, e in spans])
        values.append(pk(len(spans), ref, decide(scores, "best", segments=len(ref) + 1)).value)
    assert np.mean(values) < 0.25  # random placement scores about 0.45 here


def test_segment_uses_the_model_named_by_the_environment(model_file, tmp_path):
    import os
    import subprocess

    env = dict(os.environ, SEAMLINE_LDA_MODEL=str(model_file))
    done = subprocess.run([sys.executable, "-m", "seamline", "segment", "--by", "topic", "--method", "topictiling",
                           FILE], capture_output=True, env=env)
    assert done.returncode == 0, done.stderr
    units = records(done.stdout)
    assert_tiles(DOC, units)
    assert [u["start"] for u in units[1:]] == TRUE_STARTS  # the tiny model knows these three subjects
    env["SEAMLINE_LDA_MODEL"] = str(tmp_path / "missing.npz")
    done = subprocess.run([sys.executable, "-m", "seamline", "segment", "--by", "topic", "--method", "topictiling",
                           FILE], capture_output=True, env=env)
    assert done.returncode == 1 and "missing.npz" in done.stderr.decode()


def test_text_without_known_words(model):
    scorer = TopicTilingScorer()
    scorer._model = model
    scores = scorer.score(["12 34.", "56 78.", "zzz qqq.", "90."])
    assert (scores.values == 0).all() and not scores.candidates.any()
    assert decide(scores, "threshold") == []
    assert len(decide(scores, "best", segments=2)) == 1  # K asked for, K given
    assert scorer.score(["One sentence only."]).values.tolist() == [0.0]
    empty, some = lda.infer(model, [np.zeros(0, dtype=np.int64), model.encode(["the oven and the butter"])[0]])
    assert len(empty) == 0 and len(some) == 2 and some[0] == some[1]
