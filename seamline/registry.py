"""The one registry: every named component of seamline, and plugins found by entry point.

Six kinds of component have names a user picks: segmenters (`segment --by LEVEL
--engine NAME`; registered as "LEVEL.ENGINE"), chunkers (`chunk --strategy`),
mergers (`merge --strategy`), scorers (`score --method`), tokenizers
(`--tokenizer`) and readers (`--from`, and file extensions). Each name maps to an
import path ("module:attribute"), so nothing is imported until it is used and
`import seamline` stays cheap.

The built-ins are the table below. Another package adds components without
touching seamline by declaring entry points in the groups `seamline.segmenters`,
`seamline.chunkers`, `seamline.mergers`, `seamline.scorers`, `seamline.tokenizers`
and `seamline.readers`, for example in its pyproject.toml:

    [project.entry-points."seamline.segmenters"]
    "sentence.shouty" = "seamline_shouty:ShoutySentences"

Entry points are scanned once, the first time a name is not a built-in or a
listing is asked for. A plugin cannot replace a built-in of the same name; it is
listed as shadowed instead (`seamline plugins`).
"""
from __future__ import annotations

import importlib
from typing import NamedTuple

from seamline.errors import UnknownName, UsageError

KINDS = ("segmenters", "chunkers", "mergers", "scorers", "tokenizers", "readers")
GROUP_PREFIX = "seamline."
# What one component of each kind is called in messages.
SINGULAR = {"segmenters": "segmenter", "chunkers": "chunk strategy", "mergers": "merge strategy",
            "scorers": "scoring method", "tokenizers": "tokenizer", "readers": "input format"}

# kind -> name -> "module:attribute". Within a kind, the first name is the default; for
# segmenters the first engine of each level is the level's default.
BUILTINS: dict[str, dict[str, str]] = {
    "segmenters": {
        "sentence.learned": "seamline.segmenters.learned:LearnedSentences",
        "sentence.learned-cascade": "seamline.segmenters.learned:LearnedCascadeSentences",
        "sentence.rules": "seamline.segmenters.rules:RuleSentences",
        "sentence.pysbd": "seamline.segmenters.pysbd_engine:PysbdSentences",
        "sentence.spacy": "seamline.segmenters.spacy_engine:SpacySentences",
        "sentence.spacy-senter": "seamline.segmenters.spacy_senter:SpacySenterSentences",
        "sentence.nupunkt": "seamline.segmenters.nupunkt_engine:NupunktSentences",
        "sentence.charboundary": "seamline.segmenters.charboundary_engine:CharBoundarySentences",
        "paragraph.layout": "seamline.segmenters.layout:LayoutParagraphs",
        "paragraph.blankline": "seamline.segmenters.layout:BlankLineParagraphs",
        "line.newline": "seamline.segmenters.layout:Lines",
        "legal.structure": "seamline.segmenters.legal:LegalSegmenter",
        "topic.topic": "seamline.segmenters.topic:TopicSegmenter",
    },
    "chunkers": {
        "pack": "seamline.chunkers.pack:pack_strategy",
        "fixed": "seamline.chunkers.fixed:fixed_strategy",
        "fill": "seamline.chunkers.fill:fill_strategy",
        "tight": "seamline.chunkers.tight:tight_strategy",
        "recursive": "seamline.chunkers.recursive:recursive_strategy",
        "score": "seamline.chunkers.score:score_strategy",
        "optimal": "seamline.chunkers.optimal:optimal_strategy",
        "legal": "seamline.chunkers.legal:legal_strategy",
    },
    "mergers": {
        "small": "seamline.chunkers.merge:merge",
        "weakest": "seamline.chunkers.merge:merge_weakest",
    },
    "scorers": {
        "tiling": "seamline.topics.tiling:TilingScorer",
        "c99": "seamline.topics.c99:C99Scorer",
        "embedding": "seamline.topics.embedding:EmbeddingScorer",
        "perplexity": "seamline.topics.perplexity:PerplexityScorer",
        "margin": "seamline.topics.metachunking:MarginScorer",
        "bayes": "seamline.topics.bayes:BayesScorer",
        "topictiling": "seamline.topics.topictiling:TopicTilingScorer",
    },
    # Besides these, any tiktoken encoding available offline and a tokenizer.json path.
    "tokenizers": {
        "chars": "seamline.tokenizers:CharTokenizer",
        "words": "seamline.tokenizers:WordTokenizer",
    },
    # A reader is a function path -> iterator of seamline.formats.Item.
    "readers": {
        "jsonl": "seamline.formats.jsonl:read_jsonl",
        "json": "seamline.formats.jsonl:read_json",
        "text": "seamline.formats.text:read_text_file",
        "markdown": "seamline.formats.markdown:read_markdown_file",
        "html": "seamline.formats.html:read_html_file",
        "pdf": "seamline.formats.pdf:read_pdf_file",
    },
}


