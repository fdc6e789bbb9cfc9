"""The PDF reader on PDFs written by the tests and on the real PDFs in ../shared/data/pdf."""
from __future__ import annotations

import json
import re

import pytest
from conftest import FIXTURES, assert_tiles, records, run_cli, shared_path
from test_formats_pdfmaker import _wrap, make_pdf, three_column_pages, two_column_paper

from seamline.errors import InputError
from seamline.formats.pdf import read_pdf


@pytest.fixture(scope="module")
def paper(tmp_path_factory):
    path = tmp_path_factory.mktemp("pdf") / "paper.pdf"
    path.write_bytes(two_column_paper(2))
    return path


@pytest.fixture(scope="module")
def paper_doc(paper):
    return read_pdf(str(paper)).value


def test_two_columns_read_left_then_right(paper_doc):
    text = paper_doc["text"]
    page_one = text[slice(*paper_doc["meta"]["pages"][0])]
    last_left = page_one.index("margin of the left column")
    first_right = page_one.index("The right column continues")
    assert page_one.index("Sentence boundaries matter") < last_left < first_right
    # no line mixes the two columns
    for line in page_one.splitlines():
        assert not ("retrieval system" in line and "with more sentences" in line)


def test_running_header_and_page_numbers_are_out_of_the_text_and_in_meta(paper_doc):
    text = paper_doc["text"]
    assert "Journal of Layout Studies" not in text
    assert not re.search(r"(^|\n)\s*[12]\s*(\n|$)", text)
    removed = paper_doc["meta"]["removed"]
    assert {(r["page"], r["kind"]) for r in removed} == {(1, "running"), (1, "page_number"),
                                                        (2, "running"), (2, "page_number")}
    assert all(r["text"] in ("Journal of Layout Studies, Volume 7", "1", "2") for r in removed)
    # the body's first line repeats on both pages but is not taken for a running header
    assert text.count("Sentence boundaries matter for every") == 2


def test_hyphen_at_line_end_is_joined_and_recorded(paper_doc):
    text = paper_doc["text"]
    assert "joins segmentation\n" in text
    assert "segmen-" not in text
    offsets = paper_doc["meta"]["hyphens"]
    assert text[offsets[0] - 6:offsets[0] + 6] == "segmentation"


def test_pages_meta_gives_character_ranges(paper_doc):
    text = paper_doc["text"]
    (a, b), (c, d) = paper_doc["meta"]["pages"]
    assert a == 0 and d == len(text) and b < c
    assert text[b:c] == "\n\f"
    assert "1 Introduction" in text[a:b] and "2 Further Work" in text[c:d]


def test_bold_headings_become_unit_paths(paper):
    units = records(run_cli("segment", str(paper), "--meta", "first", check=True).stdout)
    doc = read_pdf(str(paper)).value
    assert_tiles(doc["text"], units)
    heads = [u for u in units if u["text"].strip() in ("1 Introduction", "2 Further Work")]
    assert len(heads) == 2  # each heading starts a unit of its own
    later = [u for u in units if u["start"] > heads[1]["start"]]
    assert later and all(u["path"] == ["2 Further Work"] for u in later)
    assert units[1]["path"] == ["1 Introduction"]
    assert units[0]["meta"]["pages"] == doc["meta"]["pages"]
    # with --meta first, later units carry only their own page span, not the document's meta
    assert units[1]["meta"] == {"page_span": [1, 1]}
    assert units[-1]["meta"]["page_span"][1] == len(doc["meta"]["pages"])


def test_encrypted_pdf_is_a_one_line_error(tmp_path):
    path = tmp_path / "locked.pdf"
    path.write_bytes(make_pdf([[(50, 700, 10, "F1", "secret text")]], encrypted=True))
    proc = run_cli("segment", str(path))
    assert proc.returncode == 1 and proc.stdout == b""
    message = proc.stderr.decode()
    assert "locked.pdf" in message and "encrypted" in message and message.count("\n") == 1


def test_image_only_pdf_says_ocr_is_not_done(tmp_path):
    path = tmp_path / "scan.pdf"
    path.write_bytes(make_pdf([[]], image=True))
    proc = run_cli("segment", str(path))
    assert proc.returncode == 1
    message = proc.stderr.decode()
    assert "scan.pdf" in message and "OCR" in message and "Traceback" not in message


def test_damaged_pdf_names_the_file(tmp_path):
    path = tmp_path / "cut.pdf"
    path.write_bytes(two_column_paper(1)[:300])
    with pytest.raises(InputError) as err:
        read_pdf(str(path))
    assert "cut.pdf" in str(err.value)
    proc = run_cli("segment", str(path))
    assert proc.returncode == 1 and b"cut.pdf" in proc.stderr and b"Traceback" not in proc.stderr


