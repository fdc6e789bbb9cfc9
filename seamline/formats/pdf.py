"""PDF files through pdfplumber: text in reading order, page furniture kept out.

What this reader does, page by page, on pdfplumber's words:

1. Running headers, footers and page numbers: rows near the top or bottom
   edge whose text (digits ignored) comes back on other pages, or that are a
   bare page number, are left out of the text and listed in `meta.removed`.
2. Reading order: words become line segments (split at wide gaps); a column
   gutter is a vertical band that no segment of a column crosses with text-
   like segments on both sides. Lines crossing it (titles, wide figures) cut
   the page into bands; inside a band the left column is read before the
   right, recursively, so two- and three-column pages read naturally.
3. Paragraphs: a blank line where the vertical gap is wider than the usual
   line gap, where a first line is indented, or where the font changes.
4. Words hyphenated across a line end are joined ("bound-" + "ary" ->
   "boundary"); `meta.hyphens` gives the offsets where a hyphen was taken out.
5. Headings: short lines in a larger or bold font standing alone; recorded in
   `meta.headings` so the pipeline can give each unit a heading `path`.
6. Tables (ruled grids, and aligned rows of figures under a header; see
   seamline.formats.pdf_tables) leave the running text and come back as one
   block where they stood, listed in `meta.blocks` (kind "table").

Pages are joined with "\n\f" and `meta.pages` holds each page's [start, end)
character range, so any unit maps back to the pages it spans. Pages whose
text is rotated or vertical fall back to pdfplumber's own extract_text.
"""
from __future__ import annotations

import io
import re
import statistics
import sys
from collections import Counter
from dataclasses import dataclass, field

from seamline.errors import InputError, MissingExtra
from seamline.formats import Item, source_name
from seamline.legal.patterns import SIGNATURE_LINE, form_or_signature

PAGE_BREAK = "\n\f"
EDGE_ZONE = 0.12       # share of the page height where headers and footers live
EDGE_ROWS = 3          # at most this many rows at each edge can be furniture
WORD_GAP = 0.15        # a gap wider than this many font sizes separates two words
GAP_SPLIT = 0.9        # a horizontal gap wider than this many font sizes splits a line
MIN_COLUMN_LINES = 3   # a column has at least this many lines
MIN_COLUMN_WORDS = 4   # ... whose median word count is at least this (tables have fewer)
_PAGE_NUMBER = re.compile(r"^(page\s+)?[-\u2013\u2014(]?\s*([0-9]+|[ivxlcdm]+)\s*[-\u2013\u2014)]?"
                          r"(\s*(of|/)\s*[0-9]+)?$", re.I)
_DIGITS = re.compile(r"[0-9]+")
# page numbers in words or with a document's prefix: "Page Three", "3 | Page", "C - 1", "A-12", "Page ii"
_NUMBER_WORDS = ("one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
                 "sixteen seventeen eighteen nineteen twenty thirty forty fifty").split()
_PAGE_WORDS = re.compile(r"^(?:page\s+(?:(?:%s)[\s-]*)+|[0-9]+\s*\|\s*page|page\s+[ivxlc]+"
                         r"|[A-Z]{1,2}\s*[-\u2013\u2014]\s*[0-9]{1,3})$" % "|".join(_NUMBER_WORDS), re.I)
_BOLD = re.compile(r"bold|black|heavy|semibold|demi|medi", re.I)
# section numbers: 2, 2.1, 2.1.3 (with or without a final dot), I. to XX., A. to Z.
_SECTION = re.compile(r"^(\d{1,2}(?:\.\d{1,2})*\.?|[IVX]{1,5}\.|[A-Z]\.)\s+[A-Z\u00c0-\u00de]")
_ROMAN = re.compile(r"^[IVX]+\.$")
# a line that opens a numbered provision: "4.01 Program ...", "ARTICLE 4 - ...", "Section 2.3"
_NUMBERED = re.compile(r"^(?:\d{1,3}(?:\.\d{1,3})+\.?\s|(?:ARTICLE|Article|SECTION|Section)\s+[0-9IVXLC]+\b)")
_DECIMAL = re.compile(r"^\d{1,3}(?:\.\d{1,3})+\.?\s")  # "4.01 ...": a heading line that takes no title line after it
_BARE_NUMBER = re.compile(r"^\d+\s")  # "3 Great Pasture Road", "2 Methods": no dot after the number
_NUMBER_PARTS = re.compile(r"^(?:(?:ARTICLE|Article|SECTION|Section)\s+)?(\d{1,3}(?:\.\d{1,3})*)\b")
_SENTENCE_END = re.compile(r"[.!?:;][\"')\]\u201d\u2019]*$")