class Entry(NamedTuple):
    kind: str
    name: str
    target: str          # "module:attribute"
    origin: str          # "seamline" for built-ins, else the distribution that declared it
    shadowed: bool = False


_PLUGINS: dict[str, dict[str, Entry]] | None = None
_LOADED: dict[tuple[str, str], object] = {}


def plugins() -> dict[str, dict[str, Entry]]:
    """Entry points of every group, scanned once per process (or read from the cache of the last scan)."""
    global _PLUGINS
    if _PLUGINS is None:
        key = _scan_key()
        found = _read_scan(key)
        if found is None:
            found = _scan()
            _write_scan(key, found)
        _PLUGINS = found
    return _PLUGINS


def _scan() -> dict[str, dict[str, Entry]]:
    from importlib.metadata import entry_points

    found: dict[str, dict[str, Entry]] = {kind: {} for kind in KINDS}
    for kind in KINDS:
        for ep in entry_points(group=GROUP_PREFIX + kind):
            dist = getattr(ep, "dist", None)
            origin = f"{dist.name} {dist.version}" if dist is not None else "entry point"
            found[kind][ep.name] = Entry(kind, ep.name, ep.value, origin, ep.name in BUILTINS[kind])
    return found


# The scan imports importlib.metadata and reads every installed distribution's metadata:
# 30-60 ms of every process that asks for a name that is not a built-in (`--tokenizer
# cl100k_base` does). Its result is kept in the cache directory (seamline.tokenizers'
# SEAMLINE_CACHE_DIR), under a key made of every directory on sys.path with its
# modification time: installing or removing a distribution changes its directory's time.
# (The working directory is keyed by name only: its time changes with every file written.)

def _scan_key() -> str | None:
    import hashlib
    import os
    import sys
    parts = [sys.version]
    here = os.getcwd()
    for entry in sys.path:
        if entry in ("", ".", here):  # the working directory's time changes with every file written there
            parts.append(entry)
            continue
        try:
            parts.append(f"{entry}|{os.stat(entry).st_mtime_ns}")
        except OSError:
            parts.append(f"{entry}|-")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:24]


def _scan_file(key: str | None) -> str | None:
    import os

    from seamline.cache import cache_dir
    directory = cache_dir()
    return None if directory is None or key is None else os.path.join(directory, f"entry-points-{key}.json")


def _read_scan(key: str | None) -> dict[str, dict[str, Entry]] | None:
    import json
    path = _scan_file(key)
    if path is None:
        return None
    try:
        with open(path, encoding="utf-8") as handle:
            stored = json.load(handle)
        return {kind: {name: Entry(*row) for name, row in stored[kind].items()} for kind in KINDS}
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _write_scan(key: str | None, found: dict[str, dict[str, Entry]]) -> None:
    import json
    import os
    import tempfile
    path = _scan_file(key)
    if path is None:
        return
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump({kind: {name: list(e) for name, e in entries.items()} for kind, entries in found.items()}, handle)
        os.replace(tmp, path)
    except OSError:
        pass


