"""Streaming glue between readers, segmenters and stages, one document at a time.

Every function here is a generator: it holds at most one document (or the
units of one document) and yields its output before reading further, so
memory is bounded by the largest document and records flow through pipes.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator

from seamline import markup
from seamline.errors import InputError
from seamline.formats import Item
from seamline.records import (Document, UnitGroup, check_next_unit, check_unit, document_from_record,
                              is_unit, units_from_spans)
from seamline.segmenters import Segmenter, tile
from seamline.segmenters.base import Annotating, BatchedStarts


def segment_document(doc: Document, segmenter: Segmenter, meta_mode: str = "all", starts=None) -> list[dict]:
    """Units of one document; structural segmenters add fields (path, heading, level, score).

    `starts`, when given, are the segmenter's starts for doc.text, found already.
    """
    headings = heading_marks(doc)
    if not isinstance(segmenter, Annotating):
        if markup.applies(doc, segmenter):  # tags in a text document: the engine reads the text without them
            starts = markup.markup_starts(doc.text, segmenter.starts)
        else:
            starts = segmenter.starts(doc.text) if starts is None else starts
        blocks = block_marks(doc)
        whole = sorted([*headings, *blocks])
        if whole:
            # a heading, code block or table the reader found is a unit of its own,
            # whole: an engine's cut inside it ("## 2. What we collect", a URL in
            # `curl -fsSL https://pyenv.run | bash`) is dropped
            starts = [*outside_headings(starts, whole), *(h[0] for h in whole), *(h[1] for h in whole)]
        spans = tile(doc.text, starts)
        units = list(units_from_spans(doc, spans, segmenter.kind, meta_mode))
        if blocks:
            mark_blocks(units, blocks)
        return add_paths(units, headings) if headings else units
    triples = segmenter.annotated(doc.text)
    check_tiling(doc, [(s, e) for s, e, _ in triples], segmenter)
    units = list(units_from_spans(doc, [(s, e) for s, e, _ in triples], segmenter.kind, meta_mode))
    for unit, (_, _, fields) in zip(units, triples):
        meta = unit.pop("meta", None)
        unit.update(fields)
        if meta is not None:
            unit["meta"] = {**meta, **unit["meta"]} if "meta" in unit else meta
    return add_paths(units, headings) if headings else units


def outside_headings(starts, headings: list[tuple[int, int, int, str]]) -> list[int]:
    """The starts that do not fall strictly inside a heading's span."""
    firsts = [h[0] for h in headings]
    kept = []
    for s in starts:
        i = bisect_right(firsts, s) - 1
        if i < 0 or not (headings[i][0] < s < headings[i][1]):
            kept.append(s)
    return kept


def heading_marks(doc: Document) -> list[tuple[int, int, int, str]]:
    """(start, end, level, title) of the headings a reader recorded in meta.headings, if well formed.

    Anything else under that name (a user's own meta) is left alone.
    """
    raw = doc.meta.get("headings") if doc.meta else None
    if not isinstance(raw, list) or not raw:
        return []
    marks = []
    n = len(doc.text)
    for h in raw:
        if not isinstance(h, dict):
            return []
        start, end, level, title = h.get("start"), h.get("end"), h.get("level"), h.get("title")
        if not (isinstance(start, int) and isinstance(end, int) and isinstance(level, int)
                and isinstance(title, str) and 0 <= start <= end <= n):
            return []
        marks.append((start, end, level, title))
    return sorted(marks)


BLOCK_KINDS = ("code", "table")


def block_marks(doc: Document) -> list[tuple[int, int, str]]:
    """(start, end, kind) of the code blocks and tables a reader recorded in meta.blocks, if well formed."""
    raw = doc.meta.get("blocks") if doc.meta else None
    if not isinstance(raw, list):
        return []
    marks = []
    for b in raw:
        if not isinstance(b, dict):
            return []
        start, end, kind = b.get("start"), b.get("end"), b.get("kind")
        if not (isinstance(start, int) and isinstance(end, int) and kind in BLOCK_KINDS
                and 0 <= start < end <= len(doc.text)):
            return []
        marks.append((start, end, kind))
    return sorted(marks)


def mark_blocks(units: list[dict], blocks: list[tuple[int, int, str]]) -> None:
    """A unit that holds one of the reader's blocks takes the block's kind (`code`, `table`)."""
    kinds = {start: kind for start, _, kind in blocks}
    for unit in units:
        kind = kinds.get(unit["start"])
        if kind is not None:
            unit["kind"] = kind


