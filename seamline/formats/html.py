"""HTML files: the readable text, one block per paragraph, headings recorded.

Built on the standard library's html.parser. Scripts, styles, forms' widgets
and navigation (<nav>, role="navigation", hidden elements) are left out;
block elements (p, div, h1-h6, li, tr, ...) become separate blocks: paragraphs
and headings apart by a blank line, list items and table rows by a line
break. Inline whitespace is collapsed as a browser would, except inside
<pre>. Headings go to `meta.headings` with their offsets in the text, so units
can carry a heading `path`; the page <title> goes to `meta.title`.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser

from seamline.errors import InputError
from seamline.formats import Item, source_name
from seamline.formats.text import read_bytes

SKIP = frozenset("script style noscript template nav svg math iframe canvas object embed select button "
                 "head".split())
SKIP_ROLES = frozenset({"navigation", "menu", "menubar", "banner", "search"})
BLOCK = frozenset("p div section article main header footer aside blockquote figure figcaption address "
                  "form fieldset details summary dl dt dd ul ol table thead tbody tfoot caption hr center "
                  "h1 h2 h3 h4 h5 h6 pre li tr".split())
LINE_BLOCKS = frozenset({"li", "tr", "dt", "dd"})  # one line break apart, not a blank line
HEADINGS = {f"h{n}": n for n in range(1, 7)}
VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_SPACE = re.compile(r"\s+")
_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_-]+)""", re.I)


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.pos = 0
        self.inline: list[str] = []
        self.pending = ""  # the separator owed before the next block
        self.skip_depth = 0
        self.skip_stack: list[str] = []
        self.pre_depth = 0
        self.lists: list[list] = []  # [tag, counter] for open ul/ol
        self.heading: int | None = None
        self.headings: list[dict] = []
        self.blocks: list[dict] = []  # <pre> blocks: kept whole as one unit
        self.title: list[str] = []
        self.in_title = False
        self.cells = 0

    # -- events --
    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "title":
            self.in_title = True
            return
        if self.skip_depth:
            if tag not in VOID:
                self.skip_stack.append(tag)
                self.skip_depth += 1
            return
        if tag in SKIP or attrs.get("role") in SKIP_ROLES or "hidden" in attrs \
                or attrs.get("aria-hidden") == "true":
            if tag not in VOID:
                self.skip_stack.append(tag)
                self.skip_depth = 1
            return
        if tag == "br":
            self.flush("\n")
            return
        if tag in ("td", "th"):
            if self.cells:
                self.inline.append(" | ")
            self.cells += 1
            return
        if tag in BLOCK:
            self.flush("\n" if tag in LINE_BLOCKS else "\n\n")
        if tag in ("ul", "ol"):
            self.lists.append([tag, 0])
        elif tag == "li":
            marker = "- "
            if self.lists and self.lists[-1][0] == "ol":
                self.lists[-1][1] += 1
                marker = f"{self.lists[-1][1]}. "
            self.inline.append(marker)
        elif tag == "tr":
            self.cells = 0
        elif tag == "pre":
            self.pre_depth += 1
        elif tag in HEADINGS:
            self.heading = HEADINGS[tag]

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag == "title":
            self.in_title = False
            return
        if self.skip_depth:
            # close up to the matching open tag: HTML in the wild leaves tags unclosed
            if tag in self.skip_stack:
                while self.skip_stack:
                    self.skip_depth -= 1
                    if self.skip_stack.pop() == tag:
                        break
                if not self.skip_stack:
                    self.skip_depth = 0
            return
        if tag in HEADINGS and self.heading is not None:
            level = self.heading
            self.heading = None
            title = self.flush("\n\n")
            if title:
                start = self.pos - len(title)
                self.headings.append({"start": start, "end": self.pos, "level": level, "title": title})
        elif tag in BLOCK:
            if tag in ("ul", "ol") and self.lists:
                self.lists.pop()
            elif tag == "pre" and self.pre_depth:
                code = self.flush("\n\n")
                self.pre_depth -= 1
                if code and not self.pre_depth:
                    self.blocks.append({"start": self.pos - len(code), "end": self.pos, "kind": "code"})
                return
            self.flush("\n" if tag in LINE_BLOCKS else "\n\n")

    def handle_data(self, data):
        if self.in_title:
            self.title.append(data)
        elif not self.skip_depth:
            self.inline.append(data)

    # -- output --
    def flush(self, separator: str) -> str:
        """End the current block; the next block starts after `separator` (the stronger one wins)."""
        raw = "".join(self.inline)
        self.inline = []
        if self.pre_depth:
            block = raw.strip("\n").rstrip()
        else:
            block = _SPACE.sub(" ", raw).strip()
        if block:
            if self.parts:
                self.parts.append(self.pending or "\n")
                self.pos += len(self.pending or "\n")
            self.parts.append(block)
            self.pos += len(block)
            self.pending = ""
        if self.parts and len(separator) > len(self.pending):
            self.pending = separator
        return block

    def text(self) -> str:
        self.flush("")
        return "".join(self.parts) + ("\n" if self.parts else "")


def html_to_text(markup: str) -> tuple[str, list[dict], str]:
    """(text, headings, title) of an HTML page."""
    page = read_page(markup)
    return page["text"], page["headings"], page["title"]


def read_page(markup: str) -> dict:
    """The page's text and what the reader records about it: headings, title, code blocks."""
    reader = _Reader()
    reader.feed(markup)
    reader.close()
    text = reader.text()
    return {"text": text, "headings": reader.headings, "blocks": reader.blocks,
            "title": _SPACE.sub(" ", "".join(reader.title)).strip()}


def decode_html(data: bytes, source: str) -> str:
    """UTF-8 unless the page declares another charset in a <meta> tag."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    declared = _CHARSET.search(data[:4096])
    encoding = declared.group(1).decode("ascii").lower() if declared else "utf-8"
    try:
        return data.decode(encoding)
    except LookupError:
        return decode_html(data.replace(declared.group(0), b""), source)
    except UnicodeDecodeError as err:
        raise InputError(f"not valid {encoding} at byte {err.start}; convert it with iconv -t UTF-8", source) from None


def read_html(path: str) -> Item:
    source = source_name(path)
    page = read_page(decode_html(read_bytes(path, source), source))
    meta = {"format": "html", "headings": page["headings"]}
    if page["blocks"]:
        meta["blocks"] = page["blocks"]
    if page["title"]:
        meta["title"] = page["title"]
    return Item({"id": source, "text": page["text"], "meta": meta}, source, None)