def test_pdf_from_standard_input(paper):
    proc = run_cli("segment", "--from", "pdf", "-", stdin=paper.read_bytes(), check=True)
    units = records(proc.stdout)
    assert units[0]["doc"] == "<stdin>" and "Introduction" in units[0]["text"]


def test_three_columns_read_down_each_column(tmp_path):
    """Three columns a page, different paragraphs on each page: page by page, column by column."""
    corpus = [p.strip() for p in (FIXTURES / "topics" / "lda" / "corpus.txt").read_text().split("\n\n") if p.strip()]
    pages = [[[corpus[(p * 9 + c * 3 + i) % len(corpus)] for i in range(3)] for c in range(3)] for p in range(3)]
    path = tmp_path / "three.pdf"
    path.write_bytes(three_column_pages(pages))
    doc = read_pdf(str(path)).value
    text = doc["text"]
    for number, columns in enumerate(pages, 1):
        page = text[slice(*doc["meta"]["pages"][number - 1])]
        pos = 0
        for paragraph in (p for column in columns for p in column):
            found = page.find("\n".join(_wrap(paragraph, 34)), pos)  # whole, lines in order, after the one before
            assert found >= pos, (number, paragraph[:40])
            pos = found
    assert "Example Register" not in text
    assert sorted((r["page"], r["kind"]) for r in doc["meta"]["removed"]) == [
        (n, kind) for n in (1, 2, 3) for kind in ("page_number", "running")]


# ---------------------------------------------------------------- real PDFs

def shared_pdfs():
    return sorted(shared_path("pdf").glob("*.pdf"))


@pytest.fixture(scope="module")
def converted():
    """Each shared PDF read once for the tests below."""
    return {pdf.name: read_pdf(str(pdf)).value for pdf in shared_pdfs()}


def test_every_shared_pdf_converts_and_tiles(converted):
    for pdf in shared_pdfs():
        doc = converted[pdf.name]
        text, meta = doc["text"], doc["meta"]
        assert text.strip(), pdf.name
        pages = meta["pages"]
        assert pages[0][0] == 0 and pages[-1][1] == len(text)
        assert all(a <= b for a, b in pages) and all(b <= c for (_, b), (c, _) in zip(pages, pages[1:]))
        for h in meta["headings"]:
            assert text[h["start"]:h["end"]].split()[0] == h["title"].split()[0], (pdf.name, h)


def test_shared_pdfs_through_the_cli_in_one_batch():
    folder = shared_path("pdf")
    proc = run_cli("segment", "-j", "2", "--meta", "first", str(folder), check=True)
    units = records(proc.stdout)
    docs = {}
    for u in units:
        docs.setdefault(u["doc"], []).append(u)
    assert sorted(docs) == sorted(str(p) for p in shared_pdfs())
    for name, us in docs.items():
        assert_tiles("".join(u["text"] for u in us), us)


def test_page_count_matches_the_manifest(converted):
    manifest = {m["file"]: m.get("pages") for m in json.loads(shared_path("pdf", "manifest.json").read_text())}
    for pdf in shared_pdfs():
        if manifest.get(pdf.name):
            assert len(converted[pdf.name]["meta"]["pages"]) == manifest[pdf.name], pdf.name


def test_three_column_federal_register_reads_down_each_column(converted):
    doc = converted["federal_register_2020_17221.pdf"]
    text = doc["text"]
    # the first column's opening paragraph, whole and in order
    assert ("This section of the FEDERAL REGISTER\ncontains notices to the public of the proposed\n"
            "issuance of rules and regulations.") in text
    assert "Federal Register / Vol. 85" not in text
    running = [r for r in doc["meta"]["removed"] if r["kind"] == "running"]
    assert len({r["page"] for r in running}) >= 14  # 15 pages, each with its running header or footer


def test_two_column_paper_headings_against_its_sidecar():
    pdf = shared_path("pdf", "alea_legal_sentence_paper.pdf")
    sidecar = json.loads(pdf.with_suffix(".structure.json").read_text())["headings"]
    units = records(run_cli("segment", str(pdf), "--meta", "none", check=True).stdout)
    starts = [_letters(u["text"]) for u in units]
    hits = sum(1 for h in sidecar if any(s.startswith(_letters(h["title"])) for s in starts))
    assert hits / len(sidecar) >= 0.85, (hits, len(sidecar))
    intro = next(u for u in units if u["text"].startswith("Accurate sentence boundary detection"))
    assert intro["path"][-1] == "I. INTRODUCTION"
    # words that were hyphenated at the line end of a column come back whole
    text = "".join(u["text"] for u in units)
    assert "Ourexperimental" not in text and "Our experimental evaluation" in text


def _letters(s: str) -> str:
    """Compare headings by their letters: section numbers and spacing differ between PDF and source."""
    s = re.sub(r"^\s*(\d+(\.\d+)*\.?|[IVX]+\.|[A-Z]\.)\s+", "", s)
    return "".join(c for c in s.lower() if c.isalnum())[:60]

