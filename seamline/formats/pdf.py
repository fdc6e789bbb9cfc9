"""PDF files through pdfplumber: the text layer, page by page.

Pages are joined with a form feed so a page break stays visible in the text;
`meta.pages` gives each page's character range, so any unit can be mapped
back to the pages it spans.
"""
from __future__ import annotations

from seamline.errors import InputError, MissingExtra
from seamline.formats import Item

PAGE_BREAK = "\n\f"


def read_pdf(path: str) -> Item:
    try:
        import pdfplumber
    except ImportError:
        raise MissingExtra("pdfplumber", "pdf", "reading PDF files") from None
    parts: list[str] = []
    pages: list[list[int]] = []
    pos = 0
    try:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                text = page.extract_text() or ""
                if parts:
                    parts.append(PAGE_BREAK)
                    pos += len(PAGE_BREAK)
                pages.append([pos, pos + len(text)])
                parts.append(text)
                pos += len(text)
    except InputError:
        raise
    except Exception as err:  # pdfminer raises many unrelated types for damaged files
        name = type(err).__name__
        if "Password" in name or "encrypt" in str(err).lower():
            raise InputError("the PDF is encrypted; decrypt it first (for example qpdf --decrypt)", path) from None
        raise InputError(f"cannot read this PDF ({name}: {err}); is the file damaged?", path) from None
    text = "".join(parts)
    if not text.strip():
        raise InputError("the PDF has no text layer (image-only?); seamline does not do OCR, "
                         "run an OCR tool such as ocrmypdf first", path)
    return Item({"id": path, "text": text, "meta": {"format": "pdf", "pages": pages}}, path, None)
