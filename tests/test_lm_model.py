"""The real language model end to end: SmolLM2 (extra lm) through the CLI on a small contract.

Kept small (a few thousand model tokens in all): the model reads a few dozen
to a few hundred tokens a second on a shared two-core machine.
"""
from __future__ import annotations

import json

import numpy as np
import pytest

from conftest import FIXTURES, assert_tiles, records, run_cli, to_jsonl

pytest.importorskip("llama_cpp", reason="the lm extra (llama-cpp-python) is not installed")

from seamline import lm  # noqa: E402
from seamline.evaluation.moc import MoCScores, structural_entropy  # noqa: E402
from seamline.topics.metachunking import MarginScorer, find_minima, margin_splits, sentence_log_ppl  # noqa: E402

CONTRACT = FIXTURES / "lm" / "contract.txt"
TEXT = CONTRACT.read_text(encoding="utf-8")
RECORDED = json.loads((FIXTURES / "lm" / "recorded.json").read_text(encoding="utf-8"))["documents"][0]


@pytest.fixture(scope="module")
def model():
    return lm.load("smollm2")


@pytest.fixture(scope="module")
def units():
    return records(run_cli("segment", "--by", "sentence", "--engine", "rules", str(CONTRACT), check=True).stdout)


@pytest.fixture(scope="module")
def log_ppl(model, units):
    texts = [u["text"] for u in units]
    ppl = sentence_log_ppl(model, texts)
    have = [k for k, t in enumerate(texts) if t.strip()]
    return have, [float(ppl[k]) for k in have]


def test_perplexity_boundaries_are_meta_chunkings_minima(units, log_ppl, tmp_path):
    proc = run_cli("score", "--method", "perplexity", "--model", "smollm2", stdin=to_jsonl(units), check=True)
    scored = records(proc.stdout)
    assert_tiles(TEXT, scored)
    have, seq = log_ppl
    # the recording in recorded.json came from this model on this text
    assert np.allclose(seq, RECORDED["log_ppl"], atol=0.05)
    want = {have[j + 1] for j in find_minima(seq, 0.0)}
    got = {k for k, u in enumerate(scored) if u["score"]}
    assert got == want and got  # boundaries exactly after the minima, and there are some
    # `chunk --strategy score --threshold 0` cuts there and nowhere else (the budget is never reached)
    chunks = records(run_cli("chunk", "--strategy", "score", "--threshold", "0", "--max-tokens", "2000",
                             stdin=to_jsonl(scored), check=True).stdout)
    assert [c["start"] for c in chunks[1:]] == [scored[k]["start"] for k in sorted(want)]


def test_drop_threshold(units, log_ppl):
    have, seq = log_ppl
    drops = sorted(max(seq[j - 1] - seq[j], seq[j + 1] - seq[j]) for j in find_minima(seq, 0.0))
    cut = (drops[0] + drops[-1]) / 2  # between the weakest and the strongest minimum
    proc = run_cli("score", "--method", "perplexity", "--model", "smollm2", "--drop", f"{cut:.6f}",
                   stdin=to_jsonl(units), check=True)
    got = {k for k, u in enumerate(records(proc.stdout)) if u["score"]}
    assert got == {have[j + 1] for j in find_minima(seq, cut)}
    if drops[0] < drops[-1]:
        assert len(got) < len(drops)
    bad = run_cli("score", "--method", "perplexity", "--model", "smollm2", "--drop", "some", stdin="a. b.\n")
    assert bad.returncode == 2 and b"--drop" in bad.stderr


def test_topic_segments_with_the_model():
    head = TEXT[:TEXT.index("Licensee wishes")]
    topics = records(run_cli("segment", "--by", "topic", "--method", "perplexity", "--model", "smollm2",
                             stdin=to_jsonl([{"id": "d", "text": head}]), check=True).stdout)
    assert_tiles(head, topics)
    assert all(t["kind"] == "topic" for t in topics)


def test_margin_sampling_decides_by_the_running_threshold(units):
    few = units[:4]
    scored = records(run_cli("score", "--method", "margin", stdin=to_jsonl(few), check=True).stdout)
    have, margins = MarginScorer("smollm2").margins([u["text"] for u in few])
    assert len(margins) == len(have) - 1 >= 2
    assert all(-1.0 <= m <= 1.0 for m in margins) and len(set(margins)) > 1
    for k, split in enumerate(margin_splits(margins)):
        assert (scored[int(have[k + 1])]["score"] >= 0.5) == split


def test_windows_bound_memory_and_work(units):
    small = lm.LanguageModel(str(lm.model_path("smollm2")), n_ctx=128)
    texts = [u["text"] for u in units]
    n_tokens = sum(len(small.tokenize(t)) for t in texts if t.strip())
    assert n_tokens > small.n_ctx  # longer than the model's window
    ppl = sentence_log_ppl(small, texts, window=64, context=16)
    assert all(np.isfinite(ppl[k]) for k, t in enumerate(texts) if t.strip())
    # each token read once as a target, plus at most 16 + 1 tokens of context per window
    windows = sum(1 for _ in range(0, n_tokens, 32)) + len(texts)
    assert n_tokens <= small.evaluated <= n_tokens + windows * 17


def test_eval_lm_reports_moc_metrics(model, tmp_path):
    chunks = records(run_cli("chunk", "--max-tokens", "40", str(CONTRACT), check=True).stdout)[:3]
    pred = tmp_path / "chunks.jsonl"
    pred.write_bytes(to_jsonl(chunks))
    proc = run_cli("eval", str(pred), "--lm", "smollm2", "--per-doc", "--format", "jsonl", check=True)
    doc, summary = records(proc.stdout)
    here = MoCScores(model).add([c["text"] for c in chunks])
    assert doc["boundary_clarity"] == pytest.approx(here["boundary_clarity"], rel=1e-6)
    assert doc["chunk_stickiness"] == pytest.approx(here["chunk_stickiness"], abs=1e-9)
    assert doc["stickiness_edges"] == here["stickiness_edges"]
    assert 0.0 < summary["boundary_clarity"] < 2.0 and summary["chunk_stickiness"] >= 0.0
    # without --lm nothing changes
    plain = records(run_cli("eval", str(pred), "--format", "jsonl", check=True).stdout)[-1]
    assert "boundary_clarity" not in plain


def test_structural_entropy():
    assert structural_entropy(3, []) == 0.0
    assert structural_entropy(2, [(0, 1)]) == pytest.approx(1.0)  # two nodes of degree 1: one bit
    assert structural_entropy(3, [(0, 1), (0, 2)]) == pytest.approx(1.5)  # degrees 2, 1, 1 over 4


def test_unknown_model_is_a_usage_error():
    proc = run_cli("score", "--method", "perplexity", "--model", "nowhere.gguf", stdin="a. b. c.\n")
    assert proc.returncode == 2 and b"nowhere.gguf" in proc.stderr
