"""Chunking strategies by name (`seamline chunk --strategy NAME`), through seamline.registry.

A strategy is a function (UnitGroup, Tokenizer, ChunkOptions) -> list of chunk
records that tile the document (or cover it, with overlap), none over
options.max_tokens. Plugins add strategies under the entry-point group
`seamline.chunkers`.
"""
from __future__ import annotations

from seamline import registry

STRATEGIES: dict[str, str] = registry.BUILTINS["chunkers"]


def get_strategy(name: str):
    return registry.load("chunkers", name)
