"""`seamline view` on a terminal: rich renderables for each document's units.

Units alternate between two backgrounds (tints of Okabe-Ito blue and orange,
set together with a near-black foreground, so they read the same on light and
dark terminals and differ in lightness as well as hue). A margin beside each
unit gives its seq, size and boundary score as a small bar; a rule names the
heading path wherever it changes. rich is imported here only, when a view is
drawn.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from seamline.view import summary
from seamline.view.stream import StreamDoc, Unit

# The two unit shades by what the terminal can show: light blue and light orange in each,
# always with an explicit dark foreground. rich's own downgrade of the 24-bit pair would give
# lavender and pink in 256 colours and one white in 16, so each system gets its own pair.
SHADES = {
    "truecolor": ("#111111 on #c4dcf0", "#111111 on #fdebd3"),
    "256": ("color(16) on color(153)", "color(16) on color(223)"),
    "standard": ("black on bright_cyan", "black on bright_yellow"),
    "windows": ("black on bright_cyan", "black on bright_yellow"),
}
BARS = " ▁▂▃▄▅▆▇█"
MARGIN = 21


@dataclass
class TerminalOptions:
    names: list[str]
    max_chars: int = 20_000  # characters shown per document; 0 for no cap
    max_tokens: int | None = None
    threshold: float | None = None
    color_system: str | None = "truecolor"  # as rich's Console.color_system names it; None: no colour

    @property
    def shades(self) -> tuple[str, str]:
        return SHADES.get(self.color_system or "", ("", "reverse"))


def score_bar(score: float | None) -> str:
    """A one-character bar for a score in [0, 1], then its value; blank for none."""
    if score is None:
        return ""
    level = min(len(BARS) - 1, max(0, round(score * (len(BARS) - 1))))
    return f"{BARS[level]} {score:.2f}"


def margin(u: Unit, above: bool) -> str:
    """'#12 140t ▆ 0.71 ◆': seq, size (t tokens, c characters), score bar, and a mark when over the threshold."""
    size = f"{u.tokens}t" if u.tokens is not None else f"{u.end - u.start}c"
    line = f"#{u.seq:<4} {size:>6}"
    if u.score is not None:
        line += " " + score_bar(u.score) + (" ◆" if above else "")
    return line


def document_view(streams: list[StreamDoc], options: TerminalOptions) -> Iterator[object]:
    """The renderables of one document: a title rule, then each stream's units."""
    from rich.rule import Rule
    from rich.text import Text

    doc = streams[0]
    yield Rule(Text(f"{doc.id} · {len(doc.text):,} characters", style="bold"), align="left", style="dim")
    for name, s in zip(options.names, streams):
        if len(streams) > 1:
            yield Rule(Text(name, style="bold"), characters="·", align="left", style="dim")
        yield sizes_line(s, options)
        yield units_table(s, options)
        shown = shown_chars(s, options)
        if shown < len(s.text):
            left = sum(1 for u in s.units if u.start >= shown)
            yield Text(f"… {len(s.text) - shown:,} more characters ({left:,} units) not shown "
                       f"(--max-chars {options.max_chars:,}; 0 shows all)", style="italic")


def sizes_line(doc: StreamDoc, options: TerminalOptions):
    from rich.text import Text

    s = summary.sizes(doc, options.max_tokens)
    line = (f"{s.count:,} units; {s.measure}: smallest {s.smallest:,}, median {s.median:,.1f}, "
            f"95th percentile {s.p95:,}, largest {s.largest:,}")
    if s.over is not None:
        line += f"; over --max-tokens {options.max_tokens}: {s.over:,}"
    return Text(line, style="dim")


def shown_chars(doc: StreamDoc, options: TerminalOptions) -> int:
    return len(doc.text) if not options.max_chars else min(len(doc.text), options.max_chars)


def units_table(doc: StreamDoc, options: TerminalOptions):
    """A two-column grid: margin, then the unit's text on its shade; heading paths as rules."""
    from rich.padding import Padding
    from rich.table import Table
    from rich.text import Text

    grid = Table.grid(padding=(0, 1), expand=True)
    grid.add_column(width=MARGIN, no_wrap=True, style="dim")
    grid.add_column(ratio=1, overflow="fold")
    cut = summary.threshold(doc, options.threshold) if doc.scored else None
    limit = shown_chars(doc, options)
    path = None
    for u in doc.units:
        if u.start >= limit and limit < len(doc.text):
            break
        if u.path is not None and u.path != path:
            path = u.path
            grid.add_row("", Text("§ " + " › ".join(path) if path else "§ (no heading)", style="bold"))
        body = doc.text[u.start:min(u.end, max(limit, u.start))].rstrip("\n") or "⏎"
        above = cut is not None and u.score is not None and u.score > cut
        shade = options.shades[u.seq % 2]
        grid.add_row(margin(u, above), Padding(Text(body, style=shade), 0, style=shade, expand=True))
    return grid
