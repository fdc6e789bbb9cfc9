"""The stages of a pipeline: segment, score, chunk, merge, each built once from its options.

A stage is what one command does, without the command line: built from keyword
arguments named as the CLI's options (`max_tokens` for `--max-tokens`), it checks
them at once (before any input is read) and then maps a stream of `Item`s
(decoded records with the file and line they came from) to the records of each
document, one list per document. The CLI, the Python API (seamline.api) and
`seamline pipe` all run these same objects, so they write the same records.

`parse_stage("chunk --max-tokens 512")` turns the shell spelling into a stage.
"""
from __future__ import annotations

import shlex
import typing
from typing import Iterable, Iterator

from seamline.errors import UsageError
from seamline.formats import Item
from seamline.records import META_MODES

Groups = Iterator[list]


def check_choice(name: str, value: str, choices: Iterable[str]) -> None:
    choices = list(choices)
    if value not in choices:
        raise UsageError(f"`{name}` must be one of {', '.join(choices)}, got {value!r}")


class Stage:
    """One step: `groups(items)` yields the records of each document."""

    name = "stage"

    def groups(self, items: Iterable[Item]) -> Groups:
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name})"


# Levels whose engine option names the sentence engine they build on, not themselves.
BUILT_ON_SENTENCES = ("topic",)


class Segment(Stage):
    """Documents in, units that tile them out (`seamline segment`)."""

    name = "segment"

    def __init__(self, by: str = "sentence", engine: str | None = None, lang: str = "en",
                 method: str | None = None, select: str | None = None, segments: int | None = None,
                 threshold: float | None = None, min_units: int | None = None, max_units: int | None = None,
                 family: str | None = None, level: str | None = None, meta: str = "all",
                 keep_boilerplate: bool = False, model: str | None = None):
        from seamline.segmenters import get_segmenter

        check_choice("meta", meta, META_MODES)
        options: dict = {"lang": lang}
        extra = {"method": method, "model": model, "select": select, "segments": segments, "threshold": threshold,
                 "min_units": min_units, "max_units": max_units, "family": family, "level": level}
        options.update({k: v for k, v in extra.items() if v is not None})
        if by in BUILT_ON_SENTENCES and engine is not None:
            options["sentence_engine"], engine = engine, None
        self.segmenter = get_segmenter(by, engine, **options)
        self.meta = meta
        self.keep_boilerplate = keep_boilerplate  # for whoever reads the files: HTML pages keep navigation, header, footer

    def groups(self, items: Iterable[Item], batch: bool = False) -> Groups:
        """`batch`: the input is all there already (a file), so short documents may wait for company."""
        from seamline.streams import segment_items

        return segment_items(items, self.segmenter, self.meta, batch=batch)


class Score(Stage):
    """Units in, units with a boundary `score` out (`seamline score`); documents are cut into sentences first."""

    name = "score"

    def __init__(self, method: str = "tiling", model: str | None = None, engine: str | None = None,
                 lang: str = "en", drop: float | str = 0.0):
        from seamline.registry import segmenter_class
        from seamline.topics import get_scorer

        options: dict = {"model": model} if model else {}
        if method == "perplexity" and model:
            options["drop"] = parse_drop(drop)  # Meta-Chunking's threshold under a language model
        self.scorer = get_scorer(method, **options)
        self.engine, self.lang = engine, lang
        segmenter_class("sentence", engine, lang)  # an unknown engine or a --lang it cannot read: refused before any input

    def groups(self, items: Iterable[Item]) -> Groups:
        from seamline.streams import unit_groups
        from seamline.segmenters import get_segmenter

        for group in unit_groups(items, lambda: get_segmenter("sentence", self.engine, lang=self.lang)):
            units = group.units
            values = self.scorer.score([u["text"] for u in units]).values if len(units) > 1 else [0.0]
            for i, unit in enumerate(units):
                unit["score"] = None if i == 0 else round(float(values[i]), 6)
            yield units


def parse_drop(value: float | str) -> float | str:
    """A log-perplexity drop, or "dynamic" for Meta-Chunking's dynamic threshold."""
    if value == "dynamic":
        return value
    try:
        return float(value)
    except (TypeError, ValueError):
        raise UsageError(f"`drop` takes a number or 'dynamic', got {value!r}") from None


