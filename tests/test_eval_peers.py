"""seamline's Pk, WindowDiff, B and boundary edit distance equal segeval's and NLTK's.

Under the "segeval" convention they must equal segeval 2.0.11; under "nltk",
nltk.metrics.segmentation with one character per unit ("1": a boundary
follows the unit). To 1e-9, on many generated segmentations and on DEV files.
"""
from __future__ import annotations

import json
from itertools import accumulate

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import shared_path
from seamline.evaluation import metrics
from seamline.evaluation.boundaries import char_boundaries, span_starts, to_units, word_starts
from seamline.segmenters import get_segmenter, tile

segeval = pytest.importorskip("segeval")
nltk_seg = pytest.importorskip("nltk.metrics.segmentation")

TOL = 1e-9


def boundaries(masses):
    return list(accumulate(masses))[:-1]


def nltk_string(n, bounds):
    s = ["0"] * n
    for u in bounds:
        s[u - 1] = "1"
    return "".join(s)


def masses_of(n, bounds):
    edges = [0, *bounds, n]
    return [b - a for a, b in zip(edges, edges[1:])]


def check_against_peers(n, ref, hyp, window=None):
    ref_m, hyp_m = masses_of(n, ref), masses_of(n, hyp)
    kw = {} if window is None else {"window_size": window}
    pk = metrics.pk(n, ref, hyp, window)
    assert abs(pk.value - float(segeval.pk(hyp_m, ref_m, **kw))) < TOL
    # segeval divides by zero without windows, and its WindowDiff asserts
    # `len(window) is k + 1`, which fails for ints past CPython's small-int cache
    if pk.windows > 0 and pk.k + 1 <= 256:
        wd = metrics.windowdiff(n, ref, hyp, window)
        assert abs(wd.value - float(segeval.window_diff(hyp_m, ref_m, **kw))) < TOL
    if ref or hyp:  # segeval fails on two segmentations without any boundary
        edits = metrics.boundary_edits(ref, hyp)
        assert abs(edits.b - float(segeval.boundary_similarity(hyp_m, ref_m))) < TOL
        stats = segeval.boundary_statistics(hyp_m, ref_m)
        assert abs(edits.edit_distance - float(stats["count_edits"])) < TOL
        assert edits.additions == len(stats["additions"])
        assert edits.transpositions == len(stats["transpositions"])
        assert edits.matches == len(stats["matches"])
    r, h = nltk_string(n, ref), nltk_string(n, hyp)
    k = metrics.window_size(n, ref, "nltk") if window is None else window
    if k > n:  # NLTK divides by zero or refuses
        return
    assert abs(metrics.pk(n, ref, hyp, window, "nltk").value - nltk_seg.pk(r, h, k)) < TOL
    if window is None:
        assert abs(metrics.pk(n, ref, hyp, None, "nltk").value - nltk_seg.pk(r, h)) < TOL
    assert abs(metrics.windowdiff(n, ref, hyp, window, "nltk").value - nltk_seg.windowdiff(r, h, k)) < TOL


masses = st.lists(st.integers(1, 30), min_size=1, max_size=40)


@settings(max_examples=300, deadline=None)
@given(ref=masses, hyp_cuts=st.lists(st.integers(1, 10**6), max_size=60))
def test_random_segmentations_match_segeval_and_nltk(ref, hyp_cuts):
    n = sum(ref)
    hyp = sorted({c % n for c in hyp_cuts} - {0})
    check_against_peers(n, boundaries(ref), hyp)


@settings(max_examples=150, deadline=None)
@given(ref=masses, hyp=masses, window=st.integers(2, 15))
def test_explicit_window_sizes_match(ref, hyp, window):
    n = sum(ref)
    hyp_b = sorted({b for b in boundaries(hyp) if b < n})
    check_against_peers(n, boundaries(ref), hyp_b, window)


@settings(max_examples=200, deadline=None)
@given(ref=masses, shifts=st.lists(st.integers(-2, 2), max_size=40), n_t=st.integers(2, 5))
def test_near_misses_match_segeval_for_any_n_t(ref, shifts, n_t):
    """Hypotheses that move reference boundaries a little: transpositions galore."""
    n = sum(ref)
    ref_b = boundaries(ref)
    hyp = sorted({b + s for b, s in zip(ref_b, shifts + [0] * len(ref_b)) if 0 < b + s < n})
    ref_m, hyp_m = masses_of(n, ref_b), masses_of(n, hyp)
    if not ref_b and not hyp:
        assert metrics.boundary_edits(ref_b, hyp, n_t).b == 1.0
        return
    edits = metrics.boundary_edits(ref_b, hyp, n_t)
    assert abs(edits.b - float(segeval.boundary_similarity(hyp_m, ref_m, n_t=n_t))) < TOL
    stats = segeval.boundary_statistics(hyp_m, ref_m, n_t=n_t)
    assert abs(edits.edit_distance - float(stats["count_edits"])) < TOL


def test_window_size_rounds_half_to_even_like_segeval():
    for n in range(2, 200):
        for segments in range(1, 12):
            ref = [1 + i * (n // segments) for i in range(segments - 1) if 1 + i * (n // segments) < n]
            want = segeval.compute_window_size(masses_of(n, ref))
            assert metrics.window_size(n, ref) == want, (n, ref)


def dev_docs(rel, limit):
    path = shared_path(*rel.split("/"))
    with open(path, encoding="utf-8") as f:
        for _, line in zip(range(limit), f):
            yield json.loads(line)


@pytest.mark.parametrize("rel,unit,limit", [
    ("topics/multicoder_fournier.dev.jsonl", "sentence", 9),
    ("topics/choi.dev.jsonl", "sentence", 25),
    ("sentences/ud_en_ewt_paragraphs.dev.jsonl", "word", 40),
    ("sentences/ud_en_ewt.dev.jsonl", "char", 25),
])
def test_dev_files_match_segeval_and_nltk(rel, unit, limit):
    """Predictions of the rules sentence segmenter against DEV gold, in the gold's own units."""
    rules = get_segmenter("sentence")
    checked = 0
    for doc in dev_docs(rel, limit):
        text = doc["text"]
        ref_chars = char_boundaries(text, (s for s, _ in doc["segments"]))
        hyp_chars = char_boundaries(text, (s for s, _ in tile(text, rules.starts(text))))
        if unit == "char":
            n, ref, hyp = len(text), ref_chars, hyp_chars
        else:
            starts = (span_starts(text, doc["meta"]["sentence_spans"]) if unit == "sentence"
                      else word_starts(text))
            n, ref, hyp = len(starts), to_units(ref_chars, starts), to_units(hyp_chars, starts)
        if n < 3:
            continue
        check_against_peers(n, ref, hyp)
        checked += 1
    assert checked >= min(limit, 5)
