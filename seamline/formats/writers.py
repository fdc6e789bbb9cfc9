"""Output formats: how one record becomes bytes.

- jsonl (the default): one JSON object a line; the stream format every stage reads.
- text: one unit a line, its whitespace (line breaks included) shown as single
  spaces; for reading, grep, wc -l and other line tools. It is a view, not
  lossless: read it back with nothing but your eyes.
"""
from __future__ import annotations

from typing import Callable

import orjson

from seamline.errors import UsageError

Encoder = Callable[[dict], bytes]


def encode_jsonl(rec: dict) -> bytes:
    return orjson.dumps(rec) + b"\n"


def encode_text(rec: dict) -> bytes:
    text = rec.get("text")
    if not isinstance(text, str):
        text = ""
    return " ".join(text.split()).encode("utf-8") + b"\n"


WRITERS: dict[str, Encoder] = {"jsonl": encode_jsonl, "text": encode_text}


def encoder(name: str) -> Encoder:
    if name not in WRITERS:
        raise UsageError(f"--format must be one of {', '.join(WRITERS)}, got {name!r}")
    return WRITERS[name]
