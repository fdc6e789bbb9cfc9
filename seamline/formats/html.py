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

SKIP = frozenset("script style noscript template svg math iframe canvas object embed select button "
                 "head".split())
# Boilerplate: left out of the text and listed in meta.removed, unless --keep-boilerplate.
NAV_ROLES = frozenset({"navigation", "menu", "menubar", "search"})
PAGE_ROLES = {"banner": "header", "contentinfo": "footer", "complementary": "aside"}
PAGE_PARTS = frozenset({"header", "footer", "aside"})
MAIN = frozenset({"main", "article"})
_COOKIE = re.compile(r"cookie|consent|gdpr", re.I)
_CHROME = re.compile(r"(?:^|[\s_-])(newsletter|subscribe|breadcrumbs?|share|social|advert|ads|promo|popup)(?:$|[\s_-])",
                     re.I)
_HAS_MAIN = re.compile(r"<(?:main|article)\b|\brole=[\"']?main\b", re.I)
BLOCK = frozenset("p div section article main header footer aside blockquote figure figcaption address "
                  "form fieldset details summary dl dt dd ul ol table thead tbody tfoot caption hr center "
                  "h1 h2 h3 h4 h5 h6 pre li tr".split())
LINE_BLOCKS = frozenset({"li", "tr", "dt", "dd"})  # one line break apart, not a blank line
HEADINGS = {f"h{n}": n for n in range(1, 7)}
VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_SPACE = re.compile(r"\s+")
_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_-]+)""", re.I)


class _Reader(HTMLParser):
    def __init__(self, keep_boilerplate: bool = False, has_main: bool = False):
        super().__init__(convert_charrefs=True)
        self.keep = keep_boilerplate
        self.has_main = has_main and not keep_boilerplate  # then only <main>/<article> content is read
        self.main_stack: list[str] = []  # tags open since the main content began
        self.drop_stack: list[str] = []  # tags open since a piece of boilerplate began
        self.drop_where = ""
        self.dropped: list[str] = []  # the text of the boilerplate (or of what lies outside the main content)
        self.removed: list[dict] = []
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
        self.blocks: list[dict] = []  # <pre> blocks and tables: kept whole as one unit
        self.tables: list[list] = []  # open <table>s: [offset of the first row or None, a row is starting]
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
        if tag in SKIP or "hidden" in attrs or attrs.get("aria-hidden") == "true":
            if tag not in VOID:
                self.skip_stack.append(tag)
                self.skip_depth = 1
            return
        if self.drop_stack:
            if tag not in VOID:
                self.drop_stack.append(tag)
            if tag in BLOCK or tag == "br":
                self.dropped.append("\n")
            return
        where = None if self.keep else self.boilerplate(tag, attrs)
        if where is not None:
            self.end_outside()
            if tag not in VOID:
                self.drop_stack, self.drop_where, self.dropped = [tag], where, []
            return
        if self.has_main and not self.main_stack:
            if tag in MAIN or attrs.get("role") == "main":
                self.end_outside()
                self.main_stack = [tag]
            else:
                if tag in BLOCK or tag == "br":
                    self.dropped.append("\n")
                return
        elif self.main_stack and tag not in VOID:
            self.main_stack.append(tag)
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
            if self.tables and self.tables[-1][0] is None:
                self.tables[-1][1] = True  # the table starts with this row (not with its caption)
        elif tag == "table":
            self.tables.append([None, False])
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
        if self.drop_stack:
            if tag in self.drop_stack:
                while self.drop_stack.pop() != tag:
                    pass
                if not self.drop_stack:
                    self.record_removed(self.drop_where)
            return
        if self.has_main:
            if not self.main_stack:
                return
            if tag in self.main_stack:
                while self.main_stack.pop() != tag:
                    pass
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
            elif tag == "table" and self.tables:
                self.flush("\n\n")
                start = self.tables.pop()[0]
                if start is not None and not self.tables and self.pos > start:  # the outermost table only
                    self.blocks.append({"start": start, "end": self.pos, "kind": "table"})
                return
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
        elif self.skip_depth:
            return
        elif self.drop_stack or (self.has_main and not self.main_stack):
            self.dropped.append(data)
        else:
            self.inline.append(data)

    # -- boilerplate --
    def boilerplate(self, tag: str, attrs: dict) -> str | None:
        """Why an element is page furniture rather than content (None when it is content)."""
        role = attrs.get("role")
        if tag == "nav" or role in NAV_ROLES:
            return "navigation"
        if not self.main_stack and (tag in PAGE_PARTS or role in PAGE_ROLES):
            # a <header> inside <article> is the article's own: kept
            return PAGE_ROLES.get(role, tag)
        names = f"{attrs.get('class') or ''} {attrs.get('id') or ''}"
        if _COOKIE.search(names):
            return "cookie banner"
        chrome = _CHROME.search(names)
        return chrome.group(1).lower() if chrome else None

    def end_outside(self) -> None:
        """Text seen outside the main content so far goes to meta.removed."""
        if self.has_main and not self.main_stack and not self.drop_stack:
            self.record_removed("outside main")

    def record_removed(self, where: str) -> None:
        text = _SPACE.sub(" ", "".join(self.dropped)).strip()
        self.dropped = []
        if text:
            self.removed.append({"where": where, "kind": "boilerplate", "text": text})

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
            if self.tables and self.tables[-1][1]:
                self.tables[-1][0], self.tables[-1][1] = self.pos - len(block), False
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


def read_page(markup: str, keep_boilerplate: bool = False) -> dict:
    """The page's text and what the reader records about it: headings, title, code blocks, removed boilerplate.

    When the page marks its main content (<main>, <article>, role="main"), only
    that is read; otherwise navigation, page headers and footers, asides and
    cookie banners are left out. Either way what is left out is listed.
    """
    reader = _Reader(keep_boilerplate, bool(_HAS_MAIN.search(markup)))
    reader.feed(markup)
    reader.close()
    text = reader.text()
    reader.end_outside()
    code = [b for b in reader.blocks if b["kind"] == "code"]
    # a table holding a <pre> block is left to its code block (blocks do not nest)
    blocks = sorted((b for b in reader.blocks if b["kind"] == "code" or not any(
        b["start"] <= c["start"] < b["end"] for c in code)), key=lambda b: b["start"])
    return {"text": text, "headings": reader.headings, "blocks": blocks, "removed": reader.removed,
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


def read_html(path: str, keep_boilerplate: bool = False) -> Item:
    source = source_name(path)
    page = read_page(decode_html(read_bytes(path, source), source), keep_boilerplate)
    meta = {"format": "html", "headings": page["headings"]}
    if page["blocks"]:
        meta["blocks"] = page["blocks"]
    if page["removed"]:
        meta["removed"] = page["removed"]
    if page["title"]:
        meta["title"] = page["title"]
    return Item({"id": source, "text": page["text"], "meta": meta}, source, None)


def read_html_file(path: str, keep_boilerplate: bool = False):
    """The `html` reader as registered: an iterator of its one document."""
    yield read_html(path, keep_boilerplate)
