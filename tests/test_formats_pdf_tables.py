"""PDF tables read as units of their own: real ruled tables found, prose and frames left alone."""
from __future__ import annotations

import pytest
from conftest import FIXTURES, assert_tiles, records, run_cli, shared_path

from seamline.formats.pdf import read_pdf

FUELCELL = FIXTURES / "formats" / "cuad_fuelcell_jda.pdf"


def tables(doc: dict) -> list[tuple[dict, str]]:
    return [(b, doc["text"][b["start"]:b["end"]]) for b in doc["meta"].get("blocks", []) if b["kind"] == "table"]


def test_tables_without_rules_are_read_with_their_header_and_frames_are_not_tables():
    """The ALEA paper: four tables of figures drawn without rules are read; pdfplumber's ruled candidates
    there (a one-column box, a figure's frame holding two labels) are not tables, nor is Table III, whose
    dataset names span rows (its rows do not line up), nor the paper's two columns of text."""
    doc = read_pdf(str(shared_path("pdf", "alea_legal_sentence_paper.pdf"))).value
    found = tables(doc)
    assert [(b["page"], b["rows"], b["columns"]) for b, _ in found] == [(4, 9, 5), (7, 9, 5), (8, 6, 5), (9, 5, 5)]
    first = found[0][1].split("\n")
    # a header wrapped over two lines is gathered by column
    assert first[0] == "Model | Precision | F1 | Throughput (chars/sec) | Memory (MB)"
    assert first[1:3] == ["NUPunkt | 0.911 | 0.725 | 10M | 432", "CharBoundary (L) | 0.763 | 0.782 | 518K | 5,734"]
    assert doc["text"].count("CharBoundary (L) | 0.763") == 1 and "0.763 0.782" not in doc["text"]
    assert found[2][1].startswith("Dataset | Examples | Sentences | Avg. Sentences/Doc | Avg. Sentence Length\n")


@pytest.fixture(scope="module")
def fuelcell():
    return read_pdf(str(FUELCELL)).value


def test_contract_budget_table_is_one_block_read_row_by_row(fuelcell):
    found = tables(fuelcell)
    assert len(found) == 1
    block, text = found[0]
    assert (block["page"], block["rows"], block["columns"]) == (32, 5, 5)
    rows = text.split("\n")
    assert rows[0] == "Task | 1A | 1B | 1C | …."
    assert [r.split(" | ")[0] for r in rows[1:]] == ["N u m b e r o f FTEs", "FTE Cost", "Direct Costs", "TOTAL"]
    # the table's words are in the text once, where the table is, not also line by line around it
    a, b = fuelcell["meta"]["pages"][31]
    page = fuelcell["text"][a:b]
    assert page.count("1B") == 1 and page.count("Direct Costs") == 1
    assert page.index("4. PROJECT BUDGET") < block["start"] - a < page.index("5. DELIVERABLES")


def test_ruled_tables_in_shared_pdfs_are_found():
    word = read_pdf(str(shared_path("pdf", "tagged_word365_structure.pdf"))).value
    (block, text), = tables(word)
    # the grid's empty spacer columns are left out
    assert text == "En-tête 1 | En-tête 2 | En-tête 3\nLigne 1 | Alouette | Farfadet\nLinge 2 | Belette | Bibitte"
    assert word["text"].count("Alouette") == 1
    smpc = read_pdf(str(shared_path("pdf", "table_curves_smpc.pdf"))).value
    (block, text), = tables(smpc)
    assert block["rows"] == 33 and block["columns"] == 4
    assert "\nAnaemia | Common | Common | Common\n" in text
    assert text.startswith("System organ class | Prevention of VTE in adult patients")


@pytest.mark.parametrize("name", [
    "cuad_CnsPharmaceuticalsInc_20200326_8_K_EX_10_1_12079626_EX_10_1_.pdf",
    "cuad_HealthcentralCom_19991108_S_1A_EX_10_27_6623292_EX_10_27_Co_.pdf",
    "cuad_RaeSystemsInc_20001114_10_Q_EX_10_57_2631790_EX_10_57_Co_Bra.pdf",
    # pdfplumber's find_tables sees a form's ruled boxes here: none of them is a table
    "wi_dcf_90day_report_milw.pdf",
    "scotus_transcript_p1.pdf",
])
def test_prose_pages_and_frames_give_no_table(name):
    doc = read_pdf(str(shared_path("pdf", name))).value
    assert tables(doc) == []


