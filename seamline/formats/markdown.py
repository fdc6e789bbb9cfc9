"""Markdown files: the text byte for byte, with its headings recorded in meta.

Nothing is rendered or removed: the document text is the file, so units keep
their Markdown. What the reader adds is `meta.headings`, one entry per ATX
(`## Title`) or setext (`Title` over `===`) heading outside code blocks and
front matter, which the pipeline turns into each unit's heading `path`; and
`meta.blocks`, one `{start, end, kind: "code", lang}` per fenced code block
(fences included), which every sentence engine keeps whole as one unit.
"""
from __future__ import annotations

import re

from seamline.formats import Item, source_name
from seamline.formats.text import read_source

_ATX = re.compile(r" {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r" {0,3}(=+|-+)[ \t]*$")
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")


def read_markdown(path: str) -> Item:
    source = source_name(path)
    text = read_source(path, source)
    meta = {"format": "markdown", "headings": markdown_headings(text)}
    blocks = code_blocks(text)
    if blocks:
        meta["blocks"] = blocks
    return Item({"id": source, "text": text, "meta": meta}, source, None)


def markdown_headings(text: str) -> list[dict]:
    """[{start, end, level, title}] for each heading; start/end span the heading's lines."""
    headings: list[dict] = []
    lines = _lines(text)
    fence = None
    previous = None  # (start, end, line) of a paragraph line that a setext underline may promote
    for index, (start, end, line) in enumerate(lines):
        if index == 0 and line.strip() == "---":
            fence = "---"  # YAML front matter runs to the next '---'
            continue
        if fence is not None:
            if line.strip().startswith(fence) or (fence == "---" and line.strip() in ("---", "...")):
                fence = None
            previous = None
            continue
        opened = _FENCE.match(line)
        if opened:
            fence = opened.group(1)  # closed by a fence at least as long (CommonMark)
            previous = None
            continue
        atx = _ATX.match(line)
        if atx:
            headings.append({"start": start, "end": end, "level": len(atx.group(1)),
                             "title": (atx.group(2) or "").strip()})
            previous = None
            continue
        setext = _SETEXT.match(line)
        if setext and previous is not None and not line.startswith("    "):
            level = 1 if setext.group(1)[0] == "=" else 2
            headings.append({"start": previous[0], "end": end, "level": level, "title": previous[2].strip()})
            previous = None
            continue
        plain = line.strip()
        # Only a single paragraph line directly above an underline becomes a
        # setext heading here; list items and quotes never do.
        previous = (start, end, line) if plain and not plain.startswith(("-", "*", ">", "|")) else None
    return headings


def code_blocks(text: str) -> list[dict]:
    """[{start, end, kind: "code", lang}] for each fenced code block, from its opening fence to its closing one.

    A fence left open runs to the end of the document, as CommonMark reads it.
    """
    blocks: list[dict] = []
    lines = _lines(text)
    open_at = None  # (start offset, fence, info string) of the open fence
    for index, (start, end, line) in enumerate(lines):
        if index == 0 and line.strip() == "---":
            open_at = (start, "---", "")  # front matter: skipped like a fence, but not recorded
            continue
        if open_at is None:
            opened = _FENCE.match(line)
            if opened:
                open_at = (start, opened.group(1), line[opened.end():].strip())
            continue
        fence = open_at[1]
        stripped = line.strip()
        closes = stripped in ("---", "...") if fence == "---" else (
            stripped.startswith(fence) and not stripped.strip(fence[0]))
        if closes:
            if fence != "---":
                blocks.append(_block(open_at, end))
            open_at = None
    if open_at is not None and open_at[1] != "---":
        blocks.append(_block(open_at, len(text.rstrip())))
    return blocks


def _block(open_at: tuple[int, str, str], end: int) -> dict:
    block = {"start": open_at[0], "end": end, "kind": "code"}
    lang = open_at[2].split()[0] if open_at[2] else ""
    if lang:
        block["lang"] = lang
    return block


def _lines(text: str) -> list[tuple[int, int, str]]:
    out = []
    pos = 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        out.append((pos, pos + len(body), body))
        pos += len(line)
    return out


def read_markdown_file(path: str):
    """The `markdown` reader as registered: an iterator of its one document."""
    yield read_markdown(path)
