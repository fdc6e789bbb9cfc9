"""Chunking strategies registered by name (`seamline chunk --strategy NAME`).

A strategy is a function (UnitGroup, Tokenizer, ChunkOptions) -> list of chunk
records that tile the document (or cover it, with overlap), none over
options.max_tokens. Entries are import paths so unused strategies cost nothing.
"""
from __future__ import annotations

import importlib

from seamline.errors import UsageError

STRATEGIES: dict[str, str] = {
    "pack": "seamline.chunking:pack_strategy",
    "fixed": "seamline.chunkers.fixed:fixed_strategy",
    "recursive": "seamline.chunkers.recursive:recursive_strategy",
    "score": "seamline.chunkers.score:score_strategy",
    "optimal": "seamline.chunkers.optimal:optimal_strategy",
    "legal": "seamline.chunkers.legal:legal_strategy",
}


def get_strategy(name: str):
    if name not in STRATEGIES:
        raise UsageError(f"unknown --strategy {name!r}; choose one of {', '.join(STRATEGIES)}")
    module_name, func = STRATEGIES[name].split(":")
    return getattr(importlib.import_module(module_name), func)
