"""HTML tags inside plain-text documents: segment around them, never at them.

Privacy policies and terms of service often arrive as text with markup left
in (`<strong>1. Information We Collect</strong>`, `include:<ul><li>Your
name...</li>`). A sentence engine reading the tags as words cuts at them
("<strong>1. " | "Information We Collect</strong>"). Here the engine reads
the text with its tags taken out (block tags and `<br>` read as a line
break, inline tags as nothing), and its starts are mapped back to the
document, which stays as it is (units still tile it byte for byte):

- an opening tag right before a start goes with the unit it opens (with the
  opening tags and whitespace before it: `<ul>\\n<li>Send you...`); a closing
  tag (`</strong>`, `</li>`) or a `<br>` goes with the text before it;
- a cut inside a short element on one line (`<strong>1. Information We
  Collect</strong>`, `<p>5. Contact Us</p>`) is dropped;
- each list item, paragraph, heading or table row tag (`<li>`, `<p>`,
  `<h2>`, `<tr>`, `<div>`, ...) opens a unit of its own, since it opens a
  block of the page.

So no unit starts with a closing tag or an inline tag cut from its text, and
the only units starting with a tag are those it opens. Documents read as HTML
or PDF have no tags left in their text and are not touched; nor is a text with
fewer than two known tags (a lone `a<b` is not markup).
"""
from __future__ import annotations

import re
from bisect import bisect_right
from typing import Callable, Iterable

INLINE = frozenset("a abbr b big cite code em font i mark q s small span strike strong sub sup tt u".split())
# tags that open a block the reader would see as a paragraph or an item of its own
BLOCK_OPENERS = frozenset("p div li h1 h2 h3 h4 h5 h6 tr dt dd blockquote section article".split())
OTHER_BLOCKS = frozenset("ul ol dl table thead tbody tfoot td th pre header footer nav main aside".split())
BREAKS = frozenset(("br", "hr"))
KNOWN = INLINE | BLOCK_OPENERS | OTHER_BLOCKS | BREAKS
MIN_TAGS = 2
SKIPPED_FORMATS = ("html", "pdf")  # their readers leave no tags in the text
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)(?:\s[^<>]*)?/?>")


def markup_tags(text: str) -> list[re.Match]:
    """The known HTML tags in a text, or [] when there are fewer than MIN_TAGS."""
    if "<" not in text:
        return []
    tags = [m for m in _TAG.finditer(text) if m.group(2).lower() in KNOWN]
    return tags if len(tags) >= MIN_TAGS else []


LEVELS = ("sentence", "paragraph")  # a line is a line, tags or not; topics and legal units find their own


def applies(doc, segmenter) -> bool:
    """Whether a document's units are found around its tags: a sentence or paragraph engine, a text with tags."""
    return (getattr(segmenter, "kind", None) in LEVELS and (doc.meta or {}).get("format") not in SKIPPED_FORMATS
            and bool(markup_tags(doc.text)))


def markup_starts(text: str, starts_of: Callable[[str], Iterable[int]]) -> list[int]:
    """Unit starts for a text with tags: `starts_of` (an engine) reads it without them."""
    tags = markup_tags(text)
    clean, marks = _without_tags(text, tags)
    keys = [c for c, _ in marks]
    ends = {m.end(): m for m in tags}
    out = []
    for p in starts_of(clean):
        p = int(p)
        while p < len(clean) and clean[p].isspace():  # a start on whitespace moves past it, as tile does
            p += 1
        if 0 < p < len(clean):
            c, o = marks[bisect_right(keys, p) - 1]
            out.append(_with_opening_tags(text, o + (p - c), ends))
    out += [_with_opening_tags(text, m.end(), ends) for m in tags
            if not m.group(1) and m.group(2).lower() in BLOCK_OPENERS]
    spans = short_inline(text, tags)
    firsts = [a for a, _ in spans]
    kept = []
    for s in sorted(set(out)):
        i = bisect_right(firsts, s) - 1
        if i < 0 or not (spans[i][0] < s < spans[i][1]):
            kept.append(s)
    return kept


SHORT_INLINE = 80  # characters: a bold heading or term, not a paragraph of several sentences


def short_inline(text: str, tags: list[re.Match]) -> list[tuple[int, int]]:
    """(start, end) of short one-line elements (`<strong>1. Information We Collect</strong>`, `<p>5. Contact Us</p>`).

    The engine's cuts inside one are dropped: a number's dot in a bold heading
    is not a sentence end, and a cut there would start a unit inside the element.
    """
    spans = []
    for k, m in enumerate(tags):
        name = m.group(2).lower()
        if m.group(1) or name not in INLINE | BLOCK_OPENERS:
            continue
        close = next((c for c in tags[k + 1:k + 8] if c.group(1) and c.group(2).lower() == name), None)
        if close is not None and close.start() - m.end() <= SHORT_INLINE and "\n" not in text[m.end():close.start()]:
            spans.append((m.start(), close.end()))
    return spans


def _without_tags(text: str, tags: list[re.Match]) -> tuple[str, list[tuple[int, int]]]:
    """The text with tags out (block tags as a line break) and (clean offset, document offset) marks."""
    parts: list[str] = []
    marks: list[tuple[int, int]] = []
    pos = clean = 0
    for m in tags:
        marks.append((clean, pos))
        parts.append(text[pos:m.start()])
        clean += m.start() - pos
        if m.group(2).lower() not in INLINE:
            marks.append((clean, m.start()))
            parts.append("\n")
            clean += 1
        pos = m.end()
    marks.append((clean, pos))
    parts.append(text[pos:])
    return "".join(parts), marks


def _with_opening_tags(text: str, pos: int, ends: dict[int, re.Match]) -> int:
    """`pos` moved back over the opening tags (and whitespace between them) right before it."""
    best = k = pos
    while True:
        j = k
        while j > 0 and text[j - 1].isspace():
            j -= 1
        m = ends.get(j)
        if m is None or m.group(1) or m.group(2).lower() in BREAKS or m.group(0).endswith("/>"):
            return best
        best = k = m.start()
