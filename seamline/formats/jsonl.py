"""JSON Lines in and out, on orjson; one record a line, line numbers kept."""
from __future__ import annotations

import gzip
import warnings
from typing import BinaryIO, Iterator

import orjson

from seamline.errors import InputError, SeamlineWarning
from seamline.formats import STDIN_NAME, Item, binary_stdin, source_name

BOM = b"\xef\xbb\xbf"


def open_binary(path: str) -> BinaryIO:
    if path == "-":
        return binary_stdin()
    if path.lower().endswith(".gz"):
        return gzip.open(path, "rb")
    return open(path, "rb")


def parse_line(raw: bytes, source: str, number: int, first: bool = False) -> object:
    """`first`: the first record of the input, where plain text read as JSONL shows itself."""
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as err:
        if first and not raw.lstrip().startswith((b"{", b"[")):
            where = ("standard input is read as JSON Lines" if source == STDIN_NAME
                     else "this file is read as JSON Lines (its extension)")
            hint = (f"this looks like plain text, not documents: {where}, one "
                    '{"id": ..., "text": ...} a line; for text use --from text (or markdown, html)')
        elif not raw.endswith(b"\n"):
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
        seen = False
        ids = UniqueIds(source)
        # readline returns as soon as a line is complete, so records flow
        # through a pipe before the input ends.
        for raw in iter(stream.readline, b""):
            number += 1
            if number == 1 and raw.startswith(BOM):
                raw = raw[len(BOM):]
            if not raw.strip():
                continue
            value = parse_line(raw, source, number, first=not seen)
            ids.check(value, number)
            yield Item(value, source, number)
            seen = True
        ids.finish()
    except (OSError, EOFError) as err:
        raise InputError(f"cannot read: {err}", source) from None
    finally:
        if path != "-":
            stream.close()


class UniqueIds:
    """Warns when a document has the id of an earlier document of the same file.

    Ids name documents in units, chunks, eval and every later stage, where two
    documents under one id get mixed up; but a stream may repeat documents on
    purpose (a test corpus written several times), so this is a warning, not an
    error: the first duplicate by name and line, the number of the others when
    the file ends. Each id is kept as a 64-bit hash, a few dozen bytes a document.
    """

    def __init__(self, source: str):
        self.source = source
        self.seen: set[int] = set()
        self.repeated = 0

    def check(self, value: object, number: int) -> None:
        if not isinstance(value, dict) or "doc" in value:
            return  # not a document (units carry "doc")
        doc_id = value.get("id")
        if not isinstance(doc_id, str):
            return  # reported where the document is read
        key = hash(doc_id)
        if key not in self.seen:
            self.seen.add(key)
            return
        self.repeated += 1
        if self.repeated == 1:
            warnings.warn(SeamlineWarning(f"{self.source}:{number}: duplicate id {doc_id!r}: an earlier document "
                                          "of this input has it; later stages and eval will mix the two up"))

    def finish(self) -> None:
        if self.repeated > 1:
            warnings.warn(SeamlineWarning(f"{self.source}: {self.repeated} documents repeat the id of an earlier "
                                          "one in all"))


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
