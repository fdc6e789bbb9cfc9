"""`seamline score`: add a boundary strength in [0, 1] to each unit."""
from __future__ import annotations

from typing import List, Optional

import typer

from seamline.cli.common import FilesArg, FromOpt, OutputOpt
from seamline.errors import UsageError


def score(
    files: Optional[List[str]] = FilesArg,
    method: str = typer.Option("tiling", "--method", metavar="NAME", help="Scoring method."),
    output: Optional[str] = OutputOpt,
    input_format: Optional[str] = FromOpt,
) -> None:
    """Add "score", the strength of the boundary before each unit, in [0, 1].

    Example:

      seamline segment doc.txt | seamline score --method tiling
    """
    raise UsageError("no scoring method is available in this build yet")
