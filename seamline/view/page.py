"""`seamline view --html`: one self-contained page (inline CSS, SVG and script; nothing fetched).

Per document: a chart of boundaries along the text (score curves with their
threshold, the boundaries each stream chose, gold boundaries), then one column
per stream with a table of unit sizes, a histogram of sizes against the budget,
and the text with its units in alternating colours. Each unit is one element
carrying its offsets (data-start, data-end), so the page can be checked and
read back. The page is written one document at a time; what is inlined is
capped per document and per page, with a note saying what was left out.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from html import escape
from importlib import resources
from typing import Iterable, TextIO

from seamline.evaluation.gold import GoldDoc, digest
from seamline.errors import InputError
from seamline.view import summary
from seamline.view.stream import StreamDoc, Unit
from seamline.view.svg import GOLD, Curve, Row, along_svg, histogram_svg, series_colour

DECIDED_KINDS = ("chunk", "topic", "section")  # units that are themselves the chosen cuts


@dataclass
class PageOptions:
    names: list[str]
    max_chars: int = 100_000  # text inlined per document; 0 for no cap
    max_page_chars: int = 8_000_000  # HTML the document sections may take in all; 0 for no cap
    max_tokens: int | None = None
    threshold: float | None = None
    gold: dict[str, GoldDoc] | None = None
    gold_name: str = "gold"
    title: str = "seamline view"


@dataclass
class PageReport:
    documents: int = 0  # documents drawn in full
    written: int = 0  # characters of HTML in their sections
    capped: list[str] = field(default_factory=list)  # documents whose text was cut short
    listed_only: int = 0  # documents past the page's budget, in the index only


def write_page(out: TextIO, docs: Iterable[list[StreamDoc]], options: PageOptions) -> PageReport:
    """Write the whole page to `out`, one document section at a time.

    Once the sections have taken --max-page-chars, further documents are only
    rows of the index, so a stream of many documents still gives a page a
    browser opens; a note says so.
    """
    report = PageReport()
    index: list[tuple[str, int, list[int], bool]] = []
    out.write(page_head(options))
    for n, streams in enumerate(docs):
        room = options.max_page_chars - report.written if options.max_page_chars else None
        drawn = room is None or room > 0
        if drawn:
            section = document_section(n, streams, options, report, room)
            out.write(section)
            report.written += len(section)
            report.documents += 1
        else:
            report.listed_only += 1
        index.append((streams[0].id, len(streams[0].text), [len(s.units) for s in streams], drawn))
    if report.listed_only:
        out.write(f'<p class="note cap">{report.listed_only:,} more documents are listed in the index only: '
                  f'the page reached --max-page-chars {options.max_page_chars:,}. Pick documents with '
                  f'--doc ID, or raise the limit (0 for none).</p>\n')
    out.write(index_table(index, options.names))
    out.write(page_foot())
    return report


def page_head(options: PageOptions) -> str:
    css = resources.files("seamline.view").joinpath("page.css").read_text(encoding="utf-8")
    legend = "".join(f'<li><span class="swatch" style="background:{series_colour(i)}"></span>{escape(name)}</li>'
                     for i, name in enumerate(options.names))
    if options.gold is not None:
        legend += f'<li><span class="swatch" style="background:{GOLD}"></span>gold: {escape(options.gold_name)}</li>'
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>{escape(options.title)}</title><style>{css}</style></head><body>\n'
            f'<header><h1>{escape(options.title)}</h1><ul class="legend">{legend}</ul>'
            f'<p class="hint">Units alternate between two shades and each starts at a bar; hover a unit '
            f'for its offsets, tokens, heading path and score. <a href="#index">All documents</a></p>'
            f'</header><main>\n')


def page_foot() -> str:
    script = resources.files("seamline.view").joinpath("page.js").read_text(encoding="utf-8")
    return (f'</main><div id="detail" aria-live="polite">hover a unit to see its details</div>'
            f'<script>{script}</script></body></html>\n')


def document_section(n: int, streams: list[StreamDoc], options: PageOptions, report: PageReport,
                     room: int | None) -> str:
    doc = streams[0]
    gold, gold_note = gold_for(doc, options)
    limit = len(doc.text) if not options.max_chars else min(len(doc.text), options.max_chars)
    if room is not None:
        # each stream inlines the text once; keep within what the page has left
        limit = min(limit, max(room // len(streams), 1))
    if limit < len(doc.text):
        report.capped.append(doc.id)
    parts = [f'<section class="doc" id="doc-{n}" data-doc="{escape(doc.id)}" data-length="{len(doc.text)}">',
             f'<h2>{escape(doc.id)}</h2><p class="facts">{len(doc.text):,} characters; '
             + "; ".join(f"{escape(name)}: {len(s.units):,} {kinds(s)}" for name, s in zip(options.names, streams))
             + "</p>"]
    if gold_note:
        parts.append(f'<p class="note">{escape(gold_note)}</p>')
    parts.append(along_chart(streams, options, gold))
    parts.append(cap_note(len(doc.text), limit, options))
    parts.append(f'<div class="cols" style="--cols:{len(streams)}">')
    for i, (name, s) in enumerate(zip(options.names, streams)):
        parts.append(stream_column(i, name, s, options, gold or [], limit))
    parts.append("</div></section>\n")
    return "".join(parts)


def kinds(doc: StreamDoc) -> str:
    names = sorted({u.kind for u in doc.units})
    return "/".join(names) + " units"


def gold_for(doc: StreamDoc, options: PageOptions) -> tuple[list[int] | None, str | None]:
    if options.gold is None:
        return None, None
    found = options.gold.get(doc.id)
    if found is None:
        return None, f"{options.gold_name} has no document {doc.id!r}: no gold boundaries shown."
    if found.length != len(doc.text) or found.digest != digest(doc.text):
        raise InputError(f"gold document {doc.id!r} has a different text than the units give; "
                         "is this the gold of these documents?", found.source, found.line)
    return found.boundaries, None


def cap_note(length: int, limit: int, options: PageOptions) -> str:
    if limit >= length:
        return ""
    if options.max_chars and limit == options.max_chars:
        why = f"--max-chars {options.max_chars:,}"
    else:
        why = f"the page is near --max-page-chars {options.max_page_chars:,}"
    return (f'<p class="note cap">Showing the first {limit:,} of {length:,} characters ({why}); the chart '
            f'and the tables cover the whole document. Pick documents with --doc ID, or raise the cap '
            f'(0 for none).</p>')


def along_chart(streams: list[StreamDoc], options: PageOptions, gold: list[int] | None) -> str:
    curves, rows = [], []
    for i, (name, s) in enumerate(zip(options.names, streams)):
        label = short(name)
        # chunks and topics are the chosen cuts already: their boundaries are the row, with no curve
        decided = all(u.kind in DECIDED_KINDS for u in s.units)
        if s.scored and not decided:
            cut = summary.threshold(s, options.threshold)
            curves.append(Curve(label, summary.curve(s), cut, options.threshold is not None))
            if cut is not None:
                chosen = [u.start for u in s.units[1:] if u.score is not None and u.score > cut]
                rows.append(Row(f"{label} > threshold", chosen, series_colour(i)))
                continue
        rows.append(Row(label, summary.boundaries(s), series_colour(i)))
    if gold is not None:
        rows.append(Row(f"gold {short(options.gold_name)}", gold, GOLD))
    return f'<figure class="along">{along_svg(len(streams[0].text), curves, rows)}</figure>'


def short(name: str, width: int = 18) -> str:
    """A stream's name as a chart label: the file name, shortened from the left."""
    base = os.path.basename(name) or name
    return base if len(base) <= width else "…" + base[-(width - 1):]