@dataclass
class Line:
    """A line segment: words on one baseline with no wide gap between them."""

    words: list
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool
    text: str = ""
    region: int = 0
    table: object = None   # a Table (seamline.formats.pdf_tables) this line stands for: its text is the table's


    @property
    def word_count(self) -> int:
        return len(self.words)


@dataclass
class Page:
    number: int
    height: float = 792.0
    rows: list = field(default_factory=list)   # rows of Lines, top to bottom
    fallback: str | None = None                 # the text of a vertical or rotated page, read apart
    layout: str = ""                            # "vertical" or "rotated" for those pages
    has_images: bool = False
    chars: int = 0


# ---------------------------------------------------------------- entry point

def read_pdf(path: str) -> Item:
    source = source_name(path)
    pdfplumber = _import_pdfplumber()
    target = io.BytesIO(sys.stdin.buffer.read()) if path == "-" else path
    try:
        with pdfplumber.open(target) as pdf:
            pages = [read_page(page, number) for number, page in enumerate(pdf.pages, 1)]
    except (InputError, MemoryError, KeyboardInterrupt):
        raise
    except Exception as err:  # pdfminer raises many unrelated types for damaged files
        raise _open_error(err, source) from None
    if not any(page.chars for page in pages):
        if any(page.has_images for page in pages):
            raise InputError("the PDF has only images and no text layer (a scan?); seamline does not do OCR: "
                             "run an OCR tool such as ocrmypdf first", source)
        raise InputError("the PDF has no text at all", source)
    text, meta = assemble(pages)
    return Item({"id": source, "text": text, "meta": meta}, source, None)


def _import_pdfplumber():
    try:
        import pdfplumber
    except ImportError:
        raise MissingExtra("pdfplumber", None, "reading PDF files") from None
    return pdfplumber


def _open_error(err: Exception, source: str) -> InputError:
    names = f"{type(err).__name__} {type(err.__cause__).__name__ if err.__cause__ else ''} {err}"
    for arg in getattr(err, "args", ()):
        names += f" {type(arg).__name__}"
    lowered = names.lower()
    if "password" in lowered or "encrypt" in lowered:
        return InputError("the PDF is encrypted; decrypt it first (for example: qpdf --decrypt in.pdf out.pdf)",
                          source)
    detail = str(err).strip().splitlines()[0][:120] if str(err).strip() else type(err).__name__
    return InputError(f"cannot read this PDF ({detail}); is the file damaged or not a PDF?", source)


# ---------------------------------------------------------------- one page

def read_page(page, number: int) -> Page:
    out = Page(number, float(page.height))
    # A tolerance relative to the font size: tightly justified lines have word
    # gaps under pdfplumber's fixed 3 pt default, which would glue words together.
    words = page.extract_words(x_tolerance_ratio=WORD_GAP, extra_attrs=["size", "fontname"])
    out.chars = sum(len(w["text"]) for w in words)
    out.has_images = bool(page.images)
    if not words:
        return out
    sideways = sum(1 for w in words if not w.get("upright", True))
    single = sum(1 for w in words if len(w["text"]) == 1)
    if len(words) > 5 and single > 0.8 * len(words):
        # vertical writing: one glyph a word, read column by column
        out.fallback, out.layout = vertical_text(page.chars), "vertical"
        return out
    if sideways > len(words) / 2:
        # rotated text (a landscape table): our line model does not apply
        out.fallback, out.layout = page.extract_text() or "", "rotated"
        return out
    from seamline.formats.pdf_tables import split_tables

    tables, words = split_tables(page, [w for w in words if w.get("upright", True)])
    out.rows = [split_row(row) for row in group_rows(words)] if words else []
    for table in tables:  # each table is one row of its own, where it stood on the page
        line = Line([], table.x0, table.x1, table.top, table.bottom, table.size, False, table.text, table=table)
        at = next((k for k, row in enumerate(out.rows) if row[0].top >= table.top), len(out.rows))
        out.rows.insert(at, [line])
    return out


