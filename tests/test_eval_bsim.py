"""b_precision, b_recall, b_f1 and edit_operations equal segeval's own numbers.

segeval 2.0.11 computes precision, recall and F from its boundary confusion
matrix (near misses weighted span / n_t) with a micro average over the classes
{boundary, None}; edit_operations is its unweighted count of edits. The fixed
cases are segeval's own tests (segeval/test.py and segeval/similarity/test.py);
the generated ones compare with segeval itself.
"""
from __future__ import annotations

from itertools import accumulate

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from seamline.evaluation import metrics

segeval = pytest.importorskip("segeval")
from segeval.data.samples import HEARST_1997_STARGAZER, HYPOTHESIS_STARGAZER, KAZANTSEVA2012_G5  # noqa: E402
from segeval.similarity.weight import weight_a, weight_s, weight_t  # noqa: E402

TOL = 1e-9


def positions(masses):
    return list(accumulate(masses))[:-1]


def edits_of(hyp_masses, ref_masses, n_t=2):
    return metrics.boundary_edits(positions(ref_masses), positions(hyp_masses), n_t)


def test_segeval_own_cases():
    # segeval/similarity/test.py: test_bed_confusion_matrix
    e = edits_of((5, 5, 5, 5, 1), HEARST_1997_STARGAZER["stargazer"]["2"])
    assert abs(e.b_precision - 0.23076923) < 1e-8
    assert abs(e.b_recall - 0.23076923) < 1e-8
    assert abs(e.b_f1 - 0.375) < TOL
    # segeval/test.py: test_precision, test_recall, test_fmeasure (hypothesis an1, reference an2)
    e = edits_of(KAZANTSEVA2012_G5["ch1"]["an1"], KAZANTSEVA2012_G5["ch1"]["an2"])
    assert abs(e.b_precision - 0.14285714) < 1e-8
    assert abs(e.b_recall - 0.14285714) < 1e-8
    assert abs(e.b_f1 - 0.25) < TOL


def test_segeval_own_dataset_case():
    # segeval/similarity/test.py: test_bed_confusion_matrix_datasets
    want = {("h1", "1"): (0.57142857, 0.72727272), ("h2", "1"): (0.41176470, 0.58333333),
            ("h1", "2"): (0.42857142, 0.6), ("h2", "2"): (0.33333333, 0.5)}
    for (h, coder), (p, f) in want.items():
        e = edits_of(HYPOTHESIS_STARGAZER["stargazer"][h], HEARST_1997_STARGAZER["stargazer"][coder])
        assert abs(e.b_precision - p) < 1e-8 and abs(e.b_recall - p) < 1e-8
        assert abs(e.b_f1 - f) < 1e-8


masses = st.lists(st.integers(1, 12), min_size=1, max_size=30)


@settings(max_examples=300, deadline=None)
@given(ref=masses, hyp=masses, n_t=st.integers(2, 4))
def test_generated_cases_match_segeval(ref, hyp, n_t):
    total = sum(ref)
    hyp_b = sorted({b for b in positions(hyp) if b < total})
    hyp_m = [b - a for a, b in zip([0, *hyp_b], [*hyp_b, total])]
    ref_b = positions(ref)
    if not ref_b and not hyp_b:
        return  # segeval fails on two segmentations without a boundary
    e = metrics.boundary_edits(ref_b, hyp_b, n_t)
    cm = segeval.boundary_confusion_matrix(hyp_m, ref, n_t=n_t)
    assert abs(e.b_precision - float(segeval.precision(cm))) < TOL
    assert abs(e.b_recall - float(segeval.recall(cm))) < TOL
    assert abs(e.b_f1 - float(segeval.fmeasure(cm))) < TOL
    stats = segeval.boundary_statistics(hyp_m, ref, n_t=n_t, weight=(weight_a, weight_s, weight_t))
    assert e.edit_operations == stats["count_edits"]


def test_pooled_counts_add_up():
    a = metrics.boundary_edits([3, 7], [3, 8])
    b = metrics.boundary_edits([5], [])
    pooled = metrics.BoundaryEdits(0, 0, 0, 0, 2) + a + b
    assert pooled.edit_operations == a.edit_operations + b.edit_operations == 2
    assert abs(pooled.b_f1 - 2 * 1.5 / (2 * 1.5 + 1)) < TOL
