"""What a line that opens a provision looks like, per family.

Two kinds of markers open a provision at the start of a line:

- headings with a fixed place in a family's hierarchy (`CHAPTER 3`, `§ 107.`,
  `Article 28`, `ARTICLE II`, `Section 2.03`, `SCHEDULE A`, `WHEREAS`);
- enumerators whose depth is only known from context (`(a)`, `(1)`, `(A)`,
  `(i)`, `1.`, `1.1`, `a)`), so the hierarchy builder places them by style.

Only the start of a line is ever looked at, and each heading pattern refuses a
lowercase word right after its number ("Section 5 of this Act", "Chapter 3
applies"), so references in running text never open a provision.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# Levels of each family from the root down. Structural headings take their
# rank from this order; enumerators are named by style (ENUM_LEVELS).
FAMILY_LEVELS: dict[str, list[str]] = {
    "statute": ["title", "subtitle", "chapter", "subchapter", "part", "subpart", "division", "section",
                "subsection", "paragraph", "subparagraph", "clause", "subclause", "item", "subitem"],
    "regulation": ["title", "chapter", "subchapter", "part", "subpart", "section",
                   "paragraph", "subparagraph", "clause", "subclause"],
    "eu": ["part", "title", "chapter", "section", "subsection", "article", "paragraph", "point", "subpoint"],
    "contract": ["schedule", "article", "recital", "section", "subsection", "clause", "subclause", "item"],
    "policy": ["section", "subsection", "clause", "subclause"],
}
FAMILIES = tuple(FAMILY_LEVELS)

# Enumerator style -> level name, per family. A style missing here is an "item".
ENUM_LEVELS: dict[str, dict[str, str]] = {
    "statute": {"paren-lower": "subsection", "paren-digit": "paragraph", "paren-upper": "subparagraph",
                "paren-roman": "clause", "paren-uroman": "subclause", "paren-dlower": "item",
                "paren-dupper": "subitem", "dot-digit": "paragraph"},
    "regulation": {"paren-lower": "paragraph", "paren-digit": "subparagraph", "paren-roman": "clause",
                   "paren-upper": "subclause", "dot-digit": "paragraph", "dot-uroman": "heading",
                   "dot-upper": "subheading"},
    "eu": {"dot-digit": "paragraph", "paren-lower": "point", "rparen-lower": "point", "paren-digit": "point",
           "paren-roman": "subpoint", "paren-upper": "subpoint"},
    "contract": {"dot-digit": "section", "dot2": "subsection", "dot3": "clause", "dot4": "subclause",
                 "paren-lower": "clause", "paren-digit": "clause", "paren-roman": "subclause",
                 "paren-upper": "item", "dot-lower": "clause", "dot-upper": "clause", "dot-uroman": "section"},
    "policy": {"dot-digit": "section", "dot2": "subsection", "dot3": "clause", "paren-lower": "clause",
               "paren-digit": "clause", "paren-roman": "subclause", "dot-lower": "clause"},
}

# Every name --level accepts: the levels of all families and the levels enumerators are
# given (the names a reader of the document uses, never the internal style names).
ALL_LEVELS = sorted({name for names in FAMILY_LEVELS.values() for name in names}
                    | {name for styles in ENUM_LEVELS.values() for name in styles.values()}
                    | {"heading", "definition"})

ROMAN = re.compile(r"^(?=[ivxlc])(c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$")
_NUM = r"(?:\d+[A-Za-z]?|[IVXLC]+)"
# A US Code section number: 107, 106a, 300aa-1, 1395aaa, 2000e-16a, 39.13 (up to three letters
# after a number: title 42 numbers sections inserted between 300a and 300b as 300aa, 300aaa)
_SECTION_NUMBER = r"\d+[A-Za-z]{0,3}(?:[.\-\u2013]\d+[A-Za-z]{0,3})*"
# What may follow a heading's label: end of line, a dash or colon or period and
# a title, or a capitalised title. Never a lowercase word (a reference in prose).
_AFTER = r"(?=\s*$|\s*[.:\u2014\u2013\-]|\s+[^\sa-z])"


@dataclass(frozen=True)
class HeadingRule:
    level: str
    family: str  # the family whose order ranks it when the document's own family lacks the level
    regex: re.Pattern
    label: str  # format of the path label; {n} is the number/letter matched


def _rule(level: str, family: str, pattern: str, label: str, flags: int = 0) -> HeadingRule:
    return HeadingRule(level, family, re.compile(pattern, flags), label)


HEADING_RULES: list[HeadingRule] = [
    _rule("subtitle", "statute", r"^SUBTITLE\s+(?P<n>[A-Z]|" + _NUM + r")" + _AFTER, "Subtitle {n}"),
    _rule("subchapter", "statute", r"^SUBCHAPTER\s+(?P<n>" + _NUM + r")" + _AFTER, "Subchapter {n}"),
    _rule("subpart", "regulation", r"^SUBPART\s+(?P<n>[A-Z]|" + _NUM + r")" + _AFTER, "Subpart {n}",
          re.IGNORECASE),
    _rule("title", "statute", r"^TITLE\s+(?P<n>" + _NUM + r")" + _AFTER, "Title {n}"),
    _rule("title", "statute", r"^Title\s+(?P<n>" + _NUM + r")" + _AFTER, "Title {n}"),
    _rule("chapter", "statute", r"^CHAPTER\s+(?P<n>" + _NUM + r")" + _AFTER, "Chapter {n}"),
    _rule("chapter", "statute", r"^Chapter\s+(?P<n>" + _NUM + r")" + _AFTER, "Chapter {n}"),
    _rule("part", "statute", r"^PART\s+(?P<n>" + _NUM + r")" + _AFTER, "Part {n}"),
    _rule("part", "statute", r"^Part\s+(?P<n>" + _NUM + r")" + _AFTER, "Part {n}"),
    _rule("division", "statute", r"^DIVISION\s+(?P<n>[A-Z]|" + _NUM + r")" + _AFTER, "Division {n}"),
    # § 1. / § 1a. / [§ 3. Repealed] / §§ 1 to 5. / § 39.13 [Amended] / §39.13
    _rule("section", "statute",
          r"^\[?(?P<sign>§§?)\s?(?P<n>" + _SECTION_NUMBER + r"(?:(?:,|\s+to|\s+through|\s+and)\s+" + _SECTION_NUMBER
          + r")*)\.?"
          r"(?=\s*$|\s*\]|\s+[^\sa-z])", "§ {n}"),
    _rule("section", "statute", r"^(?:SEC\.|Sec\.|SECTION|Section)\s+(?P<n>\d+[A-Za-z]?(?:\.\d+)*)\.?" + _AFTER,
          "Section {n}"),
    _rule("article", "eu", r"^(?:ARTICLE|Article|Art\.)\s+(?P<n>" + _NUM + r")" + _AFTER, "Article {n}"),
    _rule("schedule", "contract",
          r"^(?P<kind>SCHEDULE|Schedule|EXHIBIT|Exhibit|ANNEX|Annex|APPENDIX|Appendix|ATTACHMENT|Attachment)"
          r"\s+(?P<n>[A-Z0-9][A-Za-z0-9.\-]*)(?=\s*$|\s*[.:\u2014\u2013\-]|\s+[^\sa-z])", "{kind} {n}"),
    _rule("recital", "contract", r"^(?P<n>WHEREAS|Whereas)\b[,:]?", "Recital"),
    _rule("recital", "contract", r"^(?P<n>NOW,? THEREFORE|Now,? therefore)\b", "Operative clause"),
]

# One enumerator at the start of a line, then whitespace or the end of the line.
ENUM = re.compile(
    r"^(?:\((?P<paren>[A-Za-z]{1,4}|\d{1,3}[A-Za-z]?)\)"
    r"|(?P<rparen>[a-z]|\d{1,2})\)"
    r"|(?P<dotted>\d{1,3}(?:\.\d{1,3}){1,3})\.?"
    r"|(?P<dot>\d{1,3}|[A-Za-z]|[IVXivx]{1,5})\.)"
    r"(?=\s|$|\()")
MARKDOWN = re.compile(r"^(#{1,6})\s+")
DEFINITION = re.compile(r"^[\"\u201c](?P<term>[^\"\u201d]{1,60})[\"\u201d]\s+(?:shall\s+)?(?:mean|means|has|have|includes?)\b")


def enum_style(token: str, kind: str) -> tuple[str, str]:
    """(style, value) of an enumerator; value is comparable within its style.

    `(i)`, `(v)` and `(x)` are settled later by context (letter or roman).
    """
    if kind == "paren":
        if token.isdigit() or token[:-1].isdigit():
            return "paren-digit", token
        if len(token) == 2 and token[0] == token[1] and token.isalpha() and not ROMAN.match(token.lower()):
            return ("paren-dlower" if token.islower() else "paren-dupper"), token
        if token.islower():
            if len(token) == 1 and token not in "ivx":
                return "paren-lower", token
            return ("paren-roman", token) if ROMAN.match(token) else ("paren-lower", token)
        if token.isupper():
            if len(token) == 1 and token not in "IVX":
                return "paren-upper", token
            return ("paren-uroman", token) if ROMAN.match(token.lower()) else ("paren-upper", token)
        return "paren-other", token
    if kind == "rparen":
        return ("rparen-digit" if token.isdigit() else "rparen-lower"), token
    if kind == "dotted":
        return f"dot{token.count('.') + 1}", token
    if token.isdigit():
        return "dot-digit", token
    if len(token) > 1 or token in "IVX":
        return ("dot-uroman" if token.isupper() else "dot-roman"), token
    return ("dot-upper" if token.isupper() else "dot-lower"), token


def roman_value(token: str) -> int:
    values = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}
    total = 0
    token = token.lower()
    for i, ch in enumerate(token):
        v = values.get(ch, 0)
        total += -v if i + 1 < len(token) and values.get(token[i + 1], 0) > v else v
    return total


FIRST_VALUES = {"1", "a", "A", "i", "I", "aa", "AA"}


# Lines of a table, a form or a signature block: never a heading, however bold or capitalised.
# A reader's table row ("TOTAL |  |  |"), a total ("TOTAL", "Subtotal: $ 40"), a blank to fill in
# ("FCE: ______"); signature lines ("By: /s/ Jason B. Few", "Name:", "Title:"), and the lead-in
# "ACCEPTED AND AGREED TO:".
FORM_LINE = re.compile(r" \| |_{3,}|^(?:grand\s+|sub-?)?totals?(?:\s*[:$(|\d]|\s*$)", re.IGNORECASE)
SIGNATURE_LINE = re.compile(r"^(?:(?:by|name|title|date|its|signature|print(?:ed)?\s+name)\s*:|/s/)",
                            re.IGNORECASE)
SIGNING_LEAD = re.compile(r"^(?:(?:accepted|agreed|acknowledged)(?:\s*(?:and|&)\s*(?:accepted|agreed|acknowledged))?"
                          r"(?:\s+to)?(?:\s+by)?\s*:?|very truly yours,?|sincerely,?)$", re.IGNORECASE)


def form_or_signature(line: str) -> bool:
    """Whether a line belongs to a table, a form or a signature block (and so is no heading)."""
    line = line.strip()
    return bool(FORM_LINE.search(line) or SIGNATURE_LINE.match(line) or SIGNING_LEAD.match(line))


def signatories(lines: list[str]) -> set[int]:
    """Indexes of the lines in capitals right above a signature line: a party's name over "By:".

    "FUELCELL ENERGY, INC." over "By: /s/ ..." (blank lines between allowed, up
    to three such lines: a name broken over two, "ACCEPTED AND AGREED TO:" above it).
    """
    found: set[int] = set()
    for i, line in enumerate(lines):
        if not SIGNATURE_LINE.match(line.strip()) or (i and SIGNATURE_LINE.match(lines[i - 1].strip())):
            continue
        k, taken = i - 1, 0
        while k >= 0 and taken < 3:
            text = lines[k].strip()
            if text and not (text.upper() == text and any(c.isalpha() for c in text)):
                break
            if text:
                found.add(k)
                taken += 1
            k -= 1
    return found
