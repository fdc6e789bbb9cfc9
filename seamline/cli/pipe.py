"""`seamline pipe`: a whole chain of stages in one process, written as in the shell."""
from __future__ import annotations

from typing import List, Optional

import typer

from seamline.cli.common import FromOpt, InputsArg, OutputOpt, write_groups
from seamline.formats import expand_inputs, format_for


def pipe(
    stages: str = typer.Argument(..., metavar="STAGES",
                                 help='Stages as in the shell, in one argument: "segment --by sentence | chunk --max-tokens 512".'),
    files: Optional[List[str]] = InputsArg,
    output: Optional[str] = OutputOpt,
    input_format: Optional[str] = FromOpt,
) -> None:
    """Run segment, score, chunk and merge stages in one process; records pass between them in memory.

    The output is byte for byte what the shell pipeline of the same stages writes,
    without encoding and decoding JSON between stages. Each stage takes the options
    of its command (see `seamline STAGE --help`); inputs and -o belong to the pipe.

    Examples:

      seamline pipe "segment --by sentence | chunk --max-tokens 512 | merge --min-tokens 64" docs/ -o out.jsonl

      seamline pipe "segment | score --method bayes | chunk --strategy optimal --max-tokens 256" report.txt

      cat docs.jsonl | seamline pipe "chunk --strategy recursive --max-tokens 300 --overlap 30"
    """
    from seamline.api import Pipeline

    run = Pipeline(stages)
    format_for("-", input_format)  # an unknown --from is a usage error before any input is read
    paths = expand_inputs(files or [])
    write_groups(run.files(paths, input_format), output, paths)
