"""JSON Lines in and out, on orjson; one record a line, line numbers kept."""
from __future__ import annotations

import gzip
from typing import BinaryIO, Iterator

import orjson

from seamline.errors import InputError
from seamline.formats import Item, binary_stdin, source_name

BOM = b"\xef\xbb\xbf"


def open_binary(path: str) -> BinaryIO:
    if path == "-":
        return binary_stdin()
    if path.lower().endswith(".gz"):
        return gzip.open(path, "rb")
    return open(path, "rb")


def parse_line(raw: bytes, source: str, number: int) -> object:
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as err:
        if not raw.endswith(b"\n"):
            hint = "the last line is cut short; was the file truncated?"
        elif b"UTF-8" in str(err).encode() or "utf-8" in str(err).lower():
            hint = "the line is not valid UTF-8; convert the file with iconv -t UTF-8"
        else:
            hint = "each line must be one JSON object"
        raise InputError(f"not valid JSON ({err}); {hint}", source, number) from None


def read_jsonl(path: str) -> Iterator[Item]:
    source = source_name(path)
    stream = open_binary(path)
    try:
        number = 0
        # readline returns as soon as a line is complete, so records flow
        # through a pipe before the input ends.
        for raw in iter(stream.readline, b""):
            number += 1
            if number == 1 and raw.startswith(BOM):
                raw = raw[len(BOM):]
            if not raw.strip():
                continue
            yield Item(parse_line(raw, source, number), source, number)
    except (OSError, EOFError) as err:
        raise InputError(f"cannot read: {err}", source) from None
    finally:
        if path != "-":
            stream.close()


def read_json(path: str) -> Iterator[Item]:
    """A .json file holds one document or a list of them."""
    source = source_name(path)
    with open_binary(path) as stream:
        raw = stream.read()
    if raw.startswith(BOM):
        raw = raw[len(BOM):]
    try:
        value = orjson.loads(raw)
    except orjson.JSONDecodeError as err:
        raise InputError(f"not valid JSON ({err})", source) from None
    if isinstance(value, list):
        for index, rec in enumerate(value):
            yield Item(rec, f"{source}[{index}]", None)
    else:
        yield Item(value, source, None)


class JsonlWriter:
    """Writes records to a binary stream; `flush` at the end of each document."""

    def __init__(self, stream: BinaryIO):
        self.stream = stream
        self.count = 0

    def write(self, rec: dict) -> None:
        self.stream.write(orjson.dumps(rec) + b"\n")
        self.count += 1

    def flush(self) -> None:
        self.stream.flush()

    def close(self) -> None:
        self.stream.flush()
