"""`seamline chunk`: units (or documents) in, token-bounded chunks out."""
from __future__ import annotations

from typing import List, Optional

import typer

from seamline.batch import may_block
from seamline.chunkers import STRATEGIES, get_strategy
from seamline.chunking import ChunkOptions, check_budget, check_overlap, chunk_groups, document_groups
from seamline.cli.common import FilesArg, FromOpt, MetaOpt, OutputOpt, check_choice, write_groups
from seamline.formats import read_inputs
from seamline.pipeline import unit_groups
from seamline.records import META_MODES
from seamline.segmenters import get_segmenter
from seamline.tokenizers import get_tokenizer

TokenizerOpt = typer.Option("cl100k_base", "--tokenizer", metavar="NAME",
                            help="chars, words, a tiktoken encoding available offline (cl100k_base), "
                                 "or the path of a Hugging Face tokenizer.json (extra: hf).")
# Strategies that find their own structure read documents as paragraphs (cheap)
# rather than sentences; the others pack sentences unless --by says otherwise.
OWN_STRUCTURE = ("fixed", "recursive")
DEFERRED = ("pack", "fixed", "recursive")


def chunk(
    files: Optional[List[str]] = FilesArg,
    max_tokens: int = typer.Option(512, "--max-tokens", min=1, help="No chunk has more tokens than this."),
    tokenizer: str = TokenizerOpt,
    strategy: str = typer.Option("pack", "--strategy", metavar="NAME",
                                 help=f"How to chunk: {', '.join(STRATEGIES)} (see docs/chunking.md)."),
    overlap: int = typer.Option(0, "--overlap", min=0, metavar="N",
                                help="Tokens a chunk shares with the one before (any strategy; counted in --max-tokens)."),
    min_tokens: int = typer.Option(0, "--min-tokens", min=0, help="--strategy optimal: fewest tokens per chunk."),
    threshold: Optional[float] = typer.Option(None, "--threshold",
                                              help="--strategy score: cut where a unit's score is above this [default: 0.5]."),
    target: Optional[int] = typer.Option(None, "--target", metavar="K", help="--strategy score: cut at the K best boundaries."),
    length_penalty: float = typer.Option(1.0, "--length-penalty", min=0.0, metavar="L",
                                         help="--strategy optimal: cost L*(1-tokens/max)^2 per chunk against boundary scores."),
    with_headings: bool = typer.Option(False, "--with-headings", help="Prefix each chunk's heading path as context (counted in the budget)."),
    by: Optional[str] = typer.Option(None, "--by", metavar="LEVEL",
                                     help="How documents in the input are segmented first "
                                          "[default: paragraph (blank lines) for fixed and recursive, sentence otherwise]."),
    engine: Optional[str] = typer.Option(None, "--engine", metavar="NAME", help="Engine for --by."),
    lang: str = typer.Option("en", "--lang", metavar="CODE", help="Language for engines that use one."),
    meta: str = MetaOpt,
    output: Optional[str] = OutputOpt,
    input_format: Optional[str] = FromOpt,
) -> None:
    """Cut units into chunks of at most --max-tokens tokens.

    Reads units (from `seamline segment` or `seamline score`) or documents, which are
    segmented first. Each chunk records the exact token count of its text in "tokens";
    no chunk has more than --max-tokens, whatever the strategy or overlap. Without
    --overlap the chunks tile the document; with it they overlap and still cover it.

    Strategies: pack (greedy units up to the budget), fixed (token windows), recursive
    (paragraph, line, sentence, clause, word, token), score (cut at high boundary
    scores), optimal (best boundaries by dynamic programming).

    Examples:

      seamline segment book.txt | seamline chunk --max-tokens 256 > chunks.jsonl

      seamline chunk --strategy recursive --max-tokens 512 --overlap 64 docs.jsonl

      seamline chunk --strategy fixed --max-tokens 512 --overlap 50 notes.md

      seamline segment doc.txt | seamline score | seamline chunk --strategy optimal --min-tokens 100

      seamline chunk --tokenizer ./tokenizer.json --max-tokens 300 notes.md
    """
    check_budget(max_tokens)
    check_budget(max_tokens, min_tokens)
    check_overlap(max_tokens, overlap)
    check_choice("--meta", meta, META_MODES)
    get_strategy(strategy)  # an unknown name is a usage error before any input is read
    options = ChunkOptions(max_tokens=max_tokens, min_tokens=min_tokens, overlap=overlap, threshold=threshold,
                           target=target, with_headings=with_headings, length_penalty=length_penalty)
    counter = get_tokenizer(tokenizer)
    level = by or ("paragraph" if strategy in OWN_STRUCTURE else "sentence")
    if by is None and strategy in OWN_STRUCTURE:
        engine = engine or "blankline"
    # pack, fixed and recursive touch few units of a document: its units are then made only when looked at
    read_groups = document_groups if strategy in DEFERRED else unit_groups
    groups = read_groups(read_inputs(files or [], input_format), lambda: get_segmenter(level, engine, lang=lang), meta,
                         prefetch=may_block(files or []))
    write_groups(chunk_groups(groups, counter, options, strategy), output, files or [])
