"""Documents that `chunk` segments itself, their units made only when looked at."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Callable, Iterable

from seamline import markup
from seamline.records import Document, UnitGroup, make_unit, page_ranges, split_meta, unit_meta
from seamline.segmenters.base import Annotating, WindowedStarts, is_thread_safe, window_from_tokens
from seamline.streams import Groups, block_marks, heading_marks

class LazyUnits(Sequence):
    """The units of a document as `segment_document` would build them, made only when looked at.

    Chunking a document touches few of its units (the one each chunk starts in),
    so the hundreds of thousands of sentence records of a book are never built.
    """

    def __init__(self, doc: Document, starts, kind: str, meta_mode: str):
        self.doc, self.starts, self.kind, self.meta_mode = doc, starts, kind, meta_mode
        self.carried, self.document_level = split_meta(doc.meta)

    def __len__(self) -> int:
        return len(self.starts)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        n = len(self.starts)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError(i)
        start = int(self.starts[i])
        end = int(self.starts[i + 1]) if i + 1 < n else len(self.doc.text)
        unit = make_unit(self.doc.id, i, self.kind, start, end, self.doc.text[start:end])
        meta = unit_meta(self.carried, self.document_level, self.meta_mode, i == 0)  # documents here have no pages
        if meta:
            unit["meta"] = meta
        return unit


class DocumentGroup:
    """A document to chunk, segmented on first use into an array of unit starts.

    Used for documents without headings or pages whose segmenter only proposes
    starts: their units carry nothing but the document's meta, so the chunk
    records come out as from `segment_document`, without building every unit.
    Segmenting on first use lets `chunk_groups` start tokenizing the document
    on the second thread before its segmentation begins.
    """

    def __init__(self, doc: Document, segmenter, meta_mode: str):
        self.doc, self.text, self.source, self.line = doc.id, doc.text, doc.source, doc.line
        self.prepared: tuple | None = None  # as UnitGroup.prepared
        self._document, self._segmenter, self._meta_mode = doc, segmenter, meta_mode
        self._units: LazyUnits | None = None

    def unit_starts(self):
        return self.units.starts

    @property
    def segmenter(self):
        return self._segmenter

    def segment_ahead(self, strategy: str, budget: int | None = None) -> bool:
        """Whether `chunk_groups` may segment the whole document on a worker thread (it will be needed)."""
        windowed = strategy == "pack" and self.by_window(budget)
        return is_thread_safe(self._segmenter) and not windowed

    def by_window(self, budget: int | None = None) -> bool:
        """Whether the engine can give the starts near a point without the rest (see WindowPacker).

        An engine whose windows cost more than its whole-text pass for short
        chunks names the budget from which they pay (`window_from_tokens`).
        """
        if not isinstance(self._segmenter, WindowedStarts):
            return False
        return budget is None or budget >= window_from_tokens(self._segmenter)

    def records(self, chunks: list[tuple[int, int, int]], first_end: int) -> list[dict]:
        """Chunk records carrying the meta of the unit each starts in, without the units themselves."""
        carried, document_level = split_meta(self._document.meta)
        out = []
        for seq, (x, y, tokens) in enumerate(chunks):
            meta = unit_meta(carried, document_level, self._meta_mode, x < first_end or x == 0)
            extra = {"meta": meta} if meta else {}
            out.append(make_unit(self.doc, seq, "chunk", x, y, self.text[x:y], tokens=tokens, **extra))
        return out

    @property
    def units(self) -> LazyUnits:
        if self._units is None:
            self._units = LazyUnits(self._document, _tile_starts(self.text, self._segmenter.starts(self.text)),
                                    self._segmenter.kind, self._meta_mode)
        return self._units


def _tile_starts(text: str, starts) -> "np.ndarray":
    """Unit starts (0 first) of `segmenters.tile`'s spans, as an array."""
    from seamline.segmenters.base import tile_starts

    return tile_starts(text, starts)


def can_defer(doc: Document, segmenter) -> bool:
    """Whether a document's units can be left to DocumentGroup (no headings, pages or unit fields)."""
    if isinstance(segmenter, Annotating) or heading_marks(doc) or block_marks(doc) or markup.applies(doc, segmenter):
        return False
    return not page_ranges(split_meta(doc.meta)[1].get("pages"))


def document_groups(items: Iterable, segmenter_for_documents: Callable, meta_mode: str = "all",
                    prefetch: bool = False) -> Groups:
    """As streams.unit_groups, but documents that allow it come as DocumentGroup."""
    from seamline.records import document_from_record
    from seamline.streams import segment_document

    made: list = []

    def to_group(item):
        doc = document_from_record(item.value, item.source, item.line)
        if not made:
            made.append(segmenter_for_documents())
        if can_defer(doc, made[0]):
            return DocumentGroup(doc, made[0], meta_mode)
        return UnitGroup(doc.id, segment_document(doc, made[0], meta_mode), item.source, item.line)

    return Groups(items, to_group, prefetch)
