"""The cascade's second stage (seamline.sbd.cascade): its features against a plain-Python reference,
its context bound, and the same starts on every path when it decides every candidate."""
from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest
from conftest import FIXTURES, read_jsonl, shared_path
from hypothesis import example, given, settings
from hypothesis import strategies as st

from seamline.kernels import sentences as K
from seamline.sbd import cascade, vectorized
from seamline.sbd.model import SentenceModel, codes_of

PIECES = st.sampled_from(["alpha", "Beta", "e.g.", "Mr.", "end.", "Why?", "yes!", "x", "1.5", "déjà", "東京。",
                          "\u00a0", "—", ")", "Dr. Who", "U.S. The", '."', "?!", "\u2026 ", "....", "x" * 40,
                          "Y" * 33, ".\n\n\n\n", "\n\n", "\r\n", " " * 9, "\t", " ", "\n", "", "  ", "(See",
                          "end.The", "ok.)Next", "\U0001f600", "-" * 50, "§ 12.", "No. 5", "A.", "i.e.,",
                          "Thanks, Sean", "ÉTÉ", "İ", "\ud800", ". lower", "Id. at 5"])
TEXTS = st.lists(PIECES, max_size=80).map("".join)


@pytest.fixture(scope="module")
def model() -> SentenceModel:
    return SentenceModel.load(cascade_on=True)


def _model() -> SentenceModel:
    global _MODEL
    try:
        return _MODEL
    except NameError:
        _MODEL = SentenceModel.load(cascade_on=True)
        return _MODEL


def everything_to_second(model: SentenceModel) -> SentenceModel:
    """The shipped model with a band so wide that the second stage decides every candidate."""
    second = model.second or _model().second
    wide = SentenceModel(model.weights, model.classes, model.lower, model.threshold, model.info,
                         second=dataclasses.replace(second, band=1e9))
    wide.compiled = False
    return wide


def candidates(text: str, model: SentenceModel) -> list[tuple[int, int]]:
    codes, cls = codes_of(text).tolist(), model.classes.tolist()
    out, n = [], len(codes)
    e, s = K.next_candidate(codes, cls, 1)
    while s < n:
        out.append((e, s))
        e, s = K.next_candidate(codes, cls, e + 1)
    return out


# ---------------------------------------------------------------- a plain-Python reference of the features

def reference_rows(text: str, e: int, s: int, model: SentenceModel, mask: int) -> list[int]:
    """The second stage's feature indices of candidate (e, s), written from the description in cascade.py."""
    n = len(text)
    code = [ord(c) for c in text]
    cls = [int(model.classes[c]) if c < 0x10000 else K.LETTER for c in code]
    low = [int(model.lower[c]) if c < 0x10000 else c for c in code]
    at = lambda i: cls[i] if 0 <= i < n else K.SPACE            # noqa: E731  (beyond the text: spaces)
    space = lambda i: at(i) <= K.NEWLINE                          # noqa: E731
    gap = 3 if s == e else min(sum(cls[i] == K.NEWLINE for i in range(e, s)), 2)
    before = range(e - cascade.WINDOW_BEFORE, e)
    counts = [min(sum(at(i) == K.TERM for i in before), 6),
              min(sum(at(i) == K.TERM for i in range(s, s + cascade.WINDOW_AFTER)), 3),
              min(sum(at(i) == K.UPPER and space(i - 1) for i in before), 8),
              min(sum(at(i) == K.LOWER and space(i - 1) and at(i - 2) == K.TERM for i in before), 4)]
    lo, hi = max(e - cascade.WORDS_BEFORE, 0), min(s + cascade.WORDS_AFTER, n)

    def cut(a, b, floor, ceiling):
        a, b = min(max(a, floor), ceiling), min(max(b, floor), ceiling)
        return a, max(a, b)

    words, end = [], e
    for _ in range(4):
        start = end
        while start > 0 and end - start < K.MAX_TOKEN and not space(start - 1):
            start -= 1
        words.append(cut(start, end, lo, e))
        end = start
        while end > 0 and space(end - 1):
            end -= 1
    r0_end = s
    while r0_end < n and r0_end - s < K.MAX_TOKEN and not space(r0_end):
        r0_end += 1
    r1_start = r0_end
    while r1_start < n and space(r1_start):
        r1_start += 1
    r1_end = r1_start
    while r1_end < n and r1_end - r1_start < K.MAX_TOKEN and not space(r1_end):
        r1_end += 1
    right = [cut(s, r0_end, s, hi), cut(r1_start, r1_end, s, hi)]
    lb = words[0][0]
    ranges = [(0, a, b) for a, b in words] + [(1, a, b) for a, b in words]
    ranges += [(0, a, b) for a, b in right] + [(1, a, b) for a, b in right]
    ranges += [(0, max(lb, e - k), e) for k in range(1, 6)] + [(2, s, min(right[0][1], s + k)) for k in range(1, 4)]
    hashes = [reference_hash(kind, a, b, code, cls, low) for kind, a, b in ranges]
    single = [gap] + hashes + counts
    rows = [K.mix(101 + k, v) for k, v in enumerate(single)]
    rows += [K.mix(K.mix(131, hashes[0]), hashes[8]), K.mix(K.mix(132, hashes[1]), hashes[0]),
             K.mix(K.mix(K.mix(133, hashes[4]), hashes[10]), gap)]
    return [r & mask for r in rows]


