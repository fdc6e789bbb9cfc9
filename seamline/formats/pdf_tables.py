"""Tables in a PDF page, read as units of their own.

pdfplumber's `find_tables` with its default settings (the `lines` strategy)
finds grids drawn with rules. A ruled grid is kept as a table only when it
looks like one (see `looks_like_table`): a box around a paragraph, a figure's
frame with two labels in it, or two columns of running text are not.

pdfplumber's unruled (`text`) strategy is not used: on the shared PDFs it
takes nearly every page of prose for a table, cutting words in the middle
("Durin" | "g the Term"). Tables without rules are found from seamline's own
lines instead (seamline.formats.pdf.unruled_tables, with the helpers at the
end of this module): aligned rows of short cells, mostly figures, under a header.

The words of a kept table are taken out of the page's running text; the
table comes back as one block, rows on lines of their own and cells joined
with " | " (as the HTML reader writes table rows), at the place where it
stood on the page. Words inside the table's frame that fall in no cell stay
in the running text, so nothing is dropped.
"""
from __future__ import annotations

import statistics
from dataclasses import dataclass

MIN_ROWS = 2          # rows with text
MIN_COLUMNS = 2       # columns with text
MIN_CELLS = 4         # cells with text
MIN_FILL = 0.25       # share of the grid's cells that hold text (a figure's frame holds a label or two)
MAX_CELL_WORDS = 12   # median words per filled cell: more is running text in boxes, not a table
CELL_SEPARATOR = " | "


@dataclass
class Table:
    x0: float
    top: float
    x1: float
    bottom: float
    rows: list          # rows of cell texts, empty rows and columns left out
    size: float         # the usual font size of its words

    @property
    def text(self) -> str:
        return "\n".join(CELL_SEPARATOR.join(cells) for cells in self.rows)


def split_tables(page, words: list[dict]) -> tuple[list[Table], list[dict]]:
    """The page's tables, and the words that are not in one (in their order)."""
    if not page.edges:  # no rules at all: no ruled table (and find_tables would only cost time)
        return [], words
    try:
        grids = page.find_tables()
    except Exception:  # noqa: BLE001  a table finder's failure on odd drawings: the words are read as text
        return [], words
    tables = []
    taken: set[int] = set()
    for found in grids:
        table, ids = read_table(found, words, taken)
        if table is not None:
            tables.append(table)
            taken |= ids
    if not taken:
        return tables, words
    return tables, [w for i, w in enumerate(words) if i not in taken]


def read_table(found, words: list[dict], taken: set[int]) -> tuple[Table | None, set[int]]:
    """A pdfplumber table read from our words; (None, {}) when it does not look like a table."""
    x0, top, x1, bottom = found.bbox
    inside = [(i, w) for i, w in enumerate(words) if i not in taken and x0 <= _cx(w) <= x1 and top <= _cy(w) <= bottom]
    grid: list[list[list[dict]]] = []
    ids: set[int] = set()
    for row in found.rows:
        cells = []
        for box in row.cells:
            members = [] if box is None else [(i, w) for i, w in inside if i not in ids and _within(w, box)]
            ids.update(i for i, _ in members)
            cells.append([w for _, w in members])
        grid.append(cells)
    if not looks_like_table(grid):
        return None, set()
    keep_columns = [k for k in range(max(len(r) for r in grid)) if any(k < len(r) and r[k] for r in grid)]
    rows = [[_cell_text(r[k]) if k < len(r) else "" for k in keep_columns] for r in grid if any(r)]
    sizes = [w["size"] for i, w in inside if i in ids]
    return Table(x0, top, x1, bottom, rows, statistics.median(sizes)), ids


def looks_like_table(grid: list[list[list[dict]]]) -> bool:
    """Enough rows, columns and filled cells, and cells short like a table's, not paragraphs."""
    filled = [cell for row in grid for cell in row if cell]
    cells = sum(len(row) for row in grid)
    rows = sum(1 for row in grid if any(row))
    columns = sum(1 for k in range(max((len(r) for r in grid), default=0)) if any(k < len(r) and r[k] for r in grid))
    if rows < MIN_ROWS or columns < MIN_COLUMNS or len(filled) < max(MIN_CELLS, MIN_FILL * cells):
        return False
    return statistics.median(len(cell) for cell in filled) <= MAX_CELL_WORDS


def _cell_text(words: list[dict]) -> str:
    """A cell's words line by line, top to bottom and left to right, joined by spaces."""
    return " ".join(_line_text(line) for line in _by_line(words))


def _line_text(words: list[dict]) -> str:
    """Words of one line; words that touch (split by a font change, letter-spaced text) take no space."""
    parts = [words[0]["text"]]
    for prev, w in zip(words, words[1:]):
        parts.append((" " if w["x0"] - prev["x1"] > 0.12 * max(w["size"], 1.0) else "") + w["text"])
    return "".join(parts)


def _within(word: dict, box: tuple) -> bool:
    return box[0] <= _cx(word) <= box[2] and box[1] <= _cy(word) <= box[3]


