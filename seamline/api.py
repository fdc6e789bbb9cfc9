"""The Python API: the commands as functions, records as iterators (docs/api.md).

Every function takes what a Python user has at hand and returns an iterator of
`Record`s, lazily, with the same fields and values the command line writes:

- a `str` is a text: one document (id "0");
- a `pathlib.Path` (any os.PathLike) is a file, read as the CLI reads it (JSONL,
  JSON, text, Markdown, HTML, PDF by extension; a directory is walked);
- a dict (or Record) is a document `{"id", "text", "meta"}` or a unit;
- an iterable of any of these is read in order (strings in it are texts with
  ids "0", "1", ...).

Keyword arguments are the CLI's options by name: `chunk(text, max_tokens=512)`
is `seamline chunk --max-tokens 512`. Errors are seamline.errors exceptions:
UsageError for impossible options (raised at the call, before any input is
read) and InputError for bad input (raised while iterating).
"""
from __future__ import annotations

import os
from typing import Iterable, Iterator, Union

from seamline.formats import Item
from seamline.records import Record
from seamline.stages import Chunk, Merge, Score, Segment, Stage, chain, make_stage, parse_pipeline

Source = Union[str, "os.PathLike[str]", dict, Iterable]
PYTHON_SOURCE = "<python>"

__all__ = ["read", "segment", "score", "chunk", "merge", "evaluate", "pipeline", "plugins", "Pipeline", "Record"]


def read(source: Source, input_format: str | None = None) -> Iterator[Record]:
    """Documents (or units) as the readers see them; a str here is a path (or '-' for standard input)."""
    if isinstance(source, str):
        source = [os.fspath(source)]
    for item in _items(source, input_format, strings_are_paths=True):
        yield Record(item.value)


def segment(source: Source, input_format: str | None = None, **options) -> Iterator[Record]:
    """Units that tile each document: `seamline segment` (by, engine, lang, method, ..., meta)."""
    return _run([Segment(**options)], source, input_format)


def score(source: Source, input_format: str | None = None, **options) -> Iterator[Record]:
    """Units with a boundary `score`: `seamline score` (method, model, engine, lang)."""
    return _run([Score(**options)], source, input_format)


def chunk(source: Source, input_format: str | None = None, **options) -> Iterator[Record]:
    """Chunks of at most max_tokens tokens: `seamline chunk` (max_tokens, tokenizer, strategy, overlap, ...)."""
    return _run([Chunk(**options)], source, input_format)


def merge(source: Source, input_format: str | None = None, **options) -> Iterator[Record]:
    """Fewer, larger chunks within max_tokens: `seamline merge` (max_tokens, min_tokens, strategy, tokenizer)."""
    return _run([Merge(**options)], source, input_format)


class Pipeline:
    """Stages applied in memory, one document at a time: the unit `seamline pipe` runs.

    Build it once (models load, options are checked) and call it on any source,
    as often as needed, for example in each worker of a cluster:

        run = seamline.streams("segment --by sentence | chunk --max-tokens 512")
        for record in run(documents): ...
    """

    def __init__(self, stages: Union[str, Iterable]):
        stages = stages if isinstance(stages, str) else list(stages)  # an iterator is read once
        self.spec = _spec(stages)  # [(name, options), ...], or None when built from stage objects
        self.stages: list[Stage] = _stages(stages)

    def __reduce__(self):
        """Pickled as its spec, so a cluster ships the stage list, not the loaded models: each
        worker builds its own copy (models load there once). Built from stage objects, it
        pickles as they do."""
        if self.spec is None:
            return object.__reduce__(self)
        return (Pipeline, (self.spec,))

    def __call__(self, source: Source, input_format: str | None = None) -> Iterator[Record]:
        return _run(self.stages, source, input_format)

    def groups(self, items: Iterable[Item]) -> Iterator[list[dict]]:
        """The plain records of each document, for callers that write them (the CLI)."""
        return chain(self.stages, items)

    def files(self, paths: list[str], input_format: str | None = None, read=None) -> Iterator[list[dict]]:
        """As `groups`, reading files the way `seamline segment` reads them (short documents batched).

        `read(path, fmt, keep_boilerplate)`, when given, yields a file's items in place of its reader.
        """
        return _file_groups(self.stages, paths, input_format, read)

    def __repr__(self) -> str:
        return "Pipeline(" + " | ".join(s.name for s in self.stages) + ")"


