"""Plain text and Markdown files: one document each, text kept byte for byte."""
from __future__ import annotations

import sys

from seamline.errors import InputError
from seamline.formats import Item, source_name


def decode_utf8(data: bytes, source: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise InputError(f"not valid UTF-8 at byte {err.start}; convert it with iconv -t UTF-8", source) from None


def read_text(path: str, fmt: str) -> Item:
    source = source_name(path)
    if path == "-":
        data = sys.stdin.buffer.read()
    else:
        with open(path, "rb") as f:
            data = f.read()
    text = decode_utf8(data, source)
    return Item({"id": source, "text": text, "meta": {"format": fmt}}, source, None)
