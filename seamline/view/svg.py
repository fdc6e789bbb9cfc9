"""Inline SVG charts for the page: a histogram of unit sizes and boundaries along a document.

Colours are the Okabe-Ito palette (distinguishable with the common colour
vision deficiencies); every series also differs in dash pattern or row and is
labelled in text, so nothing is told by colour alone. Axes and labels use
currentColor, so the page's light or dark scheme carries over.
"""
from __future__ import annotations

from dataclasses import dataclass
from html import escape

# Okabe & Ito (2008), "Color Universal Design": blue, orange, bluish green, reddish purple.
SERIES = ("#0072B2", "#E69F00", "#009E73", "#CC79A7")
DASHES = ("", "6 3", "2 2", "8 3 2 3")
GOLD = "#D55E00"  # vermillion


def series_colour(i: int) -> str:
    return SERIES[i % len(SERIES)]


def histogram_svg(counts: list[int], width: float, measure: str, budget: int | None = None,
                  colour: str = SERIES[0]) -> str:
    """Bars of unit counts by size; a dashed line at the budget, bars past it in vermillion."""
    w, h, left, bottom = 360, 130, 34, 22
    plot_w, plot_h = w - left - 8, h - bottom - 8
    top = max(counts) or 1
    bar = plot_w / len(counts)
    high = width * len(counts)
    parts = [f'<svg class="hist" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" '
             f'aria-label="histogram of unit sizes in {measure}">']
    for i, n in enumerate(counts):
        if not n:
            continue
        lo, hi = i * width, (i + 1) * width
        over = budget is not None and measure == "tokens" and lo >= budget
        bh = plot_h * n / top
        x, y = left + i * bar, 8 + plot_h - bh
        fill, note = (GOLD, ", over the budget") if over else (colour, "")
        parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(bar - 1, 1):.1f}" height="{bh:.1f}" '
                     f'fill="{fill}"><title>{lo:.0f}-{hi:.0f} {measure}: {n} units{note}</title></rect>')
    base = 8 + plot_h
    parts.append(f'<line x1="{left}" y1="{base}" x2="{left + plot_w}" y2="{base}" stroke="currentColor"/>')
    parts.append(f'<text x="{left}" y="{h - 6}" font-size="10" fill="currentColor">0</text>')
    parts.append(f'<text x="{left + plot_w}" y="{h - 6}" font-size="10" text-anchor="end" '
                 f'fill="currentColor">{high:.0f} {measure}</text>')
    parts.append(f'<text x="{left - 4}" y="14" font-size="10" text-anchor="end" fill="currentColor">{top}</text>')
    if budget is not None and measure == "tokens":
        bx = left + plot_w * budget / high
        parts.append(f'<line class="budget" x1="{bx:.1f}" y1="8" x2="{bx:.1f}" y2="{base}" stroke="{GOLD}" '
                     f'stroke-width="2" stroke-dasharray="4 3"/><text x="{bx - 3:.1f}" y="18" font-size="10" '
                     f'text-anchor="end" fill="currentColor">max {budget}</text>')
    parts.append("</svg>")
    return "".join(parts)


@dataclass
class Curve:
    name: str
    points: list[tuple[int, float]]  # (offset, score)
    threshold: float | None
    given: bool  # whether the threshold was asked for (else it is the mean - sd/2 rule)


@dataclass
class Row:
    label: str
    offsets: list[int]
    colour: str


def along_svg(length: int, curves: list[Curve], rows: list[Row]) -> str:
    """Score curves over the document (offset on x), then one row of boundary ticks per series."""
    w, left, right = 1000, 200, 8
    plot_h = 120 if curves else 0
    row_h = 16
    h = 8 + plot_h + (18 if curves else 0) + row_h * len(rows) + 16
    span = w - left - right
    scale = span / max(length, 1)
    parts = [f'<svg class="along" viewBox="0 0 {w} {h}" role="img" '
             f'aria-label="boundaries along the document">']
    if curves:
        parts.append(plot_frame(left, span, plot_h))
    for i, c in enumerate(curves):
        parts.append(curve_path(c, i, left, scale, plot_h, left + span))
    y = 8 + plot_h + (18 if curves else 0)
    for row in rows:
        parts.append(tick_row(row, left, scale, y, row_h))
        y += row_h
    parts.append(f'<text x="{left}" y="{h - 3}" font-size="10" fill="currentColor">0</text>'
                 f'<text x="{w - right}" y="{h - 3}" font-size="10" text-anchor="end" '
                 f'fill="currentColor">{length:,} characters</text></svg>')
    return "".join(parts)


def plot_frame(left: int, span: float, plot_h: int) -> str:
    return (f'<line x1="{left}" y1="{8 + plot_h}" x2="{left + span}" y2="{8 + plot_h}" stroke="currentColor"/>'
            f'<line x1="{left}" y1="8" x2="{left}" y2="{8 + plot_h}" stroke="currentColor"/>'
            f'<text x="{left - 4}" y="14" font-size="10" text-anchor="end" fill="currentColor">score 1</text>'
            f'<text x="{left - 4}" y="{8 + plot_h}" font-size="10" text-anchor="end" fill="currentColor">0</text>')


def curve_path(c: Curve, i: int, left: int, scale: float, plot_h: int, edge: float) -> str:
    colour, dash = series_colour(i), DASHES[i % len(DASHES)]
    y0 = 8 + plot_h
    pts = " ".join(f"{left + at * scale:.1f},{y0 - v * plot_h:.1f}" for at, v in c.points)
    out = [f'<polyline class="curve" points="{pts}" fill="none" stroke="{colour}" stroke-width="1.2" '
           f'stroke-dasharray="{dash}" vector-effect="non-scaling-stroke"><title>{escape(c.name)}: '
           f'boundary score</title></polyline>']
    if c.threshold is not None:
        ty = y0 - c.threshold * plot_h
        rule = "--threshold" if c.given else "mean - sd/2"
        out.append(f'<line class="threshold" x1="{left}" y1="{ty:.1f}" x2="{edge:.1f}" y2="{ty:.1f}" '
                   f'stroke="{colour}" stroke-dasharray="3 3" vector-effect="non-scaling-stroke"/>'
                   f'<text x="{left - 4}" y="{ty + 3:.1f}" font-size="10" text-anchor="end" '
                   f'fill="currentColor">{rule} {c.threshold:.2f}</text>')
    return "".join(out)


def tick_row(row: Row, left: int, scale: float, y: float, row_h: int) -> str:
    """Ticks as one path, one per distinct tenth of a pixel, so 30,000 boundaries stay a small element."""
    xs = sorted({round(left + at * scale, 1) for at in row.offsets})
    d = "".join(f"M{x} {y + 2}v{row_h - 4}" for x in xs)
    label = f"{row.label} ({len(row.offsets):,})"
    return (f'<text x="{left - 4}" y="{y + row_h - 4}" font-size="10" text-anchor="end" '
            f'fill="currentColor">{escape(label)}</text>'
            f'<path class="ticks" d="{d}" stroke="{row.colour}" stroke-width="1.5" '
            f'vector-effect="non-scaling-stroke"/>')
