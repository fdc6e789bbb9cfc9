"""The record schema: documents in, units out (see docs/format.md).

This module is the one place that knows field names, their types and the
tiling rule. Records stay plain dicts because orjson reads and writes them
fastest that way; the functions here build and check them.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Iterable, Iterator

from seamline.errors import InputError

DOC_FIELDS = ("id", "text", "meta")
UNIT_FIELDS = ("doc", "seq", "kind", "start", "end", "text")
# Fields a stage may add, in the order they are written after the core ones.
OPTIONAL_FIELDS = ("tokens", "score", "path", "heading", "level", "meta")
KINDS = ("sentence", "paragraph", "line", "topic", "section", "chunk")
META_MODES = ("all", "first", "none")


class Record(dict):
    """A record as the API returns it: the dict the CLI writes, with attribute access.

    `chunk.text`, `chunk.start`, `chunk.tokens`, `chunk.path`: the optional fields
    (tokens, score, path, heading, level, meta) read as None when a record has
    none; any other missing name is an AttributeError. `to_json()` gives exactly
    the line the CLI writes (without its newline); the record is a dict, so
    orjson and json serialize it directly.
    """

    __slots__ = ()

    def __getattr__(self, name: str):
        try:
            return self[name]
        except KeyError:
            if name in OPTIONAL_FIELDS:
                return None
            raise AttributeError(f"record has no field {name!r}") from None

    def to_json(self) -> str:
        import orjson

        return orjson.dumps(self).decode("utf-8")

    def to_dict(self) -> dict:
        return dict(self)


@dataclass
class Document:
    id: str
    text: str
    # What every unit derived from this document carries in `meta`: the
    # document's own meta plus any unknown top-level fields, so none is lost.
    meta: dict = field(default_factory=dict)
    source: str | None = None
    line: int | None = None


@dataclass
class UnitGroup:
    """The consecutive units of one document, with the text they tile."""

    doc: str
    units: list[dict]
    source: str | None = None
    line: int | None = None
    # (tokenizer, text, future of its span counter) when a chunker's read-ahead
    # started counting this document on another thread (seamline.chunkers.run.chunk_groups)
    prepared: tuple | None = None

    @property
    def text(self) -> str:
        return "".join(u["text"] for u in self.units)


def is_unit(rec: dict) -> bool:
    return "doc" in rec and "start" in rec


def document_from_record(rec: object, source: str | None, line: int | None) -> Document:
    """Check a decoded JSON value as a document and carry its extra fields into meta."""
    if not isinstance(rec, dict):
        raise InputError(f"expected a JSON object, got {type(rec).__name__}", source, line)
    if "text" not in rec:
        raise InputError("document has no 'text' field (add \"text\": \"...\")", source, line)
    text = rec["text"]
    if not isinstance(text, str):
        raise InputError(f"'text' must be a string, got {type(text).__name__}", source, line)
    doc_id = rec.get("id")
    if not isinstance(doc_id, str):
        why = "has no 'id' field" if doc_id is None else f"has an 'id' of type {type(doc_id).__name__}"
        name = source if source and not source.startswith("<") else "docs.jsonl"
        raise InputError(f"document {why}; give each line an \"id\" string that names it (say its file "
                         f"and line: jq -c '{{id: (\"{name}:\" + (input_line_number|tostring))}} + .' {name})",
                         source, line)
    meta = rec.get("meta") or {}
    if not isinstance(meta, dict):
        raise InputError(f"'meta' must be an object, got {type(meta).__name__}", source, line)
    extras = {k: v for k, v in rec.items() if k not in DOC_FIELDS}
    if extras:
        meta = {**extras, **meta}
    return Document(doc_id, text, meta, source, line)


def make_unit(doc: str, seq: int, kind: str, start: int, end: int, text: str, **extra) -> dict:
    unit = {"doc": doc, "seq": seq, "kind": kind, "start": start, "end": end, "text": text}
    for name in OPTIONAL_FIELDS:
        if name in extra:
            unit[name] = extra.pop(name)
    unit.update(extra)
    return unit


# What a file reader records about the whole document (page ranges, headings,
# removed running headers, joined hyphens). Copied into every unit, it would make
# the output grow with the square of the document, so only the first unit carries it.
DOCUMENT_LEVEL_META = ("pages", "headings", "removed", "hyphens", "blocks")
READER_FORMATS = ("pdf", "markdown", "html", "text")


def units_from_spans(doc: Document, spans: Iterable[tuple[int, int]], kind: str,
                     meta_mode: str = "all") -> Iterator[dict]:
    """Turn tiling spans of a document into unit records carrying its meta."""
    text = doc.text
    carried, document_level = split_meta(doc.meta)
    pages = page_ranges(document_level.get("pages"))
    for seq, (start, end) in enumerate(spans):
        unit = make_unit(doc.id, seq, kind, start, end, text[start:end])
        meta = unit_meta(carried, document_level, meta_mode, seq == 0)
        if meta is not None and pages:
            meta["page_span"] = page_span(pages, start, end)
        if meta:
            unit["meta"] = meta
        yield unit


def unit_meta(carried: dict, document_level: dict, meta_mode: str, first: bool) -> dict | None:
    """The meta a unit of a document gets under `meta_mode` (a new dict; None for mode none).

    all: every unit carries the document's meta; first: only the first unit; the
    reader's document-level facts (pages, headings, ...) go on the first unit only.
    """
    if meta_mode == "none":
        return None
    meta = dict(carried) if (meta_mode == "all" or first) else {}
    if first:
        meta.update(document_level)
    return meta


def split_meta(meta: dict) -> tuple[dict, dict]:
    """(meta for every unit, reader facts for the first unit only)."""
    if not meta or meta.get("format") not in READER_FORMATS:
        return meta or {}, {}
    return ({k: v for k, v in meta.items() if k not in DOCUMENT_LEVEL_META},
            {k: v for k, v in meta.items() if k in DOCUMENT_LEVEL_META})


def page_ranges(value: object) -> list[int]:
    """Start offsets of the pages, when `pages` is a reader's list of [start, end] ranges."""
    if not isinstance(value, list) or not value:
        return []
    if not all(isinstance(r, list) and len(r) == 2 and all(isinstance(x, int) for x in r) for r in value):
        return []
    return [r[0] for r in value]


