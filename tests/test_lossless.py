"""What each sentence/paragraph/line engine proposes, and that tiling makes any proposal lossless.

`tile` turns whatever starts an engine returns into units that cover the text, so
checking the tiling of an engine's output says nothing about the engine. So the
engines are checked on what they propose: a wrapped engine against its library's
own sentences (pysbd, spaCy), the layout engines against a plain reference, and the
learned and rule engines against gold (fixture cases always; every DEV sentence
file when ../shared/data is here). One test feeds `tile` random proposals.
"""
from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from conftest import FIXTURES, assert_tiles, read_jsonl, shared_path
from seamline.streams import segment_document
from seamline.records import Document
from seamline.segmenters import get_segmenter
from seamline.segmenters.base import cut_points

MINI = read_jsonl(FIXTURES / "stream" / "mini.jsonl")
FIXTURE_TEXTS = [(d["id"], d["text"]) for d in MINI] + [
    (p.name, p.read_text(encoding="utf-8"))
    for p in [FIXTURES / "sentences" / "hard_wrapped.txt", FIXTURES / "topics" / "three_topics.txt",
              *sorted((FIXTURES / "legal").glob("*.txt"))]]
CASES = [json.loads(line) for line in (FIXTURES / "sentences" / "cases.jsonl").read_text().splitlines()]
# pysbd is slow on long inputs (about 100 kB/s here even in bounded pieces), so the
# wrapped engines get a slice of each long text.
SLICE_CHARS = 200_000
PYSBD_SLICE_CHARS = 60_000  # 15 of its 4,000-character pieces per file


def proposed(engine, text: str) -> list[int]:
    """The inner cuts an engine's starts make (past whitespace, sorted, unique)."""
    return cut_points(text, engine.starts(text))


def pysbd_reference(text: str) -> list[int]:
    """Where pysbd's own sentences start, found by their characters (pysbd returns strings)."""
    import pysbd

    from seamline.segmenters.pysbd_engine import PIECE_CHARS
    from seamline.segmenters.base import pieces
    seg = pysbd.Segmenter(language="en", clean=False)
    starts, pos = [], 0
    for offset, piece in pieces(text, PIECE_CHARS):
        pos = offset
        for sentence in seg.segment(piece) if piece.strip() else []:
            core = sentence.strip()
            if core:
                pos = text.index(core, pos)
                starts.append(pos)
                pos += len(core)
    return cut_points(text, starts)


def spacy_reference(text: str) -> list[int]:
    import spacy

    from seamline.segmenters.spacy_engine import PIECE_CHARS
    from seamline.segmenters.base import pieces
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return cut_points(text, [offset + s.start_char for offset, piece in pieces(text, PIECE_CHARS) if piece.strip()
                             for s in nlp(piece).sents])


def blankline_reference(text: str) -> list[int]:
    """A paragraph starts at the first non-blank line after a blank one (lines split at \\n)."""
    starts, pos, blank_seen = [], 0, False
    for line in text.split("\n"):
        if not line.strip(" \t\r\f\v"):
            blank_seen = blank_seen or pos > 0
        elif blank_seen:
            starts.append(pos)
            blank_seen = False
        pos += len(line) + 1
    return cut_points(text, starts)


def newline_reference(text: str) -> list[int]:
    return cut_points(text, [i + 1 for i, c in enumerate(text) if c == "\n"])


REFERENCES = {("sentence", "pysbd"): pysbd_reference, ("sentence", "spacy"): spacy_reference,
              ("paragraph", "blankline"): blankline_reference, ("line", "newline"): newline_reference}


@pytest.mark.parametrize("level,engine", list(REFERENCES), ids=[e for _, e in REFERENCES])
def test_engine_proposes_its_references_starts_on_the_fixtures(level, engine):
    seg, reference = get_segmenter(level, engine), REFERENCES[level, engine]
    placed = 0
    for name, text in FIXTURE_TEXTS:
        want = reference(text)
        assert proposed(seg, text) == want, name
        placed += len(want)
    assert placed >= 10  # the fixtures make each engine cut, so an engine that never cuts fails


