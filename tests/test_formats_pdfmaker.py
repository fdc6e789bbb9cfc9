"""Tiny PDFs written by hand for the format tests: text in the standard Helvetica fonts.

Only what the tests need: pages of positioned text lines, an optional image,
an optional (unopenable) encryption dictionary. Coordinates are PDF points
from the bottom left, as in the PDF content stream.
"""
from __future__ import annotations


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def make_pdf(pages: list[list[tuple[float, float, float, str, str]]], image: bool = False,
             encrypted: bool = False) -> bytes:
    """pages: per page a list of (x, y, size, font, text) with font 'F1' (Helvetica) or 'F2' (bold)."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")  # filled in below
    pages_obj = add(b"")
    regular = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    bold = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>")
    picture = None
    if image:
        picture = add(b"<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray "
                      b"/BitsPerComponent 8 /Length 1 >>\nstream\n\x80\nendstream")
    kids = []
    for lines in pages:
        ops = []
        for x, y, size, font, text in lines:
            ops.append(f"BT /{font} {size} Tf {x} {y} Td ({_escape(text)}) Tj ET")
        if picture:
            ops.append("q 400 0 0 300 100 300 cm /Im1 Do Q")
        stream = "\n".join(ops).encode("cp1252")  # WinAnsiEncoding: § — “ ” are one byte each
        content = add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        xobject = f" /XObject << /Im1 {picture} 0 R >>" if picture else ""
        page = add(f"<< /Type /Page /Parent {pages_obj} 0 R /MediaBox [0 0 612 792] /Resources << /Font << "
                   f"/F1 {regular} 0 R /F2 {bold} 0 R >>{xobject} >> /Contents {content} 0 R >>".encode())
        kids.append(page)
    objects[catalog - 1] = f"<< /Type /Catalog /Pages {pages_obj} 0 R >>".encode()
    objects[pages_obj - 1] = (f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] "
                              f"/Count {len(kids)} >>").encode()
    trailer_extra = ""
    if encrypted:
        # A standard security handler whose user password is not empty: no reader
        # can open the file without it.
        enc = add(b"<< /Filter /Standard /V 1 /R 2 /Length 40 /P -4 /O <" + b"ab" * 32 + b"> /U <"
                  + b"cd" * 32 + b"> >>")
        trailer_extra = f" /Encrypt {enc} 0 R /ID [<{'12' * 16}> <{'12' * 16}>]"
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (f"trailer\n<< /Size {len(objects) + 1} /Root {catalog} 0 R{trailer_extra} >>\n"
            f"startxref\n{xref}\n%%EOF\n").encode()
    return bytes(out)


LEFT = [
    "Sentence boundaries matter for every",
    "retrieval system that cuts documents",
    "into pieces before it embeds them in",
    "an index. A good reader keeps the",
    "order of the columns and joins segmen-",
    "tation across line ends where a word",
    "was broken by the typesetter at the",
    "margin of the left column of text.",
]
RIGHT = [
    "The right column continues the story",
    "with more sentences about layout and",
    "reading order in printed documents.",
    "Readers that mix the two columns up",
    "produce text that no model can use",
    "because each line jumps between two",
    "unrelated thoughts on the same page",
    "and the result is simply word salad.",
]


def two_column_paper(pages: int = 2) -> bytes:
    """A two-column paper: running header, page numbers, a bold heading, a hyphenated word."""
    out = []
    for number in range(1, pages + 1):
        lines = [(200, 760, 9, "F1", "Journal of Layout Studies, Volume 7"),
                 (300, 30, 9, "F1", str(number))]
        if number == 1:
            lines.append((50, 715, 14, "F2", "1 Introduction"))
        else:
            lines.append((50, 715, 14, "F2", f"{number} Further Work"))
        for i, (left, right) in enumerate(zip(LEFT, RIGHT)):
            y = 690 - 14 * i
            lines.append((50, y, 10, "F1", left if number == 1 else left.replace("segmen-", "segment-")))
            lines.append((320, y, 10, "F1", right))
        out.append(lines)
    return make_pdf(out)


def _wrap(text: str, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return lines + [line] if line else lines


def legal_pdf(paragraphs: list[str], per_page: int = 40) -> bytes:
    """Legal text set one column wide, headings (TITLE, CHAPTER, PART, §) in bold, a running header."""
    rows = [(line, paragraph.startswith(("TITLE", "CHAPTER", "PART", "Subpart", "§")))
            for paragraph in paragraphs for line in _wrap(paragraph, 80)]
    pages = []
    for number, k in enumerate(range(0, len(rows), per_page), 1):
        lines = [(180, 760, 9, "F1", "Code of Example Regulations, Volume 9"), (300, 30, 9, "F1", str(number))]
        for i, (text, bold) in enumerate(rows[k:k + per_page]):
            lines.append((72, 720 - 16 * i, 10, "F2" if bold else "F1", text))
        pages.append(lines)
    return make_pdf(pages)


def three_column_pages(pages: list[list[list[str]]]) -> bytes:
    """Pages of three columns (x = 40, 226, 412): per page, per column, paragraphs wrapped at 34 characters."""
    out = []
    for number, columns in enumerate(pages, 1):
        lines = [(150, 770, 8, "F1", f"Example Register / Vol. 12, No. {number} / Notices"),
                 (300, 24, 8, "F1", str(number))]
        for x, paragraphs in zip((40, 226, 412), columns):
            y = 740
            for paragraph in paragraphs:
                for line in _wrap(paragraph, 34):
                    lines.append((x, y, 9, "F1", line))
                    y -= 11
                y -= 6
        out.append(lines)
    return make_pdf(out)
