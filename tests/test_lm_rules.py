"""Meta-Chunking's decision rules against plain-Python references, on recorded model outputs.

tests/fixtures/lm/recorded.json holds what SmolLM2 (the `lm` extra) gave for
tests/fixtures/lm/contract.txt and two CUAD contracts: per-sentence
log-perplexities and margins between consecutive sentences (written by
tests/fixtures/lm/record.py). The rules are checked on those and on generated
sequences with ties; these tests need no model.
"""
from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import FIXTURES
from seamline.topics.decide import decide
from seamline.topics.metachunking import DynamicThreshold, find_minima, margin_splits, minima_scores

RECORDED = json.loads((FIXTURES / "lm" / "recorded.json").read_text(encoding="utf-8"))


# -- the references, written as the reference code reads: one loop, nothing shared with seamline --

def ref_minima(values, threshold):
    found = []
    for i in range(1, len(values) - 1):
        if values[i] < values[i - 1] and values[i] < values[i + 1]:
            if values[i - 1] - values[i] >= threshold or values[i + 1] - values[i] >= threshold:
                found.append(i)
        elif values[i] < values[i - 1] and values[i] == values[i + 1]:
            if values[i - 1] - values[i] >= threshold:
                found.append(i)
    return found


def ref_minima_dynamic(values, threshold, drops):
    found = []
    for i in range(1, len(values) - 1):
        if values[i] < values[i - 1] and values[i] < values[i + 1]:
            if values[i - 1] - values[i] >= threshold or values[i + 1] - values[i] >= threshold:
                found.append(i)
                drops.append(min(values[i - 1] - values[i], values[i + 1] - values[i]))
        elif values[i] < values[i - 1] and values[i] == values[i + 1]:
            if values[i - 1] - values[i] >= threshold:
                found.append(i)
                drops.append(values[i - 1] - values[i])
        if len(drops) >= 100:
            threshold = min(drops)
    return found, threshold, drops


def ref_margin_chunks(sentences, margins):
    """Margin sampling as the reference loop runs it: merge when the margin beats the threshold."""
    chunks, current, threshold, seen = [], [], 0.0, []
    pairs = iter(margins)
    for sentence in sentences:
        if not current:
            current = [sentence]
            continue
        margin = next(pairs)
        seen.append(margin)
        if margin > threshold:
            current.append(sentence)
        else:
            chunks.append(current)
            current = [sentence]
        if len(seen) >= 5:
            threshold = sum(seen[-5:]) / 5
    chunks.append(current)
    return chunks


def ref_chunks_from_minima(n, minima):
    """Sentence groups: a chunk ends after each minimum (the reference's split_points)."""
    points = [0, *minima, n - 1]
    groups = []
    for a, b in zip(points, points[1:]):
        groups.append(list(range(0 if a == 0 else a + 1, b + 1)))
    return groups


def groups_from_starts(n, starts):
    edges = [0, *starts, n]
    return [list(range(a, b)) for a, b in zip(edges, edges[1:])]


# -- recorded outputs -------------------------------------------------------------------------

def test_recorded_perplexities_threshold_rule():
    for doc in RECORDED["documents"]:
        ppl = doc["log_ppl"]
        for threshold in (0.0, 0.05, 0.2, 0.5):
            assert find_minima(ppl, threshold) == ref_minima(ppl, threshold)
            # and through Scores and the shared decision, as `segment --by topic` decides
            import numpy as np

            starts = decide(minima_scores(np.asarray(ppl), lambda s: find_minima(s, threshold)))
            assert groups_from_starts(len(ppl), starts) == ref_chunks_from_minima(len(ppl), ref_minima(ppl, threshold))


def test_recorded_perplexities_dynamic_rule_carries_its_threshold_across_documents():
    dyn = DynamicThreshold(0.0)
    threshold, drops = 0.0, []
    for _ in range(30):  # the documents again and again, till 100 minima switch the threshold to the smallest drop
        for doc in RECORDED["documents"]:
            want, threshold, drops = ref_minima_dynamic(doc["log_ppl"], threshold, drops)
            assert dyn.find_minima(doc["log_ppl"]) == want
            assert dyn.threshold == threshold
    assert len(drops) >= 100


def test_recorded_margins_rule():
    for doc in RECORDED["documents"]:
        margins = doc["margins"]
        n = len(margins) + 1
        assert margins
        splits = margin_splits(margins)
        starts = [k + 1 for k, split in enumerate(splits) if split]
        assert groups_from_starts(n, starts) == ref_margin_chunks(list(range(n)), margins)


# -- generated sequences, with ties ---------------------------------------------------------------

values = st.lists(st.sampled_from([0.5, 1.0, 1.5, 2.0, 2.25, 3.0]), max_size=60)


@settings(max_examples=300, deadline=None)
@given(seq=values, threshold=st.sampled_from([0.0, 0.25, 0.5, 1.0]))
def test_generated_minima(seq, threshold):
    assert find_minima(seq, threshold) == ref_minima(seq, threshold)


@settings(max_examples=200, deadline=None)
@given(docs=st.lists(values, max_size=12))
def test_generated_dynamic(docs):
    dyn = DynamicThreshold(0.0)
    threshold, drops = 0.0, []
    for seq in docs * 10:
        want, threshold, drops = ref_minima_dynamic(seq, threshold, drops)
        assert dyn.find_minima(seq) == want


@settings(max_examples=300, deadline=None)
@given(margins=st.lists(st.sampled_from([-0.5, -0.1, 0.0, 0.1, 0.3, 0.5]), max_size=40))
def test_generated_margins(margins):
    n = len(margins) + 1
    starts = [k + 1 for k, split in enumerate(margin_splits(margins)) if split]
    assert groups_from_starts(n, starts) == ref_margin_chunks(list(range(n)), margins)
