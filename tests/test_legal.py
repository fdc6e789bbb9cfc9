"""Legal segmenter on short passages written for the tests: families, paths, levels, references."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import FIXTURES, assert_tiles, records, run_cli
from seamline.errors import UsageError
from seamline.legal import detect_family, find_refs, provision_spans
from seamline.segmenters import get_segmenter

HERE = FIXTURES / "legal"


def text_of(name: str) -> str:
    return (HERE / f"{name}.txt").read_text(encoding="utf-8")


def units(name: str, **options) -> list[dict]:
    seg = get_segmenter("legal", **options)
    text = text_of(name)
    out = []
    for seq, (start, end, fields) in enumerate(seg.annotated(text)):
        out.append({"seq": seq, "start": start, "end": end, "text": text[start:end], **fields})
    assert_tiles(text, out)
    return out


def by_start(units_: list[dict], prefix: str) -> dict:
    return next(u for u in units_ if u["text"].startswith(prefix))


@pytest.mark.parametrize("name,family", [("statute", "statute"), ("regulation", "regulation"), ("eu", "eu"),
                                         ("contract", "contract"), ("policy", "policy")])
def test_family_detection(name, family):
    assert detect_family(text_of(name)) == family


def test_statute_path_down_to_clause():
    u = units("statute")
    clause = by_start(u, "(ii) only periodicals")
    assert clause["path"] == ["Title 9", "Chapter 2", "§ 201", "(b)", "(3)", "(B)", "(ii)"]
    assert clause["level"] == "clause"
    assert by_start(u, "(A) is held")["level"] == "subparagraph"
    assert by_start(u, "(a) In general")["heading"] == "(a) In general"


def test_letter_i_after_h_is_a_subsection_not_a_clause():
    u = units("statute")
    item = by_start(u, "(i) Applicability")
    assert item["level"] == "subsection"
    assert item["path"][-2:] == ["§ 201", "(i)"]


def test_regulation_sections_and_paragraphs():
    u = units("regulation")
    assert by_start(u, "§ 39.13")["path"] == ["Part 39", "Subpart A", "§ 39.13"]
    ii = by_start(u, "(ii) An airplane")
    assert ii["path"][-3:] == ["(b)", "(2)", "(ii)"]
    assert ii["level"] == "clause"


def test_eu_article_takes_its_title_line_and_points_their_text():
    u = units("eu")
    art = by_start(u, "Article 5")
    assert art["heading"] == "Article 5 \u2014 Principles relating to processing of personal data"
    point = by_start(u, "(a)")
    assert "processed lawfully" in point["text"]
    assert point["path"] == ["Chapter II", "Article 5", "1.", "(a)"]
    assert point["level"] == "point"
    assert by_start(u, "Article 12")["path"] == ["Chapter II", "Section 1", "Article 12"]


def test_contract_recitals_definitions_articles_exhibits():
    u = units("contract")
    assert [x["level"] for x in u if x["text"].startswith("WHEREAS")] == ["recital", "recital"]
    assert by_start(u, "ARTICLE I")["heading"] == "ARTICLE I \u2014 DEFINITIONS"
    d = by_start(u, '"Products"')
    assert d["level"] == "definition" and d["path"][-1] == "\u201cProducts\u201d"
    assert by_start(u, "(b) Each order")["path"][-3:] == ["Article II", "Section 2.01", "(b)"]
    assert by_start(u, "EXHIBIT A")["level"] == "schedule"
    assert by_start(u, "2. Red")["path"][-2:] == ["Exhibit A", "2."]


def test_policy_numbered_sections():
    u = units("policy")
    sub = by_start(u, "1.2 Usage")
    assert sub["path"][-2:] == ["1.", "1.2"] and sub["level"] == "subsection"
    assert by_start(u, "3. Your Choices")["heading"] == "3. Your Choices"


def test_enumerations_in_running_text_do_not_start_provisions():
    u = units("wrapped")
    starts = [x["text"].split()[0] for x in u]
    # "(b) of section 3" and "section 5 of the Act" begin lines but continue a sentence
    assert starts == ["Section", "The", "(a)", "(b)"]
    assert "section 5" in by_start(u, "The rules")["meta"]["refs"]
    assert by_start(u, "(a) Each member")["text"].count("\n") == 3  # wrapped lines stay in (a)


def test_level_groups_provisions_and_keeps_headings_above_apart():
    u = units("statute", level="section")
    assert [x["text"].split()[0] for x in u] == ["TITLE", "CHAPTER", "§", "§"]
    assert by_start(u, "§ 201")["text"].rstrip().endswith("applies to all libraries.")
    eu = units("eu", level="article")
    assert [x["level"] for x in eu] == ["chapter", "article", "section", "article"]


def test_level_absent_from_document_gives_finest_units():
    assert len(units("policy", level="article")) == len(units("policy"))


def test_unknown_family_and_level_are_usage_errors():
    with pytest.raises(UsageError):
        get_segmenter("legal", family="treaty")
    with pytest.raises(UsageError):
        get_segmenter("legal", level="chapterette")


def test_references():
    refs = find_refs("as provided in paragraph (a) of section 5(b)(2), Articles 13 and 14, § 107 and 42 U.S.C. 1983")
    assert refs == ["paragraph (a)", "section 5(b)(2)", "Articles 13 and 14", "§ 107", "42 U.S.C. 1983"]


@pytest.mark.parametrize("text", ["", " \n\t \n", "Word", "(a)", "§", "Article 5", "\n\n(a)\n\n", "CHAPTER I\n"])
def test_odd_inputs_tile(text):
    spans = provision_spans(text)
    pos = 0
    for start, end, fields in spans:
        assert start == pos and fields["path"]
        pos = end
    assert pos == len(text)


def test_cli_segment_legal_with_family_and_level(tmp_path: Path):
    doc = {"id": "act", "text": text_of("statute")}
    proc = run_cli("segment", "--by", "legal", "--family", "statute", "--level", "section",
                   stdin=json.dumps(doc) + "\n", check=True)
    recs = records(proc.stdout)
    assert_tiles(doc["text"], recs)
    assert all(r["kind"] == "section" and r["path"] for r in recs)
    assert [r["level"] for r in recs] == ["title", "chapter", "section", "section"]
    bad = run_cli("segment", "--by", "legal", "--level", "nope", stdin=json.dumps(doc) + "\n")
    assert bad.returncode == 2 and b"Traceback" not in bad.stderr


def test_policy_headings_in_sentence_case_and_a_contact_block():
    """Headings written as sentences ("How we use your information") stand alone between blank
    lines; an address under "Contact us" is one block of that section, not a run of headings."""
    u = units("policy_sentence_case")
    text = (HERE / "policy_sentence_case.txt").read_text()
    assert detect_family(text) == "policy"
    headings = [x["path"][-1] for x in u if x["text"].strip() == x["path"][-1]]
    assert headings == ["Privacy notice", "What we collect", "How we use your information", "Who we share it with",
                        "How long we keep it", "Your rights", "Changes to this notice", "Contact us"]
    body = next(x for x in u if x["text"].startswith("We use your details"))
    assert body["path"] == ["Privacy notice", "How we use your information"]   # the title is the root
    contact = [x for x in u if x["path"] == ["Privacy notice", "Contact us"]]
    assert [x["text"].strip().splitlines() for x in contact][1] == [
        "Harbour Tools Ltd", "12 Quay Street", "Portsmouth PO1 2AB", "privacy@harbourtools.example"]
    updated = next(x for x in u if x["text"].startswith("Last updated"))
    assert updated["path"] == ["Privacy notice"]          # a date line is no heading
    items = [x for x in u if x["text"].startswith("- ")]
    assert len(items) == 3 and all(x["path"][:2] == ["Privacy notice", "What we collect"] for x in items)


def first_lines(name: str) -> list[str]:
    return [x["text"].splitlines()[0] for x in units(name)]


def test_policy_as_extracted_from_a_web_page():
    """One paragraph a line, no blank lines (text taken out of HTML): the title, the
    "Last Updated" line and each paragraph, heading and list item are units of their own;
    the contact block (a company name that ends in "Inc.", then an address) is one unit."""
    text = text_of("policy_web")
    assert detect_family(text) == "policy"
    lines = [line for line in text.splitlines() if line]
    contact = lines.index("Lanternfish Labs, Inc.")
    # every line opens a unit, except the lines of the contact block after its first
    assert first_lines("policy_web") == lines[:contact + 1]
    u = units("policy_web")
    assert u[-1]["text"].splitlines() == lines[contact:]
    assert u[0]["text"].strip() == "Privacy Policy" and u[0]["level"] == "heading"
    updated = next(x for x in u if x["text"].startswith("Last Updated"))
    assert updated["level"] != "heading" and updated["path"] == ["Privacy Policy"]
    assert by_start(u, "3. How we use")["path"] == ["Privacy Policy", "3."]
    # a heading in sentence case between two paragraphs is a heading here too, and the numbered
    # sections after it go on at their own level
    cookies = by_start(u, "Cookies and similar technologies")
    assert cookies["level"] == "heading" and cookies["path"] == ["Privacy Policy", "Cookies and similar technologies"]
    assert by_start(u, "We use cookies")["path"] == ["Privacy Policy", "Cookies and similar technologies"]
    assert by_start(u, "4. Sharing")["path"] == ["Privacy Policy", "4."]


def test_policy_with_blank_lines_capital_headings_and_subsections():
    u = units("policy_gapped")
    assert first_lines("policy_gapped") == [
        "PRIVACY NOTICE", "Effective Date: March 1, 2024", "This Privacy Notice explains how Meadowbrook "
        "Outfitters LLC collects, uses and shares personal information when you shop with us online or in our "
        "stores.", "1. PERSONAL INFORMATION WE COLLECT",
        next(x for x in text_of("policy_gapped").splitlines() if x.startswith("1.1 ")),
        next(x for x in text_of("policy_gapped").splitlines() if x.startswith("1.2 ")),
        "2. HOW WE USE PERSONAL INFORMATION", "We use personal information to:",
        "- process and deliver your orders;", "- answer your questions and requests;",
        "- send you offers, where you have agreed to receive them; and", "- detect and prevent fraud.",
        "3. SHARING", next(x for x in text_of("policy_gapped").splitlines() if x.startswith("We share")),
        "Your rights as a California resident", next(x for x in text_of("policy_gapped").splitlines()
                                                     if x.startswith("If you live")),
        "Data retention", "We keep order records for seven years to meet our tax obligations.",
        "4. CONTACT", "Questions about this notice can be sent to:", "Meadowbrook Outfitters LLC"]
    assert u[-1]["text"].strip().splitlines()[-2:] == ["Email: privacy@meadowbrook.example", "Phone: (802) 555-0147"]
    assert by_start(u, "1.2 ")["path"] == ["PRIVACY NOTICE", "1.", "1.2"]
    # the title on the first line stays the root under the unnumbered headings further down
    assert by_start(u, "Data retention")["path"] == ["PRIVACY NOTICE", "Data retention"]
    # "4." goes on from "3." at its place: the unnumbered headings between them do not take it as a child
    assert by_start(u, "4. CONTACT")["path"] == ["PRIVACY NOTICE", "4."]
    assert by_start(u, "Meadowbrook Outfitters LLC\n")["path"] == ["PRIVACY NOTICE", "4."]
    assert by_start(u, "Effective Date")["level"] != "heading"


def test_us_code_sections_after_notes_and_run_on_lines():
    """US Code text as the Office of the Law Revision Counsel lays it out (title 1, chapter 1,
    public domain), with its notes: each section is one unit with its notes, a quoted section of
    another Act inside a note ("“SEC. 3.") or "Section 2 of Pub. L." opens nothing, and a section
    heading run onto the line of the previous section's source credit or repeal bracket (text
    copied from a web page) still opens its section."""
    u = units("uscode_notes", level="section")
    assert [x["path"] for x in u] == [["Chapter 1"], *[["Chapter 1", f"§ {n}"] for n in range(1, 7)]]
    assert u[1]["text"].rstrip().endswith("as referencing only to the provisions of that division.”\n"
                                          "Section 2 of Pub. L. 86–70 provided that the phrase shall mean the 49 States.")
    assert u[3]["text"].rstrip().endswith("(July 30, 1947, ch. 388, 61 Stat. 633.)")
    assert u[4]["text"].startswith("§ 4. “Vehicle”")
    assert u[5]["text"].startswith("[§ 5. Repealed.") and u[6]["text"].startswith("§ 6. Limitation")
    # references in prose, even one ending a sentence ("as provided in § 4. The rest"), stay inside § 6
    assert "§ 4. The rest" in u[6]["text"] and u[6]["text"].rstrip().endswith("64 Stat. 562.)")


def test_us_code_section_numbers_with_several_letters():
    """Title 42 numbers sections inserted between others with up to three letters (§ 300aa–1,
    § 1395aaa): each is a section heading, and the family is still a statute."""
    text = ("CHAPTER 6A—PUBLIC HEALTH SERVICE\n"
            "§ 300aa–1. Establishment of program\n"
            "The Secretary shall establish in the Department of Health and Human Services a National Vaccine Program.\n"
            "(July 1, 1944, ch. 373, title XXI, § 2101, as added Pub. L. 99–660, title III, § 311(a), Nov. 14, 1986, "
            "100 Stat. 3756.)\n"
            "§ 300aa–2. Program responsibilities\n"
            "(a) In general\nThe Director of the Program shall have the following responsibilities.\n"
            "§ 1395aaa. Contract with a consensus-based entity regarding performance measurement\n"
            "(a) Contract\nFor purposes of activities conducted under this chapter, the Secretary shall enter into a "
            "contract.\n")
    assert detect_family(text) == "statute"
    spans = provision_spans(text, None, "section")
    assert [f["path"][-1] for _, _, f in spans] == ["Chapter 6A", "§ 300aa–1", "§ 300aa–2", "§ 1395aaa"]
    assert [text[start:end].split("\n")[0] for start, end, _ in spans][1:] == [
        "§ 300aa–1. Establishment of program", "§ 300aa–2. Program responsibilities",
        "§ 1395aaa. Contract with a consensus-based entity regarding performance measurement"]


def test_terms_of_service_numbered_and_unnumbered_sections():
    """Terms of service laid out as many sites do (written for the test): a title, a "Last updated"
    line, numbered sections with titles in sentence case, 2.1 subsections, an (a)-(c) list, two
    unnumbered headings in the middle, capitals for the liability clause and a contact block
    ending in an e-mail address. The numbered sections after the unnumbered headings go on at
    their own level, and the e-mail line under the address does not make the text hard-wrapped."""
    u = units("terms_gapped")
    assert detect_family(text_of("terms_gapped")) == "policy"
    sections = [x for x in u if x["level"] == "section"]
    assert [x["heading"] for x in sections] == [
        "1. Accepting these Terms", "2. Your account", "3. Acceptable use", "4. Fees and payment",
        "5. Termination", "6. Limitation of liability", "7. Contact"]
    assert all(x["path"] == ["Terms of Service", x["heading"].split()[0]] for x in sections)
    assert by_start(u, "2.2 You are")["path"] == ["Terms of Service", "2.", "2.2"]
    assert by_start(u, "(b) upload")["path"] == ["Terms of Service", "3.", "(b)"]
    assert by_start(u, "Reporting abuse")["level"] == "heading"
    assert by_start(u, "Last updated")["level"] == "text"
    assert by_start(u, "TO THE EXTENT")["path"] == ["Terms of Service", "6."]
    contact = by_start(u, "Quillpost GmbH\n")
    assert contact["path"] == ["Terms of Service", "7."] and contact["text"].rstrip().endswith("legal@quillpost.example")


def test_hard_wrapped_policy_lines_are_no_sentence_case_headings():
    """A policy wrapped at a fixed width (text from a PDF): a line that happens to start with a
    capital, end without punctuation and sit between lines ending sentences is the middle of a
    paragraph, not a heading, so no unit starts there."""
    text = ("Privacy Policy\n"
            "We collect the details you give us when you sign up and the\n"
            "data your device sends when the app is open. We keep it safe.\n"
            "We also use the details you give us for\n"
            "Marketing only when you have agreed to it and for nothing else.\n"
            "You can change your mind at any time in the settings of the\n"
            "app, and we will stop within a day.\n")
    assert detect_family(text) == "policy"
    starts = [text[s:e].split("\n")[0] for s, e, _ in provision_spans(text, "policy")]
    assert "We also use the details you give us for" not in starts
    assert "Marketing only when you have agreed to it and for nothing else." not in starts