def reference_hash(kind, a, b, code, cls, low) -> int:
    """sum v_j * BASE^j modulo 2^32 over the range's values, then its length mixed in; 0 mixed for an empty range."""
    if b <= a:
        return K.mix(K.mix(0, 0), 0)
    if kind == 0:
        values = low[a:b]
    elif kind == 2:
        values = code[a:b]
    else:
        symbols = [c if k >= K.TERM else k for c, k in zip(code[a:b], cls[a:b])]
        values = [x for j, x in enumerate(symbols) if j == 0 or x != symbols[j - 1]]
    h = sum(v * pow(cascade._BASE, j, 1 << 32) for j, v in enumerate(values)) & 0xFFFFFFFF
    return K.mix(K.mix(h, 0), b - a)


def vectorized_rows(text: str, pairs, model: SentenceModel) -> np.ndarray:
    tables = model.vector_tables()
    codes = codes_of(text)
    idx = np.minimum(codes, 0x10000)
    e, s = (np.array(x, np.int64) for x in zip(*pairs))
    return cascade.features(codes, idx, tables.classes[idx], tables, e, s, model.second.mask)


@settings(max_examples=200, deadline=None)
@given(TEXTS)
@example("Thanks, Sean Here you go. " + "x" * 40 + " Id. at 5. ok " + "z" * 50)
@example("A.B " + "\U0001f600" * 3 + ". ÉTÉ. İ\ud800 x")
def test_features_match_the_plain_reference(text):
    model = _model()
    pairs = candidates(text, model)
    if not pairs:
        return
    got = vectorized_rows(text, pairs, model)
    for k, (e, s) in enumerate(pairs):
        assert got[:, k].tolist() == reference_rows(text, e, s, model, model.second.mask), (e, s)


def test_features_match_the_plain_reference_on_real_text(model):
    docs = read_jsonl(shared_path("sentences", "ud_en_ewt.dev.jsonl"))[:15]
    docs += read_jsonl(shared_path("sentences", "legal_sbd_savelka.dev.jsonl"))[:1]
    checked = 0
    for doc in docs:
        text = doc["text"][:6000]
        pairs = candidates(text, model)
        got = vectorized_rows(text, pairs, model)
        for k in range(0, len(pairs), 7):
            assert got[:, k].tolist() == reference_rows(text, *pairs[k], model, model.second.mask)
            checked += 1
    assert checked > 200


@settings(max_examples=150, deadline=None)
@given(TEXTS)
def test_second_stage_reads_only_its_context(text):
    """A candidate's second-stage features are the same on text[e - before : s + after] as on the whole text."""
    model = _model()
    before, after = model.context_before, model.context_after
    pairs = candidates(text, model)
    if not pairs:
        return
    whole = vectorized_rows(text, pairs, model)
    for k, (e, s) in enumerate(pairs):
        w0 = max(0, e - before)
        part = vectorized_rows(text[w0:s + after], [(e - w0, s - w0)], model)
        assert part[:, 0].tolist() == whole[:, k].tolist(), (e, s)


# ---------------------------------------------------------------- the same starts on every path

@settings(max_examples=150, deadline=None)
@given(TEXTS)
def test_every_path_agrees_when_the_second_stage_decides_everything(text):
    wide = everything_to_second(_model())
    plain = wide._starts_plain(text).tolist()
    assert wide.starts(text).tolist() == plain
    assert wide.starts_many([text, "x. Y", text])[2].tolist() == plain