def stream_column(i: int, name: str, doc: StreamDoc, options: PageOptions, gold: list[int], limit: int) -> str:
    sizes = summary.sizes(doc, options.max_tokens)
    counts, width = summary.histogram(doc.sizes[1], top=options.max_tokens if sizes.measure == "tokens" else None)
    return (f'<div class="stream" data-stream="{i}" style="--accent:{series_colour(i)}">'
            f'<h3>{escape(name)}</h3><div class="figures">{sizes_table(sizes, options.max_tokens)}'
            f'{histogram_svg(counts, width, sizes.measure, options.max_tokens, series_colour(i))}</div>'
            f'<div class="text" tabindex="0">{units_html(doc, gold, limit)}</div></div>')


def sizes_table(s: summary.Sizes, budget: int | None) -> str:
    rows = [("units", f"{s.count:,}"), (f"smallest ({s.measure})", f"{s.smallest:,}"),
            ("median", f"{s.median:,.1f}"), ("mean", f"{s.mean:,.1f}"), ("95th percentile", f"{s.p95:,}"),
            ("largest", f"{s.largest:,}")]
    if s.over is not None:
        rows.append((f"over --max-tokens {budget}", f"{s.over:,}"))
    body = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in rows)
    return f'<table class="sizes"><caption>unit sizes</caption>{body}</table>'


