"""`seamline eval` as a process: records, options, errors, on fixtures written for it.

tests/fixtures/eval/gold.jsonl holds three gold documents (a topic-level one
with meta.sentence_spans, two sentence-level ones, one with leading
whitespace); perfect.jsonl predicts them exactly; near.jsonl predicts the
topic document at sentence level, misses one boundary by two characters,
starts one unit on the whitespace before a boundary, and gives the German
document a single unit. questions.jsonl asks three questions.
"""
from __future__ import annotations

import pytest

from conftest import FIXTURES, read_jsonl, records, run_cli, shared_path, to_jsonl

EVAL = FIXTURES / "eval"
GOLD = str(EVAL / "gold.jsonl")
PERFECT = str(EVAL / "perfect.jsonl")
NEAR = str(EVAL / "near.jsonl")


def evaluate(*args, stdin=None, status=0):
    proc = run_cli("eval", *args, stdin=stdin)
    assert proc.returncode == status, proc.stderr.decode()
    assert b"Traceback" not in proc.stderr
    return records(proc.stdout), proc.stderr.decode()


def test_perfect_prediction_scores_perfectly():
    recs, _ = evaluate(PERFECT, "--gold", GOLD)
    assert len(recs) == 1
    s = recs[-1]
    assert s["scope"] == "all" and s["pred"] == PERFECT and s["docs"] == 3
    assert (s["precision"], s["recall"], s["f1"]) == (1.0, 1.0, 1.0)
    assert s["pk"] == 0.0 and s["windowdiff"] == 0.0 and s["b"] == 1.0 and s["edit_distance"] == 0.0


def test_boundary_scores_follow_the_first_non_whitespace_rule():
    gold = {d["id"]: d for d in read_jsonl(EVAL / "gold.jsonl")}
    pred = read_jsonl(EVAL / "near.jsonl")

    def content_start(text, i):
        while i < len(text) and text[i].isspace():
            i += 1
        return i

    matched = predicted = expected = 0
    for doc_id, g in gold.items():
        text = g["text"]
        first = content_start(text, 0)
        want = {content_start(text, s) for s, _ in g["segments"]} - {first}
        got = {content_start(text, u["start"]) for u in pred if u["doc"] == doc_id} - {first, len(text)}
        matched, predicted, expected = matched + len(want & got), predicted + len(got), expected + len(want)
    recs, _ = evaluate(NEAR, "--gold", GOLD)
    s = recs[-1]
    assert (s["gold_boundaries"], s["pred_boundaries"]) == (expected, predicted) == (7, 10)
    assert s["precision"] == pytest.approx(matched / predicted) == pytest.approx(0.4)
    assert s["recall"] == pytest.approx(matched / expected)
    assert s["f1"] == pytest.approx(2 * matched / (predicted + expected))


def test_tolerance_counts_near_misses():
    recs, _ = evaluate(NEAR, "--gold", GOLD, "--tolerance", "2")
    s = recs[-1]
    assert s["f1"] == pytest.approx(8 / 17)
    assert s["tolerance"] == 2 and s["f1_within"] == pytest.approx(10 / 17)
    recs, _ = evaluate(NEAR, "--gold", GOLD, "--tolerance", "1")
    assert recs[-1]["f1_within"] == pytest.approx(8 / 17)


def test_per_doc_records_come_first_in_input_order():
    recs, _ = evaluate(NEAR, "--gold", GOLD, "--per-doc")
    assert [r["scope"] for r in recs] == ["doc", "doc", "doc", "all"]
    assert [r["doc"] for r in recs[:3]] == ["town", "smith", "de/short"]
    town = recs[0]
    assert town["precision"] == pytest.approx(2 / 7) and town["recall"] == 1.0
    assert recs[2]["f1"] == 0.0 and recs[2]["pred_boundaries"] == 0
    # the summary's Pk is the mean over documents
    assert recs[-1]["pk"] == pytest.approx(sum(r["pk"] for r in recs[:3]) / 3)


def test_several_predictions_side_by_side_end_with_the_last_summary():
    recs, _ = evaluate(PERFECT, NEAR, "--gold", GOLD, "--per-doc")
    scopes = [(r["scope"], r["pred"]) for r in recs]
    assert scopes == [("doc", PERFECT)] * 3 + [("all", PERFECT)] + [("doc", NEAR)] * 3 + [("all", NEAR)]
    assert recs[3]["f1"] == 1.0 and recs[-1]["f1"] < 1.0