def pipeline(stages: Union[str, Iterable]) -> Pipeline:
    """A Pipeline from "segment --by sentence | chunk --max-tokens 512", or from a list of
    stages: strings ("chunk --max-tokens 512"), (name, options) pairs, or stage objects."""
    return Pipeline(stages)


def evaluate(predictions: Union[str, "os.PathLike[str]", Iterable], gold: str | None = None, **options
             ) -> Iterator[Record]:
    """`seamline eval`: per-document records (per_doc=True) and one summary per prediction file.

    Options: unit, convention, window, tolerance, n_t, per_doc, allow_missing, tokenizer,
    max_tokens, sentences, questions, jit (as the command's).
    """
    runs = evaluations(predictions, gold, **options)
    return (Record(rec) for run in runs for rec in run.records())


def evaluations(predictions: Union[str, "os.PathLike[str]", Iterable], gold: str | None = None, *,
                unit: str = "char", convention: str = "segeval", window: int | None = None,
                tolerance: int | None = None, n_t: int = 2, per_doc: bool = False, allow_missing: bool = False,
                tokenizer: str | None = None, max_tokens: int | None = None, sentences: str | None = None,
                questions: str | None = None, jit: str = "auto", retriever: str = "oracle",
                top_k: Iterable[int] | None = None, lm: str | None = None) -> Iterator:
    """One seamline.evaluation.run.Evaluation per prediction file (options checked now, files read
    when each runs); `evaluate` flattens their records, the CLI's table groups them.

    retriever: "oracle" (every chunk touching a reference) or "bm25" (the top_k chunks, default
    1, 3 and 5, for each question's text; needs questions). lm: MoC's metrics under this
    language model ("smollm2" or a .gguf path)."""
    from seamline.evaluation import metrics
    from seamline.evaluation.boundaries import UNITS
    from seamline.evaluation.run import Options
    from seamline.formats import check_paths
    from seamline.segmenters import get_segmenter
    from seamline.stages import check_choice
    from seamline.tokenizers import get_tokenizer

    preds = [os.fspath(predictions)] if isinstance(predictions, (str, os.PathLike)) else \
        [os.fspath(p) for p in predictions]
    check_choice("unit", unit, UNITS)
    check_choice("convention", convention, metrics.CONVENTIONS)
    metrics.jit_policy(jit)  # an unknown mode is refused now
    if [*preds, gold, questions].count("-") > 1:
        from seamline.errors import UsageError
        raise UsageError("standard input ('-') can be read only once")
    check_paths(preds + [p for p in (gold, questions) if p])
    check_choice("retriever", retriever, ("oracle", "bm25"))
    if (retriever != "oracle" or top_k) and not questions:
        from seamline.errors import UsageError
        raise UsageError("`retriever` and `top_k` score retrieval: they need `questions`")
    ks = tuple(sorted(set(top_k or (1, 3, 5))))
    if any(type(k) is not int or k < 1 for k in ks):
        from seamline.errors import UsageError
        raise UsageError(f"`top_k` takes whole numbers of chunks, at least 1; got {list(ks)}")
    if lm:
        from seamline.lm import model_path
        model_path(lm)  # an unknown model is refused before any input is read
    options = Options(unit, convention, window, tolerance, n_t, per_doc, allow_missing, jit, retriever, ks, lm)
    if tokenizer is None and (max_tokens is not None or retriever == "bm25"):
        tokenizer = "cl100k_base"
    counter = get_tokenizer(tokenizer) if tokenizer else None
    checker = get_segmenter("sentence", sentences) if sentences else None
    fallback = get_segmenter("sentence", "rules") if unit == "sentence" else None
    return _evaluations(preds, gold, questions, options, counter, max_tokens, checker, fallback)


def _evaluations(preds, gold, questions, options, counter, max_tokens, checker, fallback) -> Iterator:
    from seamline.evaluation.gold import load_gold
    from seamline.evaluation.retrieval import load_questions
    from seamline.evaluation.run import Evaluation
    from seamline.evaluation.stats import ChunkStats

    gold_index = load_gold(gold) if gold else None
    asked = load_questions(questions) if questions else None
    for pred in preds:
        yield Evaluation(pred, gold_index, options, ChunkStats(counter, max_tokens, checker), asked, fallback)