def vertical_text(chars: list[dict]) -> str:
    """Vertical writing in column order: one line per column.

    Glyphs are grouped into columns by their horizontal position. Each column is
    read in the direction its glyphs were written in (the content stream's
    order) or, for Japanese and Chinese, always top to bottom; bottom to top for
    Latin text turned a quarter left. Columns written top to bottom follow
    each other from right to left, the others from left to right.
    """
    indexed = [(i, c) for i, c in enumerate(chars) if c["text"].strip()]
    if not indexed:
        return ""
    indexed.sort(key=lambda ic: (ic[1]["x0"] + ic[1]["x1"]) / 2)
    columns: list[list[tuple[int, dict]]] = []
    for i, c in indexed:
        mid = (c["x0"] + c["x1"]) / 2
        if columns and mid - columns[-1][-1][1]["x1"] < 0.3 * (c["x1"] - c["x0"]) + 0.5:
            columns[-1].append((i, c))
        else:
            columns.append([(i, c)])
    # Chinese and Japanese set vertically always read top down; turned Latin text the way it was written
    cjk = sum(1 for _, c in indexed if _cjk(c["text"])) > len(indexed) / 2
    down = cjk or sum(1 for col in columns if _written_down(col)) >= len(columns) / 2
    ordered = reversed(columns) if down else columns
    lines = []
    for col in ordered:
        col = sorted(col, key=lambda ic: ic[1]["top"], reverse=not down)
        lines.append(_column_text([c for _, c in col], down))
    return "\n".join(line for line in lines if line)


def _written_down(column: list[tuple[int, dict]]) -> bool:
    """Whether a column's glyphs come in the content stream from top to bottom."""
    first = min(column, key=lambda ic: ic[0])[1]
    last = max(column, key=lambda ic: ic[0])[1]
    return last["top"] >= first["top"]


def _column_text(chars: list[dict], down: bool) -> str:
    """A column's glyphs joined; a gap of more than half a glyph between two Latin letters is a space."""
    out = []
    for prev, c in zip([None, *chars], chars):
        if prev is not None and not _cjk(c["text"]):
            gap = (c["top"] - prev["bottom"]) if down else (prev["top"] - c["bottom"])
            if gap > 0.5 * (c["x1"] - c["x0"]) * 0.5:
                out.append(" ")
        out.append(c["text"])
    return "".join(out)


def _cjk(ch: str) -> bool:
    return "\u3000" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or "\uff00" <= ch <= "\uffef"


def group_rows(words: list[dict]) -> list[list[dict]]:
    """Words on the same visual line (across the whole page width), top to bottom."""
    words = sorted(words, key=lambda w: (w["top"] + w["bottom"]) / 2)
    rows: list[list[dict]] = []
    mid = None
    for w in words:
        m = (w["top"] + w["bottom"]) / 2
        tol = max(1.0, 0.45 * (w["bottom"] - w["top"]))
        if rows and abs(m - mid) <= tol:
            rows[-1].append(w)
        else:
            rows.append([w])
            mid = m
    return [sorted(r, key=lambda w: w["x0"]) for r in rows]


def split_row(row: list[dict]) -> list[Line]:
    """A row cut into line segments at gaps wider than GAP_SPLIT font sizes."""
    segments: list[list[dict]] = [[row[0]]]
    for prev, w in zip(row, row[1:]):
        size = max(prev["size"], w["size"], 1.0)
        if w["x0"] - prev["x1"] > GAP_SPLIT * size:
            segments.append([w])
        else:
            segments[-1].append(w)
    return [make_line(seg) for seg in segments]


def make_line(words: list[dict]) -> Line:
    sizes = Counter()
    bold = 0
    total = 0
    parts = []
    prev = None
    for w in words:
        n = len(w["text"])
        sizes[round(w["size"], 1)] += n
        bold += n if _BOLD.search(w["fontname"] or "") else 0
        total += n
        # words split only by a font change (italic, ligature font) touch: no space
        if prev is not None:
            parts.append(" " if w["x0"] - prev["x1"] > 0.12 * max(w["size"], 1.0) else "")
        parts.append(w["text"])
        prev = w
    return Line(words, min(w["x0"] for w in words), max(w["x1"] for w in words),
                min(w["top"] for w in words), max(w["bottom"] for w in words),
                sizes.most_common(1)[0][0], bold > total / 2, "".join(parts))


# ---------------------------------------------------------------- furniture

def row_text(row: list[Line]) -> str:
    return " ".join(line.text for line in row)


def furniture_key(row: list[Line]) -> str:
    return furniture_key_text(row_text(row))


def furniture_key_text(text: str) -> str:
    """Rows compare with digits ignored: "Page 3" and "Page 4" are the same furniture."""
    return _DIGITS.sub("#", " ".join(text.lower().split()))


def edge_rows(page: Page, height: float) -> list[tuple[int, str]]:
    """(row index, 'header'|'footer') for rows that may be page furniture, from each edge inward.

    A row qualifies when it lies near the edge (EDGE_ZONE), or when it stands
    apart from the rows inside it by at least a blank line: pages filed with
    the SEC are shrunk onto a larger sheet, so their "Page 3 of 31" sits just
    under the body text, far from the sheet's edge, but still set apart.
    """
    rows = page.rows
    out: list[tuple[int, str]] = []
    for i in range(min(EDGE_ROWS, len(rows))):
        if rows[i][0].table is not None or not (rows[i][0].top < EDGE_ZONE * height or (i + 1 < len(rows) and _apart(rows[i], rows[i + 1]))):
            break
        out.append((i, "header"))
    taken = {i for i, _ in out}
    for i in range(len(rows) - 1, max(-1, len(rows) - 1 - EDGE_ROWS), -1):
        if i in taken or rows[i][0].table is not None or not (rows[i][0].bottom > (1 - EDGE_ZONE) * height or (i and _apart(rows[i - 1], rows[i]))):
            break
        out.append((i, "footer"))
    return out