def test_units_word_and_sentence():
    gold = {d["id"]: d for d in read_jsonl(EVAL / "gold.jsonl")}
    recs, _ = evaluate(PERFECT, "--gold", GOLD, "--per-doc", "--unit", "word")
    for r in recs[:-1]:
        assert r["units"] == len(gold[r["doc"]]["text"].split())
        assert r["pk"] == 0.0
    recs, _ = evaluate(NEAR, "--gold", GOLD, "--per-doc", "--unit", "sentence")
    town = recs[0]
    assert town["units"] == len(gold["town"]["meta"]["sentence_spans"]) == 8
    # 8 sentences in 3 topics: k = round(8 / 6) = 1, raised to segeval's minimum of 2
    assert town["k"] == 2
    assert recs[-1]["unit"] == "sentence" and recs[-1]["sentence_units_from_rules"] == 2


def test_nltk_convention_changes_window_and_denominator():
    seg, _ = evaluate(NEAR, "--gold", GOLD, "--per-doc", "--unit", "sentence")
    nl, _ = evaluate(NEAR, "--gold", GOLD, "--per-doc", "--unit", "sentence", "--convention", "nltk")
    assert nl[-1]["convention"] == "nltk"
    # town: 8 sentences, gold boundaries before sentences 3 and 6 (gaps 2, 5), a
    # boundary at every gap predicted. k = 2 both ways (NLTK: round(8 / 4)).
    # segeval: windows 0..5 over gaps (i, i+1); the gold has none in windows 0
    # and 3: 2 errors of 6. NLTK adds window 6 (gap 6 and the trailing "0"): 3 of 7.
    assert seg[0]["k"] == nl[0]["k"] == 2
    assert seg[0]["pk"] == pytest.approx(2 / 6)
    assert nl[0]["pk"] == pytest.approx(3 / 7)


def test_mismatches_are_errors_naming_ids():
    gold = read_jsonl(EVAL / "gold.jsonl")
    perfect = read_jsonl(EVAL / "perfect.jsonl")
    only_two = to_jsonl([u for u in perfect if u["doc"] != "smith"])
    _, err = evaluate("-", "--gold", GOLD, stdin=only_two, status=1)
    assert "'smith'" in err and "no prediction" in err
    stranger = to_jsonl(perfect + [{"doc": "ghost", "seq": 0, "kind": "sentence", "start": 0, "end": 3, "text": "Boo"}])
    _, err = evaluate("-", "--gold", GOLD, stdin=stranger, status=1)
    assert "'ghost'" in err and "not in the gold" in err
    edited = [dict(u) for u in perfect]
    edited[0]["text"] = edited[0]["text"].replace("river", "rover")
    _, err = evaluate("-", "--gold", GOLD, stdin=to_jsonl(edited), status=1)
    assert "'town'" in err and "differs" in err
    recs, err = evaluate("-", "--gold", GOLD, "--allow-missing", stdin=to_jsonl(edited))
    s = recs[-1]
    assert (s["docs"], s["differing"], s["missing"], s["unknown"]) == (2, 1, 0, 0)
    assert s["f1"] == 1.0
    assert len(gold) == 3


def test_fail_under():
    evaluate(PERFECT, "--gold", GOLD, "--fail-under", "f1=0.99", "--fail-under", "pk=0.01")
    recs, err = evaluate(NEAR, "--gold", GOLD, "--fail-under", "f1=0.9", status=1)
    assert recs[-1]["scope"] == "all"  # the records are written before the verdict
    assert "f1" in err and "below 0.9" in err
    _, err = evaluate(NEAR, "--gold", GOLD, "--fail-under", "pk=0.0001", status=1)
    assert "above" in err
    _, err = evaluate(NEAR, "--gold", GOLD, "--fail-under", "speed=3", status=2)
    assert "METRIC" in err


def test_bad_inputs():
    _, err = evaluate(PERFECT, "--gold", "no/such/gold.jsonl", status=2)
    assert "no/such/gold.jsonl" in err
    bad_gold = b'{"id": "x", "text": "abc", "segments": [[0, 9]]}\n'
    _, err = evaluate(PERFECT, "--gold", "-", stdin=bad_gold, status=1)
    assert "<stdin>:1" in err and "[0, 9]" in err
    _, err = evaluate("-", "--gold", "-", stdin=bad_gold, status=2)
    assert "only once" in err
    docs = to_jsonl([{"id": "a", "text": "Hello."}])
    _, err = evaluate("-", "--gold", GOLD, stdin=docs, status=1)
    assert "<stdin>:1" in err and "document, not a unit" in err


