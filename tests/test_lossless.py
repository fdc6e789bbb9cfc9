"""Every sentence/paragraph/line engine tiles every document it is given.

On the suite's own fixtures always; on all of ../shared/data/sentences and on the long
texts of ../shared/data/corpus when the shared data is here.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import FIXTURES, assert_tiles, read_jsonl, shared_path
from seamline.pipeline import segment_document
from seamline.records import Document
from seamline.segmenters import REGISTRY, get_segmenter

BASIC_ENGINES = [("sentence", "learned"), ("sentence", "rules"), ("sentence", "pysbd"), ("sentence", "spacy"),
                 ("paragraph", "blankline"), ("line", "newline")]
# pysbd is slow on long inputs (about 100 kB/s here even in bounded pieces), so the
# wrapped engines get a slice of each long text and the fast ones get all of it.
SLOW_ENGINES = {"pysbd", "spacy"}
SLICE_CHARS = 200_000


def segmenter(level: str, engine: str):
    return get_segmenter(level, engine)


def check_doc(seg, doc_id: str, text: str) -> None:
    units = segment_document(Document(doc_id, text), seg)
    assert_tiles(text, units)
    for unit in units[1:]:
        assert not unit["text"][:1].isspace(), f"{doc_id}: unit {unit['seq']} starts with whitespace"


@pytest.mark.parametrize("level,engine", BASIC_ENGINES)
def test_fixtures_tile(level, engine):
    seg = segmenter(level, engine)
    for doc in read_jsonl(FIXTURES / "stream" / "mini.jsonl"):
        check_doc(seg, doc["id"], doc["text"])


def sentence_files() -> list[Path]:
    return sorted(shared_path("sentences").glob("*.jsonl"))


@pytest.mark.parametrize("level,engine", BASIC_ENGINES)
def test_every_sentence_dev_file_tiles(level, engine):
    seg = segmenter(level, engine)
    files = sentence_files()
    assert files
    for path in files:
        for doc in read_jsonl(path):
            check_doc(seg, f"{path.name}:{doc['id']}", doc["text"])


@pytest.mark.parametrize("level,engine", BASIC_ENGINES)
def test_long_corpus_texts_tile(level, engine):
    seg = segmenter(level, engine)
    paths = sorted(shared_path("corpus").rglob("*.txt")) + sorted(shared_path("corpus").rglob("*.md"))
    assert paths
    for path in paths:
        text = path.read_bytes().decode("utf-8")
        if engine in SLOW_ENGINES:
            text = text[len(text) // 2: len(text) // 2 + SLICE_CHARS]
        check_doc(seg, path.name, text)



def test_pysbd_changes_are_mapped_back():
    """pysbd drops or rewrites characters in some inputs; units must still be exact slices."""
    text = "He said\u00a0so.  \r\n\r\nThen   he left.\tOK?   Fine!!  \"Really.\"  Yes."
    seg = segmenter("sentence", "pysbd")
    units = segment_document(Document("x", text), seg)
    assert_tiles(text, units)
    assert len(units) >= 4
