"""`seamline score`: a boundary strength in [0, 1] on every unit, other fields kept."""
from __future__ import annotations

import numpy as np
import pytest

from conftest import FIXTURES, assert_tiles, records, run_cli, to_jsonl
from seamline.topics import METHODS

# margin asks the language model about every pair of sentences: tests/test_lm_model.py covers it
CHEAP = [m for m in METHODS if m != "margin"]
from seamline.topics.perplexity import NgramModel, PerplexityScorer

TEXT = (FIXTURES / "topics" / "three_topics.txt").read_text()


def sentence_units() -> bytes:
    return run_cli("segment", "--by", "sentence", "--engine", "rules",
                   stdin=to_jsonl([{"id": "d", "text": TEXT}, {"id": "w", "text": "Word"}]), check=True).stdout


@pytest.mark.parametrize("method", CHEAP)
def test_score_adds_scores_and_keeps_fields(method):
    units = records(sentence_units())
    for u in units:
        u["extra"] = {"kept": u["seq"]}
    out = records(run_cli("score", "--method", method, stdin=to_jsonl(units), check=True).stdout)
    assert len(out) == len(units)
    for before, after in zip(units, out):
        assert {k: v for k, v in after.items() if k != "score"} == before
        if after["seq"] == 0:
            assert after["score"] is None
        else:
            assert 0.0 <= after["score"] <= 1.0
    assert_tiles(TEXT, [u for u in out if u["doc"] == "d"])


def test_score_without_options_reads_documents_too():
    out = records(run_cli("score", stdin=to_jsonl([{"id": "d", "text": TEXT}]), check=True).stdout)
    assert_tiles(TEXT, out)
    assert any(u["score"] > 0 for u in out[1:])


def test_score_bad_input_is_one_line():
    bad = run_cli("score", stdin=b'{"doc": "d", "seq": 0}\n')
    assert bad.returncode == 1 and b"Traceback" not in bad.stderr and len(bad.stderr.splitlines()) <= 2
    assert run_cli("score", "--method", "nope", stdin=b"").returncode == 2


def test_shipped_ngram_model_is_a_proper_distribution():
    model = NgramModel()
    assert 10000 < model.size < 70000
    ids = model.ids(["the", "river", "flowed", "zzzqqq"])
    assert ids[-1] == 0  # unknown word
    # for a frequent context, probabilities over the vocabulary sum to (almost) one: pruned
    # bigrams give some mass back to the backoff, so a little under or over is allowed
    prev = model.ids(["the"])[0]
    total = 0.0
    for w in range(model.size):
        total += float(model.probabilities(np.array([prev, w]))[1])
    assert 0.9 < total < 1.1
    common = model.probabilities(model.ids(["of", "the"]))[1]
    rare = model.probabilities(model.ids(["of", "flowed"]))[1]
    assert common > 100 * rare


def test_perplexity_falls_for_a_sentence_that_repeats_its_context():
    scorer = PerplexityScorer()
    topic = "The harbour boats carried nets and cod to the harbour market."
    ppl = scorer.log_perplexities([topic, topic, "Zebras graze on the savanna grass at dusk."])
    assert ppl[1] < ppl[0]  # the cache: the repeated sentence is less surprising
    assert ppl[2] > ppl[1]


def test_hf_causal_lm_from_a_local_directory(tmp_path):
    torch = pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")
    from tokenizers import Tokenizer, models, pre_tokenizers

    words = sorted(set(TEXT.replace(".", " ").lower().split())) + ["[UNK]", "<s>"]
    tok = Tokenizer(models.WordLevel({w: i for i, w in enumerate(words)}, unk_token="[UNK]"))
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    fast = transformers.PreTrainedTokenizerFast(tokenizer_object=tok, unk_token="[UNK]", bos_token="<s>")
    fast.save_pretrained(tmp_path)
    torch.manual_seed(0)
    config = transformers.GPT2Config(vocab_size=len(words), n_positions=256, n_embd=16, n_layer=1, n_head=2)
    transformers.GPT2LMHeadModel(config).save_pretrained(tmp_path)
    units = records(sentence_units())
    out = records(run_cli("score", "--method", "perplexity", "--model", str(tmp_path), stdin=to_jsonl(units),
                          check=True).stdout)
    assert all(u["score"] is None or 0 <= u["score"] <= 1 for u in out)
