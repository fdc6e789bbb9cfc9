"""`seamline eval`: compare predicted units with gold segments; describe chunks."""
from __future__ import annotations

import sys
from typing import List, Optional

import typer

from seamline.cli.common import OutputOpt, check_choice, records_output
from seamline.errors import UsageError

FORMATS = ("auto", "jsonl", "table")
# Columns of the per-document table on a terminal, when present.
DOC_COLUMNS = ("f1", "f1_within", "pk", "windowdiff", "b", "chunks", "tokens_max", "retrieval_iou",
               "boundary_clarity", "chunk_stickiness")


def eval_command(
    predictions: List[str] = typer.Argument(..., metavar="PRED",
                                            help="Prediction streams (units or chunks); several give a side-by-side table."),
    gold: Optional[str] = typer.Option(None, "--gold", metavar="PATH",
                                       help="Gold documents with 'segments' (JSONL, .gz too). Without it: chunk statistics only."),
    unit: str = typer.Option("char", "--unit", metavar="char|word|sentence",
                             help="Units for Pk, WindowDiff and B; sentence uses the gold's meta.sentence_spans, "
                                  "else the rules sentence segmenter."),
    convention: str = typer.Option("segeval", "--convention", metavar="segeval|nltk",
                                   help="Window size and denominators of Pk and WindowDiff: segeval's (default) or NLTK's."),
    window: Optional[int] = typer.Option(None, "--window", min=0, metavar="K",
                                         help="Window size for Pk and WindowDiff (default: from each gold document)."),
    tolerance: Optional[int] = typer.Option(None, "--tolerance", min=0, metavar="N",
                                            help="Also count boundaries within N characters as found (f1_within)."),
    n_t: int = typer.Option(2, "--n-t", min=1, metavar="N",
                            help="B and edit distance: near misses span fewer than N units (segeval's n_t)."),
    per_doc: bool = typer.Option(False, "--per-doc", help="One record per document before each summary."),
    allow_missing: bool = typer.Option(False, "--allow-missing",
                                       help="Skip documents missing on either side or with other text, instead of failing."),
    allow_empty: bool = typer.Option(False, "--allow-empty",
                                     help="Let --fail-under pass a prediction stream with no documents "
                                          "(without it, a gate over nothing fails)."),
    fail_under: Optional[List[str]] = typer.Option(None, "--fail-under", metavar="METRIC=VALUE",
                                                   help="Exit 1 when a summary metric is worse than VALUE "
                                                        "(below it; above it for pk, windowdiff, edit_distance, "
                                                        "over_budget, ends_inside_sentence). Repeatable."),
    tokenizer: Optional[str] = typer.Option(None, "--tokenizer", metavar="NAME",
                                            help="Token counts per chunk: chars, words or a tiktoken encoding "
                                                 "(default with --max-tokens: cl100k_base)."),
    max_tokens: Optional[int] = typer.Option(None, "--max-tokens", min=1, metavar="N",
                                             help="Count chunks over this token budget."),
    sentence_engine: Optional[str] = typer.Option(None, "--sentences", metavar="ENGINE",
                                                  help="Share of chunks that end inside a sentence of this engine (rules, pysbd, spacy)."),
    questions: Optional[str] = typer.Option(None, "--questions", metavar="PATH",
                                            help="Questions with reference spans: retrieval precision, recall and IoU."),
    retriever: str = typer.Option("oracle", "--retriever", metavar="oracle|bm25",
                                  help="With --questions: oracle (every chunk touching a reference) or bm25 "
                                       "(the top --top-k chunks for the question's text; extra: retrieval)."),
    top_k: Optional[List[str]] = typer.Option(None, "--top-k", metavar="K",
                                              help="--retriever bm25: chunks retrieved per question; repeatable "
                                                   "[default: 1, 3 and 5]."),
    lm: Optional[str] = typer.Option(None, "--lm", metavar="smollm2|PATH",
                                     help="MoC's boundary clarity and chunk stickiness of the chunks under this "
                                          "language model: smollm2 or a local .gguf file (extra: lm)."),
    jit: str = typer.Option("auto", "--jit", metavar="auto|always|never",
                            help="Compiled kernels: once the input is large (auto), always, or never."),
    output_format: str = typer.Option("auto", "--format", metavar="auto|jsonl|table",
                                      help="auto: a table on a terminal, JSON lines otherwise."),
    output: Optional[str] = OutputOpt,
) -> None:
    """Score predicted boundaries against gold segments, and describe chunks.

    Boundaries are compared at the first non-whitespace character of each
    segment and unit. Prints JSON lines (a record per document with --per-doc,
    then one summary with "scope": "all" per PRED file, the last one last), or
    a table on a terminal.

    Examples:

      seamline eval pred.jsonl --gold gold.jsonl

      seamline eval a.jsonl b.jsonl --gold gold.jsonl --unit sentence --tolerance 3

      seamline eval pred.jsonl --gold gold.jsonl --fail-under f1=0.9 --fail-under pk=0.2

      seamline eval chunks.jsonl --max-tokens 512 --sentences rules --questions q.jsonl
    """
    from seamline.api import evaluations
    from seamline.batch import check_output

    check_choice("--format", output_format, FORMATS)
    thresholds = parse_thresholds(fail_under or [])
    inputs = [*predictions, *(p for p in (gold, questions) if p)]
    runs = evaluations(predictions, gold, unit=unit, convention=convention, window=window, tolerance=tolerance,
                       n_t=n_t, per_doc=per_doc, allow_missing=allow_missing, tokenizer=tokenizer,
                       max_tokens=max_tokens, sentences=sentence_engine, questions=questions, jit=jit,
                       retriever=retriever, top_k=parse_top_k(top_k) if top_k else None, lm=lm)
    check_output(output, inputs)
    table = output_format == "table" or (output_format == "auto" and output in (None, "-") and sys.stdout.isatty())
    summaries = show_table(runs) if table else write_jsonl(runs, output, inputs)
    check_thresholds(summaries, thresholds, allow_empty)


