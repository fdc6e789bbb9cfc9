"""One prediction stream against gold (and questions): per-document records, then a summary.

Predictions are read one document at a time (the units of a document are
consecutive), so memory is bounded by the largest document plus the gold index.
Mismatches with the gold (documents missing on either side, texts that differ)
are collected and raised together at the end, naming the ids, unless
allow_missing asks to skip them; the summary then counts them.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from seamline.errors import InputError
from seamline.evaluation import metrics
from seamline.evaluation.boundaries import char_boundaries, span_starts, to_units, word_starts
from seamline.evaluation.gold import GoldDoc, digest
from seamline.evaluation.retrieval import Question, RankedScores, RetrievalScores, merged, score_question, span_scores
from seamline.evaluation.stats import ChunkStats
from seamline.formats import read_inputs

# Metrics a summary can carry and whether higher is better (for --fail-under).
HIGHER_IS_BETTER = {
    "precision": True, "recall": True, "f1": True,
    "precision_within": True, "recall_within": True, "f1_within": True,
    "pk": False, "windowdiff": False, "b": True, "edit_distance": False,
    "b_precision": True, "b_recall": True, "b_f1": True, "edit_operations": False,
    "boundary_clarity": True, "chunk_stickiness": False,
    "retrieval_precision": True, "retrieval_recall": True, "retrieval_iou": True,
    "over_budget": False, "ends_inside_sentence": False, "tokens_max": False, "tokens_p95": False,
}


@dataclass
class Options:
    unit: str = "char"
    convention: str = "segeval"
    window: int | None = None
    tolerance: int | None = None
    n_t: int = 2
    per_doc: bool = False
    allow_missing: bool = False
    jit: str = "auto"  # compiled kernels: auto (once the run is large), always, never
    retriever: str = "oracle"  # or "bm25": rank each document's chunks for each question's text
    top_k: tuple[int, ...] = (1, 3, 5)
    lm: str | None = None  # MoC's boundary clarity and chunk stickiness under this language model


@dataclass
class PredDoc:
    id: str
    text: str
    spans: list[tuple[int, int]]
    source: str
    line: int | None
    contexts: list[str] | None = None  # each chunk's `context` (chunk --with-headings), when any has one


def read_predictions(path: str) -> Iterator[PredDoc]:
    """The documents of a unit stream, their text rebuilt from the units (see `rebuilt_documents`)."""
    from seamline.streams import rebuilt_documents

    hint = "eval reads the units or chunks that `seamline segment` or `chunk` wrote"
    for doc in rebuilt_documents(read_inputs([path], "jsonl"), hint):
        contexts = [u.get("context") if isinstance(u.get("context"), str) else "" for u in doc.units]
        yield PredDoc(doc.id, doc.text, [(u["start"], u["end"]) for u in doc.units], doc.source, doc.line,
                      contexts if any(contexts) else None)


class Evaluation:
    """Scores of one prediction stream, accumulated over its documents."""

    def __init__(self, pred: str, gold: dict[str, GoldDoc] | None, options: Options,
                 stats: ChunkStats, questions: dict[str, list[Question]] | None = None,
                 sentence_segmenter=None):
        self.pred = pred
        self.gold = gold
        self.options = options
        self.stats = stats
        self.questions = questions
        self.sentence_segmenter = sentence_segmenter  # for --unit sentence without gold sentence_spans
        self.policy = metrics.jit_policy(options.jit)
        self.matching = metrics.Matching(0, 0, 0)
        self.within = metrics.Matching(0, 0, 0)
        self.pk: list[float] = []
        self.wd: list[float] = []
        self.b: list[float] = []
        self.edits = 0.0
        self.pooled = metrics.BoundaryEdits(0, 0, 0, 0, options.n_t)  # segeval's confusion matrix, summed
        self.docs = 0
        self.seen: set[str] = set()
        self.unknown: list[tuple[str, str, int | None]] = []
        self.differing: list[tuple[str, str, int | None, str]] = []
        self.retrieval = RetrievalScores()
        self.ranked = RankedScores(list(options.top_k)) if options.retriever == "bm25" else None
        self.ranker = None
        self.moc = None
        if options.lm:
            from seamline import lm
            from seamline.evaluation.moc import MoCScores

            self.moc = MoCScores(lm.load(options.lm))
        self.units_from_rules = 0

    def records(self) -> Iterator[dict]:
        for doc in read_predictions(self.pred):
            rec = self.document(doc)
            if self.options.per_doc and rec is not None:
                yield rec
        self.check_missing()
        yield self.summary()

    def document(self, doc: PredDoc) -> dict | None:
        self.seen.add(doc.id)
        rec: dict = {"scope": "doc", "pred": self.pred, "doc": doc.id}
        if self.gold is not None:
            gold = self.gold.get(doc.id)
            if gold is None:
                self.unknown.append((doc.id, doc.source, doc.line))
                return None
            if len(doc.text) != gold.length or digest(doc.text) != gold.digest:
                why = (f"{len(doc.text)} characters against the gold's {gold.length}"
                       if len(doc.text) != gold.length else "same length, different characters")
                self.differing.append((doc.id, doc.source, doc.line, why))
                return None
            rec.update(self.against_gold(doc, gold))
        rec.update(self.stats.add(doc.id, doc.text, doc.spans))
        if self.questions is not None:
            rec.update(self.retrieve(doc))
        if self.moc is not None:
            rec.update(self.moc.add([doc.text[s:e] for s, e in doc.spans]))
        self.docs += 1
        return rec

    def against_gold(self, doc: PredDoc, gold: GoldDoc) -> dict:
        opt = self.options
        text = doc.text
        ref_chars = gold.boundaries
        hyp_chars = char_boundaries(text, (s for s, _ in doc.spans))
        exact = metrics.match(ref_chars, hyp_chars, 0, self.policy)
        self.matching += exact
        out = {"gold_boundaries": exact.gold, "pred_boundaries": exact.predicted,
               "precision": exact.precision, "recall": exact.recall, "f1": exact.f1}
        if opt.tolerance is not None:
            near = metrics.match(ref_chars, hyp_chars, opt.tolerance, self.policy)
            self.within += near
            out.update(precision_within=near.precision, recall_within=near.recall, f1_within=near.f1)
        n, ref, hyp = self.in_units(text, gold, ref_chars, hyp_chars)
        pk = metrics.pk(n, ref, hyp, opt.window, opt.convention, self.policy)
        wd = metrics.windowdiff(n, ref, hyp, opt.window, opt.convention, self.policy)
        edits = metrics.boundary_edits(ref, hyp, opt.n_t, self.policy)
        if pk.windows > 0:
            self.pk.append(pk.value)
            self.wd.append(wd.value)
        self.b.append(edits.b)
        self.edits += edits.edit_distance
        self.pooled += edits
        out.update(units=n, k=pk.k, pk=pk.value if pk.windows else None,
                   windowdiff=wd.value if wd.windows else None, b=edits.b,
                   edit_distance=edits.edit_distance, additions=edits.additions,
                   transpositions=edits.transpositions, edit_operations=edits.edit_operations,
                   b_precision=edits.b_precision, b_recall=edits.b_recall, b_f1=edits.b_f1)
        return out

    def in_units(self, text: str, gold: GoldDoc, ref_chars: list[int], hyp_chars: list[int]):
        unit = self.options.unit
        if unit == "char":
            return len(text), ref_chars, hyp_chars
        if unit == "word":
            starts = word_starts(text)
        elif gold.sentence_starts is not None:
            starts = gold.sentence_starts
        else:
            from seamline.streams import segment_document
            from seamline.records import Document

            self.units_from_rules += 1
            units = segment_document(Document(gold.id, text), self.sentence_segmenter, "none")
            starts = span_starts(text, [(u["start"], u["end"]) for u in units])
        return len(starts), to_units(ref_chars, starts), to_units(hyp_chars, starts)

    def retrieve(self, doc: PredDoc) -> dict:
        questions = self.questions.get(doc.id, [])
        local = RetrievalScores()
        starts = [s for s, _ in doc.spans]
        for q in questions:
            scores = score_question(q, doc.spans, starts, len(doc.text), doc.id)
            local.add(*scores)
            self.retrieval.add(*scores)
        out = local.summary() if questions else {}
        if self.ranked is not None and questions:
            out.update(self.rank(doc, questions))
        return out

    def rank(self, doc: PredDoc, questions: list[Question]) -> dict:
        """Scores of the top-K chunks that BM25 finds for each question's text."""
        from seamline.evaluation.retrieval import BM25Ranker

        if self.ranker is None:
            self.ranker = BM25Ranker()
        for q in questions:
            if not q.text or not q.text.strip():
                raise InputError("--retriever bm25 needs each question's text in 'question'", q.source, q.line)
        chunks = [doc.text[s:e] for s, e in doc.spans]
        if doc.contexts:  # what a retriever is given: the headings above a chunk and its text, as `tokens` counts
            chunks = [f"{ctx}\n{chunk}" if ctx else chunk for ctx, chunk in zip(doc.contexts, chunks)]
        counter = self.stats.tokenizer
        counts = counter.count_many(chunks) if counter is not None else [len(c) for c in chunks]
        best = self.ranker.rank(chunks, [q.text for q in questions], max(self.options.top_k))
        local = RankedScores(list(self.options.top_k))
        for q, order in zip(questions, best):
            refs = merged(q.references)
            for k in self.options.top_k:
                top = order[:k]
                scores = span_scores(refs, merged([doc.spans[i] for i in top]))
                tokens = sum(counts[i] for i in top)
                local.add(k, scores, tokens)
                self.ranked.add(k, scores, tokens)
        return local.summary()

    def check_missing(self) -> None:
        problems = []
        missing = [] if self.gold is None else [d for d in self.gold if d not in self.seen]
        asked = [] if self.questions is None else [d for d in self.questions if d not in self.seen]
        self.missing, self.asked = missing, asked
        if self.options.allow_missing:
            return
        if self.unknown:
            problems.append(f"{len(self.unknown)} predicted document(s) not in the gold: {ids(self.unknown)}")
        if self.differing:
            first = self.differing[0]
            problems.append(f"{len(self.differing)} document(s) whose text differs from the gold: "
                            f"{ids(self.differing)} (first: {first[3]})")
        if missing:
            problems.append(f"{len(missing)} gold document(s) with no prediction: {ids(missing)}")
        if asked:
            problems.append(f"{len(asked)} questioned document(s) with no prediction: {ids(asked)}")
        if problems:
            raise InputError("; ".join(problems) + " (use `allow_missing` to score the rest)", self.pred)

    def summary(self) -> dict:
        opt = self.options
        out: dict = {"scope": "all", "pred": self.pred, "docs": self.docs}
        if self.gold is not None:
            m = self.matching
            out.update(unit=opt.unit, convention=opt.convention,
                       gold_boundaries=m.gold, pred_boundaries=m.predicted,
                       precision=m.precision, recall=m.recall, f1=m.f1)
            if opt.tolerance is not None:
                w = self.within
                out.update(tolerance=opt.tolerance, precision_within=w.precision, recall_within=w.recall,
                           f1_within=w.f1)
            out.update(pk=mean(self.pk), windowdiff=mean(self.wd), b=mean(self.b), edit_distance=self.edits,
                       edit_operations=self.pooled.edit_operations, b_precision=self.pooled.b_precision,
                       b_recall=self.pooled.b_recall, b_f1=self.pooled.b_f1)
            if self.units_from_rules:
                out["sentence_units_from_rules"] = self.units_from_rules
            if opt.allow_missing:
                out.update(missing=len(self.missing), unknown=len(self.unknown), differing=len(self.differing))
        out.update(self.stats.summary())
        if self.questions is not None:
            out.update(self.retrieval.summary())
            if self.ranked is not None:
                out.update(self.ranked.summary())
        if self.moc is not None:
            out.update(self.moc.summary())
        return out


def mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def ids(items: list, limit: int = 5) -> str:
    names = [repr(x[0] if isinstance(x, tuple) else x) for x in items[:limit]]
    more = f" and {len(items) - limit} more" if len(items) > limit else ""
    return ", ".join(names) + more