# Strategies that find their own structure read documents as paragraphs (cheap)
# rather than sentences; the others pack sentences unless `by` says otherwise.
OWN_STRUCTURE = ("fixed", "recursive")
# Strategies that touch few units of a document: its units are made only when looked at.
DEFERRED = ("pack", "fixed", "recursive", "fill")
# Strategies that place chunk starts themselves and so cannot honour an overlap.
NO_OVERLAP = ("legal",)


class Chunk(Stage):
    """Units (or documents) in, chunks of at most max_tokens tokens out (`seamline chunk`)."""

    name = "chunk"

    def __init__(self, max_tokens: int = 512, tokenizer: str = "cl100k_base", strategy: str = "pack",
                 overlap: int = 0, min_tokens: int = 0, threshold: float | None = None,
                 target: int | None = None, length_penalty: float = 1.0, with_headings: bool = False,
                 by: str | None = None, engine: str | None = None, lang: str = "en", meta: str = "all"):
        from seamline.chunkers import get_strategy
        from seamline.chunkers.options import ChunkOptions, check_budget, check_overlap
        from seamline.registry import segmenter_class
        from seamline.tokenizers import get_tokenizer

        check_budget(max_tokens)
        check_budget(max_tokens, min_tokens)
        check_overlap(max_tokens, overlap)
        check_choice("meta", meta, META_MODES)
        if overlap and strategy in NO_OVERLAP:
            raise UsageError(f"`strategy` {strategy} places chunk starts at provisions and takes no `overlap`")
        get_strategy(strategy)  # an unknown name is refused before any input is read
        self.options = ChunkOptions(max_tokens=max_tokens, min_tokens=min_tokens, overlap=overlap,
                                    threshold=threshold, target=target, with_headings=with_headings,
                                    length_penalty=length_penalty)
        self.strategy, self.meta, self.lang = strategy, meta, lang
        self.counter = get_tokenizer(tokenizer)
        self.level = by or ("paragraph" if strategy in OWN_STRUCTURE else "sentence")
        self.engine = engine if (by is not None or strategy not in OWN_STRUCTURE) else (engine or "blankline")
        segmenter_class(self.level, self.engine, lang)  # an unknown level or engine, or a --lang it cannot read: refused now

    def groups(self, items: Iterable[Item], segment: Segment | None = None, prefetch: bool = False) -> Groups:
        """`segment`: the stage before this one, fused into it (see `fuse`): documents are cut
        by its segmenter, with its meta mode, as `segment | chunk` would. `prefetch`: the input
        may block (a pipe); it is read on a thread, and documents complete so far go out while
        it waits (seamline.streams.Groups)."""
        from seamline.chunkers.documents import document_groups
        from seamline.chunkers.run import chunk_groups
        from seamline.streams import unit_groups
        from seamline.segmenters import get_segmenter

        read_groups = document_groups if self.strategy in DEFERRED else unit_groups
        if segment is not None:
            groups = read_groups(items, lambda: segment.segmenter, segment.meta, prefetch=prefetch)
        else:
            groups = read_groups(items, lambda: get_segmenter(self.level, self.engine, lang=self.lang), self.meta,
                                 prefetch=prefetch)
        return chunk_groups(groups, self.counter, self.options, self.strategy)

    def fuses_with(self, segment: Stage) -> bool:
        """Whether `segment | self` may run as one step: this chunker then segments the documents
        itself, making units only where chunks need them (the records are the same; tests compare)."""
        from seamline.segmenters.base import Annotating

        return (isinstance(segment, Segment) and self.strategy in DEFERRED
                and not isinstance(segment.segmenter, Annotating))


class Merge(Stage):
    """Chunks in, fewer larger chunks within max_tokens out (`seamline merge`)."""

    name = "merge"

    def __init__(self, max_tokens: int = 512, min_tokens: int | None = None, strategy: str = "small",
                 tokenizer: str = "cl100k_base"):
        from seamline import registry
        from seamline.chunkers.options import check_budget
        from seamline.tokenizers import get_tokenizer

        self.minimum = max_tokens // 2 if min_tokens is None else min_tokens
        check_budget(max_tokens, self.minimum)
        self.run = registry.load("mergers", strategy)
        self.max_tokens = max_tokens
        self.counter = get_tokenizer(tokenizer)

    def groups(self, items: Iterable[Item]) -> Groups:
        from seamline.streams import unit_groups
        from seamline.records import widen_page_spans
        from seamline.segmenters import get_segmenter

        for group in unit_groups(items, lambda: get_segmenter("sentence")):
            yield widen_page_spans(self.run(group, self.counter, self.max_tokens, self.minimum), group.units)


