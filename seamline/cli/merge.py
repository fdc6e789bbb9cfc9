"""`seamline merge`: join small neighbouring chunks within a budget."""
from __future__ import annotations

from typing import List, Optional

import typer

from seamline.chunking import check_budget, merge as merge_group
from seamline.cli.chunk import TokenizerOpt
from seamline.cli.common import FilesArg, FromOpt, OutputOpt, write_groups
from seamline.formats import read_inputs
from seamline.pipeline import unit_groups
from seamline.segmenters import get_segmenter
from seamline.tokenizers import get_tokenizer


def merge(
    files: Optional[List[str]] = FilesArg,
    max_tokens: int = typer.Option(512, "--max-tokens", min=1, help="No merged chunk has more tokens than this."),
    min_tokens: Optional[int] = typer.Option(None, "--min-tokens", min=0,
                                             help="Chunks under this size are joined to a neighbour "
                                                  "[default: half of --max-tokens]."),
    tokenizer: str = TokenizerOpt,
    output: Optional[str] = OutputOpt,
    input_format: Optional[str] = FromOpt,
) -> None:
    """Join adjacent chunks of a document while one is under --min-tokens and the result fits --max-tokens.

    Reads chunks (or any units that tile their documents) and writes fewer, larger
    chunks that still tile them, each with its exact "tokens" count.

    Examples:

      seamline segment doc.txt | seamline chunk --max-tokens 64 | seamline merge --max-tokens 256

      seamline merge --min-tokens 100 --max-tokens 400 chunks.jsonl -o merged.jsonl
    """
    minimum = max_tokens // 2 if min_tokens is None else min_tokens
    check_budget(max_tokens, minimum)
    counter = get_tokenizer(tokenizer)
    groups = unit_groups(read_inputs(files or [], input_format), lambda: get_segmenter("sentence"))
    write_groups((merge_group(g, counter, max_tokens, minimum) for g in groups), output)
