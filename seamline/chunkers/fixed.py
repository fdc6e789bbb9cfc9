"""`--strategy fixed`: windows of --max-tokens tokens, each starting --overlap tokens before the last ended.

Units are ignored: windows are cut at the document's own token boundaries.
A window's `tokens` is the exact count of its text; where re-encoding the
window's text would give more than --max-tokens (a cut can change how the
tokenizer splits its edges), the window ends one token earlier.
"""
from __future__ import annotations

from seamline.chunkers.options import ChunkOptions, check_budget, check_overlap
from seamline.chunkers.view import DocView, to_records
from seamline.records import UnitGroup
from seamline.tokenizers import Tokenizer


def fixed_windows(view: DocView, max_tokens: int, overlap: int) -> list[tuple[int, int, int]]:
    bounds = view.spans.token_boundaries().tolist()
    count = view.spans.indexed(bounds)
    n = len(bounds) - 1
    out = []
    i = 0
    while i < n:
        j = min(i + max_tokens, n)
        tokens = count(i, j)
        while tokens > max_tokens and j > i + 1:
            j -= 1
            tokens = count(i, j)
        out.append((bounds[i], bounds[j], tokens))
        if j >= n:
            break
        i = max(j - overlap, i + 1)
    return out


def fixed_strategy(group: UnitGroup, tokenizer: Tokenizer, options: ChunkOptions) -> list[dict]:
    check_budget(options.max_tokens)
    check_overlap(options.max_tokens, options.overlap)
    view = DocView(group, tokenizer)
    if not view.text:
        return to_records(view, [(0, 0, 0)])
    return to_records(view, fixed_windows(view, options.max_tokens, options.overlap))
