"""Readers and writers.

A reader turns one input (a path, or `-` for standard input) into a stream of
`Item`s: a decoded JSON value with the file and line it came from, so every
later error can name both. Files that are not JSON (text, Markdown, PDF)
become one document each, whose id is the path as given.
"""
from __future__ import annotations

import glob
import os
import sys
from typing import Iterable, Iterator, NamedTuple

from seamline.errors import UnknownName, UsageError


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
    """The reader for a path: `forced` when given, else by extension (plugins' readers by their name)."""
    from seamline import registry

    if forced:
        if registry.find("readers", forced) is None:
            raise UnknownName("readers", "input format", forced, registry.names("readers"))
        return forced
    if path == "-":
        return "jsonl"
    lower = path.lower()
    for ext in sorted(EXTENSIONS, key=len, reverse=True):
        if lower.endswith(ext):
            return EXTENSIONS[ext]
    _, dot, ext = lower.rpartition(".")
    if dot and ext not in FORMATS and ext in registry.plugins()["readers"]:
        return ext  # a plugin's reader named after its extension
    return "text"


def check_paths(paths: Iterable[str]) -> None:
    """Missing inputs are usage errors (status 2), found before any output."""
    for path in paths:
        if path != "-" and not os.path.isfile(path):
            what = "is a directory" if os.path.isdir(path) else "does not exist"
            raise UsageError(f"input file {path!r} {what}")


def read_inputs(paths: list[str], forced: str | None = None, keep_boilerplate: bool = False) -> Iterator[Item]:
    """Items of every input in order; directories and globs expand as `segment` expands them."""
    for path in expand_inputs(paths or ["-"]):
        yield from read_one(path, format_for(path, forced), keep_boilerplate)


def read_one(path: str, fmt: str, keep_boilerplate: bool = False) -> Iterator[Item]:
    """The items of one file through the reader registered for `fmt`; `keep_boilerplate`
    keeps an HTML page's navigation, header and footer."""
    from seamline import registry

    reader = registry.load("readers", fmt)
    yield from reader(path, keep_boilerplate) if keep_boilerplate and fmt == "html" else reader(path)


# ---------------------------------------------------------------- inputs

GLOB_CHARS = "*?["
# A directory walk leaves out plain .json: beside documents it is mostly
# metadata (manifests, sidecars). Name .json documents or match them with a glob.
WALK_EXTENSIONS = tuple(ext for ext in EXTENSIONS if ext != ".json")


def readable(path: str) -> bool:
    name = os.path.basename(path).lower()
    return not name.startswith(".") and name.endswith(WALK_EXTENSIONS)


def walk(directory: str) -> list[str]:
    """Files under a directory with a known extension, hidden ones left out, in sorted order."""
    found = []
    for root, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found += [os.path.join(root, f) for f in sorted(files) if readable(f)]
    return found


def expand_inputs(args: Iterable[str]) -> list[str]:
    """Files for FILE, DIR and GLOB arguments, in the order given; '-' stays standard input."""
    out: list[str] = []
    for arg in args:
        if arg == "-" or os.path.isfile(arg):
            out.append(arg)
        elif os.path.isdir(arg):
            found = walk(arg)
            if not found:
                known = ", ".join(sorted(WALK_EXTENSIONS))
                raise UsageError(f"directory {arg!r} holds no input files (looked for {known})")
            out += found
        elif any(c in arg for c in GLOB_CHARS):
            matches = sorted(glob.glob(arg, recursive=True))
            found = []
            for match in matches:
                found += walk(match) if os.path.isdir(match) else [match] if os.path.isfile(match) else []
            if not found:
                raise UsageError(f"no input files match {arg!r}")
            out += found
        else:
            raise UsageError(f"input file {arg!r} does not exist")
    return out or ["-"]


def source_name(path: str) -> str:
    return STDIN_NAME if path == "-" else path


_STDIN: dict = {}


def binary_stdin():
    """Standard input as a binary stream of seamline's own, made once per descriptor.

    Not sys.stdin.buffer: a reader thread (chunk's prefetch) may still wait on
    it when the run ends, and the interpreter's shutdown would then find
    sys.stdin's lock held and abort. A sys.stdin without a descriptor (a test
    runner's, an embedding host's) is read as it is.
    """
    try:
        fd = sys.stdin.fileno()
    except (AttributeError, OSError, ValueError):
        return sys.stdin.buffer
    if fd not in _STDIN:
        _STDIN[fd] = open(fd, "rb", closefd=False)
    return _STDIN[fd]