def _apart(upper: list[Line], lower: list[Line]) -> bool:
    """Whether two rows are separated by at least a blank line."""
    size = max(line.size for line in upper + lower)
    return min(l.top for l in lower) - max(l.bottom for l in upper) >= 0.6 * size


def remove_furniture(pages: list[Page], heights: list[float]) -> list[dict]:
    """Drop running headers, footers and page numbers from the pages' rows; return what was dropped.

    Rows are taken from each edge inward and only while every row nearer the
    edge was furniture too, so a body line is never taken from between two.
    """
    candidates = {p.number: edge_rows(p, h) for p, h in zip(pages, heights)}
    seen: dict = {}
    for page in pages:
        for i, where in candidates[page.number]:
            text = row_text(page.rows[i])
            seen.setdefault((where, furniture_key(page.rows[i])), []).append((page.number, text))
    removed = []
    for page in pages:
        drop = set()
        for where in ("header", "footer"):
            for i, w in candidates[page.number]:  # from the edge inward
                if w != where:
                    continue
                kind = _furniture_kind(page.rows[i], where, page.number, seen, pages)
                if kind is None:
                    break
                drop.add(i)
                removed.append({"page": page.number, "where": where, "kind": kind,
                                "text": row_text(page.rows[i])})
        if drop:
            page.rows = [row for i, row in enumerate(page.rows) if i not in drop]
    removed += _numbers_inside(pages, removed)
    removed.sort(key=lambda r: (r["page"], {"header": 0, "inside": 1, "footer": 2}[r["where"]]))
    return removed


def _numbers_inside(pages: list[Page], removed: list[dict]) -> list[dict]:
    """Bare page numbers in the middle of a sheet (a printout whose page breaks fall inside the sheet).

    Taken only when the document's other page numbers vouch for them: the number
    is off from its sheet's number by the amount a page number found at an edge
    is (give or take one), and the row stands apart from the rows above and
    below it. Listed with "where": "inside".
    """
    # a sheet may hold the end of one printed page and the start of the next: one off either way
    offsets = {int(r["text"]) - r["page"] + d for r in removed if r["kind"] == "page_number" and r["text"].isdigit()
               for d in (-1, 0, 1)}
    found = []
    for page in pages:
        keep = []
        for i, row in enumerate(page.rows):
            text = row_text(row).strip()
            if (text.isdigit() and 0 < i < len(page.rows) - 1 and int(text) - page.number in offsets
                    and _apart(page.rows[i - 1], row) and _apart(row, page.rows[i + 1])):
                found.append({"page": page.number, "where": "inside", "kind": "page_number", "text": text})
            else:
                keep.append(row)
        page.rows = keep
    return found


def _furniture_kind(row: list[Line], where: str, number: int, seen: dict, pages: list) -> str | None:
    text = row_text(row).strip()
    if _PAGE_NUMBER.match(text) or _PAGE_WORDS.match(text):
        return "page_number"
    key = furniture_key(row)
    others = seen.get((where, key), ())
    if len(key) < 2:
        return None
    # the same text twice may be a title and its repetition; three times, or a page counter, is furniture
    same = sum(1 for other, t in others if other != number and t == text)
    if same >= max(1, min(2, len(pages) - 1)) or any(_counts_pages(number, text, other, t) for other, t in others):
        return "running"
    return None


def _counts_pages(page: int, text: str, other: int, other_text: str) -> bool:
    """Whether a row on another page is the same furniture with numbers that count the pages.

    "C - 3" on page 5 and "C - 4" on page 6 go together, as do Bates numbers and
    "Vol. 85 ... 47699"; "ARTICLE 5" on page 3 and "ARTICLE 7" on page 4 do not:
    they are headings that happen to open two pages.
    """
    if other == page or text == other_text:
        return False
    steps = {int(a) - int(b) for a, b in zip(_DIGITS.findall(text), _DIGITS.findall(other_text)) if a != b}
    return steps == {page - other}


# ---------------------------------------------------------------- reading order

