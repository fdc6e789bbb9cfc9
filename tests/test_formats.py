"""Readers and writers: text, Markdown, HTML, JSON, gzip'd JSONL, --format text, heading paths."""
from __future__ import annotations

import gzip
import json

from conftest import FIXTURES, assert_tiles, records, run_cli

from seamline.formats import format_for, read_inputs
from seamline.formats.html import html_to_text
from seamline.formats.markdown import markdown_headings, read_markdown
from seamline.streams import segment_document
from seamline.records import document_from_record
from seamline.segmenters import get_segmenter

HERE = FIXTURES / "formats"


def test_extension_picks_the_reader():
    assert format_for("a/b.MD") == "markdown"
    assert format_for("x.htm") == "html"
    assert format_for("x.jsonl.gz") == "jsonl"
    assert format_for("x.json") == "json"
    assert format_for("x.pdf") == "pdf"
    assert format_for("notes") == "text"
    assert format_for("x.txt", "markdown") == "markdown"


def test_markdown_text_is_the_file_byte_for_byte():
    item = read_markdown(str(HERE / "guide.md"))
    assert item.value["text"] == (HERE / "guide.md").read_text(encoding="utf-8")


def test_markdown_headings_skip_code_and_front_matter():
    text = (HERE / "guide.md").read_text(encoding="utf-8")
    headings = markdown_headings(text)
    assert [(h["level"], h["title"]) for h in headings] == [
        (1, "Getting started"), (2, "Options"), (2, "Usage notes"), (3, "Deep section"), (1, "Second level again")]
    for h in headings:
        assert text[h["start"]:h["end"]].lstrip("#= -\n").startswith(h["title"][:5])
    assert not any("not a heading" in h["title"] for h in headings)


def test_markdown_units_carry_heading_paths():
    proc = run_cli("segment", str(HERE / "guide.md"), check=True)
    units = records(proc.stdout)
    assert_tiles((HERE / "guide.md").read_text(encoding="utf-8"), units)
    by_text = {u["text"].strip(): u["path"] for u in units}
    assert by_text["Install the tool."] == ["Getting started"]
    assert by_text["The end of the deep section."] == ["Getting started", "Usage notes", "Deep section"]
    assert by_text["Final words here."] == ["Second level again"]
    # a heading is a unit of its own, and its path ends with itself
    assert by_text["## Options"] == ["Getting started", "Options"]


def test_html_keeps_readable_text_and_leaves_out_scripts_styles_navigation():
    markup = (HERE / "article.html").read_text(encoding="utf-8")
    text, headings, title = html_to_text(markup)
    assert title == "Rules of the Road & More"
    for gone in ("tracking", "font-family", "Home", "Menu item", "hidden", "Enable JavaScript"):
        assert gone not in text
    assert "Drivers must keep to the right. Overtaking is allowed on the left only.\n\n" in text
    assert "In towns the limit is 50\u00a0km/h." in text or "In towns the limit is 50 km/h." in text
    assert "- Cars: 130 km/h\n- Lorries: 80 km/h" in text
    assert "1. Never on a crossing.\n2. Never in front of a gate." in text
    assert "Emergency vehicles are exempt.\nPolice cars too." in text
    assert "Centre | 2 EUR" in text
    assert "  code   keeps   its spacing" in text  # <pre> keeps its spaces
    assert [(h["level"], h["title"]) for h in headings] == [
        (1, "Rules of the Road"), (2, "Speed limits"), (3, "Exceptions"), (2, "Parking")]
    for h in headings:
        assert text[h["start"]:h["end"]] == h["title"]


def test_html_entities_unclosed_tags_and_declared_charset(tmp_path):
    page = tmp_path / "old.html"
    page.write_bytes('<meta charset="iso-8859-1"><p>caf\xe9 &lt;b&gt; &#8364;<p>second<div>third'.encode("latin-1"))
    units = records(run_cli("segment", "--by", "paragraph", str(page), check=True).stdout)
    text = "".join(u["text"] for u in units)
    assert text == "caf\u00e9 <b> \u20ac\n\nsecond\n\nthird\n"
    assert len(units) == 3


def test_html_units_tile_and_carry_paths():
    units = records(run_cli("segment", str(HERE / "article.html"), check=True).stdout)
    doc = "".join(u["text"] for u in units)
    assert_tiles(doc, units)
    paths = {u["text"].strip(): u["path"] for u in units}
    assert paths["Emergency vehicles are exempt."] == ["Rules of the Road", "Speed limits", "Exceptions"]
    assert paths["Never on a crossing."] == ["Rules of the Road", "Parking"] or \
        any(p == ["Rules of the Road", "Parking"] for t, p in paths.items() if "crossing" in t)


def test_json_and_gzipped_jsonl_inputs(tmp_path):
    docs = [{"id": "a", "text": "One. Two."}, {"id": "b", "text": "Three."}]
    single = tmp_path / "one.json"
    single.write_text(json.dumps(docs[0]), encoding="utf-8")
    many = tmp_path / "many.json"
    many.write_text(json.dumps(docs), encoding="utf-8")
    packed = tmp_path / "docs.jsonl.gz"
    with gzip.open(packed, "wt", encoding="utf-8") as f:
        f.write("".join(json.dumps(d) + "\n" for d in docs))
    for path, want in ((single, ["a"]), (many, ["a", "b"]), (packed, ["a", "b"])):
        units = records(run_cli("segment", str(path), check=True).stdout)
        assert sorted({u["doc"] for u in units}) == want
    assert [i.value["id"] for i in read_inputs([str(packed)])] == ["a", "b"]


def test_format_text_writes_one_unit_a_line():
    doc = "First line\nof a sentence. Second one.\n\nA third."
    proc = run_cli("segment", "--format", "text", stdin=json.dumps({"id": "d", "text": doc}) + "\n", check=True)
    assert proc.stdout.decode().splitlines() == ["First line of a sentence.", "Second one.", "A third."]
    bad = run_cli("segment", "--format", "xml", stdin="")
    assert bad.returncode == 2 and b"--format" in bad.stderr


def test_headings_in_user_meta_that_are_not_ours_are_left_alone():
    segmenter = get_segmenter("sentence")
    doc = document_from_record({"id": "u", "text": "Alpha beta. Gamma delta.", "meta": {"headings": ["Intro", "Body"]}}, None, None)
    units = segment_document(doc, segmenter)
    assert all("path" not in u for u in units)
    assert [u["text"] for u in units] == ["Alpha beta. ", "Gamma delta."]


def test_heading_path_hook_cuts_at_headings_and_keeps_tiling():
    text = "Title line\nBody text without a stop\nmore body. Next."
    meta = {"headings": [{"start": 0, "end": 10, "level": 1, "title": "Title line"}]}
    doc = document_from_record({"id": "h", "text": text, "meta": meta}, None, None)
    units = segment_document(doc, get_segmenter("sentence"), "none")
    assert_tiles(text, units)
    assert units[0]["text"] == "Title line\n"
    assert all(u["path"] == ["Title line"] for u in units)
    assert list(units[0])[:7] == ["doc", "seq", "kind", "start", "end", "text", "path"]
