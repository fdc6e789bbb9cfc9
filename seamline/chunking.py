"""Token-bounded chunks from units, and merging of small chunks.

Each unit is counted once. Units over the budget are first cut into pieces
that fit (Tokenizer.cut). Pieces are then grouped greedily by the sum of their
counts; since a tokenizer's count of joined texts can differ from the sum of
their counts, each group of two or more pieces is counted once more as a whole
and shrunk from its end until that exact count fits. So `tokens` is always the
exact count of the chunk's text and never exceeds the budget.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, Iterator

from seamline.errors import InputError, UsageError
from seamline.records import UnitGroup, make_unit
from seamline.tokenizers import Tokenizer

CORE = ("doc", "seq", "kind", "start", "end", "text", "tokens")
JoinRule = Callable[[int, int], bool]


@dataclass
class ChunkOptions:
    """Everything a chunking strategy may use; each strategy reads what it needs."""

    max_tokens: int = 512
    min_tokens: int = 0
    overlap: int = 0
    threshold: float | None = None
    target: int | None = None
    with_headings: bool = False


def check_budget(max_tokens: int, min_tokens: int = 0) -> None:
    if max_tokens < 1:
        raise UsageError(f"--max-tokens must be at least 1, got {max_tokens}")
    if min_tokens < 0 or min_tokens > max_tokens:
        raise UsageError(f"--min-tokens must be between 0 and --max-tokens ({max_tokens}), got {min_tokens}")


def fit_pieces(group: UnitGroup, tokenizer: Tokenizer, budget: int) -> tuple[list[tuple[int, int, int]], list[int]]:
    """(start, end, unit index) pieces, none over budget, and their exact counts."""
    units = group.units
    counts = tokenizer.count_many([u["text"] for u in units])
    pieces: list[tuple[int, int, int]] = []
    piece_counts: list[int] = []
    for index, (unit, n) in enumerate(zip(units, counts)):
        if n <= budget:
            pieces.append((unit["start"], unit["end"], index))
            piece_counts.append(n)
            continue
        start = unit["start"]
        try:
            ends = tokenizer.cut(unit["text"], budget)
        except InputError as err:
            raise InputError(f"document {group.doc!r}, unit {unit['seq']}: {err.message}",
                             group.source, group.line) from None
        for end in ends:
            text = unit["text"][start - unit["start"]:end]
            pieces.append((start, unit["start"] + end, index))
            piece_counts.append(tokenizer.count(text))
            start = unit["start"] + end
    return pieces, piece_counts


def group_pieces(text: str, offset: int, pieces: list[tuple[int, int, int]], counts: list[int],
                 tokenizer: Tokenizer, budget: int, join: JoinRule) -> Iterator[tuple[int, int, int]]:
    """Greedy groups (first piece, end piece, exact tokens) whose exact count fits the budget.

    `text` holds the document from `offset` on; piece offsets are document offsets.
    """
    i, n = 0, len(pieces)
    while i < n:
        j, total = i + 1, counts[i]
        while j < n and join(total, counts[j]):
            total += counts[j]
            j += 1
        exact = counts[i] if j == i + 1 else tokenizer.count(text[pieces[i][0] - offset:pieces[j - 1][1] - offset])
        while exact > budget:  # rare: joining changed the count; give back the last piece
            j -= 1
            exact = counts[i] if j == i + 1 else tokenizer.count(text[pieces[i][0] - offset:pieces[j - 1][1] - offset])
        yield i, j, exact
        i = j


def carried_fields(unit: dict) -> dict:
    """What a chunk keeps from its first unit: everything this stage does not own."""
    return {k: v for k, v in unit.items() if k not in CORE}


def pack(group: UnitGroup, tokenizer: Tokenizer, max_tokens: int) -> list[dict]:
    """Consecutive units packed into chunks of at most max_tokens tokens."""
    check_budget(max_tokens)
    pieces, counts = fit_pieces(group, tokenizer, max_tokens)
    text = group.text
    chunks = []
    for seq, (i, j, tokens) in enumerate(group_pieces(text, 0, pieces, counts, tokenizer, max_tokens,
                                                      lambda total, nxt: total + nxt <= max_tokens)):
        start, end = pieces[i][0], pieces[j - 1][1]
        first_unit = group.units[pieces[i][2]]
        chunks.append(make_unit(group.doc, seq, "chunk", start, end, text[start:end], tokens=tokens,
                                **carried_fields(first_unit)))
    return chunks


def merge(group: UnitGroup, tokenizer: Tokenizer, max_tokens: int, min_tokens: int) -> list[dict]:
    """Join neighbours while one of them is under min_tokens and the join fits max_tokens."""
    check_budget(max_tokens, min_tokens)
    pieces, counts = fit_pieces(group, tokenizer, max_tokens)
    text = group.text

    def join(total: int, nxt: int) -> bool:
        return (total < min_tokens or nxt < min_tokens) and total + nxt <= max_tokens

    out = []
    for seq, (i, j, tokens) in enumerate(group_pieces(text, 0, pieces, counts, tokenizer, max_tokens, join)):
        start, end = pieces[i][0], pieces[j - 1][1]
        first = group.units[pieces[i][2]]
        kind = first["kind"] if j - i == 1 else "chunk"
        out.append(make_unit(group.doc, seq, kind, start, end, text[start:end], tokens=tokens,
                             **carried_fields(first)))
    return out


def pack_strategy(group: UnitGroup, tokenizer: Tokenizer, options: ChunkOptions) -> list[dict]:
    return pack(group, tokenizer, options.max_tokens)


def chunk_groups(groups: Iterable[UnitGroup], tokenizer: Tokenizer, options: ChunkOptions,
                 strategy: str = "pack") -> Iterator[list[dict]]:
    from seamline.chunkers import get_strategy

    run = get_strategy(strategy)
    for group in groups:
        yield run(group, tokenizer, options)
