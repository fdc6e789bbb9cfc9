"""Legal segmenter and chunker on the DEV data (boundary F1 targets) and on a real PDF."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import FIXTURES, assert_tiles, read_jsonl, records, run_cli, shared_path
from test_formats_pdfmaker import legal_pdf
from seamline.evaluation.boundaries import char_boundaries
from seamline.legal import provision_spans



def boundaries(text: str, spans) -> set[int]:
    """Where segments start (first non-whitespace character), the first excepted: seamline eval's rule."""
    return set(char_boundaries(text, [start for start, _ in spans]))


def boundary_f1(name: str, level: str | None) -> float:
    tp = fp = fn = 0
    for doc in read_jsonl(shared_path("legal", f"{name}.dev.jsonl")):
        gold = boundaries(doc["text"], doc["segments"])
        pred = boundaries(doc["text"], [(s, e) for s, e, _ in provision_spans(doc["text"], None, level)])
        tp += len(gold & pred)
        fp += len(pred - gold)
        fn += len(gold - pred)
    return 2 * tp / (2 * tp + fp + fn)


# Regression guards, not accuracy claims: the heading patterns were written against these
# DEV sets, so their scores here are in-sample. (The legal segmenter fits no parameters to
# cross-validate; an honest estimate needs gold that was not looked at, which is not here.)
@pytest.mark.parametrize("name,level,target", [("uscode_sections", "section", 0.99),
                                                ("uscode_provisions", None, 0.97),
                                                ("gdpr_articles", "article", 0.99)])
def test_regression_guard_in_sample_boundary_f1(name, level, target):
    assert boundary_f1(name, level) >= target


def test_paths_name_the_chapter_and_section_in_the_us_code():
    doc = read_jsonl(shared_path("legal", "uscode_sections.dev.jsonl"))[0]
    spans = provision_spans(doc["text"], None, "section")
    labels = [fields["path"][-1] for _, _, fields in spans]
    assert labels[0] == f"Chapter {doc['meta']['chapter']}"
    assert labels[1] == "§ 1"
    assert all(fields["path"][0] == labels[0] for _, _, fields in spans)


def test_gdpr_labels_match_the_gold_labels():
    for doc in read_jsonl(shared_path("legal", "gdpr_articles.dev.jsonl")):
        spans = provision_spans(doc["text"], None, "article")
        got = [fields["path"][-1].replace("Chapter", "CHAPTER") for _, _, fields in spans]
        assert got == doc["meta"]["labels"]


def fixture_pdf(folder: Path) -> tuple[str, str]:
    """The statute and regulation fixtures set as a two-page PDF (bold headings, running header)."""
    paragraphs = [line for name in ("statute.txt", "regulation.txt")
                  for line in (FIXTURES / "legal" / name).read_text(encoding="utf-8").splitlines() if line.strip()]
    path = folder / "legal.pdf"
    path.write_bytes(legal_pdf(paragraphs, per_page=20))
    return str(path), "§ 39.13"


@pytest.mark.parametrize("source", ["fixture", "federal_register"])
def test_pdf_segments_and_chunks(source, tmp_path):
    if source == "fixture":
        pdf, section = fixture_pdf(tmp_path)
    else:
        pdf, section = str(shared_path("pdf", "federal_register_2020_17221.pdf")), "§ 39.13"
    seg = run_cli("segment", "--by", "legal", pdf, check=True)
    units = records(seg.stdout)
    text = "".join(u["text"] for u in units)
    assert_tiles(text, units)
    assert all(u["path"] for u in units)
    assert any(u["level"] == "section" and u["path"][-1] == section for u in units)
    chunks = records(run_cli("chunk", "--strategy", "legal", "--max-tokens", "200", "--with-headings",
                             stdin=seg.stdout, check=True).stdout)
    assert_tiles(text, chunks)
    assert max(c["tokens"] for c in chunks) <= 200
    if source == "fixture":  # the provisions under § 39.13 carry it in their path, with the Part above it
        inside = next(u for u in units if u["text"].startswith("(a) Affected products"))
        assert inside["path"][-2:] == [section, "(a)"] and "Part 39" in inside["path"], inside["path"]


def test_cli_on_us_code_jsonl():
    docs = read_jsonl(shared_path("legal", "uscode_provisions.dev.jsonl"))[:3]
    payload = "".join(json.dumps({"id": d["id"], "text": d["text"]}) + "\n" for d in docs)
    units = records(run_cli("segment", "--by", "legal", stdin=payload, check=True).stdout)
    for doc in docs:
        assert_tiles(doc["text"], [u for u in units if u["doc"] == doc["id"]])
