"""`seamline segment`: documents in, units that tile them out."""
from __future__ import annotations

from typing import List, Optional

import typer

from seamline.cli.common import FilesArg, FromOpt, MetaOpt, OutputOpt, check_choice, write_groups
from seamline.formats import read_inputs
from seamline.pipeline import segment_items
from seamline.records import META_MODES
from seamline.segmenters import REGISTRY, get_segmenter

ENGINES = "; ".join(f"{level}: {', '.join(names)}" for level, names in REGISTRY.items())
# Levels whose --engine names the sentence engine they build on, not themselves.
BUILT_ON_SENTENCES = ("topic",)


def segment(
    files: Optional[List[str]] = FilesArg,
    by: str = typer.Option("sentence", "--by", metavar="LEVEL", help=f"Unit level: {', '.join(REGISTRY)}."),
    engine: Optional[str] = typer.Option(
        None, "--engine", metavar="NAME",
        help=f"Implementation (the first of each level is its default): {ENGINES}. "
             "With --by topic it names the sentence engine used first."),
    lang: str = typer.Option("en", "--lang", metavar="CODE", help="Language code for engines that use one (pysbd, spacy)."),
    method: Optional[str] = typer.Option(None, "--method", metavar="NAME",
                                         help="--by topic: the boundary scoring method (see `seamline score`)."),
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
) -> None:
    """Cut documents into units (sentences, paragraphs, lines, topics, provisions) that tile them exactly.

    Reads documents ({"id", "text", "meta"} per JSON line, or whole text/Markdown/PDF
    files) and writes one unit per line: {"doc", "seq", "kind", "start", "end", "text"}.
    Concatenating the units of a document gives it back byte for byte.

    Examples:

      seamline segment --by sentence docs.jsonl > sentences.jsonl

      seamline segment --by paragraph report.pdf -o paragraphs.jsonl

      cat docs.jsonl | seamline segment --engine pysbd --lang de
    """
    check_choice("--meta", meta, META_MODES)
    options = {"lang": lang}
    extra = {"method": method, "select": select, "segments": segments, "threshold": threshold,
             "min_units": min_units, "max_units": max_units, "family": family, "level": level}
    options.update({k: v for k, v in extra.items() if v is not None})
    if by in BUILT_ON_SENTENCES and engine is not None:
        options["sentence_engine"], engine = engine, None
    segmenter = get_segmenter(by, engine, **options)
    write_groups(segment_items(read_inputs(files or [], input_format), segmenter, meta), output)
