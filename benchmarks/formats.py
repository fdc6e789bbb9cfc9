"""How well and how fast the readers read, and what `-j 2` buys on a directory of many small files.

1. PDF quality, on every shared PDF (and the CUAD contract fixture): page
   furniture left in the text (lines that are a page number, or that repeat a
   removed running header or footer, or the "Source: ..." line SEC filings carry),
   furniture rows removed, tables pdfplumber's find_tables sees and the tables seamline
   reads as units (meta.blocks of kind "table": ruled grids that look like tables), headings found;
   and headings against the ALEA paper's sidecar and against the hand-checked
   lists of the CUAD contract PDFs (tests/fixtures/formats/contract_headings.json).
2. PDF speed: pages per second of seamline's PDF reader (reading order, furniture,
   hyphens, headings) against pdfplumber's own `page.extract_text()` on the
   same pages. pdfplumber is the limit: both parse every character through
   pdfminer, which is most of the time, so the ratio shows what our layout
   work costs on top.
2. Batch: wall time of `seamline segment DIR -o /dev/null` with -j 1 and -j 2 on
   a directory of many small files (text, Markdown and HTML cut from the
   shared corpus), start-up included, best of --repeat runs.

    .venv/bin/python benchmarks/formats.py [--pdfs DIR] [--files 400] [--repeat 3] [--skip-speed] [--skip-batch]
"""
from __future__ import annotations

import argparse
import html
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
SEAMLINE = [sys.executable, "-m", "seamline"]
FIXTURES = ROOT / "tests" / "fixtures" / "formats"


def best_of(repeat: int, fn) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def pdfplumber_text(path: Path) -> int:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()
        return len(pdf.pages)


def seamline_text(path: Path) -> int:
    from seamline.formats.pdf import read_pdf

    return len(read_pdf(str(path)).value["meta"]["pages"])


def bench_pdfs(folder: Path, repeat: int) -> None:
    print(f"\nPDF reading, best of {repeat}, pages/s (higher is better)\n")
    print(f"{'file':44} {'pages':>5} {'pdfplumber':>11} {'seamline':>9} {'ratio':>6}")
    total_pages = total_plumber = total_ours = 0.0
    for path in pdf_files(folder):
        pages = pdfplumber_text(path)
        plumber = best_of(repeat, lambda: pdfplumber_text(path))
        ours = best_of(repeat, lambda: seamline_text(path))
        total_pages += pages
        total_plumber += plumber
        total_ours += ours
        print(f"{path.name[:44]:44} {pages:5d} {pages / plumber:11.1f} {pages / ours:9.1f} {plumber / ours:6.2f}")
    print(f"{'all':44} {int(total_pages):5d} {total_pages / total_plumber:11.1f} "
          f"{total_pages / total_ours:9.1f} {total_plumber / total_ours:6.2f}")


def pdf_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.pdf")) + sorted(FIXTURES.glob("*.pdf"))


def furniture_left(doc: dict, edge: int = 3) -> int:
    """Furniture left at the page edges: among the first and last `edge` lines of each page, those that are
    a page number, repeat a removed running header or footer, or are the "Source: ..." line of an SEC filing.
    (Only the edges: a table of numbers inside a page is not furniture.)"""
    from seamline.formats.pdf import _PAGE_NUMBER, _PAGE_WORDS, furniture_key_text

    removed = {furniture_key_text(r["text"]) for r in doc["meta"].get("removed", []) if r["kind"] == "running"}
    left = 0
    for start, end in doc["meta"]["pages"]:
        lines = [line.strip() for line in doc["text"][start:end].splitlines() if line.strip()]
        for line in lines[:edge] + lines[edge:][-edge:]:
            if (_PAGE_NUMBER.match(line) or _PAGE_WORDS.match(line) or furniture_key_text(line) in removed
                    or re.match(r"Source: .*, \d+/\d+/\d{4}$", line)):
                left += 1
    return left


def tables_seen(path: Path) -> int:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return sum(len(page.find_tables()) for page in pdf.pages)


def _letters(s: str) -> str:
    s = re.sub(r"^\s*(\d+(\.\d+)*\.?|[IVX]+\.|[A-Z]\.)\s+", "", s)
    return "".join(c for c in s.lower() if c.isalnum())[:60]


def against_sidecar(doc: dict, sidecar: Path) -> tuple[int, int]:
    """Sidecar headings that start a reader heading, comparing letters only (as tests/test_formats_pdf.py)."""
    wanted = json.loads(sidecar.read_text())["headings"]
    found = [_letters(h["title"]) for h in doc["meta"]["headings"]]
    hits = sum(1 for h in wanted if any(f.startswith(_letters(h["title"])) for f in found))
    return hits, len(wanted)