def reading_order(lines: list[Line], region: list[int]) -> list[Line]:
    """Line segments in reading order; each gets a region number (its column block)."""
    gutter = find_gutter(lines)
    if gutter is None:
        region[0] += 1
        for line in lines:
            line.region = region[0]
        return merge_rows(lines)
    out: list[Line] = []
    band: list[Line] = []
    spanning: list[Line] = []
    for line in sorted(lines, key=lambda l: l.top):
        if line.x0 < gutter < line.x1:
            if band:
                out += _columns(band, gutter, region)
                band = []
            spanning.append(line)
        else:
            if spanning:
                out += reading_order(spanning, region)
                spanning = []
            band.append(line)
    if band:
        out += _columns(band, gutter, region)
    if spanning:
        out += reading_order(spanning, region)
    return out


def _columns(band: list[Line], gutter: float, region: list[int]) -> list[Line]:
    left = [l for l in band if l.x1 <= gutter]
    right = [l for l in band if l.x0 >= gutter]
    return (reading_order(left, region) if left else []) + (reading_order(right, region) if right else [])


def find_gutter(lines: list[Line]) -> float | None:
    """x of a column gutter: text-like columns on both sides, few lines crossing it."""
    if len(lines) < 2 * MIN_COLUMN_LINES:
        return None
    best = None
    for x in sorted({round(l.x1 + 1.0) for l in lines}):
        left = [l for l in lines if l.x1 <= x]
        right = [l for l in lines if l.x0 >= x]
        if len(left) < MIN_COLUMN_LINES or len(right) < MIN_COLUMN_LINES:
            continue
        crossing = len(lines) - len(left) - len(right)
        if crossing > 0.25 * (len(left) + len(right)):
            continue
        # a clean band: every left line ends before every right line starts
        free = min(l.x0 for l in right) - max(l.x1 for l in left)
        if free < 2.0:
            continue
        if not (_text_like(left) and _text_like(right)):
            continue
        score = min(len(left), len(right)) - crossing
        if best is None or score > best[0]:
            best = (score, (max(l.x1 for l in left) + min(l.x0 for l in right)) / 2)
    return None if best is None else best[1]


def _text_like(lines: list[Line]) -> bool:
    """Running text: enough lines of several words (figure labels and table cells have few)."""
    long = [l.word_count for l in lines if l.word_count >= MIN_COLUMN_WORDS]
    return len(long) >= MIN_COLUMN_LINES and sum(long) >= 0.5 * sum(l.word_count for l in lines)


def merge_rows(lines: list[Line]) -> list[Line]:
    """Segments of one region on the same row (a table row, a numbered line) become one line."""
    rows: list[list[Line]] = []
    mid = 0.0
    for line in sorted(lines, key=lambda l: (l.top + l.bottom) / 2):
        m = (line.top + line.bottom) / 2
        if (rows and line.table is None and rows[-1][-1].table is None
                and abs(m - mid) <= max(1.0, 0.45 * (line.bottom - line.top))):
            rows[-1].append(line)
        else:
            rows.append([line])
            mid = m
    return [_join(sorted(row, key=lambda l: l.x0)) for row in rows]


def _join(row: list[Line]) -> Line:
    if len(row) == 1:
        return row[0]
    words = [w for line in row for w in line.words]
    joined = make_line(words)
    joined.region = row[0].region
    # segments were split at wide gaps: keep one space between them
    joined.text = " ".join(line.text for line in row)
    return joined


def unruled_tables(lines: list[Line]) -> list[Line]:
    """Runs of lines that are rows of a table of figures drawn without rules, each made one table line.

    A run is at least 3 consecutive lines of one column block, each cut at wide
    gaps into the same number (3 or more) of cells whose columns line up, with
    short cells that are mostly figures right of the first column. Up to two
    lines right above it whose cells sit in its columns are its header, joined
    by column ("Throughput (chars/sec)"); header lines and a first row taken
    as the header hold figures in at most a third of their cells. Without a
    header the run is left as lines of text: the chunker repeats a table's
    first row as its header.
    """
    from seamline.formats import pdf_tables as pt

    out: list[Line] = []
    i = 0
    while i < len(lines):
        rows = _cell_rows(lines, i)
        if len(rows) >= pt.MIN_UNRULED_ROWS and pt.aligned_rows(rows) and pt.data_rows(rows):
            head = _header_above(out, lines[i], rows)
            if head or pt.header_like(rows[0]):  # without a header row it is left as lines of text
                table = pt.unruled_table([line.words for line in head], rows)
                line = Line([], table.x0, table.x1, table.top, table.bottom, table.size, False, table.text,
                            table=table)
                line.region = lines[i].region
                out.append(line)
                i += len(rows)
                continue
            out += head
        out.append(lines[i])
        i += 1
    return out


