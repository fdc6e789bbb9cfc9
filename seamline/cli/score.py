"""`seamline score`: add a boundary strength in [0, 1] to each unit."""
from __future__ import annotations

from typing import List, Optional

import typer

from seamline.cli.common import FilesArg, FormatOpt, FromOpt, JobsOpt, KeepGoingOpt, OutputOpt, write_stage
from seamline.topics import METHODS


def score(
    files: Optional[List[str]] = FilesArg,
    method: str = typer.Option("tiling", "--method", metavar="NAME", help=f"Scoring method: {', '.join(METHODS)}."),
    model: Optional[str] = typer.Option(
        None, "--model", metavar="PATH",
        help="perplexity and margin: 'smollm2' (SmolLM2-135M-Instruct, extra 'lm') or a local .gguf file; "
             "perplexity also a local Hugging Face causal LM directory (extra 'hf'); embedding: a local "
             "sentence-transformers directory or 'minilm' (extra 'neural'); topictiling: an LDA model "
             ".npz made by `python -m seamline.topics.lda fit`. Never downloaded."),
    drop: str = typer.Option("0", "--drop", metavar="X|dynamic",
                             help="perplexity with a language model: the log-perplexity drop a minimum needs "
                                  "(Meta-Chunking's threshold), or dynamic."),
    engine: Optional[str] = typer.Option(None, "--engine", metavar="NAME",
                                         help="Sentence engine for documents in the input (default learned, the sentence level's first)."),
    lang: str = typer.Option("en", "--lang", metavar="CODE", help="Language for the sentence engine."),
    output: Optional[str] = OutputOpt,
    input_format: Optional[str] = FromOpt,
    jobs: int = JobsOpt,
    keep_going: bool = KeepGoingOpt,
    out_format: str = FormatOpt,
) -> None:
    """Add "score", the strength of the boundary before each unit, in [0, 1] (null for the first).

    Reads units (documents are cut into sentences first) and keeps every other
    field. Methods: tiling (TextTiling depth), c99 (Choi's divisive clustering),
    embedding (TF-IDF/LSA window cosine), perplexity (Meta-Chunking minima under
    the shipped n-gram model), bayes (Utiyama-Isahara likelihood + C99 density, optimum
    by dynamic programming; the most accurate on Choi), topictiling (LDA topics per word,
    TopicTiling depth; a shipped Gutenberg model or your own), margin (Meta-Chunking margin
    sampling: a language model asked whether two units belong together). With --model smollm2
    (or a .gguf file), perplexity is Meta-Chunking's own rule under a real language model:
    only its boundaries get a score above 0. `seamline chunk --strategy score` and
    `segment --by topic` decide boundaries from such scores.

    Examples:

      seamline segment doc.txt | seamline score --method tiling

      seamline segment --by paragraph notes.md | seamline score --method c99 > scored.jsonl

      seamline segment report.txt | seamline score --method bayes

      seamline segment contract.txt | seamline score --method perplexity --model smollm2 \
        | seamline chunk --strategy score --threshold 0 --max-tokens 256
    """
    from seamline.stages import Score

    stage = Score(method=method, model=model, engine=engine, lang=lang, drop=drop)
    write_stage(stage, files, output, input_format, out_format, jobs, keep_going)
