"""Gold documents (../shared/data format), read once into a small index by id.

Only what scoring needs is kept per document: its length, a digest of its text
(predictions must reproduce it exactly), its boundaries and sentence starts.
So memory grows with the number of boundaries, not the size of the texts.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

from seamline.errors import InputError
from seamline.evaluation.boundaries import char_boundaries, span_starts
from seamline.formats import read_inputs


@dataclass
class GoldDoc:
    id: str
    length: int
    digest: bytes
    boundaries: list[int]  # character offsets, see boundaries.char_boundaries
    sentence_starts: list[int] | None  # from meta.sentence_spans, when present
    source: str
    line: int | None


def digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def load_gold(path: str) -> dict[str, GoldDoc]:
    index: dict[str, GoldDoc] = {}
    for item in read_inputs([path], "jsonl"):
        doc = gold_doc(item.value, item.source, item.line)
        if doc.id in index:
            first = index[doc.id]
            raise InputError(f"gold document {doc.id!r} appears twice (first at line {first.line})",
                             item.source, item.line)
        index[doc.id] = doc
    return index


def gold_doc(rec: object, source: str, line: int | None) -> GoldDoc:
    if not isinstance(rec, dict):
        raise InputError(f"expected a gold document object, got {type(rec).__name__}", source, line)
    doc_id, text = rec.get("id"), rec.get("text")
    if not isinstance(doc_id, str) or not isinstance(text, str):
        raise InputError("a gold document needs an 'id' string and a 'text' string", source, line)
    segments = spans(rec.get("segments"), len(text), f"gold {doc_id!r}: 'segments'", source, line)
    meta = rec.get("meta") if isinstance(rec.get("meta"), dict) else {}
    sentences = None
    if meta.get("sentence_spans") is not None:
        sentences = span_starts(text, spans(meta["sentence_spans"], len(text),
                                            f"gold {doc_id!r}: 'meta.sentence_spans'", source, line))
    return GoldDoc(doc_id, len(text), digest(text), char_boundaries(text, (s for s, _ in segments)),
                   sentences, source, line)


def spans(value: object, n: int, what: str, source: str, line: int | None) -> list[tuple[int, int]]:
    if not isinstance(value, list):
        raise InputError(f"{what} must be a list of [start, end] pairs", source, line)
    out = []
    for pair in value:
        ok = (isinstance(pair, (list, tuple)) and len(pair) == 2
              and all(isinstance(x, int) and not isinstance(x, bool) for x in pair))
        if not ok or not 0 <= pair[0] <= pair[1] <= n:
            raise InputError(f"{what} has {pair!r}, not a [start, end] pair within the text "
                             f"(0..{n})", source, line)
        out.append((pair[0], pair[1]))
    return out
