"""Units from layout alone: paragraphs at blank lines, and lines."""
from __future__ import annotations

import re

_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n")
_NEWLINE = re.compile(r"\n")


class BlankLineParagraphs:
    name = "blankline"
    kind = "paragraph"

    def __init__(self, **_options):
        pass

    def starts(self, text: str):
        return [m.end() for m in _BLANK_LINE.finditer(text)]


class Lines:
    name = "newline"
    kind = "line"

    def __init__(self, **_options):
        pass

    def starts(self, text: str):
        return [m.end() for m in _NEWLINE.finditer(text)]