def against_hand_list(doc: dict, listed: dict) -> tuple[int, int, int]:
    """(found, listed, extra numbered headings) for a contract's hand-checked ARTICLE and section numbers."""
    titles = [h["title"] for h in doc["meta"]["headings"]]
    articles = [int(m.group(1)) for t in titles if (m := re.match(r"ARTICLE (\d+)\b", t))]
    sections = [t.split()[0] for t in titles if re.match(r"\d+(\.\d+)*\.? ", t)]
    want_a, want_s = listed["articles"], listed["sections"]
    found = len(set(articles) & set(want_a)) + len(set(sections) & set(want_s))
    extra = len(set(sections) - set(want_s)) + len(set(articles) - set(want_a))
    return found, len(want_a) + len(want_s), extra


def quality(folder: Path) -> None:
    from seamline.formats.pdf import read_pdf

    hand = json.loads((FIXTURES / "contract_headings.json").read_text())
    print("\nPDF reading quality (furniture left: lines of the text that are page furniture; target 0)\n")
    print(f"{'file':44} {'pages':>5} {'furniture left':>14} {'removed':>7} {'find_tables':>11} {'tables read':>11} "
          f"{'headings':>8}  headings checked")
    for path in pdf_files(folder):
        doc = read_pdf(str(path)).value
        meta = doc["meta"]
        check = ""
        sidecar = path.with_suffix(".structure.json")
        if sidecar.exists():
            hits, total = against_sidecar(doc, sidecar)
            check = f"sidecar: {hits}/{total}"
        elif path.name in hand:
            found, total, extra = against_hand_list(doc, hand[path.name])
            check = f"hand-checked list: {found}/{total}, {extra} numbered not on it"
        read = sum(1 for b in meta.get("blocks", []) if b["kind"] == "table")
        print(f"{path.name[:44]:44} {len(meta['pages']):5d} {furniture_left(doc):14d} "
              f"{len(meta.get('removed', [])):7d} {tables_seen(path):11d} {read:11d} {len(meta['headings']):8d}  {check}")


def small_files(folder: Path, count: int) -> int:
    """`count` files of 2-8 KB cut from the corpus, as .txt, .md and .html in turn; return total bytes."""
    books = sorted((SHARED / "corpus").rglob("*.txt"))
    text = "".join(p.read_text(encoding="utf-8") for p in books[:2])
    size, pos = 0, 0
    for i in range(count):
        length = 2000 + (i * 997) % 6000
        piece = text[pos:pos + length]
        pos = (pos + length) % max(1, len(text) - 10_000)
        kind = ("txt", "md", "html")[i % 3]
        if kind == "md":
            body = f"# Part {i}\n\n{piece}"
        elif kind == "html":
            paras = "".join(f"<p>{html.escape(p)}</p>\n" for p in piece.split("\n\n"))
            body = f"<html><body><nav>menu</nav><h1>Part {i}</h1>\n{paras}</body></html>"
        else:
            body = piece
        path = folder / f"f{i:05d}.{kind}"
        path.write_text(body, encoding="utf-8")
        size += path.stat().st_size
    return size


def bench_jobs(count: int, repeat: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        size = small_files(folder, count)

        def run(jobs: int) -> None:
            subprocess.run([*SEAMLINE, "segment", "-j", str(jobs), str(folder), "-o", "/dev/null"],
                           check=True, cwd=ROOT)

        one = best_of(repeat, lambda: run(1))
        two = best_of(repeat, lambda: run(2))
    print(f"\nBatch: {count} small files ({size / 1e6:.1f} MB), `seamline segment DIR`, wall time, best of {repeat}\n")
    print(f"{'jobs':>4} {'seconds':>8} {'files/s':>8} {'MB/s':>6}")
    for jobs, secs in ((1, one), (2, two)):
        print(f"{jobs:4d} {secs:8.2f} {count / secs:8.0f} {size / 1e6 / secs:6.2f}")
    print(f"speed-up of -j 2 over -j 1: {one / two:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pdfs", type=Path, default=SHARED / "pdf")
    parser.add_argument("--files", type=int, default=400)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-pdf", action="store_true")
    parser.add_argument("--skip-speed", action="store_true", help="only the PDF quality table")
    parser.add_argument("--skip-batch", action="store_true", help="leave out the -j 2 batch timing")
    args = parser.parse_args()
    if not args.skip_pdf:
        quality(args.pdfs)
        if not args.skip_speed:
            bench_pdfs(args.pdfs, args.repeat)
    if not args.skip_speed and not args.skip_batch:
        bench_jobs(args.files, args.repeat)


if __name__ == "__main__":
    main()