def entries(kind: str) -> dict[str, Entry]:
    """Every registered component of a kind: built-ins first, then plugins (shadowed ones left out)."""
    check_kind(kind)
    out = {name: Entry(kind, name, target, "seamline") for name, target in BUILTINS[kind].items()}
    for name, entry in plugins()[kind].items():
        if not entry.shadowed:
            out[name] = entry
    return out


def names(kind: str) -> list[str]:
    return list(entries(kind))


def find(kind: str, name: str) -> Entry | None:
    """The entry of a name, scanning entry points only when it is not a built-in."""
    check_kind(kind)
    if name in BUILTINS[kind]:
        return Entry(kind, name, BUILTINS[kind][name], "seamline")
    entry = plugins()[kind].get(name)
    return entry if entry is not None and not entry.shadowed else None


def load(kind: str, name: str):
    """The registered object (class or function); an unknown name is a UsageError listing the known ones."""
    key = (kind, name)
    if key in _LOADED:
        return _LOADED[key]
    entry = find(kind, name)
    if entry is None:
        raise UnknownName(kind, SINGULAR[kind], name, names(kind))
    module_name, _, attribute = entry.target.partition(":")
    try:
        obj = importlib.import_module(module_name)
        for part in attribute.split(".") if attribute else ():
            obj = getattr(obj, part)
    except (ImportError, AttributeError) as err:
        if entry.origin == "seamline":
            raise
        raise UsageError(f"{SINGULAR[kind]} {name!r} from {entry.origin} cannot be loaded "
                         f"({entry.target}): {err}") from None
    _LOADED[key] = obj
    return obj


def check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ValueError(f"unknown registry kind {kind!r}; one of {', '.join(KINDS)}")


# ----------------------------------------------------------------- segmenters by level

def levels() -> list[str]:
    """Segmentation levels in registration order (built-in levels first)."""
    out: list[str] = []
    for name in names("segmenters"):
        level = name.split(".", 1)[0]
        if level not in out:
            out.append(level)
    return out


def engines(level: str) -> list[str]:
    prefix = level + "."
    return [name[len(prefix):] for name in names("segmenters") if name.startswith(prefix)]


def default_engine(level: str) -> str:
    builtin = [name for name in BUILTINS["segmenters"] if name.startswith(level + ".")]
    if builtin:  # built-ins come first and cannot be shadowed: no need to scan for plugins
        return builtin[0][len(level) + 1:]
    found = engines(level)
    if not found:
        raise UnknownName("levels", "segmentation level", level, levels())
    return found[0]


def segmenter_class(level: str, engine: str | None = None, lang: str | None = None):
    """The class of a level's engine (the level's default when engine is None), after checking
    that it reads `lang` (see check_language); stages call it to refuse options before any input."""
    engine = engine or default_engine(level)
    if find("segmenters", f"{level}.{engine}") is None:
        if level not in levels():
            raise UnknownName("levels", "segmentation level", level, levels())
        raise UnknownName("segmenters", f"{level} engine", engine, engines(level))
    cls = load("segmenters", f"{level}.{engine}")
    check_language(cls, level, lang)
    return cls


def check_language(cls, level: str, lang: str | None) -> None:
    """--lang must mean something to the engine: a language it reads, or one its library is asked for.

    Engines list the `languages` they were made for; engines without the
    attribute either take any language (paragraphs, lines) or hand it to their
    library, which refuses the ones it lacks (pysbd, spacy).
    """
    known = getattr(cls, "languages", None)
    if lang is None or known is None or lang in known:
        return
    hint = "; for other languages use `engine` pysbd or spacy" if level in ("sentence", "topic") else ""
    raise UsageError(f"the {level} engine {getattr(cls, 'name', cls.__name__)!r} reads {', '.join(known)}, "
                     f"not `lang` {lang!r}{hint}")
