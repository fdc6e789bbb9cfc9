"""Readers on real documents: contract PDFs filed with the SEC (CUAD), web pages, READMEs.

`fixtures/formats/cuad_fuelcell_jda.pdf` is the FuelCell Energy / ExxonMobil
joint development agreement from CUAD v1 (CC-BY-4.0, The Atticus Project),
copied byte for byte from maastrichtlawtech/law3027-advanced-legal-analytics
(data/CUAD_v1/full_contract_pdf/Part_I/Development/, commit 77c8f5a). Its pages
are shrunk onto a larger sheet: each "Page N of 31" sits just under the body
text, far from the sheet's edge, and the sheet's own footer ("Source: ...")
comes below it.
"""
from __future__ import annotations

import json
import re

import pytest
from conftest import FIXTURES, read_jsonl, records, run_cli, shared_path

from seamline.formats.pdf import read_pdf

FUELCELL = FIXTURES / "formats" / "cuad_fuelcell_jda.pdf"
CNS = "cuad_CnsPharmaceuticalsInc_20200326_8_K_EX_10_1_12079626_EX_10_1_.pdf"


@pytest.fixture(scope="module")
def fuelcell():
    return read_pdf(str(FUELCELL)).value


@pytest.fixture(scope="module")
def cns():
    return read_pdf(str(shared_path("pdf", CNS))).value


def test_page_n_of_31_footers_are_out_of_the_text_and_listed(fuelcell):
    text = fuelcell["text"]
    assert not re.search(r"Page \d+ of 31", text)
    numbers = [r for r in fuelcell["meta"]["removed"] if r["kind"] == "page_number"]
    assert [r["text"] for r in numbers] == [f"Page {n} of 31" for n in range(1, 32)]
    assert all(r["where"] == "footer" for r in numbers)
    # the footer no longer joins the next page's first paragraph
    assert "\u2022 report to the SC on the progress of technical activities" in text
    assert not re.search(r"of 31\s*\u2022", text)


def test_bare_page_numbers_above_the_sheet_footer_are_removed(cns):
    removed = cns["meta"]["removed"]
    assert sorted(r["text"] for r in removed if r["kind"] == "page_number") == ["1", "2", "3", "4", "5"]
    assert not re.search(r"\n[1-5]\n", cns["text"])


def test_article_headings_opening_a_page_are_not_taken_for_running_headers(cns):
    # "ARTICLE 5" and "ARTICLE 7" open pages 3 and 4: a number that does not count pages is no page number
    assert not any(r["text"].startswith("ARTICLE") for r in cns["meta"].get("removed", []))
    titles = [h["title"] for h in cns["meta"]["headings"]]
    assert [t.split()[1] for t in titles if t.startswith("ARTICLE")] == [str(n) for n in range(1, 10)]


# ---------------------------------------------------------------- code blocks

README = FIXTURES / "formats" / "readme_install.md"
MANUAL = FIXTURES / "formats" / "manual.html"
ENGINES = ["learned", "rules", "pysbd", "spacy", "nupunkt"]


@pytest.mark.parametrize("engine", ENGINES)
def test_fenced_code_is_one_unit_for_every_engine(engine):
    text = README.read_text(encoding="utf-8")
    units = records(run_cli("segment", "--engine", engine, "--meta", "none", str(README), check=True).stdout)
    assert "".join(u["text"] for u in units) == text
    code = [u for u in units if u["kind"] == "code"]
    assert [u["text"].split("\n", 1)[0] for u in code] == ["```bash", "```bash", "~~~python"]
    assert code[0]["text"].rstrip() == "```bash\ncurl -fsSL https://pyenv.run | bash\n```"
    assert code[2]["text"].rstrip().endswith("Really.\n~~~")
    # nothing else starts inside a block
    for c in code:
        assert not any(c["start"] < u["start"] < c["end"] for u in units)


@pytest.mark.parametrize("engine", ["learned", "rules", "pysbd"])
def test_html_pre_is_one_unit(engine):
    units = records(run_cli("segment", "--engine", engine, "--meta", "none", str(MANUAL), check=True).stdout)
    code = [u for u in units if u["kind"] == "code"]
    assert len(code) == 1
    assert code[0]["text"].rstrip() == ("curl -fsSL https://acme.example/install.sh | sh\nacme --version\n"
                                        "acme init . --force")