def _cells(line: Line) -> list[list[dict]]:
    from seamline.formats.pdf_tables import cells_of

    return cells_of(sorted(line.words, key=lambda w: w["x0"]), GAP_SPLIT)


def _cell_rows(lines: list[Line], i: int) -> list[list[list[dict]]]:
    """The cells of the lines from i on that could be rows of one table: same column block, same cell count (3+)."""
    from seamline.formats.pdf_tables import MIN_UNRULED_COLUMNS

    rows: list[list[list[dict]]] = []
    for line in lines[i:]:
        if line.table is not None or line.region != lines[i].region or not line.words:
            break
        cells = _cells(line)
        if len(cells) < MIN_UNRULED_COLUMNS or (rows and len(cells) != len(rows[0])):
            break
        rows.append(cells)
    return rows


def _header_above(out: list[Line], first: Line, rows: list) -> list[Line]:
    """Up to two lines just above a table's rows (taken off `out`) whose cells stand over its columns."""
    from seamline.formats import pdf_tables as pt

    columns = [(min(w["x0"] for r in rows for w in r[c]), max(w["x1"] for r in rows for w in r[c]))
               for c in range(len(rows[0]))]
    head: list[Line] = []
    top = first.top
    while (len(head) < 2 and out and out[-1].table is None and out[-1].region == first.region and out[-1].words
           and top - out[-1].bottom <= 2.5 * out[-1].size
           and pt.header_fits(sorted(out[-1].words, key=lambda w: w["x0"]), columns, GAP_SPLIT)
           and pt.header_like(_cells(out[-1]))):
        head.insert(0, out.pop())
        top = head[0].top
    return head


# ---------------------------------------------------------------- text

@dataclass
class Builder:
    parts: list = field(default_factory=list)
    pos: int = 0
    hyphens: list = field(default_factory=list)
    headings: list = field(default_factory=list)
    blocks: list = field(default_factory=list)

    def add(self, s: str) -> None:
        self.parts.append(s)
        self.pos += len(s)


def assemble(pages: list[Page]) -> tuple[str, dict]:
    removed = remove_furniture(pages, [p.height for p in pages])
    body = body_size(pages)
    ordered = []
    for page in pages:
        lines = [line for row in page.rows for line in row]
        ordered.append(unruled_tables(reading_order(lines, [0])) if lines else [])
    styles = heading_styles(ordered, body)
    out = Builder()
    ranges = []
    for page, lines in zip(pages, ordered):
        if page.number > 1:
            out.add(PAGE_BREAK)
        start = out.pos
        if page.fallback is not None:
            out.add(page.fallback.strip("\n"))
        else:
            write_page(out, lines, body, styles, page.number)
        ranges.append([start, out.pos])
    meta = {"format": "pdf", "pages": ranges, "headings": continued_numbering(out.headings)}
    for layout in ("vertical", "rotated"):
        numbers = [page.number for page in pages if page.layout == layout]
        if numbers:
            meta[f"{layout}_pages"] = numbers
    if removed:
        meta["removed"] = removed
    if out.hyphens:
        meta["hyphens"] = out.hyphens
    if out.blocks:
        meta["blocks"] = out.blocks
    return "".join(out.parts), meta


def continued_numbering(headings: list[dict]) -> list[dict]:
    """Headings found only by a number at the start of a line are kept when the number goes on from the last.

    After "ARTICLE 16" or "16.02", "16.03" or "17" go on; "3 Great Pasture
    Road" (an address) goes back, and is dropped. Headings found by their style
    keep their place whatever their number and set the numbering the next ones
    follow; one without a number ("EXHIBIT A") lets the next start anywhere.
    """
    out = []
    last: list[int] | None = [0]  # the document starts before "1"
    for heading in headings:
        by_number = heading.pop("numbered", False)
        match = _NUMBER_PARTS.match(heading["title"])
        parts = [int(p) for p in match.group(1).split(".")] if match else None
        if parts is not None and _BARE_NUMBER.match(heading["title"]):
            # "20 Richmond Street East": a bare number must be the next one (or 1), bold or not
            if not (parts[0] <= 1 or (last is not None and len(parts) == 1 and parts[0] == last[0] + 1)):
                continue
        elif by_number and parts is not None and not _goes_on(last, parts):
            continue
        last = parts
        out.append(heading)
    return out


def _goes_on(last: list[int] | None, parts: list[int]) -> bool:
    """Whether a number goes on from the last: a restart at 1, a first child, or a higher number at some depth."""
    if last is None or parts[0] <= 1 or parts[:len(last)] == last and len(parts) > len(last):
        return True
    for k in range(min(len(parts), len(last))):
        if parts[k] != last[k]:
            return parts[k] > last[k]
    return False


