"""`--by legal`: one unit per provision of a statute, regulation, EU act, contract or policy.

Each unit carries `path` (headings from the document root to it), its own
`heading` and its `level`; cross-references in its text go to `meta.refs`.
See seamline/legal for the patterns and docs/legal.md for the families.
"""
from __future__ import annotations

from seamline.legal.units import check_options, provision_spans


class LegalSegmenter:
    name = "structure"
    kind = "section"
    languages = ("en",)  # the families' heading patterns are English

    def __init__(self, family: str | None = None, level: str | None = None, refs: bool = True, **_options):
        check_options(family, level)
        self.family = None if family in (None, "auto") else family
        self.level = level
        self.refs = refs

    def annotated(self, text: str) -> list[tuple[int, int, dict]]:
        return provision_spans(text, self.family, self.level, self.refs)

    def starts(self, text: str) -> list[int]:
        return [start for start, _, _ in self.annotated(text)]
