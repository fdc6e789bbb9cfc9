"""`seamline view`: see where a stream cut, on the terminal or as one HTML page."""
from __future__ import annotations

import os
import sys
from typing import List, Optional

import typer

from seamline.cli.common import check_choice
from seamline.errors import UsageError

COLORS = ("auto", "always", "never")


def view(
    files: Optional[List[str]] = typer.Argument(
        None, metavar="STREAM", show_default=False,
        help="Unit streams (units, scored units, chunks); none or '-' reads standard input. "
             "Two or more streams of the same documents are shown side by side."),
    html: Optional[str] = typer.Option(None, "--html", metavar="FILE",
                                       help="Write one self-contained HTML page here instead of drawing "
                                            "on the terminal ('-' for standard output)."),
    doc: Optional[List[str]] = typer.Option(None, "--doc", metavar="ID",
                                            help="Show this document only (repeat for more)."),
    max_docs: Optional[int] = typer.Option(None, "--max-docs", min=1, metavar="N",
                                           help="Show at most N documents."),
    max_tokens: Optional[int] = typer.Option(None, "--max-tokens", min=1, metavar="N",
                                             help="The chunk budget: marked on the size histogram, "
                                                  "units over it counted."),
    threshold: Optional[float] = typer.Option(None, "--threshold", min=0.0, max=1.0, metavar="X",
                                              help="Score threshold to draw and mark boundaries above "
                                                   "[default: mean - sd/2 of each document's non-zero scores]."),
    gold: Optional[str] = typer.Option(None, "--gold", metavar="PATH",
                                       help="Gold segments (the format `seamline eval` reads) to mark "
                                            "on the page."),
    max_chars: Optional[int] = typer.Option(None, "--max-chars", min=0, metavar="N",
                                            help="Characters of text shown per document; 0 for all "
                                                 "[default: 20000 on a terminal, 100000 on a page]."),
    max_page_chars: int = typer.Option(8_000_000, "--max-page-chars", min=0, metavar="N",
                                       help="Characters of HTML the documents of a page take in all; "
                                            "documents past it are listed in the index only. 0 for no limit."),
    color: str = typer.Option("auto", "--color", metavar="auto|always|never",
                              help="Colours on the terminal: always keeps them through a pipe (less -R)."),
) -> None:
    """Show where units and chunks begin and end: on the terminal, or as an HTML page with --html.

    The terminal view prints each document's units on alternating shades with a
    margin (seq, tokens or characters, boundary score as a bar) and the heading
    path as a rule where it changes. The page adds, per document, a table and a
    histogram of unit sizes, boundaries along the text (score curves with their
    threshold, the boundaries of each stream, gold boundaries with --gold) and
    hover details for every unit. Long documents are cut short at --max-chars
    with a note.

    Examples:

      seamline segment doc.txt | seamline chunk --max-tokens 128 | seamline view

      seamline view --color always chunks.jsonl | less -R

      seamline view sentences.jsonl chunks.jsonl --html cmp.html --max-tokens 512

      seamline segment doc.txt | seamline score | seamline view --html scores.html --gold gold.jsonl
    """
    from seamline.view import PageOptions, Selection, TerminalOptions, aligned, read_stream

    check_choice("--color", color, COLORS)
    paths = list(files) if files else ["-"]
    check_paths(paths, html, gold)
    docs = aligned([read_stream(p) for p in paths], [display_name(p) for p in paths],
                   Selection(list(doc or []), max_docs))
    names = [display_name(p) for p in paths]
    if html is None:
        options = TerminalOptions(names, 20_000 if max_chars is None else max_chars, max_tokens, threshold)
        draw(docs, options, color)
        return
    gold_index = load_gold_index(gold)
    options = PageOptions(names, 100_000 if max_chars is None else max_chars, max_page_chars, max_tokens,
                          threshold, gold_index, display_name(gold) if gold else "gold",
                          "seamline view: " + ", ".join(names))
    write_html(docs, options, html)


def display_name(path: str) -> str:
    return "stdin" if path == "-" else path


def check_paths(paths: List[str], html: Optional[str], gold: Optional[str]) -> None:
    if paths.count("-") > 1:
        raise UsageError("standard input ('-') can be read once only")
    if html in (None, "-"):
        return
    for path in [*paths, *([gold] if gold else [])]:
        if same_file(html, path):
            raise UsageError(f"--html {html!r} is the input {path!r}; write the page elsewhere")


def same_file(a: str, b: str) -> bool:
    """Files, not names: another spelling, a symlink or a hard link is the same file."""
    try:
        one, two = os.stat(a), (os.fstat(0) if b == "-" else os.stat(b))
    except OSError:
        return False
    return (one.st_dev, one.st_ino) == (two.st_dev, two.st_ino)


def load_gold_index(path: Optional[str]):
    if path is None:
        return None
    from seamline.evaluation.gold import load_gold

    return load_gold(path)


def draw(docs, options, color: str) -> None:
    from rich.console import Console

    from seamline.view import document_view

    console = terminal_console(color)
    options.color_system = console.color_system
    for streams in docs:
        for renderable in document_view(streams, options):
            console.print(renderable)
        sys.stdout.flush()


def terminal_console(color: str):
    """A rich console for standard output; through a pipe (less -R) it takes the width of the terminal on stderr."""
    from rich.console import Console

    width = None
    if not sys.stdout.isatty() and "COLUMNS" not in os.environ:
        try:
            width = os.get_terminal_size(sys.stderr.fileno()).columns
        except (OSError, ValueError):
            width = None
    if color == "never":
        return Console(color_system=None, highlight=False, width=width)
    if color == "always":
        truecolor = os.environ.get("COLORTERM", "") in ("truecolor", "24bit")
        return Console(force_terminal=True, color_system="truecolor" if truecolor else "256",
                       highlight=False, width=width)
    return Console(highlight=False, width=width)


def write_html(docs, options, path: str) -> None:
    """Write the page to a file beside the target, then move it into place: no half page is left."""
    from seamline.view import write_page

    if path == "-":
        write_page(sys.stdout, docs, options)
        return
    partial = f"{path}.partial"
    try:
        with open(partial, "w", encoding="utf-8") as out:
            report = write_page(out, docs, options)
        os.replace(partial, path)
    except OSError as err:
        raise UsageError(f"cannot write {path!r}: {err.strerror}") from None
    finally:
        if os.path.exists(partial):
            os.remove(partial)
    notes = [f"text cut short in {len(report.capped)}"] if report.capped else []
    if report.listed_only:
        notes.append(f"{report.listed_only} more in the index only")
    more = f" ({'; '.join(notes)}: see the notes on the page)" if notes else ""
    sys.stderr.write(f"seamline: wrote {path}: {report.documents} documents{more}\n")