def body_size(pages: list[Page]) -> float:
    sizes: Counter = Counter()
    for page in pages:
        for row in page.rows:
            for line in row:
                sizes[line.size] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 10.0


def heading_styles(ordered: list[list[Line]], body: float) -> dict:
    """(size, bold) -> heading level, larger fonts first, for styles that mark headings."""
    styles = {(line.size, line.bold) for lines in ordered for line in lines if _styled_heading(line, body)}
    ranked = sorted(styles, key=lambda s: (-s[0], not s[1]))
    return {style: level for level, style in enumerate(ranked, 1)}


def _short(line: Line, words: int = 14) -> bool:
    return line.word_count <= words and any(c.isalpha() for c in line.text)


def _styled_heading(line: Line, body: float) -> bool:
    return line.table is None and _short(line) and (line.size >= body * 1.15 or (line.bold and line.size >= body * 0.95))


def _numbered_heading(line: Line, width: float) -> bool:
    """'I. INTRODUCTION', 'B. CharBoundary', '2.1 Datasets': a short numbered line on its own."""
    text = line.text
    return (_short(line, 12) and bool(_SECTION.match(text)) and not text.endswith((".", ",", ";", ":"))
            and line.x1 - line.x0 < 0.7 * width)


def heading_level(title: str, style_level: int | None) -> int:
    match = _SECTION.match(title)
    if match:
        number = match.group(1)
        if number[0].isdigit():
            return number.rstrip(".").count(".") + 1
        rest = title[match.end(1):]
        # "I." may be a roman one or the ninth letter: IEEE sections are in capitals
        if _ROMAN.match(number) and (len(number) > 2 or rest.isupper()):
            return 1
        return 2
    return style_level or 1


def write_page(out: Builder, lines: list[Line], body: float, styles: dict, number: int = 0) -> None:
    """Emit one page's lines: paragraph breaks, joined hyphens, headings recorded."""
    gaps = [b.top - a.bottom for a, b in zip(lines, lines[1:]) if a.region == b.region and b.top > a.bottom - 1]
    usual = statistics.median(gaps) if gaps else 0.0
    lefts: dict[int, float] = {}
    for line in lines:
        if line.table is None:
            lefts[line.region] = min(lefts.get(line.region, line.x0), line.x0)
    runs, lead_ins, numbered = heading_runs(lines, styles)
    texts = [line.text for line in lines]
    # a heading stands apart, but a paragraph that a run-in heading opens goes on after it
    seps = [""] + ["\n\n" if (runs.get(i) != runs.get(i - 1) and i - 1 not in lead_ins)
                   or new_paragraph(lines[i - 1], lines[i], usual, lefts)
                   else "\n" for i in range(1, len(lines))]
    cuts: dict[int, int] = {}  # line index -> where in its text a hyphen was taken out
    for i in range(1, len(lines)):
        if (seps[i] == "\n" and _hyphenated(texts[i - 1]) and texts[i][:1].islower()
                and lines[i].table is None and lines[i - 1].table is None):
            first, _, rest = texts[i].partition(" ")
            cuts[i - 1] = len(texts[i - 1]) - 1
            texts[i - 1] = texts[i - 1][:-1] + first
            texts[i] = rest
            if not rest:
                seps[i] = ""
    starts = []
    for i, text in enumerate(texts):
        out.add(seps[i])
        starts.append(out.pos)
        if i in cuts:
            out.hyphens.append(out.pos + cuts[i])
        table = lines[i].table
        if table is not None:
            out.blocks.append({"start": out.pos, "end": out.pos + len(text), "kind": "table", "page": number,
                               "rows": len(table.rows), "columns": len(table.rows[0])})
        out.add(text)
    for ident in sorted(set(runs.values())):
        members = [i for i, r in runs.items() if r == ident]
        first, last = min(members), max(members)
        length = len(texts[last])
        if last in lead_ins:
            length = lead_ins[last]
            if texts[last][:length] != lines[last].text[:length]:  # a hyphen join moved a word: not a lead-in
                continue
        title = " ".join([*(t for t in texts[first:last] if t), texts[last][:length]]).strip()
        if form_or_signature(title) or (last + 1 < len(texts) and SIGNATURE_LINE.match(texts[last + 1])):
            continue  # "TOTAL", "By: ____", a party's name over its signature: bold, but no heading
        level = heading_level(title, styles.get((lines[first].size, lines[first].bold)))
        heading = {"start": starts[first], "end": starts[last] + length, "level": level, "title": title}
        if ident in numbered:
            heading["numbered"] = True  # found by its number alone: checked against the numbering later
        out.headings.append(heading)


