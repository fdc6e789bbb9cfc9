"""Plain text files: one document each, text kept byte for byte."""
from __future__ import annotations

import sys
from typing import Iterator

from seamline.errors import InputError
from seamline.formats import Item, source_name


def decode_utf8(data: bytes, source: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise InputError(f"not valid UTF-8 at byte {err.start}; convert it with iconv -t UTF-8", source) from None


def read_bytes(path: str, source: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError as err:
        raise InputError(f"cannot read: {err.strerror}", source) from None


def read_source(path: str, source: str) -> str:
    return decode_utf8(read_bytes(path, source), source)


def read_text(path: str, fmt: str = "text") -> Item:
    source = source_name(path)
    text = read_source(path, source)
    return Item({"id": source, "text": text, "meta": {"format": fmt}}, source, None)


def read_text_file(path: str) -> Iterator[Item]:
    """The `text` reader as registered: one document."""
    yield read_text(path, "text")
