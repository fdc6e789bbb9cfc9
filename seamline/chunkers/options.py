"""The options every chunking strategy reads, and the checks of budgets that all share."""
from __future__ import annotations

from dataclasses import dataclass

from seamline.errors import UsageError


@dataclass
class ChunkOptions:
    """Everything a chunking strategy may use; each strategy reads what it needs."""

    max_tokens: int = 512
    min_tokens: int = 0
    overlap: int = 0
    threshold: float | None = None
    target: int | None = None
    with_headings: bool = False
    length_penalty: float = 1.0


def check_budget(max_tokens: int, min_tokens: int = 0) -> None:
    if max_tokens < 1:
        raise UsageError(f"`max_tokens` must be at least 1, got {max_tokens}")
    if min_tokens < 0 or min_tokens > max_tokens:
        raise UsageError(f"`min_tokens` must be between 0 and `max_tokens` ({max_tokens}), got {min_tokens}")


def check_overlap(max_tokens: int, overlap: int) -> None:
    if overlap < 0 or overlap >= max_tokens:
        raise UsageError(f"`overlap` must be at least 0 and less than `max_tokens` ({max_tokens}), got {overlap}")
