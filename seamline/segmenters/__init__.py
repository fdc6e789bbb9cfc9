"""Segmenters by level (`--by`) and engine name (`--engine`), through seamline.registry.

The registry holds import paths, not classes, so that asking for the fast
built-in engine never imports spaCy or pysbd; each engine module imports its
library when it is built and names the extra to install if it is missing.
Plugins add engines under the entry-point group `seamline.segmenters` as
"LEVEL.ENGINE".
"""
from __future__ import annotations

from seamline import registry
from seamline.registry import default_engine, engines, levels
from seamline.segmenters.base import Segmenter, tile

# level -> engine name -> "module:Class", the built-ins only (plugins: registry.entries)
REGISTRY: dict[str, dict[str, str]] = {}
for _name, _target in registry.BUILTINS["segmenters"].items():
    _level, _, _engine = _name.partition(".")
    REGISTRY.setdefault(_level, {})[_engine] = _target


def get_segmenter(level: str, engine: str | None = None, /, **options) -> Segmenter:
    return registry.segmenter_class(level, engine, options.get("lang"))(**options)


__all__ = ["REGISTRY", "Segmenter", "get_segmenter", "engines", "levels", "default_engine", "tile"]
