"""`seamline eval`: compare predicted units with gold segments."""
from __future__ import annotations

from typing import List, Optional

import typer

from seamline.cli.common import OutputOpt
from seamline.errors import UsageError


def eval_command(
    predictions: List[str] = typer.Argument(..., metavar="PRED...", help="Prediction streams (units or chunks)."),
    gold: str = typer.Option(..., "--gold", metavar="PATH", help="Gold documents with 'segments'."),
    output: Optional[str] = OutputOpt,
) -> None:
    """Score predicted boundaries against gold segments.

    Example:

      seamline eval pred.jsonl --gold gold.jsonl
    """
    raise UsageError("eval is not available in this build yet")
