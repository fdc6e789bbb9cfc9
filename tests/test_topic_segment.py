"""`segment --by topic`: lossless topic units from every method and decision."""
from __future__ import annotations

import json

import numpy as np
import pytest

from conftest import FIXTURES, assert_tiles, read_jsonl, records, run_cli, shared_path, to_jsonl
from seamline.segmenters import get_segmenter, tile
from seamline.segmenters.topic import TopicSegmenter
from seamline.topics import METHODS, get_scorer

# margin asks the language model about every pair of sentences: tests/test_lm_model.py covers it
CHEAP = [m for m in METHODS if m != "margin"]
from seamline.topics.decide import check_options, decide
from seamline.topics.scores import Scores
from seamline.errors import UsageError

TEXT = (FIXTURES / "topics" / "three_topics.txt").read_text()
# where topics 2 and 3 start in the fixture
TRUE_STARTS = [TEXT.index("The harbour"), TEXT.index("The new railway")]
ODD = ["", "Word", " \n\t \n", "no punctuation at all just words running on " * 30,
       "你好。世界。今天天气很好。我们去公园。", "One. Two. Three. Four."]


def segment(text: str, **options) -> list[tuple[int, int, dict]]:
    return TopicSegmenter(**options).annotated(text)


def check_tiling(text, spans):
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(spans, spans[1:]))
    assert spans[0][2]["score"] is None
    assert all(0 <= s[2]["score"] <= 1 for s in spans[1:])


@pytest.mark.parametrize("method", CHEAP)
def test_every_method_tiles_odd_inputs(method):
    for text in ODD + [TEXT]:
        check_tiling(text or "", segment(text, method=method)) if text else None
        if not text:
            assert segment(text, method=method) == [(0, 0, {"score": None})]


@pytest.mark.parametrize("method", ["tiling", "c99", "embedding"])
def test_three_segments_land_on_the_topic_changes(method):
    spans = segment(TEXT, method=method, segments=3)
    check_tiling(TEXT, spans)
    starts = [s for s, _, _ in spans[1:]]
    assert len(starts) == 2
    sentence_starts = [0, *get_segmenter("sentence", "rules").starts(TEXT)]
    assert set(starts) <= set(sentence_starts)
    if method == "tiling":  # pseudo-sentences of 20 words are coarse: within one sentence
        at = [sentence_starts.index(s) for s in starts]
        want = [sentence_starts.index(s) for s in TRUE_STARTS]
        assert all(abs(a - b) <= 1 for a, b in zip(at, want)), (starts, TRUE_STARTS)
    else:  # these clear changes are found exactly
        assert starts == TRUE_STARTS, (method, starts)


def test_length_limits_hold_with_dp():
    sentences = get_segmenter("sentence", "rules").starts(TEXT)
    n = len(sentences) + 1
    for min_units, max_units in ((4, 7), (1, 3), (6, 6)):
        seg = TopicSegmenter(method="embedding", min_units=min_units, max_units=max_units)
        spans = seg.annotated(TEXT)
        check_tiling(TEXT, spans)
        counts = [len(get_segmenter("sentence", "rules").starts(TEXT[s:e])) + 1 for s, e, _ in spans]
        assert sum(counts) == n
        assert all(min_units <= c <= max_units for c in counts), counts


def test_threshold_value_controls_the_number_of_segments():
    many = segment(TEXT, method="embedding", threshold=0.0)
    none = segment(TEXT, method="embedding", threshold=1.0)
    assert len(none) == 1
    assert len(many) > 3


def test_decisions_on_hand_made_scores():
    values = np.array([0, 0.1, 0.9, 0.2, 0.8, 0.3, 0.7])
    scores = Scores(values, np.ones(7, dtype=bool), 0.5)
    assert decide(scores, "threshold") == [2, 4, 6]
    assert decide(scores, "threshold", threshold=0.75) == [2, 4]
    assert decide(scores, "best", segments=3) == [2, 4]
    assert decide(scores, "best", segments=3, min_units=2) == [2, 4]
    assert decide(scores, "best", segments=3, min_units=3) == [4]  # greedy: no room for a second
    assert decide(scores, "dp", segments=2, max_units=4) == [4]
    assert decide(scores, "dp", min_units=3) == [4]  # gains 0.9-0.5 at 2 would leave 2 units
    assert decide(scores, "dp", segments=3, min_units=2) == [2, 4]


def test_bad_options_are_usage_errors():
    for kwargs in ({"select": "nope"}, {"threshold": 2.0}, {"segments": 0}, {"min_units": 5, "max_units": 2},
                   {"select": "best"}):
        with pytest.raises(UsageError):
            check_options(kwargs.get("select"), kwargs.get("threshold"), kwargs.get("segments"),
                          kwargs.get("min_units"), kwargs.get("max_units"))
    with pytest.raises(UsageError):
        get_scorer("nope")


