"""How fast the readers are, and what `-j 2` buys on a directory of many small files.

1. PDF: pages per second of seamline's PDF reader (reading order, furniture,
   hyphens, headings) against pdfplumber's own `page.extract_text()` on the
   same pages. pdfplumber is the limit: both parse every character through
   pdfminer, which is most of the time, so the ratio shows what our layout
   work costs on top.
2. Batch: wall time of `seamline segment DIR -o /dev/null` with -j 1 and -j 2 on
   a directory of many small files (text, Markdown and HTML cut from the
   shared corpus), start-up included, best of --repeat runs.

    .venv/bin/python benchmarks/formats.py [--pdfs DIR] [--files 400] [--repeat 3]
"""
from __future__ import annotations

import argparse
import html
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
SEAMLINE = [sys.executable, "-m", "seamline"]


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
    for path in sorted(folder.glob("*.pdf")):
        pages = pdfplumber_text(path)
        plumber = best_of(repeat, lambda: pdfplumber_text(path))
        ours = best_of(repeat, lambda: seamline_text(path))
        total_pages += pages
        total_plumber += plumber
        total_ours += ours
        print(f"{path.name[:44]:44} {pages:5d} {pages / plumber:11.1f} {pages / ours:9.1f} {plumber / ours:6.2f}")
    print(f"{'all':44} {int(total_pages):5d} {total_pages / total_plumber:11.1f} "
          f"{total_pages / total_ours:9.1f} {total_plumber / total_ours:6.2f}")


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
    args = parser.parse_args()
    if not args.skip_pdf:
        bench_pdfs(args.pdfs, args.repeat)
    bench_jobs(args.files, args.repeat)


if __name__ == "__main__":
    main()
