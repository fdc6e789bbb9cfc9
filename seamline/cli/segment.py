"""`seamline segment`: documents in, units that tile them out."""
from __future__ import annotations

from typing import List, Optional

import typer

from seamline.batch import Failures, run_files, segment_work
from seamline.cli.common import FormatOpt, FromOpt, InputsArg, JobsOpt, KeepGoingOpt, MetaOpt, OutputOpt, write_pieces
from seamline.formats import expand_inputs, format_for
from seamline.formats.writers import encoder
from seamline.segmenters import REGISTRY

ENGINES = "; ".join(f"{level}: {', '.join(names)}" for level, names in REGISTRY.items()) + "; plugins: see `seamline plugins`"


def segment(
    files: Optional[List[str]] = InputsArg,
    by: str = typer.Option("sentence", "--by", metavar="LEVEL", help=f"Unit level: {', '.join(REGISTRY)}."),
    engine: Optional[str] = typer.Option(
        None, "--engine", metavar="NAME",
        help=f"Implementation (the first of each level is its default): {ENGINES}. "
             "With --by topic it names the sentence engine used first."),
    lang: str = typer.Option("en", "--lang", metavar="CODE", help="Language code for engines that use one (pysbd, spacy)."),
    method: Optional[str] = typer.Option(None, "--method", metavar="NAME",
                                         help="--by topic: the boundary scoring method (default bayes; see `seamline score`)."),
    model: Optional[str] = typer.Option(None, "--model", metavar="NAME|PATH",
                                        help="--by topic: the scoring method's model (perplexity, margin: "
                                             "smollm2 or a .gguf file; see `seamline score`)."),
    select: Optional[str] = typer.Option(None, "--select", metavar="RULE",
                                         help="--by topic: how boundaries are chosen from scores: threshold, best, dp."),
    segments: Optional[int] = typer.Option(None, "--segments", metavar="K", help="--by topic: the number of segments to make."),
    threshold: Optional[float] = typer.Option(None, "--threshold", help="--by topic: a boundary score cut-off in [0, 1]."),
    min_units: Optional[int] = typer.Option(None, "--min-units", help="--by topic: fewest sentences in a segment."),
    max_units: Optional[int] = typer.Option(None, "--max-units", help="--by topic: most sentences in a segment."),
    family: Optional[str] = typer.Option(None, "--family", metavar="NAME",
                                         help="--by legal: the document family, or auto to detect it."),
    level: Optional[str] = typer.Option(None, "--level", metavar="NAME",
                                        help="--by legal: emit units at this level of the hierarchy (section, article, ...)."),
    meta: str = MetaOpt,
    output: Optional[str] = OutputOpt,
    input_format: Optional[str] = FromOpt,
    jobs: int = JobsOpt,
    keep_going: bool = KeepGoingOpt,
    out_format: str = FormatOpt,
    keep_boilerplate: bool = typer.Option(
        False, "--keep-boilerplate",
        help="HTML: keep navigation, page header and footer, asides and cookie banners in the text "
             "(by default they are left out and listed in meta.removed)."),
) -> None:
    """Cut documents into units (sentences, paragraphs, lines, topics, provisions) that tile them exactly.

    Reads documents ({"id", "text", "meta"} per JSON line, .json, .jsonl.gz, or whole
    text, Markdown, HTML and PDF files; directories are walked) and writes one unit per
    line: {"doc", "seq", "kind", "start", "end", "text"}. Concatenating the units of a
    document gives it back byte for byte. Units of Markdown, HTML and PDF files carry
    the heading `path` they sit under.

    Examples:

      seamline segment --by sentence docs.jsonl > sentences.jsonl

      seamline segment --by paragraph report.pdf -o paragraphs.jsonl

      cat docs.jsonl | seamline segment --engine pysbd --lang de

      seamline segment -j 2 --keep-going reports/ 'scans/**/*.pdf' -o units.jsonl

      seamline segment --format text notes.md | less

      seamline segment --by topic --method bayes --min-units 3 report.txt

      seamline segment --by legal --family statute --level section title17.txt
    """
    from seamline.stages import Segment

    encode = encoder(out_format)
    format_for("-", input_format)  # an unknown --from is a usage error before any input is read
    paths = expand_inputs(files or [])
    stage = Segment(by=by, engine=engine, lang=lang, method=method, model=model, select=select,
                    segments=segments, threshold=threshold, min_units=min_units, max_units=max_units,
                    family=family, level=level, meta=meta, keep_boilerplate=keep_boilerplate)
    failures = Failures()
    work = segment_work(stage, input_format, encode)
    write_pieces(run_files(paths, work, jobs, keep_going, failures), output, paths)
    if failures.messages:
        raise failures.error()
