"""`seamline chunk`: units (or documents) in, token-bounded chunks out."""
from __future__ import annotations

from typing import List, Optional

import typer

from seamline.chunkers import STRATEGIES
from seamline.cli.common import (FilesArg, FormatOpt, FromOpt, JobsOpt, KeepGoingOpt, MetaOpt, OutputOpt,
                                 write_stage)

TokenizerOpt = typer.Option("cl100k_base", "--tokenizer", metavar="NAME",
                            help="chars, words, a tiktoken encoding available offline (cl100k_base), "
                                 "or the path of a Hugging Face tokenizer.json (extra: hf).")


def chunk(
    files: Optional[List[str]] = FilesArg,
    max_tokens: int = typer.Option(512, "--max-tokens", min=1, help="No chunk has more tokens than this."),
    tokenizer: str = TokenizerOpt,
    strategy: str = typer.Option("pack", "--strategy", metavar="NAME",
                                 help=f"How to chunk: {', '.join(STRATEGIES)} (see docs/chunking.md)."),
    overlap: int = typer.Option(0, "--overlap", min=0, metavar="N",
                                help="Tokens a chunk shares with the one before (every strategy but legal; counted in --max-tokens)."),
    min_tokens: int = typer.Option(0, "--min-tokens", min=0, help="--strategy optimal: fewest tokens per chunk."),
    threshold: Optional[float] = typer.Option(None, "--threshold",
                                              help="--strategy score: cut where a unit's score is above this [default: 0.5]."),
    target: Optional[int] = typer.Option(None, "--target", metavar="K", help="--strategy score: cut at the K best boundaries."),
    length_penalty: float = typer.Option(1.0, "--length-penalty", min=0.0, metavar="L",
                                         help="--strategy optimal: cost L*(1-tokens/max)^2 per chunk against boundary scores."),
    with_headings: bool = typer.Option(
        False, "--with-headings",
        help='Add a "context" field to each chunk: the headings above it that it does not contain, one '
             'a line (from the units\' path: Markdown, HTML, PDF or legal units; empty without headings). '
             '"text" is unchanged; "tokens" then counts context + newline + text, within --max-tokens.'),
    by: Optional[str] = typer.Option(None, "--by", metavar="LEVEL",
                                     help="How documents in the input are segmented first "
                                          "[default: paragraph (blank lines) for fixed and recursive, sentence otherwise]."),
    engine: Optional[str] = typer.Option(None, "--engine", metavar="NAME", help="Engine for --by."),
    lang: str = typer.Option("en", "--lang", metavar="CODE", help="Language for engines that use one."),
    meta: str = MetaOpt,
    output: Optional[str] = OutputOpt,
    input_format: Optional[str] = FromOpt,
    jobs: int = JobsOpt,
    keep_going: bool = KeepGoingOpt,
    out_format: str = FormatOpt,
) -> None:
    """Cut units into chunks of at most --max-tokens tokens.

    Reads units (from `seamline segment` or `seamline score`) or documents, which are
    segmented first. Each chunk records the exact token count of its text in "tokens";
    no chunk has more than --max-tokens, whatever the strategy or overlap. Without
    --overlap the chunks tile the document; with it they overlap and still cover it.

    Strategies: pack (greedy units up to the budget), fill (as full as the budget allows:
    a paragraph start if the chunk is then 80% full, a unit end if 99%, else a clause or
    word end inside the next unit), tight (as few chunks as fill, their ends moved to
    sentence ends where the budget allows, by dynamic programming), fixed (token windows), recursive
    (paragraph, line, sentence, clause, word, token), score (cut at high boundary
    scores), optimal (best boundaries by dynamic programming), legal (whole provisions
    along the heading tree of `segment --by legal` units).

    Examples:

      seamline segment book.txt | seamline chunk --max-tokens 256 > chunks.jsonl

      seamline chunk --strategy recursive --max-tokens 512 --overlap 64 docs.jsonl

      seamline chunk --strategy fixed --max-tokens 512 --overlap 50 notes.md

      seamline chunk --strategy tight --max-tokens 256 contracts/jda.txt -o chunks.jsonl

      seamline segment doc.txt | seamline score | seamline chunk --strategy optimal --min-tokens 100

      seamline chunk --tokenizer ./tokenizer.json --max-tokens 300 notes.md

      seamline chunk -j 2 --keep-going --max-tokens 256 units/ -o chunks.jsonl

      seamline chunk --format text --max-tokens 64 notes.md | less
    """
    from seamline.stages import Chunk

    stage = Chunk(max_tokens=max_tokens, tokenizer=tokenizer, strategy=strategy, overlap=overlap,
                  min_tokens=min_tokens, threshold=threshold, target=target, length_penalty=length_penalty,
                  with_headings=with_headings, by=by, engine=engine, lang=lang, meta=meta)
    write_stage(stage, files, output, input_format, out_format, jobs, keep_going)
