"""A table cut into several chunks repeats its header row in each piece's `context`.

Units of kind `table` (from a reader's `meta.blocks`: HTML tables, the PDF
reader's ruled tables) are one row a line, the header row first. A table that fits the budget
is never cut (the strategies keep a unit whole when it fits); one that does
not is cut at row ends (seamline.chunkers.view.unit_positions). The pieces
after the first would lose the header that names their columns, so each chunk
that starts inside a table (after its first character) gets its header row as `context`,
the field `--with-headings` uses: `text` stays exactly document[start:end]
(a repeated header is not part of the document there, so it cannot be in the
span), `tokens` counts `context + "\\n" + text`, and `--max-tokens` bounds
that count. The strategy chunks such a document with the budget less the
longest header row (and its line break), so the header always has room.
With `--with-headings`, the header row comes after the heading lines.
"""
from __future__ import annotations

from dataclasses import replace

from seamline.chunkers.headings import SEPARATOR, count_with
from seamline.tokenizers import Tokenizer


def split_tables(units, tokenizer: Tokenizer, budget: int) -> list[tuple[int, int, str]]:
    """(start, end, header row) of each table unit over `budget`."""
    found = []
    for unit in units:
        if unit.get("kind") != "table":
            continue
        header, newline, rest = unit["text"].partition("\n")
        if newline and rest.strip() and header.strip() and tokenizer.count(unit["text"]) > budget:
            found.append((unit["start"], unit["end"], header))
    return found


def chunk_with_table_headers(group, tokenizer: Tokenizer, options, run) -> list[dict]:
    """Chunks of `run` (a strategy, or the heading wrapper around one); pieces of a cut table get its header."""
    from seamline.chunkers.documents import DocumentGroup

    if isinstance(group, DocumentGroup):  # documents `chunk` segments itself have no tables
        return run(group, tokenizer, options)
    tables = split_tables(group.units, tokenizer, options.max_tokens - options.overlap)
    reserve = max((tokenizer.count(header + SEPARATOR) for _, _, header in tables), default=0)
    # a header row taking half the room would leave pieces too small to be worth it
    if not tables or reserve > (options.max_tokens - options.overlap) // 2:
        return run(group, tokenizer, options)
    chunks = run(group, tokenizer, replace(options, max_tokens=options.max_tokens - reserve))
    for rec in chunks:
        for start, end, header in tables:
            # a chunk that starts inside the table (past its first character: in a row, or in the
            # header row's tail where --overlap moved its start) gets the whole header row
            if start < rec["start"] < end:
                add_header(rec, header, tokenizer, options.max_tokens)
                break
    return chunks


def add_header(rec: dict, header: str, tokenizer: Tokenizer, max_tokens: int) -> None:
    """Put the header row in the chunk's context (after any context it has) if the whole still fits."""
    context = rec.get("context") or ""
    joined = context + SEPARATOR + header if context else header
    tokens = count_with(tokenizer, joined, rec["text"])
    if tokens <= max_tokens:  # over it only if BPE merges across the line break (rare): then without
        rec["context"], rec["tokens"] = joined, tokens