def _hyphenated(text: str) -> bool:
    return len(text) > 2 and text[-1] in "-\u00ad" and text[-2].isalpha()


def heading_runs(lines: list[Line], styles: dict) -> tuple[dict[int, int], dict[int, int], set[int]]:
    """Headings among a page's lines.

    Returns (line index -> heading id, line index -> length of a run-in
    heading's lead-in, ids of headings found by their numbering alone). A
    heading is a run of at most 3 lines of one heading style (a numbered line,
    "4.01 ...", opens a run of its own), a bold lead-in at the start of a
    paragraph ("4.02 Background Information Disclosure. Each Party will ..."),
    or a short numbered line on its own.
    """
    widths: dict[int, float] = {}
    for line in lines:
        lo, hi = widths.get(line.region, (line.x0, line.x1))
        widths[line.region] = (min(lo, line.x0), max(hi, line.x1))
    out: dict[int, int] = {}
    lead_ins: dict[int, int] = {}
    numbered: set[int] = set()
    i, n, ident = 0, len(lines), 0
    while i < n:
        line = lines[i]
        if line.table is not None:
            i += 1
            continue
        style = (line.size, line.bold)
        lead = _lead_in(line) if i == 0 or _SENTENCE_END.search(lines[i - 1].text) or i - 1 in out else None
        if lead is not None:
            ident += 1
            out[i], lead_ins[i] = ident, lead
            i += 1
            continue
        if style not in styles:
            lo, hi = widths[line.region]
            if _numbered_heading(line, hi - lo):
                ident += 1
                out[i] = ident
                numbered.add(ident)
            i += 1
            continue
        j = i + 1
        while (j < n and (lines[j].size, lines[j].bold) == style and lines[j].region == line.region
               and lines[j].table is None
               and not _NUMBERED.match(lines[j].text) and not _DECIMAL.match(line.text)):
            j += 1
        words = sum(lines[k].word_count for k in range(i, j))
        # "7.01 Grants to FCE of Program Results." alone on its line ends like a sentence but is a heading
        ends_well = not lines[j - 1].text.endswith((".", ";", ",")) or (j - i == 1 and _NUMBERED.match(line.text))
        if j - i <= 3 and words <= 20 and ends_well and not any(_toc_entry(lines[k]) for k in range(i, j)):
            ident += 1
            for k in range(i, j):
                out[k] = ident
        i = j
    return out, lead_ins, numbered


def _toc_entry(line: Line) -> bool:
    """A table-of-contents line: a title, a wide gap (or dot leaders), and a page number at the right."""
    words = line.words
    if len(words) < 2 or not words[-1]["text"].isdigit():
        return False
    return words[-1]["x0"] - words[-2]["x1"] > 3 * line.size or words[-2]["text"].strip(".") == ""


def _lead_in(line: Line) -> int | None:
    """Length in line.text of a bold lead-in followed by body text on the same line, or None.

    "4.02 Background Information Disclosure, Confidentiality and Use Restriction."
    in bold, then "Each Party will make available its" in the regular font: the
    bold words (and the punctuation right after them) are the heading. The
    lead-in must be numbered or end with a full stop or colon, so a bold word
    that merely starts a line of body text is not taken.
    """
    words = line.words
    k = 0
    while k < len(words) and _BOLD.search(words[k]["fontname"] or ""):
        k += 1
    while 0 < k < len(words) and not any(c.isalnum() for c in words[k]["text"]):
        k += 1
    if k == 0 or len(words) - k < 3 or not any(c.isalpha() for w in words[:k] for c in w["text"]):
        return None
    pos = 0
    for w in words[:k]:
        found = line.text.find(w["text"], pos)
        if found < 0:
            return None
        pos = found + len(w["text"])
    lead = line.text[:pos]
    if not (_NUMBERED.match(lead) or lead.endswith(".")) or len(lead.split()) > 14:
        return None
    return pos


def new_paragraph(prev: Line, line: Line, usual: float, lefts: dict[int, float]) -> bool:
    if line.table is not None or prev.table is not None:
        return True  # a table stands apart from the text around it
    if line.region != prev.region:
        # a new column: the paragraph goes on unless the last one ended a sentence
        return bool(_SENTENCE_END.search(prev.text))
    gap = line.top - prev.bottom
    size = max(prev.size, line.size)
    if gap > usual + 0.5 * size or gap < -size:
        return True
    if abs(line.size - prev.size) > 0.5:
        return True
    indent = line.x0 - lefts[line.region]
    return indent > 0.8 * size and line.x0 - prev.x0 > 0.8 * size and bool(_SENTENCE_END.search(prev.text))


def read_pdf_file(path: str):
    """The `pdf` reader as registered: an iterator of its one document."""
    yield read_pdf(path)