def test_a_long_text_in_blocks_defers_to_one_pass(model, monkeypatch):
    # over several blocks, the band's candidates are decided once for the whole text
    wide = everything_to_second(model)
    calls = []
    decide = cascade.accepted_near
    monkeypatch.setattr(cascade, "accepted_near", lambda *a: calls.append(a[2].z.shape[0]) or decide(*a))
    # (the vectorized path reaches it through SecondStage.accepted)
    cases = [json.loads(line) for line in (FIXTURES / "sentences" / "cases.jsonl").read_text().splitlines()]
    text = "\n\n".join(c.get("joiner", " ").join(c["sentences"]) for c in cases)
    text = (text + " " * 300 + "\n") * (1 + 2 * vectorized.BLOCK // len(text))
    assert len(text) > 2 * vectorized.BLOCK
    got = wide.starts(text).tolist()
    assert len(calls) == 1 and calls[0] > 10_000      # every candidate, in one call
    assert got == wide._starts_plain(text).tolist()
    assert len(got) > 100


def test_windowed_answers_with_the_second_stage(model):
    from seamline.segmenters.learned import LearnedCascadeSentences
    wide = everything_to_second(model)
    engine = LearnedCascadeSentences()
    engine.model = wide
    text = "\n\n".join(d["text"] for d in read_jsonl(shared_path("sentences", "ud_en_ewt.dev.jsonl"))[:40])
    full = wide.starts(text).tolist()
    assert engine.starts_between(text, 0, len(text)) == full
    for q in range(0, len(text), 997):
        assert engine.next_start(text, q) == min([s for s in full if s > q], default=len(text))


# ---------------------------------------------------------------- the shipped stage

def test_the_default_engine_leaves_the_second_stage_out():
    from seamline.segmenters import get_segmenter
    assert get_segmenter("sentence", "learned").model.second is None
    assert get_segmenter("sentence", "learned-cascade").model.second is not None
    assert SentenceModel.load().second is None


def test_the_shipped_model_has_a_second_stage_that_decides(model):
    assert model.second is not None and 0 < model.second.band < 10
    assert model.second.table.shape[0] & (model.second.table.shape[0] - 1) == 0
    # on DEV text, some candidates in the band get another decision than the linear model's
    docs = read_jsonl(shared_path("sentences", "ud_en_ewt.dev.jsonl"))[:200]
    linear = SentenceModel(model.weights, model.classes, model.lower, model.threshold)
    linear.compiled = model.compiled = False
    changed = sum(linear.starts(d["text"]).tolist() != model.starts(d["text"]).tolist() for d in docs)
    assert changed > 0


def test_save_and_load_keep_the_second_stage(model, tmp_path):
    path = tmp_path / "m.npz"
    model.save(path)
    again = SentenceModel.load(path, cascade_on=True)
    assert again.second is not None and again.second.band == model.second.band
    assert np.array_equal(again.second.table, model.second.table)
    text = "Thanks, Sean Here you go. See you at 5 pm ok bye"
    again.compiled = model.compiled = False
    assert again.starts(text).tolist() == model.starts(text).tolist()


def test_training_the_second_stage_lowers_the_loss():
    """A few hundred candidates whose label one feature row tells: the loss falls epoch by epoch (plain Python)."""
    rng = np.random.RandomState(0)
    m, hidden = 400, 4
    labels = (rng.rand(m) < 0.5).astype(np.float64)
    rows = rng.randint(2, 64, size=(m, cascade.FEATURES)).astype(np.int64)
    rows[:, 0] = labels.astype(np.int64)            # row 0 or 1 tells the label
    z = rng.randn(m)                                 # the linear logit (uninformative here)
    table = np.zeros((64, hidden))
    small = np.zeros(3 * hidden + 1)
    small[hidden:] = rng.randn(2 * hidden + 1) * 0.1
    state = (np.zeros((2, small.shape[0])), np.zeros((2, 64, hidden)), np.zeros(64, bool), np.zeros((64, hidden)),
             np.zeros(1, np.int64))
    train = K.plain("train_second_epoch")
    losses = [train(rows, z, labels, np.ones(m), rng.permutation(m), table, small, *state, 0.05, 1e-6, 16)
              for _ in range(4)]
    assert losses[-1] < losses[0] * 0.5
    assert not state[2].any() and not state[3].any()  # the scratch is left clean