def units_html(doc: StreamDoc, gold: list[int], limit: int) -> str:
    """One element per unit (up to `limit` characters of text), gold boundaries as marks inside them."""
    text = doc.text
    parts = []
    covered = 0
    marks = iter(sorted(gold))
    mark = next(marks, None)
    for u in doc.units:
        if u.start >= limit and limit < len(text):
            break
        shown_end = min(u.end, max(limit, u.start))
        inner = []
        pos = u.start
        while mark is not None and mark < shown_end:
            if mark >= pos:
                inner.append(piece(text, pos, mark, covered))
                inner.append(f'<b class="g" title="gold boundary at {mark}"></b>')
                pos = mark
            mark = next(marks, None)
        inner.append(piece(text, pos, shown_end, covered))
        covered = max(covered, u.end)
        more = f' data-more="{u.end - shown_end}"' if shown_end < u.end else ""
        parts.append(f'<span class="u {"ab"[u.seq % 2]}" {unit_attributes(u)}{more}>{"".join(inner)}</span>')
    return "".join(parts)


def piece(text: str, start: int, end: int, covered: int) -> str:
    """text[start:end], with the part already shown by the previous unit (an overlap) set apart."""
    if start >= end:
        return ""
    if start < covered:
        split = min(covered, end)
        return f'<span class="ov">{escape(text[start:split], quote=False)}</span>' + \
            escape(text[split:end], quote=False)
    return escape(text[start:end], quote=False)


def unit_attributes(u: Unit) -> str:
    attrs = [f'data-seq="{u.seq}"', f'data-start="{u.start}"', f'data-end="{u.end}"',
             f'data-kind="{escape(u.kind)}"']
    if u.tokens is not None:
        attrs.append(f'data-tokens="{u.tokens}"')
    if u.score is not None:
        attrs.append(f'data-score="{u.score:.4g}"')
    if u.path:
        attrs.append(f'data-path="{escape(" › ".join(u.path))}"')
    return " ".join(attrs)


def index_table(index: list[tuple[str, int, list[int], bool]], names: list[str]) -> str:
    head = "".join(f"<th>{escape(n)} units</th>" for n in names)
    rows = "".join(f'<tr><td>{doc_link(i, doc, drawn)}</td><td>{length:,}</td>'
                   + "".join(f"<td>{c:,}</td>" for c in counts) + "</tr>"
                   for i, (doc, length, counts, drawn) in enumerate(index))
    return (f'<section id="index"><h2>Documents</h2><table class="index"><thead><tr><th>document</th>'
            f'<th>characters</th>{head}</tr></thead><tbody>{rows}</tbody></table></section>\n')


def doc_link(i: int, doc: str, drawn: bool) -> str:
    return f'<a href="#doc-{i}">{escape(doc)}</a>' if drawn else f"{escape(doc)} (index only)"
