"""`--strategy pack-fill`: `fill`'s rule with its sentence floor at 80%: pack's sentence ends when they fill the chunk.

Where a chunk from x ends, the first of these that exists (each one fits):
the last paragraph start (after a blank line) if the chunk then holds at least
80% of the budget (fill's paragraph rule); the last unit end (a sentence end,
by default: where `pack` ends it) if the chunk then holds at least FLOOR (80%);
otherwise the chunk goes on into the next unit and ends at its last clause end
that reaches FLOOR, else at its last word end that fits, and the next chunk
starts there. Code blocks, tables and headings are never entered (as with `fill`).

Why: with a retriever that returns K chunks, recall follows the text the K
chunks hold, and greedy packing of whole sentences leaves 8-17% of the budget
unused on contracts. `fill` ends a chunk at a sentence end only when that fills
99% of the budget, so most of its chunks end inside a sentence. On half of the
CUAD contracts (benchmarks/retrieval.py --half A --fill-floors ..., averaged
over nine budgets) a lower floor traded recall for chunks that end at sentence
ends smoothly; 80% was the lowest floor within a point of the best peer at
every K, and keeps most of what `fill` gains over `pack` (docs/quality.md).

`seamline chunk` on a plain document takes pack's window path (sentences are
found only near each chunk's end, paragraph starts from the blank lines), so
the rule costs a few regex scans and span counts per chunk, not a segmentation
of the whole text as `fill` does.
"""
from __future__ import annotations

import re

from seamline.chunkers.documents import DocumentGroup
from seamline.chunkers.fill import _PARAGRAPH_START, PARAGRAPH_FULL, _inside_next, fill_plan
from seamline.chunkers.options import ChunkOptions, check_budget, check_overlap
from seamline.chunkers.pack import WindowPacker
from seamline.chunkers.view import DocView, add_overlap, chunk_with_overlap
from seamline.records import UnitGroup
from seamline.tokenizers import TiktokenSpans, Tokenizer

FLOOR = 0.8
_BLANK_RUN = re.compile(r"\n[ \t]*\n\s*")  # a paragraph start lies at or inside the end of such a run


class FloorWindowPacker(WindowPacker):
    """WindowPacker whose chunks under FLOOR of the budget go on into the next piece, as `fill_plan` does."""

    def extend(self, x: int, y: int, tokens: int, unit: int) -> tuple[int, int, int]:
        floor = FLOOR * self.budget
        if tokens > self.budget:
            # x is a cut inside a piece, and the rest of that piece takes more tokens than the whole did
            # (BPE merges at the edges): as fill_plan, a clause or word end inside it, else single tokens
            end = _inside_next(self.view, x, x, y, self.budget, floor, self.count)
            if end == x:
                end = x + self.view.tokenizer.cut(self.text[x:x + 256 * self.budget], self.budget)[0]
            return end, self.count(x, end), self.sync
        if y >= self.n:
            return y, tokens, unit
        para = self.last_paragraph(x, y, unit)
        if para is not None:
            tokens = self.count(x, para[0])
            if tokens >= PARAGRAPH_FULL * self.budget:
                return para[0], tokens, para[1]
            tokens = self.count(x, y)
        if tokens >= floor:
            return y, tokens, unit
        nxt, _ = self.after(y)
        end = _inside_next(self.view, x, y, nxt, self.budget, floor, self.count)
        # `unit` (where y's unit starts, y itself when y starts one) is at or before the unit holding end
        return (end, self.count(x, end), unit) if end > y else (y, tokens, unit)

    def last_paragraph(self, x: int, y: int, unit: int) -> tuple[int, int] | None:
        """The last position in (x, y] that starts a paragraph (as fill's rule reads one), and its unit's start
        (`unit` is y's).

        Only a position in or at the end of a blank-line run can be one, so the runs are
        found by a regex and the packer is asked for the last position at or before
        each run's end, from the last run back: no unit between is looked at.
        """
        text = self.text
        for m in reversed(list(_BLANK_RUN.finditer(text, max(0, x - 64), y))):
            if m.end() <= x:
                break
            q, s = self.below(m.end() + 1) if m.end() < y else (y, unit)
            if q <= x:
                break
            if _PARAGRAPH_START.search(text, max(0, q - 64), q):
                return q, s
        return None


def pack_fill_plan(view: DocView, budget: int) -> list[tuple[int, int, int]]:
    return fill_plan(view, budget, full=FLOOR)


def pack_fill_strategy(group: UnitGroup, tokenizer: Tokenizer, options: ChunkOptions) -> list[dict]:
    view = DocView(group, tokenizer)
    budget = options.max_tokens - options.overlap
    if isinstance(group, DocumentGroup) and group.by_window(budget) and isinstance(view.spans, TiktokenSpans):
        check_budget(options.max_tokens)
        check_overlap(options.max_tokens, options.overlap)
        plan = FloorWindowPacker(view, group, budget)
        chunks = add_overlap(view, plan.chunks(), options.overlap, options.max_tokens)
        return group.records(chunks, plan.first_unit_end())
    return chunk_with_overlap(view, options, pack_fill_plan)
