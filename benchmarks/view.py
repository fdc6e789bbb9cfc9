"""What `seamline view --html` makes of the whole corpus, and how a browser takes it.

The 26 MB corpus (../shared/data/corpus) is cut into 512-token chunks once; then
`seamline view --html` writes the page (best of --repeat runs, start-up
included) and headless Chromium (Debian's package, driven as in the tests)
loads it: seconds from navigation to the load event, and the size of the DOM.
The same for a stream of many small documents (Choi's 460 test documents, cut
into lines). Printed for the default caps and for --max-chars 0
--max-page-chars 0 (everything inlined), so the price of the caps is visible.

    .venv/bin/python benchmarks/view.py [--repeat 2]
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "data" / "corpus"
CHOI = ROOT.parent / "shared" / "data" / "topics" / "choi.dev.jsonl"
SEAMLINE = [sys.executable, "-m", "seamline"]
sys.path.insert(0, str(ROOT / "tests"))


def run(*args: str, stdin: bytes | None = None) -> bytes:
    return subprocess.run([*SEAMLINE, *args], input=stdin, capture_output=True, check=True).stdout


def best_of(repeat: int, fn) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def load_in_browser(page: Path) -> tuple[float, int]:
    from browser import Browser, find_chromium

    binary = find_chromium()
    if binary is None:
        raise SystemExit("chromium is not installed: apt-get install chromium")
    browser = Browser(binary, timeout=300)
    try:
        start = time.perf_counter()
        opened = browser.open_page(page)
        seconds = time.perf_counter() - start
        if opened.errors():
            raise SystemExit(f"the page reported errors: {opened.errors()}")
        return seconds, opened.evaluate("document.getElementsByTagName('*').length")
    finally:
        browser.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=2)
    a = ap.parse_args()
    if not CORPUS.exists():
        raise SystemExit(f"{CORPUS} not found: the benchmark reads ../shared/data/corpus")
    with tempfile.TemporaryDirectory() as tmp:
        chunks = Path(tmp) / "chunks.jsonl"
        units = run("segment", str(CORPUS / "gutenberg"), str(CORPUS / "legal"))
        chunks.write_bytes(run("chunk", "--max-tokens", "512", stdin=units))
        lines = Path(tmp) / "lines.jsonl"
        lines.write_bytes(run("segment", "--by", "line", "--meta", "none", str(CHOI)))
        print(f"corpus: {CORPUS}, chunk --max-tokens 512: {chunks.stat().st_size / 1e6:.1f} MB of chunks")
        print(f"many documents: {CHOI}, segment --by line: {lines.stat().st_size / 1e6:.1f} MB of units\n")
        print(f"{'page':44} {'write s':>8} {'MB':>6} {'load s':>7} {'elements':>9}")
        no_caps = ["--max-chars", "0", "--max-page-chars", "0"]
        for label, stream, caps in (("corpus chunks, default caps", chunks, []),
                                    ("corpus chunks, no caps", chunks, no_caps),
                                    ("choi lines, default caps", lines, []),
                                    ("choi lines, no caps", lines, no_caps)):
            page = Path(tmp) / "page.html"
            args = ["view", str(stream), "--max-tokens", "512", "--html", str(page), *caps]
            seconds = best_of(a.repeat, lambda: run(*args))
            load, elements = load_in_browser(page)
            print(f"{label:44} {seconds:8.2f} {page.stat().st_size / 1e6:6.1f} {load:7.2f} {elements:9,}")


if __name__ == "__main__":
    main()