def plugins(kind: str | None = None) -> list[dict]:
    """Every registered component: kind, name, target (module:attribute), origin, shadowed."""
    from seamline import registry

    kinds = [kind] if kind else list(registry.KINDS)
    rows = []
    for k in kinds:
        registry.check_kind(k)
        for entry in registry.entries(k).values():
            rows.append(entry._asdict())
        for entry in registry.plugins()[k].values():
            if entry.shadowed:
                rows.append(entry._asdict())
    return rows


# ---------------------------------------------------------------- plumbing

def _spec(stages) -> list[tuple[str, dict]] | None:
    """The stages as (name, options) pairs, when they were given in words (not as stage objects)."""
    if isinstance(stages, str):
        return parse_pipeline(stages)
    stages = list(stages) if not isinstance(stages, list) else stages
    out: list[tuple[str, dict]] = []
    for stage in stages:
        if isinstance(stage, Stage):
            return None
        if isinstance(stage, str):
            out.extend(parse_pipeline(stage))
        else:
            name, opts = stage
            out.append((name, dict(opts or {})))
    return out


def _stages(stages) -> list[Stage]:
    if isinstance(stages, str):
        stages = parse_pipeline(stages)
    out = []
    for stage in stages:
        if isinstance(stage, Stage):
            out.append(stage)
        elif isinstance(stage, str):
            out.extend(make_stage(name, opts) for name, opts in parse_pipeline(stage))
        else:
            name, opts = stage
            out.append(make_stage(name, opts))
    if not out:
        from seamline.errors import UsageError
        raise UsageError("a pipeline needs at least one stage")
    return out


def _run(stages: list[Stage], source: Source, input_format: str | None) -> Iterator[Record]:
    if isinstance(source, os.PathLike):
        groups = _file_groups(stages, [os.fspath(source)], input_format)
    else:
        groups = chain(stages, _items(source, input_format))
    for records in groups:
        for rec in records:
            yield Record(rec)


def _file_groups(stages: list[Stage], paths: list[str], input_format: str | None,
                 read=None) -> Iterator[list[dict]]:
    """Files through the stages, read as the first stage's command reads them: a `segment`
    batches the short documents of each file; a `chunk` reads a pipe on a thread.

    `read(path, fmt, keep_boilerplate)` gives a file's items (default: its reader's);
    a cluster worker passes one that reads only its share of a file.
    """
    from seamline.batch import is_regular_file, may_block
    from seamline.formats import expand_inputs, format_for, read_one
    from seamline.stages import Fused, fuse

    format_for("-", input_format)  # an unknown format is refused before any input is read
    read = read or read_one
    stages = fuse(stages)
    first = stages[0]

    def items(keep: bool = False) -> Iterator[Item]:
        for path in expand_inputs(paths or ["-"]):
            yield from read(path, format_for(path, input_format), keep)

    if isinstance(first, Fused):
        groups = first.groups(items(first.segment.keep_boilerplate), prefetch=may_block(paths or ["-"]))
    elif isinstance(first, Chunk):
        groups = first.groups(items(), prefetch=may_block(paths or ["-"]))
    elif isinstance(first, Segment):
        def segmented() -> Iterator[list[dict]]:
            for path in expand_inputs(paths or ["-"]):
                found = read(path, format_for(path, input_format), first.keep_boilerplate)
                yield from first.groups(found, batch=is_regular_file(path))
        groups = segmented()
    else:
        return chain(stages, items())
    return groups if len(stages) == 1 else chain([_Ready(groups), *stages[1:]], ())


class _Ready(Stage):
    """Groups made already (by a first stage that read files itself)."""

    name = "ready"

    def __init__(self, groups):
        self._groups = groups

    def groups(self, items):
        return self._groups


def _items(source: Source, input_format: str | None, strings_are_paths: bool = False) -> Iterator[Item]:
    from seamline.formats import read_inputs

    if isinstance(source, os.PathLike):
        yield from read_inputs([os.fspath(source)], input_format)
        return
    if isinstance(source, (str, dict)):
        source = [source]
    for number, value in enumerate(source):
        if isinstance(value, Item):
            yield value
        elif isinstance(value, os.PathLike) or (strings_are_paths and isinstance(value, str)):
            yield from read_inputs([os.fspath(value)], input_format)
        elif isinstance(value, str):
            yield Item({"id": str(number), "text": value}, PYTHON_SOURCE, number + 1)
        elif isinstance(value, dict):  # a copy: stages add fields (score) to the records they read
            yield Item(dict(value), PYTHON_SOURCE, number + 1)
        else:
            yield Item(value, PYTHON_SOURCE, number + 1)