def test_code_over_the_budget_is_cut_at_line_ends_only():
    units = run_cli("segment", str(README), check=True).stdout
    chunks = records(run_cli("chunk", "--max-tokens", "30", "--tokenizer", "cl100k_base", stdin=units,
                             check=True).stdout)
    text = README.read_text(encoding="utf-8")
    block = text.index("```bash\necho")
    block_end = text.index("```", block + 3) + 3
    inner = [c["start"] for c in chunks if block < c["start"] < block_end]
    assert inner, "the block is over 30 tokens (64): it must be cut"
    assert all(text[s - 1] == "\n" for s in inner)
    assert all(c["tokens"] <= 30 for c in chunks)


# ---------------------------------------------------------------- HTML boilerplate

PRICING = FIXTURES / "formats" / "pricing.html"
PLAIN_PAGE = FIXTURES / "formats" / "plain_page.html"


def test_html_main_content_only_and_what_was_dropped_is_listed():
    from seamline.formats.html import read_html

    doc = read_html(str(PRICING)).value
    text = doc["text"]
    assert text.startswith("Plans and pricing\n\nUpdated 1 March 2024\n\nEvery plan includes")
    for gone in ("Log in", "cookies", "Share on", "Related", "All rights reserved"):
        assert gone not in text, gone
    removed = {r["where"]: r["text"] for r in doc["meta"]["removed"]}
    assert removed["header"] == "Acme Pricing Log in"
    assert removed["cookie banner"].startswith("We use cookies")
    assert removed["footer"].startswith("Company \u00a9 2024 Acme Inc.")
    assert set(removed) == {"header", "cookie banner", "share", "aside", "footer"}


def test_html_page_without_main_drops_header_footer_and_cookie_notice():
    units = records(run_cli("segment", "--meta", "first", str(PLAIN_PAGE), check=True).stdout)
    text = "".join(u["text"] for u in units)
    assert text.startswith("Opening hours\n\nThe library opens at 9 am")
    assert "Contact us" not in text and "cookies" not in text and "Events" not in text
    # the footer is gone, so it has no heading path of its own
    assert units[-1]["text"].startswith("It is closed") and units[-1]["path"] == ["Opening hours", "Holidays"]
    assert [r["where"] for r in units[0]["meta"]["removed"]] == ["header", "cookie banner", "footer"]


def test_keep_boilerplate_keeps_everything():
    units = records(run_cli("segment", "--keep-boilerplate", "--meta", "first", str(PRICING), check=True).stdout)
    text = "".join(u["text"] for u in units)
    assert text.startswith("Acme\n\n- Pricing\n- Log in\n\nWe use cookies")
    assert "All rights reserved" in text and "removed" not in units[0]["meta"]


# ---------------------------------------------------------------- contract headings

# Hand-checked against the PDFs (fixtures/formats/contract_headings.json, which benchmarks/formats.py
# reads too): FuelCell's 20 articles and every numbered paragraph with a caption (15.01 and 16.01 have
# none: they are text, not headings; there is no 6.05 or 13.04).
HAND_CHECKED = json.loads((FIXTURES / "formats" / "contract_headings.json").read_text())
FUELCELL_SECTIONS = HAND_CHECKED["cuad_fuelcell_jda.pdf"]["sections"]
HEALTHCENTRAL = "cuad_HealthcentralCom_19991108_S_1A_EX_10_27_6623292_EX_10_27_Co_.pdf"


def test_contract_pdf_headings_against_the_hand_checked_list(fuelcell):
    titles = [h["title"] for h in fuelcell["meta"]["headings"]]
    articles = [t for t in titles if t.startswith("ARTICLE")]
    assert [int(re.match(r"ARTICLE (\d+)", t).group(1)) for t in articles] == list(range(1, 21))
    assert "ARTICLE 4 - DISCLOSURE, CONFIDENTIALITY AND RESTRICTED USE" in titles
    assert [t.split()[0] for t in titles if re.match(r"\d+\.\d\d ", t)] == FUELCELL_SECTIONS
    # a bold run-in heading stops where the bold does
    assert "4.02 Background Information Disclosure, Confidentiality and Use Restriction." in titles
    assert not any("Each Party" in t for t in titles)
    # a line that starts with a number out of sequence is an address, not a heading
    assert "3 Great Pasture Road" not in titles


def test_table_of_contents_lines_are_no_headings(fuelcell):
    assert not any(re.search(r"[A-Z] \d+$", h["title"]) for h in fuelcell["meta"]["headings"])


