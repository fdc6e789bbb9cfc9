"""`--by topic`: sentences first, then boundary scores, then a decision; emits `topic` units.

Each topic unit carries `score`, the strength of the boundary before it (null
for the first). Options arrive from `seamline segment`: method, select,
segments, threshold, min_units, max_units, sentence_engine (--engine), lang.
"""
from __future__ import annotations

import bisect
import re

from seamline.segmenters import REGISTRY, get_segmenter, tile
from seamline.topics import TOPIC_DEFAULT, get_scorer
from seamline.topics.decide import check_options, decide
from seamline.topics.scores import PlacesBoundaries
from seamline.topics.text import is_heading


class TopicSegmenter:
    name = "topic"
    kind = "topic"

    def __init__(self, method: str | None = None, select: str | None = None, segments: int | None = None,
                 threshold: float | None = None, min_units: int | None = None, max_units: int | None = None,
                 sentence_engine: str | None = None, lang: str = "en", model: str | None = None, **_options):
        self.select = check_options(select, threshold, segments, min_units, max_units)
        self.threshold, self.segments = threshold, segments
        self.min_units, self.max_units = min_units, max_units
        self.scorer = get_scorer(method or TOPIC_DEFAULT, **({"model": model} if model else {}))
        # The rule engine by default: fast to start, and topic boundaries only need rough sentences.
        engine = sentence_engine or "rules"
        self.sentences = get_segmenter(level_of(engine), engine, lang=lang)

    def annotated(self, text: str) -> list[tuple[int, int, dict]]:
        spans = tile(text, self.sentences.starts(text))
        if len(spans) < 2:
            return [(s, e, {"score": None}) for s, e in spans] or [(0, len(text), {"score": None})]
        scores = self.scorer.score([text[s:e] for s, e in spans])
        starts = decide(scores, self.select, self.threshold, self.segments, self.min_units, self.max_units)
        if isinstance(self.scorer, PlacesBoundaries):
            starts = self.scorer.place(starts, self.min_units, self.max_units)
        if not (self.min_units or self.max_units):  # length limits are the user's: leave them exact
            starts = snap_to_paragraphs(text, spans, starts)
        edges = [0, *starts, len(spans)]
        out = []
        for a, b in zip(edges, edges[1:]):
            score = None if a == 0 else round(float(scores.values[a]), 6)
            out.append((spans[a][0], spans[b - 1][1], {"score": score}))
        return out


_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n")


def snap_to_paragraphs(text: str, spans: list[tuple[int, int]], starts: list[int]) -> list[int]:
    """Move each topic start to the nearest paragraph start (after a blank line) within half the
    distance to its neighbours: writers change topic at paragraph breaks, and a topic that begins
    mid-paragraph reads wrong. The start of a paragraph under a heading does not count: the
    heading starts it. Text without blank lines is left as it is.
    """
    # a paragraph start right under a heading is no place for a topic to start: the heading's is
    opens = [i for i in range(1, len(spans)) if _BLANK_LINE.search(trailing_space(text, *spans[i - 1]))
             and not is_heading(text[spans[i - 1][0]:spans[i - 1][1]])]
    if not opens or not starts:
        return starts
    out: list[int] = []
    edges = [0, *starts, len(spans)]
    for k in range(1, len(edges) - 1):
        prev, here, nxt = edges[k - 1], edges[k], edges[k + 1]
        reach = max(0, min(here - prev, nxt - here) // 2)
        j = bisect.bisect_left(opens, here - reach)
        near = [p for p in opens[j:j + 2 * reach + 2] if abs(p - here) <= reach]
        best = min(near, key=lambda p: (abs(p - here), p)) if near else here
        if (not out or best > out[-1]) and best < len(spans):
            out.append(best)
    return out


def trailing_space(text: str, start: int, end: int) -> str:
    unit = text[start:end]
    return unit[len(unit.rstrip()):]


def level_of(engine: str | None) -> str:
    """The level whose registry names this engine: --engine may name a sentence, line or paragraph engine."""
    if engine is None or engine in REGISTRY["sentence"]:
        return "sentence"
    for level, engines in REGISTRY.items():
        if level != "topic" and engine in engines:
            return level
    return "sentence"  # unknown: let get_segmenter report it with the sentence engines listed
