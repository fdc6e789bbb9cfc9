"""`seamline pipe`: a whole chain of stages in one process, written as in the shell."""
from __future__ import annotations

import os
from typing import List, Optional

import typer

from seamline.cli.common import FromOpt, InputsArg, OutputOpt, check_choice, write_groups, write_pieces
from seamline.errors import UsageError
from seamline.formats import expand_inputs, format_for


def pipe(
    stages: str = typer.Argument(..., metavar="STAGES",
                                 help='Stages as in the shell, in one argument: "segment --by sentence | chunk --max-tokens 512".'),
    files: Optional[List[str]] = InputsArg,
    output: Optional[str] = OutputOpt,
    input_format: Optional[str] = FromOpt,
    executor: str = typer.Option("local", "--executor", metavar="local|ray",
                                 help="Where the stages run: this process, or Ray Data workers "
                                      "(pip install 'seamline[ray]'; docs/scale.md)."),
    address: Optional[str] = typer.Option(None, "--address", metavar="ADDR",
                                          help="--executor ray: join this running Ray cluster "
                                               "(default: start a local one on this machine)."),
    num_cpus: Optional[int] = typer.Option(None, "--num-cpus", min=1, metavar="N",
                                           help="--executor ray: workers to run (default: the cluster's CPUs)."),
    keep_going: bool = typer.Option(False, "--keep-going",
                                    help="--executor ray: go on after an input fails; list the failures at "
                                         "the end (exit status still 1)."),
) -> None:
    """Run segment, score, chunk and merge stages in one process; records pass between them in memory.

    The output is byte for byte what the shell pipeline of the same stages writes,
    without encoding and decoding JSON between stages. Each stage takes the options
    of its command (see `seamline STAGE --help`); inputs and -o belong to the pipe.

    Examples:

      seamline pipe "segment --by sentence | chunk --max-tokens 512 | merge --min-tokens 64" docs/ -o out.jsonl

      seamline pipe "segment | score --method bayes | chunk --strategy optimal --max-tokens 256" report.txt

      cat docs.jsonl | seamline pipe "chunk --strategy recursive --max-tokens 300 --overlap 30"

      seamline pipe "segment | chunk --max-tokens 512" corpus/ --executor ray -o chunks/
    """
    check_choice("--executor", executor, ("local", "ray"))
    if executor == "ray":
        return _pipe_on_ray(stages, files, output, input_format, address, num_cpus, keep_going)
    for name, value in (("--address", address), ("--num-cpus", num_cpus), ("--keep-going", keep_going or None)):
        if value is not None:
            raise UsageError(f"{name} needs --executor ray")
    if is_shard_dir(output):
        raise UsageError(f"-o {output}: a directory of shards needs --executor ray; name a file")
    from seamline.api import Pipeline

    run = Pipeline(stages)
    format_for("-", input_format)  # an unknown --from is a usage error before any input is read
    paths = expand_inputs(files or [])
    write_groups(run.files(paths, input_format), output, paths)


def is_shard_dir(output: Optional[str]) -> bool:
    return output is not None and output != "-" and (output.endswith(("/", os.sep)) or os.path.isdir(output))


def _pipe_on_ray(stages, files, output, input_format, address, num_cpus, keep_going) -> None:
    """The stages on Ray Data workers: records gathered here in input order, or shards written by the workers."""
    from seamline.batch import Piece
    from seamline.executors import ray_data

    format_for("-", input_format)
    paths = expand_inputs(files or [])
    failures = ray_data.Failures()
    shard_dir = output if is_shard_dir(output) else None
    if shard_dir is not None:
        ray_data.check_shard_dir(shard_dir, paths)
    outcomes = ray_data.run_files(stages, paths, forced=input_format, shard_dir=shard_dir, address=address,
                                  num_cpus=num_cpus, keep_going=keep_going, failures=failures,
                                  quiet=True)
    pieces = (Piece(o.path, o.data, True, o.size) for o in outcomes)
    if shard_dir is not None:
        for _ in pieces:
            pass
    else:
        write_pieces(pieces, output, paths)
    if failures.messages:
        raise failures.error()
