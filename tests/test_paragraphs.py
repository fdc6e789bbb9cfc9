"""Paragraph engines: layout (hard-wrapped text, indents, lists) and blank lines."""
from __future__ import annotations

from conftest import FIXTURES, assert_tiles, read_jsonl, records, run_cli, shared_path, to_jsonl

from seamline.segmenters import get_segmenter, tile
from seamline.segmenters.layout import LayoutParagraphs


def paragraphs(text: str, engine=None) -> list[str]:
    engine = engine or LayoutParagraphs()
    return [text[s:e].strip() for s, e in tile(text, engine.starts(text))]


def test_hard_wrapped_fixture_gives_paragraphs_not_lines():
    text = (FIXTURES / "sentences" / "hard_wrapped.txt").read_text()
    got = paragraphs(text)
    assert [p.split("\n")[0][:20] for p in got] == [
        "THE GRASSHOPPER AND ", "In a field one summe", "\"Why not come and ch", "\"I am helping to lay",
        "- It is best to prep", "- Work first, play l"]


def test_one_paragraph_per_line_text_splits_at_every_line():
    text = "First paragraph is one long line.\nSecond one is too.\nThird.\nFourth here.\n"
    assert paragraphs(text) == ["First paragraph is one long line.", "Second one is too.", "Third.", "Fourth here."]


def test_blank_lines_always_split_and_blankline_engine_only_there():
    text = "a b c\nd e f\n\ng h i\n"
    assert paragraphs(text, get_segmenter("paragraph", "blankline")) == ["a b c\nd e f", "g h i"]
    assert paragraphs(text)[-1] == "g h i"


def test_layout_is_the_default_and_tiles_through_the_cli():
    text = (FIXTURES / "sentences" / "hard_wrapped.txt").read_text()
    proc = run_cli("segment", "--by", "paragraph", stdin=to_jsonl([{"id": "f", "text": text}]), check=True)
    units = records(proc.stdout)
    assert_tiles(text, units)
    assert len(units) == 6 and units[0]["kind"] == "paragraph"


def test_ud_paragraph_sets_are_exact():
    for name in ["ud_en_ewt_paragraphs", "ud_en_gum_paragraphs"]:
        for doc in read_jsonl(shared_path("sentences", f"{name}.dev.jsonl")):
            pred = [s for s, _ in tile(doc["text"], LayoutParagraphs().starts(doc["text"]))[1:]]
            assert pred == [s for s, _ in doc["segments"][1:]], doc["id"]
