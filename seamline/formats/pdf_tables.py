"""Ruled tables in a PDF page, read as units of their own.

pdfplumber's `find_tables` with its default settings (the `lines` strategy)
finds grids drawn with rules. Its unruled (`text`) strategy is not used: on
the shared PDFs it takes nearly every page of prose for a table, cutting words
in the middle ("Durin" | "g the Term"). A ruled grid is kept as a table only
when it looks like one (see `looks_like_table`): a box around a paragraph, a
figure's frame with two labels in it, or two columns of running text are not.

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
    lines: list[list[dict]] = []
    for w in sorted(words, key=_cy):
        if lines and _cy(w) - _cy(lines[-1][0]) <= 0.5 * max(w["size"], 1.0):
            lines[-1].append(w)
        else:
            lines.append([w])
    return " ".join(_line_text(sorted(line, key=lambda w: w["x0"])) for line in lines)


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