def page_span(page_starts: list[int], start: int, end: int) -> list[int]:
    """1-based numbers of the first and last page a span [start, end) touches."""
    first = bisect_right(page_starts, start)
    last = bisect_right(page_starts, max(start, end - 1))
    return [max(first, 1), max(last, 1)]


def widen_page_spans(chunks: list[dict], units: list[dict]) -> list[dict]:
    """Give each chunk the pages of all the units it covers, not only its first unit's."""
    spans = [u.get("meta", {}).get("page_span") if isinstance(u.get("meta"), dict) else None for u in units]
    if not units or not any(spans):
        return chunks
    starts = [u["start"] for u in units]
    for chunk in chunks:
        meta = chunk.get("meta")
        if not isinstance(meta, dict) or "page_span" not in meta or chunk["end"] <= chunk["start"]:
            continue
        first = spans[bisect_right(starts, chunk["start"]) - 1]
        last = spans[bisect_right(starts, chunk["end"] - 1) - 1]
        if first and last:
            chunk["meta"] = {**meta, "page_span": [first[0], last[1]]}
    return chunks


def check_unit(rec: object, source: str | None, line: int | None) -> dict:
    if not isinstance(rec, dict):
        raise InputError(f"expected a JSON object, got {type(rec).__name__}", source, line)
    for name, typ in (("doc", str), ("seq", int), ("kind", str), ("start", int), ("end", int), ("text", str)):
        value = rec.get(name)
        if not isinstance(value, typ) or isinstance(value, bool):
            raise InputError(f"unit lacks {name!r} of type {typ.__name__}; is this a unit stream?", source, line)
    if rec["end"] - rec["start"] != len(rec["text"]):
        raise InputError(
            f"unit {rec['doc']!r} seq {rec['seq']}: end - start is {rec['end'] - rec['start']} "
            f"but text has {len(rec['text'])} characters", source, line)
    return rec


def check_next_unit(prev: dict | None, unit: dict, source: str | None, line: int | None) -> None:
    """The tiling rule between consecutive units of one document."""
    want_seq = 0 if prev is None else prev["seq"] + 1
    want_start = 0 if prev is None else prev["end"]
    if unit["seq"] != want_seq:
        raise InputError(f"unit {unit['doc']!r} has seq {unit['seq']} where {want_seq} was expected "
                         "(units of a document must be consecutive and complete)", source, line)
    if unit["start"] != want_start:
        what = "overlaps the previous one" if unit["start"] < want_start else "leaves a gap after the previous one"
        raise InputError(f"unit {unit['doc']!r} seq {unit['seq']} starts at {unit['start']} and {what} "
                         f"(which ends at {want_start}); this stage needs units that tile the document",
                         source, line)