def parse_top_k(values: list[str]) -> tuple[int, ...]:
    ks = set()
    for value in values:
        if not value.isdigit() or int(value) < 1:
            raise UsageError(f"--top-k takes a whole number of chunks, at least 1; got {value!r}")
        ks.add(int(value))
    return tuple(sorted(ks))


def write_jsonl(evaluations, output: Optional[str], inputs: List[str]) -> list[dict]:
    from seamline.formats.jsonl import JsonlWriter

    summaries = []
    with records_output(output, inputs) as stream:
        writer = JsonlWriter(stream)
        for evaluation in evaluations:
            for rec in evaluation.records():
                writer.write(rec)
                if rec["scope"] == "all":
                    summaries.append(rec)
            writer.flush()
    return summaries


def show_table(evaluations) -> list[dict]:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    summaries = []
    for evaluation in evaluations:
        docs = []
        for rec in evaluation.records():
            (summaries if rec["scope"] == "all" else docs).append(rec)
        if docs:
            cols = [c for c in DOC_COLUMNS if any(c in d for d in docs)]
            table = Table(title=f"{evaluation.pred}: per document")
            table.add_column("doc")
            for c in cols:
                table.add_column(c, justify="right")
            for d in docs:
                table.add_row(str(d["doc"]), *[cell(d.get(c)) for c in cols])
            console.print(table)
    table = Table(title="seamline eval" + (" (side by side)" if len(summaries) > 1 else ""))
    table.add_column("metric")
    for label in labels([s["pred"] for s in summaries]):
        table.add_column(label, justify="right", overflow="fold")
    names: list[str] = []
    for s in summaries:
        names += [k for k in s if k not in names and k not in ("scope", "pred")]
    for name in names:
        table.add_row(name, *[cell(s.get(name)) for s in summaries])
    console.print(table)
    return summaries


def labels(paths: list[str]) -> list[str]:
    """File names as column headers; whole paths only where two names collide."""
    import os

    names = [os.path.basename(p) or p for p in paths]
    return [n if names.count(n) == 1 else p for n, p in zip(names, paths)]


def cell(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.4f}"
    return str(value)


def parse_thresholds(items: list[str]) -> list[tuple[str, float]]:
    from seamline.evaluation.run import HIGHER_IS_BETTER

    out = []
    for item in items:
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep or name not in HIGHER_IS_BETTER:
            raise UsageError(f"--fail-under takes METRIC=VALUE with METRIC one of "
                             f"{', '.join(HIGHER_IS_BETTER)}; got {item!r}")
        try:
            out.append((name, float(value)))
        except ValueError:
            raise UsageError(f"--fail-under {item!r}: {value!r} is not a number") from None
    return out


def check_thresholds(summaries: list[dict], thresholds: list[tuple[str, float]], allow_empty: bool = False) -> None:
    from seamline.evaluation.gate import check_gate

    check_gate(summaries, thresholds, allow_empty)