def test_cli_segment_by_topic_with_options():
    doc = {"id": "fixture", "text": TEXT, "source": "own"}
    out = run_cli("segment", "--by", "topic", "--method", "c99", "--segments", "3", stdin=to_jsonl([doc]), check=True)
    units = records(out.stdout)
    assert_tiles(TEXT, units)
    assert [u["kind"] for u in units] == ["topic"] * 3
    assert [u["start"] for u in units[1:]] == TRUE_STARTS
    assert units[0]["score"] is None and all(0 < u["score"] <= 1 for u in units[1:])
    assert all(u["meta"]["source"] == "own" for u in units)
    bad = run_cli("segment", "--by", "topic", "--method", "nope", stdin=to_jsonl([doc]))
    assert bad.returncode == 2 and b"Traceback" not in bad.stderr and b"nope" in bad.stderr
    lines = run_cli("segment", "--by", "topic", "--engine", "newline", stdin=to_jsonl([doc]), check=True)
    assert_tiles(TEXT, records(lines.stdout))


def test_cli_is_deterministic():
    doc = to_jsonl([{"id": "d", "text": TEXT * 3}])
    for method in CHEAP:
        a = run_cli("segment", "--by", "topic", "--method", method, stdin=doc, check=True).stdout
        b = run_cli("segment", "--by", "topic", "--method", method, stdin=doc, check=True).stdout
        assert a == b


def test_lossless_on_dev_topic_docs():
    docs = []
    for name in ("choi", "manifesto", "multicoder_fournier"):
        docs += read_jsonl(shared_path("topics", f"{name}.dev.jsonl"))[:2]
    payload = to_jsonl([{"id": d["id"], "text": d["text"]} for d in docs])
    for method in ("tiling", "c99"):
        units = records(run_cli("segment", "--by", "topic", "--method", method, stdin=payload, check=True).stdout)
        for d in docs:
            assert_tiles(d["text"], [u for u in units if u["doc"] == d["id"]])


def test_the_default_gives_topics_a_reader_would_call_topics_on_a_book():
    """Issue 12 item 7: the old default (tiling's own threshold) cut a story into 271 pieces of median 135 chars."""
    book = shared_path("corpus", "gutenberg", "doyle_the_adventures_of_sherlock_holmes.txt").read_text(encoding="utf-8")
    text = book[:60_000]
    spans = TopicSegmenter().annotated(text)
    check_tiling(text, spans)
    lengths = sorted(e - s for s, e, _ in spans)
    assert 2 <= len(spans) <= 30, len(spans)
    assert lengths[len(lengths) // 2] >= 1_000, lengths
    old = TopicSegmenter(method="tiling").annotated(text)   # what the default was: many times more pieces
    assert len(old) > 5 * len(spans)


def test_the_default_is_never_worse_than_no_boundary_on_dev_topic_sets():
    from seamline.evaluation.metrics import pk
    for name, count in [("choi", 40), ("multicoder_fournier", 9)]:
        scorer = get_scorer("bayes")
        ours, none = [], []
        for doc in read_jsonl(shared_path("topics", f"{name}.dev.jsonl"))[:count]:
            spans = doc["meta"]["sentence_spans"]   # the gold sentences, so Pk is over the gold's units
            index = {s: i for i, (s, _) in enumerate(spans)}
            ref = [index[s] for s, _ in doc["segments"][1:]]
            hyp = decide(scorer.score([doc["text"][s:e] for s, e in spans]), "threshold")
            ours.append(pk(len(spans), ref, hyp).value)
            none.append(pk(len(spans), ref, []).value)
        assert np.mean(ours) < np.mean(none), (name, np.mean(ours), np.mean(none))


def test_cli_default_topic_method_is_bayes():
    doc = {"id": "t", "text": TEXT}
    default = run_cli("segment", "--by", "topic", stdin=to_jsonl([doc]), check=True).stdout
    bayes = run_cli("segment", "--by", "topic", "--method", "bayes", stdin=to_jsonl([doc]), check=True).stdout
    assert default == bayes


def test_topics_start_at_paragraph_breaks_when_the_text_has_them():
    import re
    book = shared_path("corpus", "gutenberg", "doyle_the_adventures_of_sherlock_holmes.txt").read_text(encoding="utf-8")
    text = book[:60_000]
    paragraph_starts = {m.end() for m in re.finditer(r"\n[ \t]*\n\s*", text)}
    spans = TopicSegmenter().annotated(text)
    assert len(spans) > 2
    assert all(s in paragraph_starts for s, _, _ in spans[1:]), [s for s, _, _ in spans[1:]]
    unsnapped = TopicSegmenter(min_units=1).annotated(text)   # length limits given: starts left where they fall
    assert any(s not in paragraph_starts for s, _, _ in unsnapped[1:])


def test_snapping_moves_a_start_only_to_a_nearby_paragraph_start():
    from seamline.segmenters.topic import snap_to_paragraphs
    text = "A one. A two.\n\nB one. B two. B three. C one. C two.\n\nD one."
    spans = tile(text, get_segmenter("sentence", "rules").starts(text))
    assert [text[s:e].strip() for s, e in spans][5] == "C one."
    assert snap_to_paragraphs(text, spans, [3]) == [2]         # one sentence from a paragraph start
    assert snap_to_paragraphs(text, spans, [6]) == [7]         # the next sentence opens a paragraph
    assert snap_to_paragraphs(text, spans, [5]) == [5]         # paragraph starts too far: left alone
    assert snap_to_paragraphs("x. y. z. w.", tile("x. y. z. w.", [3, 6, 9]), [2]) == [2]  # no blank lines
