"""From lines to provisions: blocks, markers, and the heading hierarchy.

One pass over the lines of a document:

1. Lines are joined into blocks. In a document whose lines are provisions
   (the US Code as rendered, GDPR paragraphs) every line is a block. In a
   hard-wrapped document (PDF text, contracts wrapped at 80 columns) a line
   continues the previous block unless a blank line, a heading or an
   enumerator at the start of the line, or the end of a sentence on a short
   line says otherwise; and a line that follows a reference word ("as provided
   in paragraph" / "(a)") continues it whatever it starts with.
2. The first line of each block is classified: a structural heading (ranked
   by the family's order of levels), an enumerator (placed by style: a style
   already open is a sibling, a new style is a child), a definition, or text.
3. A stack of open provisions gives each block its `path`.

A label-only block ("(a)" alone, "Article 24" alone) takes the next block
with it: the enumerator's text or the article's title line.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from seamline.legal.patterns import (DEFINITION, ENUM, ENUM_LEVELS, FAMILY_LEVELS, FIRST_VALUES, HEADING_RULES,
                                     MARKDOWN, ROMAN, enum_style, form_or_signature, roman_value, signatories)

TERMINAL = tuple(".;:!?\u2014\u2013\"\u201d)]")
# A line break right after one of these words is a reference continuing, not a new provision.
REFERENCE_WORDS = re.compile(
    r"(?:\b(?:paragraphs?|subparagraphs?|sections?|subsections?|clauses?|subclauses?|articles?|points?|items?|"
    r"parts?|chapters?|titles?|and|or|of|in|under|to|see|with|by|pursuant|than)|§§?)$", re.IGNORECASE)
TEXT_RANK = 1 << 30
CAPTION = re.compile(r"^([A-Z][^.\u2014\n]{0,80}?)\.\u2014|^([A-Z][\w ,;'&/()\-]{0,60}?)\.(?:\s|$)")
UPPER_HEADING = re.compile(r"^[^a-z]*[A-Z]{3}[^a-z]*$")
_FILING_EXHIBIT = re.compile(r"^\d+\.\d+$")
_ANOTHER_SCHEDULE = re.compile(r"\b(?:SCHEDULE|Schedule|EXHIBIT|Exhibit|ANNEX|Annex|APPENDIX|Appendix)\s+[A-Z0-9]")
_TOC_ENTRY = re.compile(r"[A-Za-z)](?:\s*\.{3,}\s*|\s+)\d{1,3}$")


@dataclass
class Block:
    """One provision candidate: where it starts and what it is."""

    start: int
    level: str  # "chapter", "section", "subsection", ..., "text", "preamble"
    path: tuple[str, ...]
    heading: str | None
    structural: bool = False  # a heading with a fixed rank (chapter, §, Article)
    rank: int = TEXT_RANK


@dataclass
class _Open:
    label: str
    level: str
    rank: int
    style: str | None  # None for structural headings
    value: str | None


@dataclass
class _State:
    family: str
    stack: list[_Open] = field(default_factory=list)
    # enumerator style -> (its depth in the stack, its last value) when a heading closed it, so
    # that "4." after an unnumbered heading that followed "3." goes back to the place of "3."
    closed: dict[str, tuple[int, str]] = field(default_factory=dict)

    def path(self) -> tuple[str, ...]:
        return tuple(o.label for o in self.stack)


# A section heading run onto the end of the previous line, after a source credit or a bracket
# ("... 90 Stat. 2546.) § 108. Reproduction by libraries"): text taken from a web page or a PDF
# loses the line break there. Checked against the section rule before it splits a line.
_RUN_ON_SECTION = re.compile(r"(?<=\.\)|.\])\s+(?=\[?§)")
_SECTION_RULE = next(rule for rule in HEADING_RULES if rule.level == "section")


def _lines(text: str) -> list[tuple[int, str]]:
    """(offset of first non-space char, stripped content) of every line; blank lines have ''.

    A line is cut before a section heading that follows a source credit on it (`_RUN_ON_SECTION`).
    """
    out = []
    pos = 0
    for raw in text.split("\n"):
        for start, piece in _pieces(raw):
            content = piece.strip()
            lead = len(piece) - len(piece.lstrip()) if content else 0
            out.append((pos + start + lead, content))
        pos += len(raw) + 1
    return out


def _pieces(line: str) -> list[tuple[int, str]]:
    """(offset in the line, text) of the parts of a line, cut before run-on section headings."""
    if "\u00a7" not in line:
        return [(0, line)]
    cuts = [m.end() for m in _RUN_ON_SECTION.finditer(line) if _SECTION_RULE.regex.match(line[m.end():])]
    edges = [0, *cuts, len(line)]
    return [(a, line[a:b]) for a, b in zip(edges, edges[1:])]


def _is_wrapped(lines: list[tuple[int, str]]) -> bool:
    """Hard-wrapped text: many lines end mid-sentence and the next goes on in lowercase.

    An e-mail address or a web address under a line is no continuation (the last lines of a
    contact block: "Germany" over "legal@quillpost.example"), and one continuation is not enough.
    """
    soft = total = 0
    prev = ""
    for _, content in lines:
        if prev and content:
            total += 1
            if not prev.endswith(TERMINAL) and content[0].islower() and not _ADDRESS_WORD.match(content):
                soft += 1
        prev = content
    return total >= 4 and soft >= 2 and soft >= 0.15 * total


_ADDRESS_WORD = re.compile(r"^\S*(?:@|://|www\.)")


def _has_paragraph_gaps(lines: list[tuple[int, str]]) -> bool:
    blank = sum(1 for _, c in lines if not c)
    return blank >= 0.08 * max(1, len(lines) - blank)


class Parser:
    """Turns a document into blocks with paths, for one family."""

    def __init__(self, family: str):
        self.family = family
        self.levels = FAMILY_LEVELS[family]
        self.enum_names = ENUM_LEVELS.get(family, {})
        # policy lines whose heading status depends on their neighbours (set per document by blocks)
        self._standalone: set[str] = set()
        self._address: set[str] = set()
        # offsets of lines naming a party over its signature ("FUELCELL ENERGY, INC." over "By:"),
        # and the offset of the line being classified (set per line by blocks)
        self._signatories: set[int] = set()
        self._offset = -1

    # --- ranks -----------------------------------------------------------
    def structural_rank(self, level: str, native_family: str) -> int:
        if level in self.levels:
            return 100 * (self.levels.index(level) + 1)
        native = FAMILY_LEVELS[native_family]
        # a level of another family: place it by its share of depth in that family
        share = (native.index(level) + 1) / (len(native) + 1) if level in native else 0.5
        return int(100 * share * (len(self.levels) + 1))

    # --- classification ----------------------------------------------------
    def heading(self, line: str):
        """(level, rank, label, heading text, label_only) of a structural heading line, or None."""
        body = line
        md = MARKDOWN.match(line)
        if md:
            body = line[md.end():].strip()
        for rule in HEADING_RULES:
            m = rule.regex.match(body)
            if not m:
                continue
            groups = m.groupdict()
            level, native = rule.level, rule.family
            n = groups.get("n") or ""
            if rule.level == "section" and groups.get("sign"):
                if re.match(r"^\d+\.\d", n) and self.family != "statute":
                    native = "regulation"
            if level == "article" and self.family == "contract":
                native = "contract"
            label = rule.label.format(n=n, kind=(groups.get("kind") or "").title())
            rest = body[m.end():].strip(" .:\u2014\u2013-]")
            if level == "schedule" and _FILING_EXHIBIT.match(n):
                return None  # "Exhibit 10.1" atop a contract filed with the SEC: the filing's label, no schedule
            if _TOC_ENTRY.search(rest) or (level == "schedule" and _ANOTHER_SCHEDULE.search(rest)):
                # "APPENDIX A - DEFINITIONS 24", "Exhibit A - Materials Exhibit B - Specifications":
                # a table of contents or a list of exhibits, not the exhibit itself
                return None
            return level, self.structural_rank(level, native), label, _short(line, 120), not rest
        if md:
            text = body.strip("*_ ")
            if text and not ENUM.match(text):
                return "heading", 10 * len(md.group(1)), _short(text, 60), _short(text), False
        if form_or_signature(line) or self._offset in self._signatories:
            return None  # a table row, a total, a blank to fill in, a signature block: never a caption
        if (self.family == "policy" and line not in self._address and not _NOT_A_HEADING.search(line)
                and (_titled(line) or line in self._standalone)):
            return "heading", 100, _short(line, 60), _short(line), False
        if self.family == "contract" and _upper_heading(line):
            # a contract's caption in capitals ("RECITALS", "1. DEFINITIONS") ranks with its articles, so
            # the next ARTICLE closes it rather than nesting under it
            return "heading", self.structural_rank("article", "contract"), _short(line, 60), _short(line), False
        return None

    # --- the pass ------------------------------------------------------------
    def blocks(self, text: str) -> list[Block]:
        lines = _lines(text)
        if self.family == "policy":
            self._standalone, self._address = policy_line_roles(lines)
        self._signatories = {lines[k][0] for k in signatories([c for _, c in lines])}
        wrapped = _is_wrapped(lines)
        gapped = _has_paragraph_gaps(lines)
        state = _State(self.family)
        out: list[Block] = []
        prev = ""  # previous line's content ('' after a blank line)
        prev_block_line = ""
        prev_first = False  # the previous line opened the current block
        pending = None  # "title" or "text": the next block belongs to the previous one
        for i, (offset, content) in enumerate(lines):
            self._offset = offset
            if not content:
                prev, prev_first = "", False
                continue
            if out and prev and not self._breaks(prev, content, wrapped, gapped, prev_first and out[-1].structural):
                prev, prev_first = content, False
                continue
            if pending and out:
                head = self.heading(content)
                take = not ENUM.match(content) and (head is None or (pending == "title" and head[0] == "heading")) and (
                    pending == "text" or (len(content) <= 200 and not content.endswith((".", ";"))))
                if take:
                    if pending == "title" and out[-1].heading:
                        out[-1].heading = _short(f"{out[-1].heading} \u2014 {content}")
                    pending = None
                    prev, prev_first = content, False
                    continue
            pending = None
            block, pending = self._classify(offset, content, state, wrapped, prev_block_line, first=not out)
            out.append(block)
            prev = prev_block_line = content
            prev_first = True
        return out

    def _breaks(self, prev: str, line: str, wrapped: bool, gapped: bool, after_heading: bool) -> bool:
        """Whether `line` (after `prev`, no blank line between) starts a new block."""
        if prev in self._address and line in self._address:
            return False  # the lines of one address or contact block stay together
        if not wrapped:
            return True
        if REFERENCE_WORDS.search(prev):
            return False
        if ENUM.match(line) or DEFINITION.match(line):
            return True
        head = self.heading(line)
        if head is not None:
            # a line in capitals right under an unfinished line in capitals goes on with it
            # (a disclaimer, a party's name broken over two lines): it is no caption
            return not (head[0] == "heading" and UPPER_HEADING.match(prev) and not prev.endswith(TERMINAL))
        if after_heading:
            return True
        if gapped:
            return False
        return prev.endswith(TERMINAL[:5]) and line[:1].isupper() and len(prev) < 60

    def _classify(self, offset: int, line: str, state: _State, wrapped: bool, prev_line: str, first: bool = False):
        head = self.heading(line)
        if head is not None:
            level, rank, label, heading, label_only = head
            if first and self.family == "policy" and level == "heading":
                # the policy's own title ("Privacy Policy") on its first line: the root of every path,
                # so the sentence-case headings below it are its children, not its siblings
                rank = rank // 2
            # enumerators never contain a heading; headings close deeper headings
            while state.stack and (state.stack[-1].style is not None or state.stack[-1].rank >= rank):
                gone = state.stack.pop()
                if gone.style is not None:
                    state.closed[gone.style] = (len(state.stack), gone.value or "")
            state.stack.append(_Open(label, level, rank, None, None))
            return Block(offset, level, state.path(), heading, True, rank), ("title" if label_only else None)
        m = ENUM.match(line)
        if m:
            placed = self._enumerator(m, state, wrapped)
            if placed is not None:
                level, rank, label = placed
                rest = line[m.end():].strip()
                return Block(offset, level, state.path(), _caption(label, rest, self.family == "policy"), False,
                             rank), (
                    "text" if not rest else None)
        d = DEFINITION.match(line)
        if d:
            label = f"\u201c{d.group('term')}\u201d"
            self._push_enum(state, "definition", label, label, "definition")
            return Block(offset, "definition", state.path(), label, False, state.stack[-1].rank), None
        path = state.path() or ("preamble",)
        return Block(offset, "text" if state.stack else "preamble", path, None), None

    def _enumerator(self, m: re.Match, state: _State, wrapped: bool):
        kind = next(k for k in ("paren", "rparen", "dotted", "dot") if m.group(k) is not None)
        token = m.group(kind)
        style, value = enum_style(token, kind)
        style, value = self._settle_ambiguous(style, value, state)
        label = {"paren": f"({token})", "rparen": f"{token})", "dotted": token, "dot": f"{token}."}[kind]
        open_index = next((i for i in range(len(state.stack) - 1, -1, -1) if state.stack[i].style == style), None)
        # "4.01" opens a list of dotted numbers as "1" opens a list of numbers
        first = value in FIRST_VALUES or (kind == "dotted" and value.rstrip(".").split(".")[-1].lstrip("0") == "1")
        if open_index is None and not first and wrapped:
            return None  # "(5)" out of nowhere in wrapped prose: a number, not a provision
        if open_index is None and kind == "dot" and style in ("dot-upper", "dot-lower") and value not in ("A", "a"):
            return None  # "B. Smith": an initial, not the start of a list
        if open_index is None:
            _return_to_list(state, style, value)
        level = self.enum_names.get(style, "item")
        self._push_enum(state, style, value, label, level)
        return level, state.stack[-1].rank, label

    def _push_enum(self, state: _State, style: str, value: str, label: str, level: str) -> None:
        open_index = next((i for i in range(len(state.stack) - 1, -1, -1) if state.stack[i].style == style), None)
        if open_index is not None:
            rank = state.stack[open_index].rank
            del state.stack[open_index:]
        else:
            rank = state.stack[-1].rank + 1 if state.stack else 1000
        state.stack.append(_Open(label, level, rank, style, value))

    @staticmethod
    def _settle_ambiguous(style: str, value: str, state: _State) -> tuple[str, str]:
        """(i), (v), (x) continue a letter list after (h), (u), (w); otherwise they are roman."""
        if style not in ("paren-roman", "paren-uroman") or len(value) > 2:
            return style, value
        if len(value) == 2:  # (ii) after (hh) is a double letter
            double = "paren-dlower" if style == "paren-roman" else "paren-dupper"
            letter_style, previous = double, chr(ord(value[0]) - 1) * 2
        else:
            letter_style = "paren-lower" if style == "paren-roman" else "paren-upper"
            previous = chr(ord(value) - 1)
        for item in reversed(state.stack):
            if item.style == letter_style and item.value == previous:
                return letter_style, value
            if item.style == style:
                return style, value
        return style, value


def _return_to_list(state: _State, style: str, value: str) -> None:
    """Close unnumbered headings that came between "3." and "4.": the list goes on at its old place.

    Only headings without a number ("Data retention" in a policy whose sections are
    numbered) are closed, and only for the next value of the list; a numbered heading
    (ARTICLE II, CHAPTER 2) between them keeps the list under it.
    """
    depth, last = state.closed.get(style, (-1, ""))
    if depth < 0 or depth > len(state.stack) or not _follows(last, value):
        return
    if all(item.level == "heading" and item.style is None for item in state.stack[depth:]):
        del state.stack[depth:]


def _follows(previous: str, value: str) -> bool:
    """Whether `value` is the next enumerator after `previous`: 4 after 3, (c) after (b), 2.4 after 2.3."""
    a, b = previous.rstrip(".").split(".")[-1], value.rstrip(".").split(".")[-1]
    if previous.rstrip(".").split(".")[:-1] != value.rstrip(".").split(".")[:-1]:
        return False
    if a.isdigit() and b.isdigit():
        return int(b) == int(a) + 1
    if ROMAN.match(a.lower()) and ROMAN.match(b.lower()) and len(a) + len(b) > 2:
        return roman_value(b) == roman_value(a) + 1
    return len(a) == len(b) == 1 and a.isalpha() and ord(b) == ord(a) + 1


_NOT_A_HEADING = re.compile(r"^(?:last (?:updated|modified|revised)|effective(?: date)?|updated|date)\b|@|https?://|"
                            r"\b(?:tel|phone|fax|e-?mail)\b", re.IGNORECASE)


def policy_line_roles(lines: list[tuple[int, str]]) -> tuple[set[str], set[str]]:
    """(sentence-case headings, address lines) of a policy, judged from the lines around them.

    Policies often write headings in sentence case ("How we use your information"),
    which no pattern tells from a short sentence: such a line is a heading when it
    stands alone between blank lines and reads like a title (short, capitalised, no
    final full stop, comma or colon). Runs of two or more short unpunctuated lines
    (a postal address, a contact block) are never headings, even in Title Case.
    """
    standalone, address = set(), set()
    contents = [c for _, c in lines]
    one_paragraph_a_line = not _has_paragraph_gaps(lines) and not _is_wrapped(lines)
    for i, c in enumerate(contents):
        if not c:
            continue
        before = contents[i - 1] if i else ""
        after = contents[i + 1] if i + 1 < len(contents) else ""
        if not before and not after and _sentence_heading(c):
            standalone.add(c)
        elif one_paragraph_a_line and i and _between_paragraphs(before, c, after):
            standalone.add(c)
        if (_short_plain(c) and (_short_plain(before) or _short_plain(after))
                and not (after and _sentence_heading(c) and not _short_plain(after))):
            address.add(c)
    return standalone, address


def _between_paragraphs(before: str, line: str, after: str) -> bool:
    """In text with one paragraph a line and no blank lines (a web page's text), a heading in
    sentence case sits between a paragraph that ends a sentence and a longer paragraph that
    ends one too ("Cookies and similar technologies" between two paragraphs)."""
    return (_sentence_heading(line) and before.endswith((".", "!", "?", ":", ")", "\u201d", '"'))
            and len(after) > len(line) and after.endswith((".", "!", "?")) and after[:1].isupper()
            and not _short_plain(after))


def _sentence_heading(line: str) -> bool:
    words = line.split()
    return (len(line) <= 80 and 1 <= len(words) <= 12 and line[0].isupper() and not ENUM.match(line)
            and not line.endswith((".", ",", ";", ":", "!")) and ": " not in line
            and not _NOT_A_HEADING.search(line))


# a date line at the top of a policy stands alone: it is neither a heading nor part of an address
_DATE_LINE = re.compile(r"^(?:last (?:updated|modified|revised)|effective(?: date| as of)?|updated|revised)\b",
                        re.IGNORECASE)
# a company's name ends with a full stop that ends no sentence ("Harbour Tools Ltd.", "Lanternfish Labs, Inc.")
_COMPANY_END = re.compile(r"\b(?:Inc|Ltd|LLC|L\.L\.C|LLP|Corp|Co|PLC|GmbH|S\.A|B\.V|Pty)\.$")


def _short_plain(line: str) -> bool:
    """A short line without closing punctuation that is no list item: a line of an address or a signature."""
    return (bool(line) and len(line) <= 60 and (not line.endswith((".", ";", ":", "?", "!")) or bool(_COMPANY_END.search(line)))
            and not ENUM.match(line) and not line.startswith(("-", "*", "\u2022")) and not _DATE_LINE.match(line))


def _caption(label: str, rest: str, sentence_case: bool = False) -> str:
    """The heading of a numbered provision: its label and the caption or title after it.

    With `sentence_case` (policies) a short title in sentence case counts ("4. Fees and payment").
    """
    m = CAPTION.match(rest)
    if m:
        caption = (m.group(1) or m.group(2)).strip()
        words = caption.split()
        capitalised = sum(1 for w in words if w[0].isupper() or not w[0].isalpha())
        # "(a) In general.—" is a caption as written; "(a) Each order. ..." only if Title Cased
        if words and len(words) <= 12 and (m.group(1) or capitalised >= 0.6 * len(words)):
            return f"{label} {caption}"
    if rest and (_titled(rest) or (sentence_case and _sentence_heading(rest))):
        return f"{label} {rest}"
    return label


def _titled(line: str) -> bool:
    """A short line that reads as a title: 'Information We Collect', 'GOVERNING LAW'."""
    if len(line) > 80 or line.endswith((".", ",", ";", ":")) or not line[0].isupper():
        return False
    words = line.split()
    if not 1 <= len(words) <= 10:
        return False
    if UPPER_HEADING.match(line):
        return True
    small = {"a", "an", "and", "or", "of", "the", "to", "in", "for", "on", "with", "we", "you", "your", "our", "by"}
    return all(w[0].isupper() or w.lower() in small or not w[0].isalpha() for w in words)


def _upper_heading(line: str) -> bool:
    """A caption in capitals; not a parenthesis ('("FCE").') nor a sentence of a disclaimer in capitals."""
    words = line.split()
    return (len(line) <= 80 and not line.endswith((",", ";")) and bool(UPPER_HEADING.match(line))
            and len(words) <= 10 and line[0].isalnum() and not (line.endswith(".") and len(words) > 4))


def _short(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "\u2026"


__all__ = ["Block", "Parser", "roman_value"]