def test_segment_makes_each_table_one_unit_of_kind_table_and_tiles(tmp_path):
    proc = run_cli("segment", "--meta", "first", str(shared_path("pdf", "grasshopper_fable.pdf")), check=True)
    units = records(proc.stdout)
    text = "".join(u["text"] for u in units)
    assert_tiles(text, units)
    table_units = [u for u in units if u["kind"] == "table"]
    assert [u["text"].rstrip() for u in table_units] == [
        "Header | Header | Header\n" + "\n".join(["Cell | Cell | Cell"] * 4),
        "Cell | Cell | Cell\nCell | Cell | Cell",
        "Header | Header | Header\nCell | Cell | Cell"]
    blocks = units[0]["meta"]["blocks"]
    assert [(b["start"], b["end"]) for b in blocks] == [(u["start"], u["start"] + len(u["text"].rstrip()))
                                                        for u in table_units]


# ---------------------------------------------------------------- chunking a table

@pytest.fixture(scope="module")
def smpc_units():
    """The SmPC page: a 33-row ruled table of 562 cl100k_base tokens whose header row takes 72."""
    return run_cli("segment", str(shared_path("pdf", "table_curves_smpc.pdf")), check=True).stdout


def _count(context: str, text: str) -> int:
    from seamline.tokenizers import get_tokenizer

    tok = get_tokenizer("cl100k_base")
    return tok.count(context + "\n" + text) if context else tok.count(text)


def test_table_over_the_budget_is_cut_at_rows_and_each_piece_repeats_its_header(smpc_units):
    units = records(smpc_units)
    table, = [u for u in units if u["kind"] == "table"]
    header = table["text"].split("\n")[0]
    body = table["start"] + len(header) + 1
    chunks = records(run_cli("chunk", "--max-tokens", "200", "--tokenizer", "cl100k_base",
                             stdin=smpc_units, check=True).stdout)
    doc = "".join(u["text"] for u in units)
    assert_tiles(doc, chunks)  # the repeated header is not in any span: the chunks still tile
    pieces = [c for c in chunks if body <= c["start"] < table["end"]]
    assert len(pieces) >= 3
    for c in chunks:
        assert c["tokens"] == _count(c.get("context", ""), c["text"]) <= 200
        if c in pieces:
            assert c["context"] == header
            assert doc[c["start"] - 1] == "\n"  # cut at a row end
        else:
            assert "context" not in c
    assert sum(c["text"].count(header) for c in chunks) == 1


def test_table_that_fits_is_kept_whole_without_context(smpc_units):
    units = records(smpc_units)
    table, = [u for u in units if u["kind"] == "table"]
    chunks = records(run_cli("chunk", "--max-tokens", "600", "--tokenizer", "cl100k_base",
                             stdin=smpc_units, check=True).stdout)
    holding = [c for c in chunks if c["start"] < table["end"] and c["end"] > table["start"]]
    assert len(holding) == 1 and "context" not in holding[0]
    assert holding[0]["start"] <= table["start"] and table["end"] <= holding[0]["end"]


def test_header_row_comes_after_the_headings_with_headings():
    units = run_cli("segment", str(FUELCELL), check=True).stdout
    table, = [u for u in records(units) if u["kind"] == "table"]
    header = "Task | 1A | 1B | 1C | …."
    assert table["text"].startswith(header + "\n")
    chunks = records(run_cli("chunk", "--max-tokens", "60", "--tokenizer", "cl100k_base", "--with-headings",
                             stdin=units, check=True).stdout)
    pieces = [c for c in chunks if table["start"] + len(header) < c["start"] < table["end"]]
    assert len(pieces) >= 2
    for c in pieces:
        assert c["context"].endswith("\n" + header) and "4. PROJECT BUDGET" in c["context"]
    assert all(c["tokens"] == _count(c["context"], c["text"]) <= 60 for c in chunks)


