"""`--strategy recursive`: structure first, the way LangChain and semchunk split, on seamline's segmenters.

The document is cut into paragraphs; a paragraph over the budget is cut into
lines, a line into sentences, then clauses, words and finally single tokens,
going only as deep as needed. Neighbouring pieces at the same level are then
packed greedily up to the budget; the parts of a piece that had to be cut are
packed among themselves, so a chunk never mixes half a paragraph with the next
one (a heading before it may join its first part). A chunk does not end with a
heading when what follows can go with it (see pack_positions). When the input units are paragraphs, they are the top level; when they
are sentences, their boundaries serve as the sentence level (so `segment --engine spacy | chunk --strategy recursive` uses
spaCy's sentences).
"""
from __future__ import annotations

import bisect

from seamline.chunkers.cuts import LEVELS, clause_cuts, word_cuts
from seamline.chunkers.options import ChunkOptions
from seamline.chunkers.pack import pack_positions
from seamline.chunkers.view import DocView, chunk_with_overlap, refine
from seamline.records import UnitGroup
from seamline.tokenizers import Tokenizer


def _unit_cuts(view: DocView):
    bounds = view.boundaries()

    def cuts(text: str, x: int, y: int) -> list[int]:
        return bounds[bisect.bisect_right(bounds, x):bisect.bisect_left(bounds, y)]
    return cuts


def recursive_plan(view: DocView, budget: int) -> list[tuple[int, int, int]]:
    units = view.group.units
    kind = units[0].get("kind") if units else None
    sentences = _unit_cuts(view) if kind == "sentence" else LEVELS["sentence"]
    deeper = (LEVELS["line"], sentences, clause_cuts, word_cuts)
    text = view.text
    if kind == "paragraph":  # the input's own paragraphs (as `chunk` makes from documents) are the top level
        top = view.boundaries()
    else:
        top = [0, *LEVELS["paragraph"](text, 0, len(text)), len(text)] if text else [0, 0]
    hard: set[int] = set()
    positions = refine(view, top, budget, deeper, hard)
    # a heading may open the chunk of the paragraph after it even when that paragraph had to be cut
    return pack_positions(view, positions, budget, hard - view.heading_ends())


def recursive_strategy(group: UnitGroup, tokenizer: Tokenizer, options: ChunkOptions) -> list[dict]:
    return chunk_with_overlap(DocView(group, tokenizer), options, recursive_plan)
