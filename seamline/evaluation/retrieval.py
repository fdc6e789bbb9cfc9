"""Retrieval-oriented chunk scores in the manner of Chroma's chunking evaluation.

A questions file names, for each question, the character spans of a document
that answer it. The chunks "retrieved" for a question are those that overlap
any of its spans (an oracle retriever: the scores measure the chunking, not a
ranking model). Over characters, as Chroma's own code counts them:

    precision = |references ∩ chunks| / |chunks|
    recall    = |references ∩ chunks| / |references|
    IoU       = |references ∩ chunks| / |references ∪ chunks|

Overlapping chunks or spans are merged first, so overlap is not counted twice.
Scores are averaged over questions.

With a real retriever (`eval --retriever bm25 --top-k K`), the chunks retrieved
for a question are instead the K that BM25 (the bm25s library, Lucene's
variant, English stopwords removed) ranks highest for the question's text among
the chunks of its document; the same three scores and the tokens retrieved are
reported for each K.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from seamline.errors import InputError
from seamline.evaluation.gold import spans as read_spans
from seamline.formats import read_inputs


@dataclass
class Question:
    references: list[tuple[int, int]]
    source: str
    line: int | None
    text: str | None = None


@dataclass
class RetrievalScores:
    precision: list[float] = field(default_factory=list)
    recall: list[float] = field(default_factory=list)
    iou: list[float] = field(default_factory=list)

    def add(self, p: float, r: float, iou: float) -> None:
        self.precision.append(p)
        self.recall.append(r)
        self.iou.append(iou)

    def summary(self) -> dict:
        n = len(self.iou)
        mean = (lambda xs: sum(xs) / n) if n else (lambda xs: None)  # noqa: E731
        return {"questions": n, "retrieval_precision": mean(self.precision),
                "retrieval_recall": mean(self.recall), "retrieval_iou": mean(self.iou)}


def load_questions(path: str) -> dict[str, list[Question]]:
    by_doc: dict[str, list[Question]] = {}
    for item in read_inputs([path], "jsonl"):
        rec = item.value
        if not isinstance(rec, dict) or not isinstance(rec.get("doc"), str):
            raise InputError("a question needs a 'doc' id string: "
                             "{\"doc\": ..., \"question\": ..., \"references\": [[start, end], ...]}",
                             item.source, item.line)
        refs = read_spans(rec.get("references"), 1 << 62, "'references'", item.source, item.line)
        if not refs or any(s == e for s, e in refs):
            raise InputError("'references' needs at least one non-empty [start, end] span", item.source, item.line)
        text = rec.get("question")
        if text is not None and not isinstance(text, str):
            raise InputError("'question' must be a string", item.source, item.line)
        by_doc.setdefault(rec["doc"], []).append(Question(refs, item.source, item.line, text))
    return by_doc


def merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            if e > out[-1][1]:
                out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def total(spans: list[tuple[int, int]]) -> int:
    return sum(e - s for s, e in spans)


def overlap(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> int:
    """Length of the intersection of two merged span lists."""
    i = j = inter = 0
    while i < len(a) and j < len(b):
        lo, hi = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if hi > lo:
            inter += hi - lo
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return inter


def score_question(q: Question, chunks: list[tuple[int, int]], starts: list[int], length: int,
                   doc_id: str) -> tuple[float, float, float]:
    """chunks sorted by start and by end; starts: their start offsets."""
    refs = merged(q.references)
    if refs[-1][1] > length:
        raise InputError(f"a reference span ends at {refs[-1][1]}, past the end of document {doc_id!r} "
                         f"({length} characters)", q.source, q.line)
    hit = []
    for rs, re_ in refs:
        # chunks that start before the span ends, back to the first that ends
        # before it starts (chunk ends never decrease; run.py checks it)
        for c in range(bisect.bisect_left(starts, re_) - 1, -1, -1):
            cs, ce = chunks[c]
            if ce <= rs:
                break
            hit.append((cs, ce))
    return span_scores(refs, merged(hit))


def span_scores(refs: list[tuple[int, int]], got: list[tuple[int, int]]) -> tuple[float, float, float]:
    """Precision, recall and IoU of merged reference spans among merged retrieved spans."""
    inter = overlap(refs, got)
    size_r, size_c = total(refs), total(got)
    precision = inter / size_c if size_c else 0.0
    recall = inter / size_r
    iou = inter / (size_r + size_c - inter)
    return precision, recall, iou


class RankedScores:
    """Per K: precision, recall, IoU and tokens of the top-K chunks, over questions."""

    def __init__(self, top_k: list[int]):
        self.top_k = top_k
        self.by_k = {k: RetrievalScores() for k in top_k}
        self.tokens: dict[int, list[int]] = {k: [] for k in top_k}

    def add(self, k: int, scores: tuple[float, float, float], tokens: int) -> None:
        self.by_k[k].add(*scores)
        self.tokens[k].append(tokens)

    def summary(self, name: str = "bm25") -> dict:
        out: dict = {}
        for k in self.top_k:
            part = self.by_k[k].summary()
            toks = self.tokens[k]
            out.update({f"{name}_precision@{k}": part["retrieval_precision"],
                        f"{name}_recall@{k}": part["retrieval_recall"],
                        f"{name}_iou@{k}": part["retrieval_iou"],
                        f"{name}_tokens@{k}": sum(toks) / len(toks) if toks else None})
        return out


class BM25Ranker:
    """The chunks of one document ranked by BM25 for each question (bm25s, no stemmer)."""

    def __init__(self):
        from seamline.errors import MissingExtra

        try:
            import bm25s
        except ImportError:
            raise MissingExtra("bm25s", "retrieval", "eval --retriever bm25") from None
        self.bm25s = bm25s

    def tokens(self, texts: list[str]):
        return self.bm25s.tokenize(texts, lower=True, stopwords="en", return_ids=False, show_progress=False)

    def rank(self, chunks: list[str], queries: list[str], k: int) -> list[list[int]]:
        """For each query, the indices of its k best chunks, best first."""
        k = min(k, len(chunks))
        if k == 0 or not queries:
            return [[] for _ in queries]
        retriever = self.bm25s.BM25()
        retriever.index(self.tokens(chunks), show_progress=False)
        found, _ = retriever.retrieve(self.tokens(queries), k=k, show_progress=False, n_threads=1)
        return [[int(i) for i in row] for row in found]
