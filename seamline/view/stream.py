"""Reading unit streams for viewing: one document at a time, from one or several streams.

A view accepts any unit stream: units, scored units, chunks, chunks with
overlap. A document's text is rebuilt from its units, so they must leave no gap
and must not go backwards (overlap is allowed). Several streams are read side by
side and must hold the same documents in the same order.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Iterator

from seamline.errors import InputError
from seamline.formats import read_inputs
from seamline.streams import rebuilt_documents


@dataclass
class Unit:
    """What a view shows of a unit: where it is and what the stages said about it."""

    seq: int
    start: int
    end: int
    kind: str
    tokens: int | None = None
    score: float | None = None
    path: list[str] | None = None


@dataclass
class StreamDoc:
    """One document as one stream cut it."""

    id: str
    text: str
    units: list[Unit]
    source: str
    line: int | None

    @property
    def sizes(self) -> tuple[str, list[int]]:
        """('tokens', counts) when every unit has a count, else ('characters', lengths)."""
        if self.units and all(u.tokens is not None for u in self.units):
            return "tokens", [u.tokens for u in self.units]
        return "characters", [u.end - u.start for u in self.units]

    @property
    def scored(self) -> bool:
        return any(u.score is not None for u in self.units)


@dataclass
class Selection:
    """Which documents to show: ids (empty for all) and how many at most (None for no limit)."""

    ids: list[str] = field(default_factory=list)
    limit: int | None = None

    def wants(self, doc_id: str) -> bool:
        return not self.ids or doc_id in self.ids


def read_stream(path: str, input_format: str | None = None) -> Iterator[StreamDoc]:
    """The documents of one unit stream (a file, or '-' for standard input)."""
    hint = ("view reads what `seamline segment`, `score` or `chunk` wrote (pipe documents through "
            "`seamline segment` first)")
    for doc in rebuilt_documents(read_inputs([path], input_format or "jsonl"), hint):
        yield StreamDoc(doc.id, doc.text, [view_unit(u) for u in doc.units], doc.source, doc.line)


def view_unit(rec: dict) -> Unit:
    tokens, score, path = rec.get("tokens"), rec.get("score"), rec.get("path")
    return Unit(rec["seq"], rec["start"], rec["end"], rec["kind"],
                tokens if isinstance(tokens, int) and not isinstance(tokens, bool) else None,
                float(score) if isinstance(score, (int, float)) and not isinstance(score, bool) else None,
                [str(p) for p in path] if isinstance(path, list) else None)


def aligned(streams: list[Iterable[StreamDoc]], names: list[str],
            selection: Selection | None = None) -> Iterator[list[StreamDoc]]:
    """The same document from every stream, one document at a time, as the selection asks.

    Each stream is filtered by the selection, then the streams are compared
    document by document: they must list the chosen documents in the same order
    with the same text; anything else is an error that names the place, not a
    silent mismatch.
    """
    selection = selection or Selection()
    iterators = [(d for d in s if selection.wants(d.id)) for s in streams]
    shown = 0
    found: set[str] = set()
    while selection.limit is None or shown < selection.limit:
        docs = [next(it, None) for it in iterators]
        if all(d is None for d in docs):
            missing = [i for i in selection.ids if i not in found]
            if missing:
                raise InputError(f"no document {', '.join(map(repr, missing))} in the stream "
                                 "(--doc takes a document id as the units' 'doc' field has it)", names[0])
            return
        first = next(d for d in docs if d is not None)
        for doc, name in zip(docs, names):
            check_same(first, doc, name, names[docs.index(first)])
        found.add(first.id)
        shown += 1
        yield docs


def check_same(first: StreamDoc, doc: StreamDoc | None, name: str, first_name: str) -> None:
    if doc is None:
        raise InputError(f"{name} ends before document {first.id!r} ({first_name} line {first.line}); "
                         "streams shown side by side must hold the same documents in the same order", name)
    if doc.id != first.id:
        raise InputError(f"document {doc.id!r} where {first_name} has {first.id!r}; streams shown side by "
                         "side must hold the same documents in the same order (select one with --doc)",
                         doc.source, doc.line)
    if doc.text != first.text:
        raise InputError(f"the units of {doc.id!r} give a different text than in {first_name}; streams "
                         "shown side by side must cut the same documents", doc.source, doc.line)
