"""`seamline view --html`: the page, loaded in headless Chromium (Debian's package; `make test` installs it).

Each test loads a page made from real streams, asserts the browser reported no
console errors, and reads the units back from the DOM: one element per unit,
with its offsets, holding exactly the unit's text. The screenshots in docs/
are taken here.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from browser import Browser, find_chromium
from conftest import ROOT, read_jsonl, records, run_cli, shared_path
from test_view_terminal import stream_file

DOCS = ROOT / "docs"

# Every unit element of one stream column: offsets, text, and the attributes a reader hovers.
UNITS_JS = """(() => Array.from(document.querySelectorAll('section.doc')).map(section => ({
  doc: section.dataset.doc,
  streams: Array.from(section.querySelectorAll('.stream')).map(column => ({
    text: column.querySelector('.text').textContent,
    units: Array.from(column.querySelectorAll('.text > .u')).map(u => ({
      seq: +u.dataset.seq, start: +u.dataset.start, end: +u.dataset.end, text: u.textContent,
      tokens: u.dataset.tokens === undefined ? null : +u.dataset.tokens,
      score: u.dataset.score === undefined ? null : +u.dataset.score,
      more: u.dataset.more === undefined ? null : +u.dataset.more,
      shade: getComputedStyle(u).backgroundColor})) })),
  gold: section.querySelectorAll('.stream:first-child b.g').length,
  notes: Array.from(section.querySelectorAll('.note')).map(n => n.textContent) })))()"""


def screenshot_path(name: str, tmp_path: Path) -> Path:
    """Where a screenshot goes: the test's own folder, or docs/ with SEAMLINE_UPDATE_SCREENSHOTS=1
    (so that running the tests leaves the repository as it was)."""
    return (DOCS if os.environ.get("SEAMLINE_UPDATE_SCREENSHOTS") == "1" else tmp_path) / name


@pytest.fixture(scope="module")
def browser():
    binary = find_chromium()
    if binary is None:
        pytest.skip("chromium is not installed (`make test` installs Debian's package when it runs as root; "
                    "otherwise: apt-get install chromium)")
    b = Browser(binary)
    yield b
    b.close()


def load(browser, page: Path, width: int = 1100, height: int = 760):
    opened = browser.open_page(page, width, height)
    assert opened.errors() == []
    return opened


def by_doc(units: list[dict]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for u in units:
        out.setdefault(u["doc"], []).append(u)
    return out


def check_units(shown: dict, units: list[dict], text: str) -> None:
    """The DOM's unit elements are the stream's units, with their offsets, text and fields."""
    assert [u["seq"] for u in shown["units"]] == [u["seq"] for u in units]
    for got, want in zip(shown["units"], units):
        assert (got["start"], got["end"]) == (want["start"], want["end"])
        assert got["text"] == text[want["start"]:want["end"]] == want["text"]
        assert got["tokens"] == want.get("tokens")
        if want.get("score") is not None:
            assert got["score"] == pytest.approx(want["score"], abs=1e-3)
    # the two shades alternate
    shades = [u["shade"] for u in shown["units"]]
    assert len(set(shades[0::2])) == 1 and len(set(shades[1::2])) <= 1
    if len(shades) > 1:
        assert shades[0] != shades[1]


def test_scores_topics_and_gold_side_by_side(tmp_path, browser):
    gold = tmp_path / "gold.jsonl"
    lines = shared_path("topics", "choi.dev.jsonl").read_text(encoding="utf-8").splitlines()[:3]
    gold.write_text("\n".join(lines) + "\n", encoding="utf-8")
    scored = stream_file(tmp_path, "lines-scored.jsonl", ["segment", "--by", "line", "--meta", "none"],
                         ["score", "--method", "bayes"], source=str(gold))
    topics = stream_file(tmp_path, "topics.jsonl",
                         ["segment", "--by", "topic", "--method", "bayes", "--meta", "none"], source=str(gold))
    page = tmp_path / "cmp.html"
    # run where the streams are, so the page names them as a user would see them
    proc = subprocess.run([sys.executable, "-m", "seamline", "view", scored.name, topics.name, "--gold", gold.name,
                           "--html", page.name], cwd=tmp_path, capture_output=True)
    assert proc.returncode == 0, proc.stderr
    html = page.read_text(encoding="utf-8")
    assert "http://" not in html and "https://" not in html and "<link" not in html and " src=" not in html
    opened = load(browser, page, 1100, 1000)
    found = opened.evaluate(UNITS_JS)
    golds = {g["id"]: g for g in map(json.loads, lines)}
    a, b = by_doc(records(scored.read_bytes())), by_doc(records(topics.read_bytes()))
    assert [d["doc"] for d in found] == list(golds)
    for section in found:
        text = golds[section["doc"]]["text"]
        check_units(section["streams"][0], a[section["doc"]], text)
        check_units(section["streams"][1], b[section["doc"]], text)
        assert section["streams"][0]["text"] == section["streams"][1]["text"] == text
        # a gold boundary is marked where each gold segment after the first begins
        segments = golds[section["doc"]]["segments"]
        assert section["gold"] == len(segments) - 1
    # hovering a unit fills the detail bar and lights the units of the other stream it overlaps
    described = opened.evaluate("""(() => { const u = document.querySelector('.stream:first-child .u[data-seq="3"]');
        u.dispatchEvent(new MouseEvent('mouseover', {bubbles: true}));
        return [document.getElementById('detail').textContent,
                Array.from(document.querySelectorAll('.u.hit')).map(x => [+x.dataset.start, +x.dataset.end]),
                [+u.dataset.start, +u.dataset.end]]; })()""")
    detail, lit, (start, end) = described
    assert f"offsets {start}-{end}" in detail and "score" in detail
    assert lit and all(s < end and e > start for s, e in lit)
    assert opened.errors() == []
    shot = opened.screenshot(screenshot_path("view-page.png", tmp_path))  # with that unit hovered
    assert shot.read_bytes().startswith(b"\x89PNG") and shot.stat().st_size > 10_000


def test_chunks_with_overlap_and_a_budget(tmp_path, browser):
    chunks = stream_file(tmp_path, "chunks.jsonl", ["segment"],
                         ["chunk", "--strategy", "recursive", "--max-tokens", "48", "--overlap", "8"],
                         source=str(ROOT / "examples" / "policy.md"))
    units = records(chunks.read_bytes())
    assert any(b["start"] < a["end"] for a, b in zip(units, units[1:])), "no overlap to show"
    page = tmp_path / "chunks.html"
    run_cli("view", str(chunks), "--max-tokens", "48", "--html", str(page), check=True)
    opened = load(browser, page)
    [section] = opened.evaluate(UNITS_JS)
    text = (ROOT / "examples" / "policy.md").read_text(encoding="utf-8")
    check_units(section["streams"][0], units, text)
    overlapped = opened.evaluate("document.querySelectorAll('.u .ov').length")
    assert overlapped == sum(b["start"] < a["end"] for a, b in zip(units, units[1:]))
    assert opened.evaluate("document.querySelectorAll('svg.hist line.budget').length") == 1
    over = opened.evaluate("document.querySelector('table.sizes').textContent")
    assert "over --max-tokens 48" in over


def test_a_long_document_is_capped_with_a_note(tmp_path, browser):
    text = " ".join(f"Sentence number {i} is here." for i in range(2000))
    source = tmp_path / "long.txt"
    source.write_text(text)
    units = stream_file(tmp_path, "long.jsonl", ["segment"], source=str(source))
    page = tmp_path / "long.html"
    run_cli("view", str(units), "--max-chars", "5000", "--html", str(page), check=True)
    opened = load(browser, page)
    [section] = opened.evaluate(UNITS_JS)
    want = [u for u in records(units.read_bytes()) if u["start"] < 5000]
    shown = section["streams"][0]["units"]
    assert len(shown) == len(want)
    last = shown[-1]
    if want[-1]["end"] > 5000:
        assert last["more"] == want[-1]["end"] - 5000 and last["text"] == text[last["start"]:5000]
    assert any(f"Showing the first 5,000 of {len(text):,} characters (--max-chars 5,000)" in n
               for n in section["notes"])


def test_many_documents_past_the_page_budget_are_listed_only(tmp_path, browser):
    docs = tmp_path / "docs.jsonl"
    docs.write_text("".join(json.dumps({"id": f"d{i}", "text": f"Document {i} has one sentence. And a second."})
                            + "\n" for i in range(60)))
    units = stream_file(tmp_path, "units.jsonl", ["segment"], source=str(docs))
    page = tmp_path / "many.html"
    proc = run_cli("view", str(units), "--max-page-chars", "40000", "--html", str(page), check=True)
    opened = load(browser, page)
    drawn = opened.evaluate("Array.from(document.querySelectorAll('section.doc')).map(s => s.dataset.doc)")
    rows = opened.evaluate("Array.from(document.querySelectorAll('table.index tbody tr td:first-child'))"
                           ".map(td => [td.textContent, !!td.querySelector('a')])")
    assert 0 < len(drawn) < 60 and len(rows) == 60
    assert [doc for doc, linked in rows if linked] == drawn == [f"d{i}" for i in range(len(drawn))]
    assert all(doc.endswith("(index only)") for doc, linked in rows if not linked)
    listed = 60 - len(drawn)
    assert f"{listed:,} more documents are listed in the index only" in opened.evaluate("document.body.textContent")
    assert f"{listed} more in the index only" in proc.stderr.decode()
    assert page.stat().st_size < 40000 + 30000  # the sections' budget, plus head, script and index


def test_terminal_screenshot(tmp_path, browser):
    """The terminal view, as rich records it, drawn on a dark terminal theme for docs/."""
    from rich.console import Console
    from rich.terminal_theme import MONOKAI

    from seamline.view import TerminalOptions, aligned, document_view, read_stream

    scored = stream_file(tmp_path, "scored.jsonl", ["segment", "--by", "paragraph"], ["score", "--method", "c99"],
                         source="examples/policy.md")
    chunks = stream_file(tmp_path, "chunks.jsonl", ["segment"], ["chunk", "--max-tokens", "64"],
                         source="examples/policy.md")
    console = Console(record=True, width=92, force_terminal=True, color_system="truecolor", highlight=False,
                      file=open("/dev/null", "w"))
    for path, name in ((scored, "paragraphs | score --method c99"), (chunks, "chunk --max-tokens 64")):
        [streams] = list(aligned([read_stream(str(path))], [name]))
        for renderable in document_view(streams, TerminalOptions([name], max_chars=520, max_tokens=64)):
            console.print(renderable)
    page = tmp_path / "terminal.html"
    console.save_html(str(page), theme=MONOKAI)
    opened = load(browser, page, 900, 600)
    assert "more characters" in opened.evaluate("document.body.textContent")
    shot = opened.screenshot(screenshot_path("view-terminal.png", tmp_path), selector="pre")
    assert shot.read_bytes().startswith(b"\x89PNG") and shot.stat().st_size > 10_000


def test_whole_corpus_page_stays_usable(tmp_path, browser):
    """The 26 MB corpus, cut into 512-token chunks: the page is capped, opens, and shows every document."""
    corpus = shared_path("corpus")
    chunks = tmp_path / "corpus-chunks.jsonl"
    made = run_cli("chunk", "--max-tokens", "512", str(corpus / "gutenberg"), str(corpus / "legal"), check=True)
    chunks.write_bytes(made.stdout)
    manifest = json.loads((corpus / "manifest.json").read_text())
    page = tmp_path / "corpus.html"
    run_cli("view", str(chunks), "--max-tokens", "512", "--html", str(page), check=True)
    size = page.stat().st_size
    total = sum(m["bytes"] for m in manifest)
    assert total > 20e6 and size < 12e6  # far less than the corpus: text is inlined up to the caps
    opened = load(browser, page, 1100, 800)
    found = opened.evaluate("""Array.from(document.querySelectorAll('section.doc')).map(s =>
        [s.dataset.doc, +s.dataset.length, s.querySelectorAll('.u').length, !!s.querySelector('.note.cap')])""")
    assert len(found) == len(manifest)
    for doc, length, shown, capped in found:
        assert capped == (length > 100_000), doc
    assert opened.evaluate("document.querySelectorAll('table.index tbody tr').length") == len(manifest)
    assert opened.errors() == []


def luminance(rgb: str) -> float:
    """WCAG relative luminance of a computed colour, 'rgb(r, g, b)'."""
    r, g, b = (int(x) / 255 for x in rgb[rgb.index("(") + 1:rgb.index(")")].split(",")[:3])
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_unit_shades_are_readable_in_light_and_dark(tmp_path, browser, scheme):
    units = stream_file(tmp_path, "units.jsonl", ["segment"], source=str(ROOT / "examples" / "harbour.txt"))
    page = tmp_path / "shades.html"
    run_cli("view", str(units), "--html", str(page), check=True)
    opened = load(browser, page)
    opened.prefer_scheme(scheme)
    a, b, body = opened.evaluate("""(() => {
        const style = (el) => { const s = getComputedStyle(el); return [s.color, s.backgroundColor]; };
        return [style(document.querySelector('.u.a')), style(document.querySelector('.u.b')),
                style(document.body)]; })()""")
    page_fg, page_bg = body
    assert luminance(page_bg) > 0.5 if scheme == "light" else luminance(page_bg) < 0.1
    for fg, bg in (a, b):
        assert contrast(fg, bg) >= 7.0, (scheme, fg, bg)  # WCAG AAA for body text
    # the two shades differ in lightness, not in hue alone
    assert contrast(a[1], b[1]) >= 1.1
    assert opened.errors() == []


def test_page_to_standard_output_from_standard_input(tmp_path):
    units = stream_file(tmp_path, "units.jsonl", ["segment"], source=str(ROOT / "examples" / "harbour.txt"))
    proc = run_cli("view", "--html", "-", stdin=units.read_bytes(), check=True)
    page = proc.stdout.decode()
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert page.count('class="u ') == len(records(units.read_bytes()))
    assert not list(tmp_path.glob("*.partial"))
