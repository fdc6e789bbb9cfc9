"""`seamline merge`: join small neighbouring chunks within a budget."""
from __future__ import annotations

from typing import List, Optional

import typer

from seamline.chunking import check_budget, merge as merge_small, merge_weakest
from seamline.cli.chunk import TokenizerOpt
from seamline.cli.common import FilesArg, FromOpt, OutputOpt, check_choice, write_groups
from seamline.formats import read_inputs
from seamline.pipeline import unit_groups
from seamline.records import widen_page_spans
from seamline.segmenters import get_segmenter
from seamline.tokenizers import get_tokenizer

MERGE_STRATEGIES = ("small", "weakest")


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
    check_choice("--strategy", strategy, MERGE_STRATEGIES)
    minimum = max_tokens // 2 if min_tokens is None else min_tokens
    check_budget(max_tokens, minimum)
    counter = get_tokenizer(tokenizer)
    run = merge_small if strategy == "small" else merge_weakest
    groups = unit_groups(read_inputs(files or [], input_format), lambda: get_segmenter("sentence"))
    write_groups((widen_page_spans(run(g, counter, max_tokens, minimum), g.units) for g in groups), output, files or [])
