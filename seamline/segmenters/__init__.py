"""Segmenters registered by level (`--by`) and name (`--engine`).

The registry holds import paths, not classes, so that asking for the fast
built-in engine never imports spaCy or pysbd; each engine module imports its
library when it is built and names the extra to install if it is missing.
"""
from __future__ import annotations

import importlib

from seamline.errors import UsageError
from seamline.segmenters.base import Segmenter, tile

# level -> engine name -> "module:Class"; the first engine of a level is its default
REGISTRY: dict[str, dict[str, str]] = {
    "sentence": {
        "learned": "seamline.segmenters.learned:LearnedSentences",
        "rules": "seamline.segmenters.rules:RuleSentences",
        "pysbd": "seamline.segmenters.pysbd_engine:PysbdSentences",
        "spacy": "seamline.segmenters.spacy_engine:SpacySentences",
        "spacy-senter": "seamline.segmenters.spacy_senter:SpacySenterSentences",
        "nupunkt": "seamline.segmenters.nupunkt_engine:NupunktSentences",
        "charboundary": "seamline.segmenters.charboundary_engine:CharBoundarySentences",
    },
    "paragraph": {"layout": "seamline.segmenters.layout:LayoutParagraphs",
                  "blankline": "seamline.segmenters.layout:BlankLineParagraphs"},
    "line": {"newline": "seamline.segmenters.layout:Lines"},
    "legal": {"structure": "seamline.segmenters.legal:LegalSegmenter"},
    "topic": {"topic": "seamline.segmenters.topic:TopicSegmenter"},
}


def levels() -> list[str]:
    return list(REGISTRY)


def engines(level: str) -> list[str]:
    return list(REGISTRY.get(level, {}))


def default_engine(level: str) -> str:
    return engines(level)[0]


def get_segmenter(level: str, engine: str | None = None, /, **options) -> Segmenter:
    if level not in REGISTRY:
        raise UsageError(f"unknown level --by {level!r}; choose one of {', '.join(levels())}")
    engine = engine or default_engine(level)
    if engine not in REGISTRY[level]:
        raise UsageError(f"no engine {engine!r} for --by {level}; choose one of {', '.join(engines(level))}")
    module_name, class_name = REGISTRY[level][engine].split(":")
    cls = getattr(importlib.import_module(module_name), class_name)
    return cls(**options)


__all__ = ["REGISTRY", "Segmenter", "get_segmenter", "engines", "levels", "default_engine", "tile"]
