"""Totals, blanks to fill in and signature blocks are no headings (the CUAD FuelCell contract PDF)."""
from __future__ import annotations

import re

import pytest
from conftest import FIXTURES, records, run_cli

from seamline.formats.pdf import read_pdf
from seamline.legal.patterns import form_or_signature

FUELCELL = FIXTURES / "formats" / "cuad_fuelcell_jda.pdf"
NOT_HEADINGS = re.compile(r"^(TOTAL|By:|Name:|Title:|Date:|FCE: _|ACCEPTED AND AGREED|"
                          r"FUELCELL ENERGY, INC\. EXXONMOBIL|EXXONMOBIL RESEARCH AND ENGINEERING COMPANY$)")


def test_pdf_reader_takes_no_total_or_signature_line_for_a_heading():
    doc = read_pdf(str(FUELCELL)).value
    titles = [h["title"] for h in doc["meta"]["headings"]]
    assert not [t for t in titles if NOT_HEADINGS.match(t)]
    # the signature pages are still read, and the headings around them kept
    assert "By: /s/ Jason B. Few" in doc["text"] and "ACCEPTED AND AGREED TO:" in doc["text"]
    assert {"APPENDIX A - DEFINITIONS", "APPENDIX B - SAMPLE PROJECT DESCRIPTION FORMAT", "4. PROJECT BUDGET",
            "20.12 Execution."} <= set(titles)


@pytest.fixture(scope="module")
def legal_units():
    return records(run_cli("segment", "--by", "legal", str(FUELCELL), check=True).stdout)


def test_legal_segmenter_takes_no_table_row_blank_or_signatory_for_a_heading(legal_units):
    headings = [u["heading"] for u in legal_units if u.get("heading") and u["level"] not in ("text", "preamble")]
    assert not [h for h in headings if NOT_HEADINGS.match(h)]
    # after the last numbered item of Appendix B: the letter's close and both signature blocks, no heading
    tail = [u for u in legal_units if u["start"] > next(u["start"] for u in legal_units
                                                          if u.get("heading") == "5. DELIVERABLES:")]
    assert all(u["level"] == "text" and u["path"] == ["Appendix B", "5. DELIVERABLES:"] for u in tail)
    # the budget table stays one unit under its heading, its TOTAL row inside it
    budget = [u for u in legal_units if u["text"].startswith("Task | 1A | 1B")]
    assert len(budget) == 1 and "\nTOTAL |" in budget[0]["text"]
    assert budget[0]["path"] == ["Appendix B", "4. PROJECT BUDGET"]
    # the parties' names over their signatures on page 25 go with 20.12, not a heading of their own
    signed = next(u for u in legal_units if u["text"].startswith("FUELCELL ENERGY, INC. EXXONMOBIL"))
    assert signed["level"] == "text" and signed["path"] == ["Article 20", "20.12"]


@pytest.mark.parametrize("line, expected", [
    ("TOTAL", True), ("TOTAL:", True), ("Subtotal: $ 40", True), ("TOTAL |  |  |  |", True),
    ("FCE: ______________________", True), ("By: /s/ Vijay Swarup", True), ("Name:", True), ("Title: VP R&D", True),
    ("ACCEPTED AND AGREED TO:", True), ("Total Return Swaps", False), ("DEFINITIONS", False),
    ("ARTICLE 4 - DISCLOSURE", False), ("Name of the Program", False)])
def test_form_and_signature_lines(line, expected):
    assert form_or_signature(line) is expected