def test_run_in_heading_path_and_paragraph(fuelcell):
    units = records(run_cli("segment", "--meta", "none", str(FUELCELL), check=True).stdout)
    body = next(u for u in units if u["text"].startswith("Each Party will make available its"))
    assert body["path"] == ["ARTICLE 4 - DISCLOSURE, CONFIDENTIALITY AND RESTRICTED USE",
                            "4.02 Background Information Disclosure, Confidentiality and Use Restriction."]
    # the paragraph the heading opens goes on: no blank line inside its first sentence
    assert body["text"].startswith("Each Party will make available its\nBackground Information")


def test_second_contract_headings_against_the_hand_checked_list():
    doc = read_pdf(str(shared_path("pdf", HEALTHCENTRAL))).value
    numbered = [h["title"].split()[0] for h in doc["meta"]["headings"] if h["title"][0].isdigit()]
    assert numbered == HAND_CHECKED[HEALTHCENTRAL]["sections"]


def test_legal_paths_of_a_contract_pdf():
    units = records(run_cli("segment", "--by", "legal", "--meta", "none", str(FUELCELL), check=True).stdout)
    roots = {u["path"][0] for u in units if u["path"]}
    # no preamble fragment or capitalised disclaimer line heads the paths
    assert not roots & {"(\u201cFCE\u201d).", "MERCHANTABILITY, OR FITNESS FOR A PARTICULAR PURPOSE.", "COMPANY"}
    by_start = {u["text"][:5]: u["path"] for u in units}
    assert by_start["4.02 "] == ["Article 4", "4.02"]
    assert by_start["5.01 "] == ["Article 5", "5.01"]
    # the table of contents lists APPENDIX B: the articles after it are not inside it
    assert all(u["path"][0] != "Appendix B" for u in units if u["text"].startswith("ARTICLE 4"))


def test_filing_exhibit_label_is_not_the_root_of_every_provision():
    docs = read_jsonl(shared_path("legal", "cuad_contracts.dev.jsonl"))
    from seamline.legal.units import provision_spans

    for doc in docs:
        roots = {tuple(f["path"][:1]) for _, _, f in provision_spans(doc["text"], "contract")}
        assert not any(re.fullmatch(r"Exhibit \d+\.\d+", r[0]) for r in roots if r), doc["id"]


def test_page_numbers_inside_a_sheet_are_removed_when_the_sequence_vouches_for_them():
    # a printout whose original page breaks fall inside the sheets: "8" sits between two paragraphs
    doc = read_pdf(str(shared_path("pdf", HEALTHCENTRAL))).value
    numbers = [r for r in doc["meta"]["removed"] if r["kind"] == "page_number"]
    # "14" stays: it sits right under an omitted-page notice, not set apart by a blank line's worth of space
    assert sorted(int(r["text"]) for r in numbers) == [n for n in range(2, 18) if n != 14]
    assert {r["where"] for r in numbers} == {"inside", "footer"}
    lines = [line.strip() for line in doc["text"].splitlines()]
    assert [line for line in lines if line.isdigit()] == ["14"]


# ---------------------------------------------------------------- vertical writing

def test_vertical_writing_reads_in_column_order():
    doc = read_pdf(str(shared_path("pdf", "vertical_text.pdf"))).value
    # pdfplumber's extract_text gives 't\ns\nla t\nu\ne T c it o y\nr e a\nV L'
    assert doc["text"] == "Test\nVertical\nLayout"
    assert doc["meta"]["vertical_pages"] == [1]


def test_rotated_page_is_said_to_be_read_apart():
    doc = read_pdf(str(shared_path("pdf", "nics_background_checks_rotated.pdf"))).value
    assert doc["meta"]["rotated_pages"] == [1] and "vertical_pages" not in doc["meta"]


def test_japanese_columns_right_to_left_top_to_bottom():
    from seamline.formats.pdf import vertical_text

    # glyphs as pdfplumber gives them for two columns of vertical Japanese, in content-stream order:
    # the right column (x 500) is written first, each column from the top down
    columns = [(500, "吾輩は猫"), (480, "である")]
    chars = [{"text": ch, "x0": x, "x1": x + 12, "top": 100 + 12 * k, "bottom": 112 + 12 * k}
             for x, text in columns for k, ch in enumerate(text)]
    assert vertical_text(chars) == "吾輩は猫\nである"
    # whatever order the content stream gives them in, Japanese columns read top down, right to left
    assert vertical_text(chars[::-1]) == "吾輩は猫\nである"