@pytest.mark.parametrize("level,engine", list(REFERENCES), ids=[e for _, e in REFERENCES])
def test_engine_proposes_its_references_starts_on_long_texts(level, engine):
    seg, reference = get_segmenter(level, engine), REFERENCES[level, engine]
    paths = sorted(shared_path("corpus").rglob("*.txt")) + sorted(shared_path("corpus").rglob("*.md"))
    assert paths
    for path in paths:
        text = path.read_bytes().decode("utf-8")
        if level == "sentence":  # pysbd is slow (and run twice here): a shorter slice, still many pieces
            size = PYSBD_SLICE_CHARS if engine == "pysbd" else SLICE_CHARS
            text = text[len(text) // 2: len(text) // 2 + size]
        assert proposed(seg, text) == reference(text), path.name


def gold_f1(seg, docs: list[tuple[str, list[int]]]) -> float:
    """Micro boundary F1 of an engine's cuts against gold starts (the first excepted)."""
    tp = fp = fn = 0
    for text, gold_starts in docs:
        gold, pred = set(cut_points(text, gold_starts)), set(proposed(seg, text))
        tp, fp, fn = tp + len(gold & pred), fp + len(pred - gold), fn + len(gold - pred)
    return 2 * tp / max(1, 2 * tp + fp + fn)


def case_docs() -> list[tuple[str, list[int]]]:
    out = []
    for case in CASES:
        joiner = case.get("joiner", " ")
        starts, pos = [], 0
        for sentence in case["sentences"]:
            starts.append(pos)
            pos += len(sentence) + len(joiner)
        out.append((joiner.join(case["sentences"]), starts))
    return out


@pytest.mark.parametrize("engine,floor", [("learned", 1.0), ("learned-cascade", 1.0), ("rules", 1.0), ("pysbd", 0.85),
                                          ("spacy", 0.75)])
def test_sentence_engine_finds_the_fixture_cases_gold(engine, floor):
    assert gold_f1(get_segmenter("sentence", engine), case_docs()) >= floor


# Sanity floors well below each engine's DEV scores (docs/sentences.md), over all
# sentence-level DEV files together: an engine that proposes wrong offsets scores
# near 0. These are not accuracy targets.
@pytest.mark.parametrize("engine,floor", [("learned", 0.95), ("learned-cascade", 0.95), ("rules", 0.8), ("pysbd", 0.7),
                                          ("spacy", 0.65)])
def test_sentence_engine_finds_dev_gold(engine, floor):
    seg = get_segmenter("sentence", engine)
    files = [p for p in sorted(shared_path("sentences").glob("*.dev.jsonl")) if "paragraphs" not in p.name]
    docs = [(d["text"], [s for s, _ in d["segments"]]) for path in files for d in read_jsonl(path)]
    if engine in ("pysbd", "spacy"):  # the slow engines: the 1,381 documents under 20,000 characters (1.7 MB)
        docs = [(t, g) for t, g in docs if len(t) < 20_000]
    assert len(docs) > 1000
    assert gold_f1(seg, docs) >= floor


@pytest.mark.parametrize("engine", ["layout", "blankline"])
def test_paragraph_engine_finds_dev_gold(engine):
    seg = get_segmenter("paragraph", engine)
    for path in sorted(shared_path("sentences").glob("*paragraphs.dev.jsonl")):
        docs = [(d["text"], [s for s, _ in d["segments"]]) for d in read_jsonl(path)]
        assert gold_f1(seg, docs) >= 0.99, path.name


class RandomStarts:
    """A deliberately wrong engine: random offsets, out of range, duplicated, unsorted, on spaces."""
    name, kind = "random", "sentence"

    def __init__(self, seed: int):
        self.rng = random.Random(seed)

    def starts(self, text: str) -> list[int]:
        return [self.rng.randint(-3, len(text) + 3) for _ in range(self.rng.randint(0, 40))]


def test_tile_makes_any_proposal_lossless():
    """The one test of tiling itself: whatever an engine proposes, the units tile the text."""
    texts = [text for _, text in FIXTURE_TEXTS] + ["", " ", "\n\n", "a", "😀 x. \u3000y"]
    for seed in range(50):
        for k, text in enumerate(texts):
            units = segment_document(Document(f"d{k}", text), RandomStarts(seed))
            if text:
                assert_tiles(text, units)
            for unit in units[1:]:
                assert not unit["text"][:1].isspace()


def test_pysbd_changes_are_mapped_back_character_for_character():
    """pysbd drops whitespace and, in some inputs, punctuation; units are still its sentences."""
    seg = get_segmenter("sentence", "pysbd")
    import pysbd
    own = pysbd.Segmenter(language="en", clean=False)
    text = "He said\u00a0so.  \r\n\r\nThen   he left.\tOK?   Fine!!  \"Really.\"  Yes."
    units = segment_document(Document("x", text), seg)
    assert [u["text"].strip() for u in units] == [s.strip() for s in own.segment(text)]
    # pysbd drops the "?!" after "No." here; its sentences still start each unit, in order
    text = "e.g.No. ?!\nU.S.)(( x\nWhy? e.g. ...\n*\r\n\n!!"
    sentences = [s.strip() for s in own.segment(text)]
    units = segment_document(Document("y", text), seg)
    assert_tiles(text, units)
    assert len(units) == len(sentences) == 6
    for unit, sentence in zip(units, sentences):
        assert unit["text"].startswith(sentence), (unit["text"], sentence)
