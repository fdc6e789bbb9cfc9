"""Units from layout alone: paragraphs and lines.

`layout` (the default paragraph engine) reads the shape of the text: a blank
line always ends a paragraph; a single line break ends one too when the text
is not hard-wrapped (one paragraph per line), and in hard-wrapped text or PDF
extractions when the line before it stops well short of the wrap width after
sentence-final punctuation (the next line's first word would have fitted), or the next line is indented more than the body
or starts with a list marker. `blankline` splits at blank lines only.
"""
from __future__ import annotations

import re

_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n")
_NEWLINE = re.compile(r"\n")
_LIST_MARKER = re.compile(r"[ \t]*(?:[-*\u2022\u25aa\u2013\u2014]\s|\(?[0-9]{1,3}[.)]\s|\(?[a-zA-Z][.)]\s"
                          r"|\([ivxlcIVXLC]{1,6}\)\s|\u00a7)")
_ENDS_SENTENCE = re.compile(r"[.!?:;\u2026\"'\u201d\u2019)\]]\s*$")
_INDENT = re.compile(r"[ \t\u00a0]*")
SHORT_LINE = 0.75     # lines at least this share of the wrap width count as wrapped
WRAPPED_SHARE = 0.5   # the share of lines ending near the width that marks hard-wrapped text


class BlankLineParagraphs:
    name = "blankline"
    kind = "paragraph"
    thread_safe = True  # starts() keeps no state between calls: `chunk` may call it on a worker thread

    def __init__(self, **_options):
        pass

    def starts(self, text: str):
        return [m.end() for m in _BLANK_LINE.finditer(text)]


class LayoutParagraphs:
    name = "layout"
    kind = "paragraph"
    thread_safe = True  # starts() keeps no state between calls: `chunk` may call it on a worker thread

    def __init__(self, **_options):
        pass

    def starts(self, text: str) -> list[int]:
        lines = _lines(text)
        body = [(s, e) for s, e in lines if text[s:e].strip()]
        width = _wrap_width(text, body)
        wrapped = width > 0 and _is_hard_wrapped(text, body, width)
        indent = _body_indent(text, body)
        out = []
        for (s0, e0), (s1, e1) in zip(lines, lines[1:]):
            prev, line = text[s0:e0], text[s1:e1]
            if not line.strip():
                continue
            if not prev.strip():
                out.append(s1)      # the first line after a blank line
            elif not wrapped or _breaks_wrapped(prev, line, width, indent):
                out.append(s1)
        return out


def _lines(text: str) -> list[tuple[int, int]]:
    edges = [0] + [m.end() for m in _NEWLINE.finditer(text)]
    if edges[-1] != len(text):
        edges.append(len(text))
    return list(zip(edges, edges[1:]))


def _wrap_width(text: str, body: list[tuple[int, int]]) -> int:
    """The line width the text was wrapped at: the 90th percentile of line lengths (0 if too few lines)."""
    if len(body) < 4:
        return 0
    lengths = sorted(len(text[s:e].rstrip()) for s, e in body)
    return lengths[int(0.9 * (len(lengths) - 1))]


def _is_hard_wrapped(text: str, body: list[tuple[int, int]], width: int) -> bool:
    near = sum(1 for s, e in body if len(text[s:e].rstrip()) >= SHORT_LINE * width)
    return width >= 30 and near >= WRAPPED_SHARE * len(body)


def _body_indent(text: str, body: list[tuple[int, int]]) -> int:
    counts: dict[int, int] = {}
    for s, e in body:
        k = _INDENT.match(text, s, e).end() - s
        counts[k] = counts.get(k, 0) + 1
    return max(counts, key=lambda k: (counts[k], -k)) if counts else 0


def _breaks_wrapped(prev: str, line: str, width: int, indent: int) -> bool:
    if _LIST_MARKER.match(line):
        return True
    if len(_INDENT.match(line).group()) > indent:
        return True   # a first-line indent
    # the line stopped early: the next line's first word would have fitted on it
    first_word = len(line.split(None, 1)[0])
    fits = len(prev.rstrip()) + 1 + first_word <= width
    return fits and bool(_ENDS_SENTENCE.search(prev))


class Lines:
    name = "newline"
    kind = "line"
    thread_safe = True  # starts() keeps no state between calls: `chunk` may call it on a worker thread

    def __init__(self, **_options):
        pass

    def starts(self, text: str):
        return [m.end() for m in _NEWLINE.finditer(text)]