def test_bad_gold_names_file_and_line(tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text('{"id": "x", "text": "abc", "segments": [[0, 3]]}\n{"id": "y", "text": "ab", "segments": [[0, 9]]}\n')
    _, err = evaluate(PERFECT, "--gold", str(gold), status=1)
    assert f"{gold}:2" in err and "[0, 9]" in err


def test_chunk_statistics_without_gold():
    chunks = run_cli("chunk", "--tokenizer", "words", "--max-tokens", "6", GOLD, check=True).stdout
    units = records(chunks)
    recs, _ = evaluate("-", "--tokenizer", "words", "--max-tokens", "5", "--sentences", "rules", stdin=chunks)
    s = recs[-1]
    sizes = [len(u["text"].split()) for u in units]
    assert s["chunks"] == len(units)
    assert s["tokens_max"] == max(sizes) and s["tokens_min"] == min(sizes)
    assert s["over_budget"] == sum(1 for x in sizes if x > 5)
    assert 0.0 <= s["ends_inside_sentence"] <= 1.0 and s["sentence_engine"] == "rules"
    assert "f1" not in s


def test_chunks_that_end_inside_sentences_are_counted():
    text = "One two three. Four five six."
    cut_inside = [{"doc": "d", "seq": 0, "kind": "chunk", "start": 0, "end": 8, "text": text[:8]},
                  {"doc": "d", "seq": 1, "kind": "chunk", "start": 8, "end": len(text), "text": text[8:]}]
    recs, _ = evaluate("-", "--sentences", "rules", stdin=to_jsonl(cut_inside))
    assert recs[-1]["ends_inside_sentence"] == 0.5
    at_sentence = [{"doc": "d", "seq": 0, "kind": "chunk", "start": 0, "end": 15, "text": text[:15]},
                   {"doc": "d", "seq": 1, "kind": "chunk", "start": 15, "end": len(text), "text": text[15:]}]
    recs, _ = evaluate("-", "--sentences", "rules", stdin=to_jsonl(at_sentence))
    assert recs[-1]["ends_inside_sentence"] == 0.0


def test_retrieval_scores_from_reference_spans():
    questions = read_jsonl(EVAL / "questions.jsonl")
    pred = read_jsonl(EVAL / "near.jsonl")
    precision = recall = iou = 0.0
    for q in questions:
        refs = {i for s, e in q["references"] for i in range(s, e)}
        hit = set()
        for u in pred:
            span = set(range(u["start"], u["end"]))
            if u["doc"] == q["doc"] and span & refs:
                hit |= span
        precision += len(refs & hit) / len(hit)
        recall += len(refs & hit) / len(refs)
        iou += len(refs & hit) / len(refs | hit)
    n = len(questions)
    recs, _ = evaluate(NEAR, "--questions", str(EVAL / "questions.jsonl"))
    s = recs[-1]
    assert s["questions"] == n
    assert s["retrieval_precision"] == pytest.approx(precision / n)
    assert s["retrieval_recall"] == pytest.approx(recall / n) == pytest.approx(1.0)
    assert s["retrieval_iou"] == pytest.approx(iou / n)


def test_overlapping_chunks_are_accepted():
    gold = read_jsonl(EVAL / "gold.jsonl")
    text = gold[0]["text"]
    spans = [(0, 100), (80, 180), (160, len(text))]
    chunks = [{"doc": "town", "seq": i, "kind": "chunk", "start": s, "end": e, "text": text[s:e]}
              for i, (s, e) in enumerate(spans)]
    recs, _ = evaluate("-", "--gold", GOLD, "--allow-missing", "--per-doc", stdin=to_jsonl(chunks))
    assert recs[0]["doc"] == "town" and recs[0]["pred_boundaries"] == 2
    gap = [dict(c) for c in chunks]
    gap[1].update(start=101, text=text[101:180])
    _, err = evaluate("-", "--gold", GOLD, stdin=to_jsonl(gap), status=1)
    assert "gap" in err


def test_table_output():
    proc = run_cli("eval", PERFECT, NEAR, "--gold", GOLD, "--format", "table")
    out = proc.stdout.decode()
    assert proc.returncode == 0
    assert "side by side" in out and "windowdiff" in out and "near.jsonl" in out
    assert not out.lstrip().startswith("{")


def test_compiled_kernels_give_the_same_records():
    never, _ = evaluate(NEAR, "--gold", GOLD, "--per-doc", "--tolerance", "2", "--jit", "never")
    always, _ = evaluate(NEAR, "--gold", GOLD, "--per-doc", "--tolerance", "2", "--jit", "always")
    assert never == always


def test_dev_perfect_predictions(tmp_path):
    """Units cut at DEV gold starts score perfectly: the check the conformance suite runs."""
    path = shared_path("topics", "multicoder_fournier.dev.jsonl")
    gold = read_jsonl(path)
    units = []
    for g in gold:
        cuts = sorted({0, len(g["text"]), *(s for s, _ in g["segments"][1:])})
        units += [{"doc": g["id"], "seq": i, "kind": "topic", "start": s, "end": e, "text": g["text"][s:e]}
                  for i, (s, e) in enumerate(zip(cuts, cuts[1:]))]
    pred = tmp_path / "pred.jsonl"
    pred.write_bytes(to_jsonl(units))
    recs, _ = evaluate(str(pred), "--gold", str(path), "--unit", "sentence", "--per-doc")
    assert len(recs) == len(gold) + 1
    assert all(r["f1"] == 1.0 and r["pk"] == 0.0 and r["b"] == 1.0 for r in recs)
