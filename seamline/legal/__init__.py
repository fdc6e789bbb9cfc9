"""Structural parsing of legal documents: families, headings, hierarchy, references.

- patterns: what opens a provision in each family (headings, enumerators);
- detect: which family a document belongs to;
- tree: blocks of lines with their heading `path`, `level` and `heading`;
- units: blocks grouped at a `--level` of the hierarchy;
- refs: cross-references in running text.
"""
from __future__ import annotations

from seamline.legal.detect import detect_family
from seamline.legal.patterns import ALL_LEVELS, FAMILIES, FAMILY_LEVELS
from seamline.legal.refs import find_refs
from seamline.legal.tree import Block, Parser
from seamline.legal.units import provision_spans

__all__ = ["ALL_LEVELS", "FAMILIES", "FAMILY_LEVELS", "Block", "Parser", "detect_family", "find_refs",
           "provision_spans"]
