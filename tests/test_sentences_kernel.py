"""The Numba sentence kernel against its plain-Python reference on random inputs."""
from __future__ import annotations

import random

import numpy as np
import pytest

from seamline.kernels import sentences as K
from seamline.sbd.model import SentenceModel, codes_of

pytestmark = pytest.mark.kernels
ALPHABET = list("aeiouxyzAEIOUXYZ0123456789") + list("     \n\n\t.,;:!?\"'()[]«»§-…。、！？") + ["\u00e9", "\u00df", "中", "😀"]


def reference_starts(text: str, model: SentenceModel) -> list[int]:
    """Plain Python, written without the kernel's candidate scan: every token gap and glued sentence end."""
    cls = lambda c: model.classes[ord(c)] if ord(c) < 0x10000 else K.LETTER   # noqa: E731
    space = lambda c: cls(c) in (K.SPACE, K.NEWLINE)                          # noqa: E731
    mask = model.weights.size - 1
    out, n = [], len(text)
    codes = codes_of(text).tolist()
    classes, lower = model.classes.tolist(), model.lower.tolist()
    for i in range(1, n):
        if space(text[i]) and not space(text[i - 1]):
            j = i
            while j < n and space(text[j]):
                j += 1
            if j == n:
                continue
            e, s = i, j
        elif cls(text[i]) in (K.UPPER, K.LETTER, K.OPEN) and cls(text[i - 1]) in (K.TERM, K.CLOSE):
            j = i - 1
            while j > 0 and cls(text[j]) == K.CLOSE and i - j < 4:
                j -= 1
            if cls(text[j]) != K.TERM:
                continue
            e = s = i
        else:
            continue
        row = K.plain("fill_features")(codes, classes, lower, e, s, mask, np.zeros(K.FEATURES, np.int64))
        if sum(float(model.weights[k]) for k in row) > model.threshold:
            out.append(s)
    return out


def random_text(rng: random.Random) -> str:
    return "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 300)))


def test_kernel_matches_reference_on_random_text():
    model = SentenceModel.load()
    jit = K.jitted()
    rng = random.Random(7)
    for _ in range(200):
        text = random_text(rng)
        codes = codes_of(text)
        out = np.empty(len(text) + 1, np.int64)
        count = jit.find_starts(codes, model.classes, model.lower, model.weights, model.threshold, out)
        assert out[:count].tolist() == reference_starts(text, model), repr(text)


def test_features_match_between_plain_and_compiled():
    model = SentenceModel.load()
    jit = K.jitted()
    rng = random.Random(11)
    mask = model.weights.size - 1
    for _ in range(50):
        text = random_text(rng)
        codes = codes_of(text)
        pos_a, rows_a = np.empty(len(text) + 1, np.int64), np.empty((len(text) + 1, K.FEATURES), np.int64)
        pos_b, rows_b = pos_a.copy(), rows_a.copy()
        na = jit.candidate_features(codes, model.classes, model.lower, mask, pos_a, rows_a)
        nb = K.plain("candidate_features")(codes.tolist(), model.classes.tolist(), model.lower.tolist(), mask,
                                           pos_b, rows_b)
        assert na == nb
        assert (pos_a[:na] == pos_b[:nb]).all() and (rows_a[:na] == rows_b[:nb]).all()


def test_train_epoch_lowers_the_loss():
    jit = K.jitted()
    rng = np.random.RandomState(0)
    feats = rng.randint(1, 64, size=(400, K.FEATURES)).astype(np.int64)
    feats[:, 0] = 0
    feats[:, 1] = 64 + rng.randint(0, 2, size=400)      # one feature of its own decides the label
    labels = (feats[:, 1] - 64).astype(np.float64)
    weights, sq = np.zeros(128), np.zeros(128)
    order = np.arange(400, dtype=np.int64)
    first = jit.train_epoch(feats, labels, np.ones(400), order, weights, sq, 0.5, 0.0)
    for _ in range(20):
        last = jit.train_epoch(feats, labels, np.ones(400), order, weights, sq, 0.5, 0.0)
    assert last < first * 0.7
    scores = weights[feats].sum(axis=1)
    assert ((scores > 0) == (labels > 0)).mean() > 0.95


# The vectorized NumPy path (the default below JIT_FROM_CHARS) against the compiled kernel.
from conftest import SHARED_DATA, read_jsonl, shared_path  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from test_sentences_cascade import everything_to_second  # noqa: E402
from test_sentences_vectorized import TEXTS, vectorized_starts  # noqa: E402


def compiled_starts(model: SentenceModel, text: str) -> list[int]:
    model.compiled = True
    return model.starts(text).tolist()


@settings(max_examples=300, deadline=None)
@given(text=TEXTS)
def test_vectorized_matches_compiled_on_random_text(text):
    model = _shared()
    assert vectorized_starts(model, text) == compiled_starts(model, text)


def _dev_sentence_files() -> list[str]:
    folder = SHARED_DATA / "sentences"  # (shared_path would skip the whole module at collection)
    return sorted(p.name for p in folder.glob("*.jsonl")) if folder.is_dir() else ["(no shared data)"]


# one test per file, so that a failure names the file
@pytest.mark.parametrize("name", _dev_sentence_files())
def test_vectorized_matches_compiled_on_every_dev_sentence_file(name):
    path = shared_path("sentences", name)
    model = SentenceModel.load()
    docs = list(read_jsonl(path))
    assert docs
    for doc in docs:
        text = doc["text"]
        assert vectorized_starts(model, text) == compiled_starts(model, text), (name, doc.get("id"))


_models: list[SentenceModel] = []


def _shared() -> SentenceModel:
    if not _models:
        _models.append(SentenceModel.load())
    return _models[0]


# The cascade: the kernel's find_scored (the compiled path's first stage) against its plain Python,
# and the compiled path with the second stage deciding every candidate against the vectorized one.

def test_find_scored_matches_between_plain_and_compiled():
    model = _shared()
    jit = K.jitted()
    rng = random.Random(13)
    floor = model.threshold - 2.0
    for _ in range(100):
        text = random_text(rng)
        codes = codes_of(text)
        outs_a = [np.empty(len(text) + 1, t) for t in (np.int64, np.int64, np.float64)]
        outs_b = [np.empty(len(text) + 1, t) for t in (np.int64, np.int64, np.float64)]
        na = jit.find_scored(codes, model.classes, model.lower, model.weights.astype(np.float64), floor, *outs_a)
        nb = K.plain("find_scored")(codes.tolist(), model.classes.tolist(), model.lower.tolist(),
                                    model.weights.astype(np.float64), floor, *outs_b)
        assert na == nb
        for a, b in zip(outs_a, outs_b):
            assert a[:na].tolist() == b[:nb].tolist()
        # and those above the threshold are find_starts' starts
        out = np.empty(len(text) + 1, np.int64)
        count = jit.find_starts(codes, model.classes, model.lower, model.weights, model.threshold, out)
        assert outs_a[1][:na][outs_a[2][:na] > model.threshold].tolist() == out[:count].tolist()


@settings(max_examples=150, deadline=None)
@given(text=TEXTS)
def test_compiled_cascade_matches_vectorized_when_the_second_stage_decides_everything(text):
    wide = everything_to_second(_shared())
    assert vectorized_starts(wide, text) == compiled_starts(wide, text)