def add_paths(units: list[dict], headings: list[tuple[int, int, int, str]]) -> list[dict]:
    """Give each unit the heading path in effect where its text begins; units that have a path keep it."""
    stack: list[tuple[int, str]] = []
    i = 0
    out = []
    for unit in units:
        text = unit["text"]
        begin = unit["start"] + len(text) - len(text.lstrip())
        while i < len(headings) and headings[i][0] <= begin:
            _, _, level, title = headings[i]
            while stack and stack[-1][0] >= level:
                stack.pop()
            stack.append((level, title))
            i += 1
        if "path" in unit:
            out.append(unit)
            continue
        fields = {k: v for k, v in unit.items() if k != "meta"}
        fields["path"] = [title for _, title in stack]
        if "meta" in unit:
            fields["meta"] = unit["meta"]
        out.append(fields)
    return out


def check_tiling(doc: Document, spans: list[tuple[int, int]], segmenter: Segmenter) -> None:
    """A segmenter that builds its own spans must still tile; a bug here must not reach the output."""
    pos = 0
    for start, end in spans:
        if start != pos or end < start:
            raise InputError(f"internal error: engine {segmenter.name!r} produced spans that do not tile "
                             f"document {doc.id!r} at offset {pos}; please report it", doc.source, doc.line)
        pos = end
    if pos != len(doc.text):
        raise InputError(f"internal error: engine {segmenter.name!r} left {doc.id!r} uncovered after "
                         f"offset {pos}; please report it", doc.source, doc.line)


# Short documents are segmented several at a time by engines that can (`starts_many`):
# a vectorized pass has a fixed cost that a single short text does not repay.
SHORT_DOCUMENT = 1 << 13    # characters
BATCH_DOCUMENTS = 64
BATCH_CHARS = 1 << 16


def segment_items(items: Iterable[Item], segmenter: Segmenter, meta_mode: str = "all",
                  batch: bool = False) -> Iterator[list[dict]]:
    """Documents in, the units of each document out.

    With `batch` (for input that is all there already, such as a file: a pipe
    should not wait for more documents), short documents are held until a few
    have come and segmented together; they come out in input order, and the
    documents before a bad record are written before its error.
    """
    many = segmenter.starts_many if batch and isinstance(segmenter, BatchedStarts) else None
    held: list[Document] = []

    def release() -> Iterator[list[dict]]:
        found = many([d.text for d in held]) if len(held) > 1 else [None] * len(held)
        for doc, starts in zip(held, found):
            yield segment_document(doc, segmenter, meta_mode, starts)
        held.clear()

    records = iter(items)
    while True:
        try:
            item = next(records, None)
            if item is None:
                break
            doc = _document(item)
        except Exception:  # a bad record (or a reader's error): what came before it goes out first
            yield from release()
            raise
        if many is None or len(doc.text) >= SHORT_DOCUMENT:
            yield from release()
            yield segment_document(doc, segmenter, meta_mode)
            continue
        held.append(doc)
        if len(held) >= BATCH_DOCUMENTS or sum(len(d.text) for d in held) >= BATCH_CHARS:
            yield from release()
    yield from release()


def _document(item: Item) -> Document:
    rec = item.value
    if isinstance(rec, dict) and is_unit(rec) and "id" not in rec:
        raise InputError("this is a unit, not a document; `segment` reads documents "
                         "({\"id\": ..., \"text\": ...}); pipe units to chunk, merge or score",
                         item.source, item.line)
    return document_from_record(rec, item.source, item.line)


def grouped(items: Iterable[Item]) -> Iterator[UnitGroup | Item]:
    """Units gathered into the group of their document (checked for tiling); documents as they come.

    A document's units end where a unit of another document, a unit with seq 0,
    a document, or the end of input comes: a unit stream has no end-of-document
    marker. A bad record ends the group it interrupts: the units before it are
    yielded, then its error is raised.
    """
    current: UnitGroup | None = None
    records = iter(items)
    while True:
        try:
            item = next(records, None)
            if item is None:
                break
            rec = item.value
            if not (isinstance(rec, dict) and is_unit(rec)):
                if current is not None:
                    yield current
                    current = None
                yield item
                continue
            unit = check_unit(rec, item.source, item.line)
            if current is not None and (unit["doc"] != current.doc or unit["seq"] == 0):
                yield current
                current = None
            check_next_unit(current.units[-1] if current else None, unit, item.source, item.line)
        except Exception:
            if current is not None:
                yield current
            raise
        if current is None:
            current = UnitGroup(unit["doc"], [unit], item.source, item.line)
        else:
            current.units.append(unit)
    if current is not None:
        yield current


def unit_groups(items: Iterable[Item], segmenter_for_documents: Callable[[], Segmenter],
                meta_mode: str = "all", prefetch: bool = False) -> "Groups":
    """The units of each document, checked for tiling; documents are segmented first.

    With `prefetch` (input that may block, such as a pipe), the input is read
    and grouped on a thread, and the result can tell whether its next group is
    ready (see Groups).
    """
    made: list[Segmenter] = []

    def to_group(item: Item) -> UnitGroup:
        doc = document_from_record(item.value, item.source, item.line)
        if not made:
            made.append(segmenter_for_documents())
        return UnitGroup(doc.id, segment_document(doc, made[0], meta_mode), item.source, item.line)

    return Groups(items, to_group, prefetch)