STAGES: dict[str, type[Stage]] = {"segment": Segment, "score": Score, "chunk": Chunk, "merge": Merge}
# Option spellings that differ from the keyword (`--target-tokens` is merge's other name for --min-tokens).
ALIASES = {"merge": {"target_tokens": "min_tokens"}}


def make_stage(name: str, options: dict | None = None) -> Stage:
    if name not in STAGES:
        raise UsageError(f"unknown stage {name!r}; a pipeline is made of {', '.join(STAGES)}")
    try:
        return STAGES[name](**(options or {}))
    except TypeError as err:
        raise UsageError(f"stage {name}: {err}") from None


def parse_stage(spec: str) -> tuple[str, dict]:
    """`chunk --max-tokens 512 --with-headings` -> ("chunk", {"max_tokens": 512, "with_headings": True})."""
    words = shlex.split(spec)
    if not words:
        raise UsageError("a pipeline has an empty stage (two '|' in a row?)")
    name, rest = words[0], words[1:]
    if name not in STAGES:
        raise UsageError(f"unknown stage {name!r}; a pipeline is made of {', '.join(STAGES)}")
    hints = typing.get_type_hints(STAGES[name].__init__)
    aliases = ALIASES.get(name, {})
    options: dict = {}
    i = 0
    while i < len(rest):
        word = rest[i]
        flag, eq, inline = word.partition("=")
        key = flag[2:].replace("-", "_") if flag.startswith("--") else None
        key = aliases.get(key, key)
        if key is None or key not in hints or key == "return":
            known = ", ".join("--" + k.replace("_", "-") for k in hints if k != "return")
            raise UsageError(f"stage {name}: no option {word!r}; it takes {known}")
        kind = _base_type(hints[key])
        if kind is bool:
            options[key] = True
            i += 1
            continue
        if eq:
            value = inline
            i += 1
        elif i + 1 < len(rest):
            value = rest[i + 1]
            i += 2
        else:
            raise UsageError(f"stage {name}: option {flag} needs a value")
        try:
            options[key] = kind(value)
        except ValueError:
            raise UsageError(f"stage {name}: {flag} takes a {kind.__name__}, got {value!r}") from None
    return name, options


def _base_type(hint) -> type:
    """int for `int | None`, and so on."""
    args = [a for a in typing.get_args(hint) if a is not type(None)]
    return args[0] if args else hint


def parse_pipeline(spec: str) -> list[tuple[str, dict]]:
    """`segment --by sentence | chunk --max-tokens 512` -> [(name, options), ...]."""
    return [parse_stage(part) for part in _split_bars(spec)]


def _split_bars(spec: str) -> list[str]:
    """Split at `|` outside quotes."""
    parts, current, quote = [], [], None
    for ch in spec:
        if quote:
            quote = None if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch == "|":
            parts.append("".join(current))
            current = []
            continue
        current.append(ch)
    parts.append("".join(current))
    return parts


class Fused(Stage):
    """`segment | chunk` as one step (Chunk.fuses_with)."""

    name = "segment+chunk"

    def __init__(self, segment: Segment, chunk: Chunk):
        self.segment, self.chunk = segment, chunk

    def groups(self, items: Iterable[Item], batch: bool = False, prefetch: bool = False) -> Groups:
        return self.chunk.groups(items, segment=self.segment, prefetch=prefetch)


def fuse(stages: list[Stage]) -> list[Stage]:
    """The stages with each `segment | chunk` that allows it made one step."""
    out: list[Stage] = []
    for stage in stages:
        if out and isinstance(stage, Chunk) and stage.fuses_with(out[-1]):
            out[-1] = Fused(out[-1], stage)
        else:
            out.append(stage)
    return out


def chain(stages: list[Stage], items: Iterable[Item]) -> Groups:
    """Each stage reads the records of the one before, in memory; the last one's groups come out."""
    stages = fuse(stages)
    groups: Groups = stages[0].groups(items)
    for stage in stages[1:]:
        groups = stage.groups(_as_items(groups, stage.name))
    return groups


def _as_items(groups: Groups, stage: str) -> Iterator[Item]:
    source = f"<{stage} input>"
    line = 0
    for records in groups:
        for rec in records:
            line += 1
            yield Item(rec, source, line)
