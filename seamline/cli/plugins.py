"""`seamline plugins`: what the registry holds and where each entry came from."""
from __future__ import annotations

import sys
from typing import Optional

import typer


def plugins(
    kind: Optional[str] = typer.Argument(None, metavar="[KIND]",
                                         help="Only this kind: segmenters, chunkers, mergers, scorers, tokenizers, readers."),
    as_json: bool = typer.Option(False, "--json", help="One JSON object a line instead of a table."),
) -> None:
    """List every registered segmenter, chunk strategy, merge strategy, scorer, tokenizer and reader.

    Built-ins come from seamline itself; plugins are found by entry point in the
    groups seamline.segmenters, seamline.chunkers, seamline.mergers, seamline.scorers,
    seamline.tokenizers and seamline.readers (see docs/api.md). A plugin whose name
    is already a built-in is listed as shadowed and not used.

    Examples:

      seamline plugins

      seamline plugins segmenters --json
    """
    import orjson

    from seamline import api

    rows = api.plugins(kind)
    if as_json:
        for row in rows:
            sys.stdout.buffer.write(orjson.dumps(row) + b"\n")
        return
    width = max((len(r["name"]) for r in rows), default=4)
    for row in rows:
        note = "  (shadowed by the built-in)" if row["shadowed"] else ""
        sys.stdout.write(f"{row['kind']:<11} {row['name']:<{width}}  {row['origin']:<28} {row['target']}{note}\n")