class Groups:
    """Groups of units from a stream of items: unit groups as they are, documents through `to_group`.

    `ready()` tells whether the next group can be had without waiting for
    input (always, unless `prefetch` reads a source that may block on a thread).
    Making a group from a document (segmenting it) is work, not waiting.
    """

    def __init__(self, items: Iterable[Item], to_group: Callable[[Item], object], prefetch: bool = False):
        self._entries = Prefetch(grouped(items)) if prefetch else grouped(items)
        self._to_group = to_group

    def ready(self) -> bool:
        return getattr(self._entries, "ready", lambda: True)()

    def __iter__(self) -> "Groups":
        return self

    def __next__(self):
        entry = next(self._entries)
        return entry if isinstance(entry, UnitGroup) else self._to_group(entry)

    def close(self) -> None:
        if isinstance(self._entries, Prefetch):
            self._entries.close()


class Prefetch:
    """The values of an iterator, produced on a thread, and whether the next one is there already.

    A stage that reads ahead (chunk counts the next documents on other threads)
    asks `ready()` before it takes the next value: when the input would block,
    it finishes and writes what it holds first, so a complete document comes
    out while the pipe feeding it stays open. The thread holds at most one
    value beyond the queue's `size`; an error is raised where its value would be.
    """

    _END = object()

    def __init__(self, source: Iterable, size: int = 1):
        import queue
        import threading

        self._queue: "queue.Queue" = queue.Queue(maxsize=size)
        self._stopped = threading.Event()
        self._done = False
        self._thread = threading.Thread(target=self._fill, args=(iter(source),), daemon=True,
                                        name="seamline-prefetch")
        self._thread.start()

    def _fill(self, source) -> None:
        try:
            for value in source:
                if not self._put((value, None)):
                    return
        except BaseException as err:  # handed to the consumer, raised in its thread
            self._put((self._END, err))
            return
        self._put((self._END, None))

    def _put(self, entry) -> bool:
        import queue

        while not self._stopped.is_set():
            try:
                self._queue.put(entry, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def ready(self) -> bool:
        """Whether the next value (or the end, or an error) can be taken without waiting for input."""
        return self._done or not self._queue.empty()

    def __iter__(self) -> "Prefetch":
        return self

    def __next__(self):
        if self._done:
            raise StopIteration
        value, err = self._queue.get()
        if value is self._END:
            self._done = True
            if err is not None:
                raise err
            raise StopIteration
        return value

    def close(self) -> None:
        """Let the thread end (it stops at its next value; a read that blocks ends with the process)."""
        self._stopped.set()


@dataclass
class RebuiltDocument:
    """A document of a unit stream: its text rebuilt from its units, and the units as read."""

    id: str
    text: str
    units: list[dict]
    source: str
    line: int | None


def rebuilt_documents(items: Iterable[Item], not_a_unit: str) -> Iterator[RebuiltDocument]:
    """The documents of a unit stream (eval's predictions, view's streams), one at a time.

    Units may overlap (chunks made with an overlap option) but must leave no gap
    and must not go backwards; the first starts at 0, and a document's units are
    consecutive. A record that is a document, not a unit, is refused with
    `not_a_unit`, which says what the reader expected instead.
    """
    current: RebuiltDocument | None = None
    pieces: list[str] = []
    covered = 0
    seen: set[str] = set()
    for item in items:
        rec = item.value
        if isinstance(rec, dict) and "doc" not in rec and "text" in rec:
            raise InputError(f"this is a document, not a unit; {not_a_unit}", item.source, item.line)
        unit = check_unit(rec, item.source, item.line)
        start, end = unit["start"], unit["end"]
        if current is None or unit["doc"] != current.id:
            if current is not None:
                current.text = "".join(pieces)
                yield current
            if unit["doc"] in seen:
                raise InputError(f"units of document {unit['doc']!r} are not consecutive "
                                 "(it appeared earlier in the stream)", item.source, item.line)
            seen.add(unit["doc"])
            if start != 0:
                raise InputError(f"the first unit of {unit['doc']!r} starts at {start}, not 0",
                                 item.source, item.line)
            current, pieces, covered = RebuiltDocument(unit["doc"], "", [], item.source, item.line), [], 0
        else:
            last = current.units[-1]
            if start > covered:
                raise InputError(f"unit {unit['doc']!r} seq {unit['seq']} starts at {start} and leaves a gap "
                                 f"after offset {covered}", item.source, item.line)
            if start < last["start"] or end < last["end"]:
                raise InputError(f"unit {unit['doc']!r} seq {unit['seq']} goes back in the text "
                                 f"({start}..{end} after {last['start']}..{last['end']})", item.source, item.line)
        if end > covered:
            pieces.append(unit["text"][covered - start:])
            covered = end
        current.units.append(unit)
    if current is not None:
        current.text = "".join(pieces)
        yield current
