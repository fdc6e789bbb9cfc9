"""Cross-references in running text: "Article 40", "section 5(b)", "§ 107", "42 U.S.C. 1983".

Found with one regular expression per unit; each match is kept as written
(whitespace squeezed), in order of first appearance. A reference never opens
a provision: the segmenter only looks at line starts, this only at prose.
"""
from __future__ import annotations

import re

_TAIL = r"(?:\s?\([a-zA-Z0-9]{1,4}\))*"
_NUMBER = r"\d+[a-zA-Z]?(?:[.\-]\d+[a-zA-Z]?)*" + _TAIL
REFERENCE = re.compile(
    r"\b\d+\s+(?:U\.S\.C\.|C\.F\.R\.|CFR)\s*(?:§+\s*)?" + _NUMBER
    + r"|§§?\s?" + _NUMBER
    + r"|\b(?:[Aa]rticles?|[Ss]ections?|[Ss]ubsections?|[Pp]aragraphs?|[Ss]ubparagraphs?|[Cc]lauses?|"
      r"[Pp]oints?|[Cc]hapters?|[Ss]ubchapters?|[Pp]arts?|[Tt]itles?|[Ss]chedules?|[Ee]xhibits?|[Aa]nnex(?:es)?)"
      r"\s+(?:" + _NUMBER + r"|\([a-zA-Z0-9]{1,4}\)" + _TAIL + r"|[IVXLC]+\b|[A-Z]\b)"
      r"(?:\s*(?:,|and|or|to|through)\s+(?:" + _NUMBER + r"|\([a-zA-Z0-9]{1,4}\)" + _TAIL + r"))*"
)
_SPACE = re.compile(r"\s+")


def find_refs(text: str, limit: int = 50) -> list[str]:
    """The distinct references in `text`, as written, at most `limit` of them."""
    seen: dict[str, None] = {}
    for m in REFERENCE.finditer(text):
        ref = _SPACE.sub(" ", m.group(0)).rstrip(" ,")
        if ref not in seen:
            seen[ref] = None
            if len(seen) >= limit:
                break
    return list(seen)
