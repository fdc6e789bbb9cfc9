"""The learned engine answers for a window of text exactly as it does for the whole text.

Two levels: the context bound itself (a candidate's feature indices, computed by
the kernel's own plain-Python feature code, are the same on the whole text and on
the text cut to the bound around it), and the windowed answers (starts_between,
last_start, next_start) against `starts(text)`, on generated text with tiny blocks
and on every shared corpus. `pack` with windows is compared with `pack` over the
whole-text units.
"""
from __future__ import annotations

import bisect
import random

import numpy as np
import pytest
from hypothesis import example, given, settings, strategies as st

import seamline.segmenters.learned as learned
from seamline.kernels import sentences as K
from seamline.sbd.model import codes_of
from seamline.segmenters.learned import LearnedSentences, context_bounds
from tests.conftest import read_jsonl, shared_path

SEG = LearnedSentences()
PIECES = st.sampled_from(["alpha", "Beta", "e.g.", "Mr.", "end.", "Why?", "yes!", "x", "1.5", "déjà", "東京。",
                          "\u00a0", "—", ")", "Dr. Who", "U.S. The", '."', "?!", "\u2026 ", "....", "x" * 40,
                          "Y" * 33, ".\n\n\n\n", "\n\n", "\r\n", " " * 9, "\t", " ", "\n", "", "  ", "(See",
                          "end.The", "ok.)Next", "\U0001f600", "-" * 50, "§ 12.", "No. 5", "A.", "i.e.,"])
TEXTS = st.lists(PIECES, max_size=120).map("".join)


def _candidates(codes, cls):
    n = len(codes)
    e, s = K.next_candidate(codes, cls, 1)
    while s < n:
        yield e, s
        e, s = K.next_candidate(codes, cls, e + 1)


@settings(max_examples=300, deadline=None)
@given(TEXTS)
@example("word " * 60 + "end.\n\nNext one " + "y" * 40 + " Z")   # a line past MAX_LINE, a token past MAX_TOKEN
@example("(a) " + "b" * 35 + "        " + "c" * 35 + " end. Next")    # the token before, over 8 spaces
def test_a_decision_reads_only_its_context(text):
    """Every feature of a candidate (e, s) is the same on text[e - before : s + after] as on the whole text."""
    model = SEG.model
    before, after = context_bounds(model)
    cls, low = model.classes.tolist(), model.lower.tolist()
    mask = model.weights.shape[0] - 1
    codes = codes_of(text).tolist()
    whole, part = np.zeros(K.FEATURES, np.int64), np.zeros(K.FEATURES, np.int64)
    for e, s in _candidates(codes, cls):
        w0, w1 = max(0, e - before), min(len(codes), s + after)
        K.plain("fill_features")(codes, cls, low, e, s, mask, whole)
        K.plain("fill_features")(codes[w0:w1], cls, low, e - w0, s - w0, mask, part)
        assert whole.tolist() == part.tolist(), (e, s)
        # and the window finds the candidate itself (its e is found from the same few characters)
        assert K.plain("next_candidate")(codes[w0:w1], cls, e - w0) == (e - w0, s - w0)


def _check_windows(text, data=None, rnd=None):
    full = SEG.starts(text)
    n = len(text)
    draw = (lambda a, b: data.draw(st.integers(a, b))) if data else (lambda a, b: rnd.randint(a, b))
    for _ in range(1 if data else 40):
        lo = draw(0, n + 1)
        hi = draw(lo, min(n + 2, lo + 3000))
        assert SEG.starts_between(text, lo, hi) == [s for s in full if lo <= s < hi]
        q = draw(0, n)
        k = bisect.bisect_right(full, q)
        floors = [0] + full[max(0, k - 3):k]
        floor = floors[draw(0, len(floors) - 1)]
        assert SEG.last_start(text, q, floor) == max([s for s in full if floor < s <= q], default=floor)
        assert SEG.next_start(text, q, floor) == min([s for s in full if s > q], default=n)


@pytest.mark.parametrize("block", [1, 7, 64])
@settings(max_examples=150, deadline=None)
@given(text=TEXTS, data=st.data())
def test_windows_agree_with_the_whole_text(block, text, data):
    old = learned.WINDOW_BLOCK
    learned.WINDOW_BLOCK = block
    SEG._text = None
    try:
        _check_windows(text, data=data)
    finally:
        learned.WINDOW_BLOCK = old
        SEG._text = None


def _shared_texts():
    corpus = shared_path("corpus")
    for path in sorted(p for p in corpus.rglob("*") if p.suffix in (".txt", ".md")):
        yield path.name, path.read_text(encoding="utf-8")
    for path in sorted(shared_path("sentences").glob("*.jsonl")):
        yield path.name, "\n\n".join(d["text"] for d in read_jsonl(path))


def test_windows_on_every_shared_corpus():
    """Blocks tile each text into exactly its starts; random windows and queries agree with the whole text."""
    rnd = random.Random(15)
    for name, text in _shared_texts():
        full = SEG.starts(text)
        old = learned.WINDOW_BLOCK
        learned.WINDOW_BLOCK = 1 << 16  # the whole text in windows, without a block per kilobyte
        SEG._text = None
        try:
            assert SEG.starts_between(text, 0, len(text)) == full, name
        finally:
            learned.WINDOW_BLOCK = old
            SEG._text = None
        _check_windows(text, rnd=rnd)


def test_pack_with_windows_equals_pack_over_every_unit():
    """Chunks from the windowed engine are those of the whole-text units, at budgets below and above the switch."""
    from seamline.chunkers.documents import DocumentGroup
    from seamline.chunkers.options import ChunkOptions
    from seamline.chunkers.pack import pack_strategy
    from seamline.records import Document, UnitGroup, units_from_spans
    from seamline.segmenters import tile
    from seamline.tokenizers import get_tokenizer

    text = "".join(t for _, t in _shared_texts())[:400_000]
    tok = get_tokenizer("cl100k_base")
    doc = Document(id="d", text=text, meta={"k": 1})
    for budget, overlap in ((64, 0), (512, 0), (512, 40), (2048, 0)):
        options = ChunkOptions(max_tokens=budget, overlap=overlap)
        windowed = LearnedSentences()
        windowed.window_from_tokens = 0
        group = DocumentGroup(doc, windowed, "all")
        assert group.by_window(budget)
        fast = pack_strategy(group, tok, options)
        units = list(units_from_spans(doc, tile(text, SEG.starts(text)), "sentence", "all"))
        plain = pack_strategy(UnitGroup(doc.id, units, doc.source, doc.line), tok, options)
        assert fast == plain, budget