def _cx(word: dict) -> float:
    return (word["x0"] + word["x1"]) / 2


def _cy(word: dict) -> float:
    return (word["top"] + word["bottom"]) / 2


# ---------------------------------------------------------------- tables without rules

MIN_UNRULED_ROWS = 3      # data rows
MIN_UNRULED_COLUMNS = 3   # two columns aligned by chance are common (a title and a page number); three are not
MAX_UNRULED_CELL_WORDS = 6
MIN_NUMERIC = 0.6         # share of the cells right of the first column that hold a digit


def cells_of(words: list[dict], gap: float) -> list[list[dict]]:
    """A row's words cut into cells at gaps wider than `gap` font sizes."""
    cells = [[words[0]]]
    for prev, w in zip(words, words[1:]):
        if w["x0"] - prev["x1"] > gap * max(prev["size"], w["size"], 1.0):
            cells.append([w])
        else:
            cells[-1].append(w)
    return cells


def aligned_rows(rows: list[list[list[dict]]]) -> bool:
    """Rows of the same number of cells whose columns line up (left edges, right edges or centres)."""
    k = len(rows[0])
    if k < MIN_UNRULED_COLUMNS or any(len(r) != k for r in rows):
        return False
    size = statistics.median(w["size"] for r in rows for c in r for w in c)
    for col in range(k):
        boxes = [(min(w["x0"] for w in r[col]), max(w["x1"] for w in r[col])) for r in rows]
        spreads = (max(b[0] for b in boxes) - min(b[0] for b in boxes), max(b[1] for b in boxes) - min(b[1] for b in boxes),
                   max(b[0] + b[1] for b in boxes) / 2 - min(b[0] + b[1] for b in boxes) / 2)
        if min(spreads) > size:
            return False
    return True


def data_rows(rows: list[list[list[dict]]]) -> bool:
    """Short cells, mostly numbers right of the first column: a table of figures, not text in columns."""
    if any(len(c) > MAX_UNRULED_CELL_WORDS for r in rows for c in r):
        return False
    rest = [c for r in rows for c in r[1:]]
    return sum(1 for c in rest if any(ch.isdigit() for w in c for ch in w["text"])) >= MIN_NUMERIC * len(rest)


def header_like(row: list[list[dict]]) -> bool:
    """A row of names more than figures: at most a third of its cells hold a digit ('Model | Precision | F1')."""
    figures = sum(1 for cell in row if any(ch.isdigit() for w in cell for ch in w["text"]))
    return figures <= len(row) // 3


def header_fits(words: list[dict], columns: list[tuple[float, float]], gap: float) -> bool:
    """Whether each cell of a line stands over one column of a table below it (a header line, perhaps
    wrapped): its centre within the column, give or take two font sizes, and no other column under it.
    A caption running across two columns is not a header line."""
    for cell in cells_of(words, gap):
        lo, hi = min(w["x0"] for w in cell), max(w["x1"] for w in cell)
        mid, slack = (lo + hi) / 2, 2 * max(w["size"] for w in cell)
        over = [k for k, (a, b) in enumerate(columns) if a - slack <= mid <= b + slack]
        if len(over) != 1 or any(a < hi and lo < b for k, (a, b) in enumerate(columns) if k != over[0]):
            return False
    return True


def header_row(lines: list[list[dict]], columns: list[tuple[float, float]]) -> list[str]:
    """Header lines' words gathered by column, top line first: 'Throughput (chars/sec)'."""
    cells: list[list[dict]] = [[] for _ in columns]
    for words in lines:
        for w in words:
            mid = (w["x0"] + w["x1"]) / 2
            k = min(range(len(columns)), key=lambda c: max(columns[c][0] - mid, mid - columns[c][1], 0.0))
            cells[k].append(w)
    return [_cell_text(c) for c in cells]


def _by_line(words: list[dict]) -> list[list[dict]]:
    lines: list[list[dict]] = []
    for w in sorted(words, key=_cy):
        if lines and _cy(w) - _cy(lines[-1][0]) <= 0.5 * max(w["size"], 1.0):
            lines[-1].append(w)
        else:
            lines.append([w])
    return [sorted(line, key=lambda w: w["x0"]) for line in lines]


def unruled_table(head: list[list[dict]], rows: list[list[list[dict]]]) -> Table:
    """A Table from header lines (words) and data rows (cells of words)."""
    k = len(rows[0])
    columns = [(min(w["x0"] for r in rows for w in r[c]), max(w["x1"] for r in rows for w in r[c])) for c in range(k)]
    body = [[_line_text(sorted(cell, key=lambda w: w["x0"])) for cell in r] for r in rows]
    words = [w for line in head for w in line] + [w for r in rows for c in r for w in c]
    return Table(min(w["x0"] for w in words), min(w["top"] for w in words), max(w["x1"] for w in words),
                 max(w["bottom"] for w in words), ([header_row(head, columns)] if head else []) + body,
                 statistics.median(w["size"] for w in words))
