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


def segment(
    files: Optional[List[str]] = FilesArg,
    by: str = typer.Option("sentence", "--by", metavar="LEVEL",
                           help=f"Unit level: {', '.join(REGISTRY)}."),
    engine: Optional[str] = typer.Option(None, "--engine", metavar="NAME",
                                         help=f"Implementation (the first of each level is its default): {ENGINES}."),
    lang: str = typer.Option("en", "--lang", help="Language code for engines that use one (pysbd, spacy)."),
    meta: str = MetaOpt,
    output: Optional[str] = OutputOpt,
    input_format: Optional[str] = FromOpt,
) -> None:
    """Cut documents into units (sentences, paragraphs, lines) that tile them exactly.

    Reads documents ({"id", "text", "meta"} per JSON line, or whole text/Markdown/PDF
    files) and writes one unit per line: {"doc", "seq", "kind", "start", "end", "text"}.
    Concatenating the units of a document gives it back byte for byte.

    Examples:

      seamline segment --by sentence docs.jsonl > sentences.jsonl

      seamline segment --by paragraph report.pdf -o paragraphs.jsonl

      cat docs.jsonl | seamline segment --engine pysbd --lang de
    """
    check_choice("--meta", meta, META_MODES)
    segmenter = get_segmenter(by, engine, lang=lang)
    write_groups(segment_items(read_inputs(files or [], input_format), segmenter, meta), output)
