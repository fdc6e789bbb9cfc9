"""Provisions as spans that tile a document, at the finest level or at a named one.

At the finest level every block is a unit. At `--level NAME` a provision of
that level takes everything inside it; each heading above that level stays a
unit of its own (with any text between it and its first child), and anything
deeper than NAME that sits outside every NAME provision keeps its own units.
"""
from __future__ import annotations

import bisect

from seamline.errors import UsageError
from seamline.legal.detect import detect_family
from seamline.legal.patterns import ALL_LEVELS, ENUM_LEVELS, FAMILIES, FAMILY_LEVELS
from seamline.legal.refs import find_refs
from seamline.legal.tree import Block, Parser
from seamline.segmenters.base import tile

_PARSERS: dict[str, Parser] = {}


def check_options(family: str | None, level: str | None) -> None:
    if family not in (None, "auto") and family not in FAMILIES:
        raise UsageError(f"unknown `family` {family!r}; choose auto or one of {', '.join(FAMILIES)}")
    if level is not None and level not in ALL_LEVELS:
        known = ALL_LEVELS
        if family in FAMILY_LEVELS:
            enumerated = ENUM_LEVELS.get(family, {}).values()
            known = list(dict.fromkeys([*FAMILY_LEVELS[family], *enumerated, "definition"]))
        which = f"a level of the {family} family" if family in FAMILY_LEVELS else "one of"
        raise UsageError(f"unknown `level` {level!r}; choose {which}: {', '.join(known)}")


def parse_blocks(text: str, family: str | None = None) -> tuple[str, list[Block]]:
    if family in (None, "auto"):
        family = detect_family(text)
    if family not in _PARSERS:
        _PARSERS[family] = Parser(family)
    return family, _PARSERS[family].blocks(text)


def group_starts(blocks: list[Block], level: str | None) -> list[Block]:
    """The blocks that open a unit at `level` (every block when level is None or absent)."""
    if level is None or not any(b.level == level for b in blocks):
        return blocks
    level_rank = min(b.rank for b in blocks if b.level == level)
    out: list[Block] = []
    inside = False  # within a provision of the level
    for block in blocks:
        if block.level == level:
            out.append(block)
            inside = True
        elif block.rank <= level_rank or (block.structural and block.rank < level_rank):
            out.append(block)
            inside = False
        elif not inside and block.level not in ("text", "preamble") or not out:
            out.append(block)
    return out


def provision_spans(text: str, family: str | None = None, level: str | None = None,
                    refs: bool = True) -> list[tuple[int, int, dict]]:
    """(start, end, fields) that tile `text`; fields hold path, heading, level and meta.refs."""
    _, blocks = parse_blocks(text, family)
    firsts = group_starts(blocks, level)
    spans = tile(text, [b.start for b in firsts])
    out = []
    heading_lines = [(b.start, text.find("\n", b.start)) for b in blocks if b.structural]
    for index, (start, end) in enumerate(spans):
        block = firsts[index] if index < len(firsts) else None
        if block is None:
            fields = {"path": ["document"], "heading": None, "level": "document"}
        else:
            fields = {"path": list(block.path), "heading": block.heading, "level": block.level}
        if refs:
            found = find_refs(_prose(text, start, end, heading_lines))
            if found:
                fields["meta"] = {"refs": found}
        out.append((start, end, fields))
    return out


def _prose(text: str, start: int, end: int, heading_lines: list[tuple[int, int]]) -> str:
    """The unit's text without its heading lines: a heading's own label ("Article 24") is no reference."""
    parts = []
    pos = start
    i = bisect.bisect_left(heading_lines, (start, -1))
    while i < len(heading_lines) and heading_lines[i][0] < end:
        h_start, h_end = heading_lines[i]
        parts.append(text[pos:h_start])
        pos = end if h_end < 0 else min(end, h_end)
        i += 1
    parts.append(text[pos:end])
    return "\n".join(parts)