# ---------------------------------------------------------------- HTML tables

def test_html_table_is_a_unit_of_kind_table():
    units = records(run_cli("segment", str(FIXTURES / "formats" / "article.html"), check=True).stdout)
    table, = [u for u in units if u["kind"] == "table"]
    assert table["text"].rstrip() == "Zone | Fee\nCentre | 2 EUR"


def test_html_table_cut_into_pieces_repeats_its_header(tmp_path):
    rows = "".join(f"<tr><td>Line {n}</td><td>{n * 7} EUR</td><td>{'Mon Wed Fri' if n % 2 else 'daily'}</td></tr>"
                   for n in range(1, 61))
    page = tmp_path / "fares.html"
    page.write_text("<html><body><h1>Fares</h1><p>Prices from 1 May.</p><table><caption>Bus lines</caption>"
                    f"<tr><th>Line</th><th>Fare</th><th>Runs</th></tr>{rows}</table><p>Valid one year.</p>"
                    "</body></html>", encoding="utf-8")
    units = run_cli("segment", str(page), check=True).stdout
    chunks = records(run_cli("chunk", "--max-tokens", "100", "--tokenizer", "cl100k_base", "--with-headings",
                             stdin=units, check=True).stdout)
    table, = [u for u in records(units) if u["kind"] == "table"]
    assert table["text"].startswith("Line | Fare | Runs\nLine 1 | 7 EUR | Mon Wed Fri\n")
    pieces = [c for c in chunks if table["start"] + len("Line | Fare | Runs") < c["start"] < table["end"]]
    assert len(pieces) >= 4
    assert all(c["context"] == "Fares\nLine | Fare | Runs" for c in pieces)
    assert all(c["tokens"] == _count(c["context"], c["text"]) <= 100 for c in chunks)


@pytest.mark.parametrize("strategy", ["pack", "recursive", "optimal"])
def test_with_overlap_and_other_strategies_every_chunk_inside_the_table_has_its_header(smpc_units, strategy):
    units = records(smpc_units)
    table, = [u for u in units if u["kind"] == "table"]
    header = table["text"].split("\n")[0]
    args = ["--overlap", "30"] if strategy == "pack" else []
    chunks = records(run_cli("chunk", "--strategy", strategy, "--max-tokens", "200", "--tokenizer", "cl100k_base",
                             *args, stdin=smpc_units, check=True).stdout)
    inside = [c for c in chunks if table["start"] < c["start"] < table["end"]]
    assert len(inside) >= 3
    assert all(c["context"] == header for c in inside)
    assert all(c["tokens"] == _count(c.get("context", ""), c["text"]) <= 200 for c in chunks)


@pytest.mark.parametrize("strategy", ["small", "weakest"])
def test_merge_counts_the_context_it_carries(smpc_units, strategy):
    """Merged chunks keep their first chunk's context (a table's header row, headings) within the budget."""
    chunks = run_cli("chunk", "--max-tokens", "150", "--tokenizer", "cl100k_base", stdin=smpc_units, check=True).stdout
    merged = records(run_cli("merge", "--strategy", strategy, "--max-tokens", "300", "--min-tokens", "250",
                             "--tokenizer", "cl100k_base", stdin=chunks, check=True).stdout)
    assert any(m.get("context") for m in merged)
    assert all(m["tokens"] == _count(m.get("context", ""), m["text"]) <= 300 for m in merged)
    assert_tiles("".join(u["text"] for u in records(smpc_units)), merged)
    headed = run_cli("chunk", "--max-tokens", "60", "--tokenizer", "cl100k_base", "--with-headings",
                     str(FIXTURES / "formats" / "guide.md"), check=True).stdout
    merged = records(run_cli("merge", "--strategy", strategy, "--max-tokens", "120", "--min-tokens", "100",
                             "--tokenizer", "cl100k_base", stdin=headed, check=True).stdout)
    assert all(m["tokens"] == _count(m.get("context", ""), m["text"]) <= 120 for m in merged)
