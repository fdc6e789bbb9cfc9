"""Chunk statistics that need no gold: sizes, budget overruns, cuts inside sentences."""
from __future__ import annotations

from seamline.evaluation.boundaries import first_content


def spread(values: list[int], prefix: str) -> dict:
    """min, median, p95 (linear interpolation, numpy's default) and max."""
    if not values:
        return {f"{prefix}_min": None, f"{prefix}_median": None, f"{prefix}_p95": None, f"{prefix}_max": None}
    import numpy as np

    arr = np.asarray(values, dtype=np.float64)
    return {f"{prefix}_min": int(arr.min()), f"{prefix}_median": float(np.median(arr)),
            f"{prefix}_p95": float(np.percentile(arr, 95)), f"{prefix}_max": int(arr.max())}


class ChunkStats:
    """Accumulates chunk sizes over documents; each add() also returns that document's figures.

    tokenizer: count tokens per chunk with it (None: characters only).
    max_tokens: count chunks over this budget. sentences: a sentence segmenter;
    a chunk ends inside a sentence when the text after it does not start one.
    """

    def __init__(self, tokenizer=None, max_tokens: int | None = None, sentences=None):
        self.tokenizer = tokenizer
        self.max_tokens = max_tokens
        self.sentences = sentences
        self.chars: list[int] = []
        self.tokens: list[int] = []
        self.over = 0
        self.inside = 0

    def add(self, doc_id: str, text: str, spans: list[tuple[int, int]]) -> dict:
        pieces = [text[s:e] for s, e in spans]
        self.chars.extend(len(p) for p in pieces)
        out: dict = {"chunks": len(spans)}
        if self.tokenizer is not None:
            counts = self.tokenizer.count_many(pieces)
            self.tokens.extend(counts)
            out["tokens_max"] = max(counts, default=0)
            if self.max_tokens is not None:
                over = sum(1 for c in counts if c > self.max_tokens)
                self.over += over
                out["over_budget"] = over
        if self.sentences is not None:
            inside = self.cut_inside(doc_id, text, spans)
            self.inside += inside
            out["ends_inside_sentence"] = inside / len(spans) if spans else 0.0
        return out

    def cut_inside(self, doc_id: str, text: str, spans: list[tuple[int, int]]) -> int:
        from seamline.streams import segment_document
        from seamline.records import Document

        units = segment_document(Document(doc_id, text), self.sentences, "none")
        starts = {first_content(text, u["start"]) for u in units}
        n = len(text)
        inside = 0
        for _, end in spans:
            after = first_content(text, end)
            if after < n and after not in starts:
                inside += 1
        return inside

    def summary(self) -> dict:
        out: dict = {"chunks": len(self.chars), **spread(self.chars, "chars")}
        if self.tokenizer is not None:
            out["tokenizer"] = self.tokenizer.name
            out.update(spread(self.tokens, "tokens"))
            if self.max_tokens is not None:
                out["max_tokens"] = self.max_tokens
                out["over_budget"] = self.over
        if self.sentences is not None:
            out["sentence_engine"] = self.sentences.name
            out["ends_inside_sentence"] = self.inside / len(self.chars) if self.chars else 0.0
        return out
