"""`seamline merge`: join small neighbouring chunks within a budget."""
from __future__ import annotations

from typing import List, Optional

import typer

from seamline.cli.chunk import TokenizerOpt
from seamline.cli.common import FilesArg, FormatOpt, FromOpt, JobsOpt, KeepGoingOpt, OutputOpt, write_stage


def merge(
    files: Optional[List[str]] = FilesArg,
    max_tokens: int = typer.Option(512, "--max-tokens", min=1, help="No merged chunk has more tokens than this."),
    min_tokens: Optional[int] = typer.Option(None, "--min-tokens", "--target-tokens", min=0,
                                             help="Target size: a chunk under it is joined to a neighbour "
                                                  "[default: half of --max-tokens]."),
    strategy: str = typer.Option("small", "--strategy", metavar="NAME",
                                 help="small: join left to right; weakest: join across the lowest-score "
                                      "boundaries first (Meta-Chunking's dynamic merging)."),
    tokenizer: str = TokenizerOpt,
    output: Optional[str] = OutputOpt,
    input_format: Optional[str] = FromOpt,
    jobs: int = JobsOpt,
    keep_going: bool = KeepGoingOpt,
    out_format: str = FormatOpt,
) -> None:
    """Join adjacent chunks of a document while one is under --min-tokens and the result fits --max-tokens.

    Reads chunks (or any units that tile their documents) and writes fewer, larger
    chunks that still tile them, each with its exact "tokens" count.

    --strategy small (the default) joins left to right. --strategy weakest is
    Meta-Chunking's dynamic merging led by boundary scores: among all neighbours
    where one side is under the target, the pair across the weakest boundary
    (lowest "score", from `seamline score`) is joined first; units without scores
    are joined left to right.

    Examples:

      seamline segment doc.txt | seamline chunk --max-tokens 64 | seamline merge --max-tokens 256

      seamline merge --min-tokens 100 --max-tokens 400 chunks.jsonl -o merged.jsonl

      seamline segment doc.txt | seamline score | seamline merge --strategy weakest --target-tokens 300 --max-tokens 512
    """
    from seamline.stages import Merge

    stage = Merge(max_tokens=max_tokens, min_tokens=min_tokens, strategy=strategy, tokenizer=tokenizer)
    write_stage(stage, files, output, input_format, out_format, jobs, keep_going)
