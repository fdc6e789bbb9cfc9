"""`chunk --strategy legal`: the bound holds with heading context, and chunks follow provisions."""
from __future__ import annotations

import json

import pytest

from conftest import FIXTURES, assert_tiles, records, run_cli
from seamline.chunkers.legal import legal_strategy
from seamline.chunkers.options import ChunkOptions
from seamline.legal import provision_spans
from seamline.records import UnitGroup, make_unit
from seamline.tokenizers import get_tokenizer

NAMES = ["statute", "regulation", "eu", "contract", "policy", "wrapped"]


def group_of(name: str, level: str | None = None) -> tuple[str, UnitGroup]:
    text = (FIXTURES / "legal" / f"{name}.txt").read_text(encoding="utf-8")
    units = [make_unit(name, i, "section", s, e, text[s:e], **f)
             for i, (s, e, f) in enumerate(provision_spans(text, None, level))]
    return text, UnitGroup(name, units)


def provision_of(group: UnitGroup, depth: int) -> list[tuple[int, int, tuple]]:
    """(start, end, path prefix) of provisions at `depth` of the path.

    The heading and lead-in of an ancestor (a shorter path) belong to no provision at this depth:
    they may open the chunk of their first child.
    """
    out: list[tuple[int, int, tuple]] = []
    for u in group.units:
        if len(u["path"]) < depth:
            continue
        key = tuple(u["path"][:depth])
        if out and out[-1][2] == key:
            out[-1] = (out[-1][0], u["end"], key)
        else:
            out.append((u["start"], u["end"], key))
    return out


def crosses(chunk: dict, provisions: list[tuple[int, int, tuple]]) -> bool:
    """A chunk crosses a boundary when it holds part of one provision and text of another."""
    inside = [(s, e) for s, e, _ in provisions if s < chunk["end"] and e > chunk["start"]]
    partial = any(s < chunk["start"] or e > chunk["end"] for s, e in inside)
    return len(inside) > 1 and partial


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("budget", [12, 25, 60])
@pytest.mark.parametrize("with_headings", [False, True])
def test_bound_tiling_and_no_crossing(name, budget, with_headings):
    tok = get_tokenizer("cl100k_base")
    text, group = group_of(name)
    chunks = legal_strategy(group, tok, ChunkOptions(max_tokens=budget, with_headings=with_headings))
    assert_tiles(text, chunks)
    for c in chunks:
        rendered = c["context"] + "\n" + c["text"] if c.get("context") else c["text"]
        assert c["tokens"] == tok.count(rendered) <= budget
        assert c["path"]
    for depth in (1, 2, 3):
        assert not any(crosses(c, provision_of(group, depth)) for c in chunks), depth


def test_small_siblings_merge_under_the_budget():
    tok = get_tokenizer("cl100k_base")
    _, group = group_of("statute")
    chunks = legal_strategy(group, tok, ChunkOptions(max_tokens=60))
    reserved = [c for c in chunks if "(d) Reserved." in c["text"]]
    assert len(reserved) == 1 and "(h) Reserved." in reserved[0]["text"]
    assert reserved[0]["path"][-1] == "§ 201"


def test_context_names_the_headings_above_the_chunk():
    tok = get_tokenizer("cl100k_base")
    _, group = group_of("statute")
    chunks = legal_strategy(group, tok, ChunkOptions(max_tokens=40, with_headings=True))
    ii = next(c for c in chunks if "(ii) only" in c["text"])
    assert "\u00a7 201. Definitions" in ii["context"]
    first = chunks[0]
    assert first["context"] == ""  # nothing above the title


def test_whole_document_fits_in_one_chunk():
    tok = get_tokenizer("cl100k_base")
    text, group = group_of("policy")
    chunks = legal_strategy(group, tok, ChunkOptions(max_tokens=10_000))
    assert len(chunks) == 1 and chunks[0]["text"] == text


def test_cli_chunk_documents_directly_with_the_legal_strategy():
    text = (FIXTURES / "legal" / "eu.txt").read_text(encoding="utf-8")
    proc = run_cli("chunk", "--strategy", "legal", "--max-tokens", "30", "--with-headings",
                   stdin=json.dumps({"id": "eu", "text": text}) + "\n", check=True)
    chunks = records(proc.stdout)
    assert_tiles(text, chunks)
    assert all(c["tokens"] <= 30 and c["path"] and "context" in c for c in chunks)
