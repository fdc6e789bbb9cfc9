"""`merge --strategy weakest`: Meta-Chunking's dynamic merging led by boundary scores."""
from __future__ import annotations

from conftest import assert_tiles, records, run_cli, to_jsonl
from seamline.chunkers.merge import merge, merge_weakest
from seamline.records import UnitGroup
from seamline.tokenizers import get_tokenizer

CHARS = get_tokenizer("chars")


def units(sizes: list[int], scores: list[float | None]) -> tuple[str, UnitGroup]:
    out, text = [], ""
    for k, (n, s) in enumerate(zip(sizes, scores)):
        piece = chr(ord("a") + k) * n
        out.append({"doc": "d", "seq": k, "kind": "sentence", "start": len(text), "end": len(text) + n,
                    "text": piece, "score": s})
        text += piece
    return text, UnitGroup("d", out)


def test_weakest_boundary_is_joined_first():
    text, group = units([5, 5, 5, 5], [None, 0.9, 0.1, 0.8])
    got = merge_weakest(group, CHARS, max_tokens=10, target=10)
    assert_tiles(text, got)
    # 0.1 (between units 1 and 2) goes first; then neither other join fits 10
    assert [(c["start"], c["end"]) for c in got] == [(0, 5), (5, 15), (15, 20)]
    assert got[1]["score"] == 0.9 and got[0]["kind"] == "sentence" and got[1]["kind"] == "chunk"
    # the left-to-right rule joins the first two instead
    assert [(c["start"], c["end"]) for c in merge(group, CHARS, 10, 10)] == [(0, 10), (10, 20)]


def test_merging_stops_at_the_target_and_never_passes_the_budget():
    sizes = [3, 4, 2, 6, 1, 1, 5, 7, 2, 3]
    scores = [None, 0.3, 0.2, 0.9, 0.1, 0.5, 0.4, 0.05, 0.6, 0.7]
    text, group = units(sizes, scores)
    got = merge_weakest(group, CHARS, max_tokens=12, target=8)
    assert_tiles(text, got)
    assert all(c["tokens"] == len(c["text"]) <= 12 for c in got)
    # no two neighbours could still be joined: both at the target, or the join is over budget
    for a, b in zip(got, got[1:]):
        assert (a["tokens"] >= 8 and b["tokens"] >= 8) or a["tokens"] + b["tokens"] > 12


def test_without_scores_weakest_merges_left_to_right():
    text, group = units([2, 2, 2, 2, 2], [None] * 5)
    got = merge_weakest(group, CHARS, max_tokens=6, target=6)
    assert [(c["start"], c["end"]) for c in got] == [(0, 6), (6, 10)]


def test_cli_merge_weakest_and_bad_strategy():
    text, group = units([5, 5, 5, 5], [None, 0.9, 0.1, 0.8])
    proc = run_cli("merge", "--strategy", "weakest", "--tokenizer", "chars", "--max-tokens", "10",
                   "--target-tokens", "10", stdin=to_jsonl(group.units), check=True)
    got = records(proc.stdout)
    assert [(c["start"], c["end"]) for c in got] == [(0, 5), (5, 15), (15, 20)]
    bad = run_cli("merge", "--strategy", "nope", stdin=to_jsonl(group.units))
    assert bad.returncode == 2 and b"small, weakest" in bad.stderr and b"Traceback" not in bad.stderr
