"""`--with-headings`: each chunk's `context`, the headings above it that it does not contain.

Headings come from the units: legal units (`seamline segment --by legal`) carry
`heading` and `level`; the Markdown, HTML and PDF readers list theirs in
`meta.headings` of a document's first unit, and `segment` makes each one a unit
of its own. A unit's `path` names the headings it sits under, root first.

`context` holds, one per line, the heading text of every level of the path of
the unit a chunk starts in, except headings that start inside the chunk (a
chunk that opens with its section's heading does not repeat it). `text` stays
exactly document[start:end]; `tokens` counts `context + "\n" + text` when
context is not empty, and `--max-tokens` bounds that count. Context is kept
under half of what the budget leaves beside the overlap: the outermost
headings go first, since the nearest say most.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import replace

from seamline.tokenizers import Tokenizer

SEPARATOR = "\n"
NOT_HEADINGS = ("text", "preamble")


def heading_starts(units) -> dict[int, str]:
    """Offsets where a heading unit starts -> the heading's text."""
    found = {u["start"]: u["heading"] for u in units
             if u.get("heading") and u.get("level") not in NOT_HEADINGS}
    if found or not len(units):
        return found
    marks = (units[0].get("meta") or {}).get("headings")
    if isinstance(marks, list):
        for mark in marks:
            if isinstance(mark, dict) and isinstance(mark.get("start"), int) and isinstance(mark.get("title"), str):
                found[mark["start"]] = mark["title"]
    return found


class HeadingContext:
    """The context of a chunk from its first unit's path; trimmed to `cap` tokens (context + separator)."""

    def __init__(self, units, tokenizer: Tokenizer, cap: int):
        self.tok, self.cap = tokenizer, cap
        heads = heading_starts(units)
        self.headings: dict[tuple, tuple[str, int]] = {}
        if heads:
            for unit in units:
                path = tuple(unit.get("path") or ())
                if path and unit["start"] in heads and path not in self.headings:
                    self.headings[path] = (heads[unit["start"]], unit["start"])

    def __call__(self, path: tuple, start: int) -> str:
        """Headings of the path's prefixes that start before `start`, one per line."""
        lines = [self.headings[path[:k]][0] for k in range(1, len(path) + 1)
                 if path[:k] in self.headings and self.headings[path[:k]][1] < start]
        while lines and self.tok.count(SEPARATOR.join(lines) + SEPARATOR) > self.cap:
            if len(lines) == 1:
                ends = self.tok.cut(lines[0], max(1, self.cap - 1))
                lines = [lines[0][:ends[0]]]
                if self.tok.count(lines[0] + SEPARATOR) > self.cap:
                    return ""
                break
            lines.pop(0)
        return SEPARATOR.join(lines)

    def largest(self) -> int:
        """Tokens the longest context of any chunk of the document takes, separator included."""
        worst = 0
        for path in self.headings:
            ctx = self(path, 1 << 62)
            worst = max(worst, self.tok.count(ctx + SEPARATOR) if ctx else 0)
        return worst


def count_with(tokenizer: Tokenizer, context: str, body: str) -> int:
    return tokenizer.count(context + SEPARATOR + body) if context else tokenizer.count(body)


def chunk_with_headings(group, tokenizer: Tokenizer, options, run) -> list[dict]:
    """Chunks of `run` (a strategy) with `context`, under a budget that leaves room for it.

    The strategy chunks with --max-tokens less the longest context of the
    document; a chunk whose context and text together still count more (BPE
    merges across the separator, rarely) loses outer headings until it fits.
    """
    from seamline.records import UnitGroup

    units = group.units if isinstance(group, UnitGroup) else None  # a DocumentGroup has no headings
    context = HeadingContext(units, tokenizer, (options.max_tokens - options.overlap) // 2) if units else None
    reserve = context.largest() if context is not None else 0
    chunks = run(group, tokenizer, replace(options, max_tokens=options.max_tokens - reserve) if reserve else options)
    if not reserve:
        for rec in chunks:
            rec["context"] = ""
        return chunks
    starts = [u["start"] for u in units]
    for rec in chunks:
        path = tuple(units[max(0, bisect_right(starts, rec["start"]) - 1)].get("path") or ())
        set_context(rec, context(path, rec["start"]), tokenizer, options.max_tokens)
    return chunks


def set_context(rec: dict, context: str, tokenizer: Tokenizer, max_tokens: int) -> None:
    """Give a chunk its context; the bound holds for context and text together, so outer headings go first."""
    lines = context.split(SEPARATOR)
    while lines and count_with(tokenizer, SEPARATOR.join(lines), rec["text"]) > max_tokens:
        lines.pop(0)
    rec["context"] = SEPARATOR.join(lines)
    if rec["context"]:
        rec["tokens"] = count_with(tokenizer, rec["context"], rec["text"])
