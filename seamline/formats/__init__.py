"""Readers and writers.

A reader turns one input (a path, or `-` for standard input) into a stream of
`Item`s: a decoded JSON value with the file and line it came from, so every
later error can name both. Files that are not JSON (text, Markdown, PDF)
become one document each, whose id is the path as given.
"""
from __future__ import annotations

import os
import sys
from typing import Iterable, Iterator, NamedTuple

from seamline.errors import UsageError


class Item(NamedTuple):
    value: object
    source: str
    line: int | None


STDIN_NAME = "<stdin>"

# extension -> format name; the longest matching suffix wins
EXTENSIONS = {
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".jsonl.gz": "jsonl", ".json": "json",
    ".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown",
    ".html": "html", ".htm": "html", ".pdf": "pdf",
}
FORMATS = sorted(set(EXTENSIONS.values()))


def format_for(path: str, forced: str | None = None) -> str:
    if forced:
        if forced not in FORMATS:
            raise UsageError(f"unknown input format {forced!r}; choose one of {', '.join(FORMATS)}")
        return forced
    if path == "-":
        return "jsonl"
    lower = path.lower()
    for ext in sorted(EXTENSIONS, key=len, reverse=True):
        if lower.endswith(ext):
            return EXTENSIONS[ext]
    return "text"


def check_paths(paths: Iterable[str]) -> None:
    """Missing inputs are usage errors (status 2), found before any output."""
    for path in paths:
        if path != "-" and not os.path.isfile(path):
            what = "is a directory" if os.path.isdir(path) else "does not exist"
            raise UsageError(f"input file {path!r} {what}")


def read_inputs(paths: list[str], forced: str | None = None, keep_boilerplate: bool = False) -> Iterator[Item]:
    """Items of every input in order; directories and globs expand as `segment` expands them."""
    from seamline.batch import expand_inputs  # imported here: batch imports this module

    for path in expand_inputs(paths or ["-"]):
        yield from read_one(path, format_for(path, forced), keep_boilerplate)


def read_one(path: str, fmt: str, keep_boilerplate: bool = False) -> Iterator[Item]:
    """The items of one input; `keep_boilerplate` keeps an HTML page's navigation, header and footer."""
    if fmt == "jsonl":
        from seamline.formats.jsonl import read_jsonl
        yield from read_jsonl(path)
    elif fmt == "json":
        from seamline.formats.jsonl import read_json
        yield from read_json(path)
    elif fmt == "pdf":
        from seamline.formats.pdf import read_pdf
        yield read_pdf(path)
    elif fmt == "markdown":
        from seamline.formats.markdown import read_markdown
        yield read_markdown(path)
    elif fmt == "html":
        from seamline.formats.html import read_html
        yield read_html(path, keep_boilerplate)
    else:
        from seamline.formats.text import read_text
        yield read_text(path, fmt)


def source_name(path: str) -> str:
    return STDIN_NAME if path == "-" else path


def binary_stdin():
    return sys.stdin.buffer
