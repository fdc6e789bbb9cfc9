"""`seamline chunk`: units (or documents) in, token-bounded chunks out."""
from __future__ import annotations

from typing import List, Optional

import typer

from seamline.chunkers import STRATEGIES, get_strategy
from seamline.chunking import ChunkOptions, check_budget, chunk_groups
from seamline.cli.common import FilesArg, FromOpt, MetaOpt, OutputOpt, check_choice, write_groups
from seamline.formats import read_inputs
from seamline.pipeline import unit_groups
from seamline.records import META_MODES
from seamline.segmenters import get_segmenter
from seamline.tokenizers import get_tokenizer

TokenizerOpt = typer.Option("cl100k_base", "--tokenizer", metavar="NAME",
                            help="chars, words, or a tiktoken encoding available offline (cl100k_base).")


def chunk(
    files: Optional[List[str]] = FilesArg,
    max_tokens: int = typer.Option(512, "--max-tokens", min=1, help="No chunk has more tokens than this."),
    tokenizer: str = TokenizerOpt,
    strategy: str = typer.Option("pack", "--strategy", metavar="NAME", help=f"How to chunk: {', '.join(STRATEGIES)}."),
    overlap: int = typer.Option(0, "--overlap", min=0, metavar="N", help="Tokens shared by neighbouring chunks."),
    min_tokens: int = typer.Option(0, "--min-tokens", min=0, help="Strategies that take a lower bound: fewest tokens per chunk."),
    threshold: Optional[float] = typer.Option(None, "--threshold", help="--strategy score: cut where a unit's score is above this."),
    target: Optional[int] = typer.Option(None, "--target", metavar="K", help="--strategy score: cut at the K best boundaries."),
    with_headings: bool = typer.Option(False, "--with-headings", help="Prefix each chunk's heading path as context (counted in the budget)."),
    by: str = typer.Option("sentence", "--by", metavar="LEVEL", help="How documents in the input are segmented before chunking."),
    engine: Optional[str] = typer.Option(None, "--engine", metavar="NAME", help="Engine for --by."),
    lang: str = typer.Option("en", "--lang", metavar="CODE", help="Language for engines that use one."),
    meta: str = MetaOpt,
    output: Optional[str] = OutputOpt,
    input_format: Optional[str] = FromOpt,
) -> None:
    """Pack consecutive units into chunks of at most --max-tokens tokens.

    Reads units (from `seamline segment`) or documents, which are segmented first.
    Each chunk records its exact token count in "tokens". A unit longer than the
    budget is split at token boundaries, so the bound holds for every chunk.

    Examples:

      seamline segment book.txt | seamline chunk --max-tokens 256 > chunks.jsonl

      seamline chunk --max-tokens 512 --tokenizer cl100k_base docs.jsonl

      seamline chunk --by paragraph --tokenizer words --max-tokens 300 notes.md
    """
    check_budget(max_tokens)
    check_choice("--meta", meta, META_MODES)
    get_strategy(strategy)  # an unknown name is a usage error before any input is read
    options = ChunkOptions(max_tokens=max_tokens, min_tokens=min_tokens, overlap=overlap, threshold=threshold,
                           target=target, with_headings=with_headings)
    counter = get_tokenizer(tokenizer)
    groups = unit_groups(read_inputs(files or [], input_format), lambda: get_segmenter(by, engine, lang=lang), meta)
    write_groups(chunk_groups(groups, counter, options, strategy), output)
