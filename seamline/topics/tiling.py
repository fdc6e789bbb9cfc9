"""TextTiling (Hearst 1997) as NLTK's TextTilingTokenizer does it, without needing paragraphs.

Words are grouped into pseudo-sentences of w words (stopwords count towards w
and are then dropped); the gap after each pseudo-sentence is scored by the
cosine of term counts in the k pseudo-sentences on either side; gap scores are
smoothed with a flat window and turned into depth scores.

`nltk_boundaries` then decides like NLTK (cutoff mean - std/2, no two
boundaries within 4 gaps, each snapped to the nearest paragraph break) and
places exactly NLTK's boundaries. `TilingScorer` instead snaps each gap to the
nearest unit start (sentence), so any text works, with or without blank lines.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

import numpy as np

from seamline.topics.scores import Scores, mean_minus_half_std
from seamline.topics.stopwords import ENGLISH
from seamline.topics.text import Vocabulary, words

# NLTK's paragraph break: a blank line, with the horizontal space around it.
_PARA = re.compile(r"(?:(?<![ \t\r\f\v])[ \t\r\f\v]*+)?\n[ \t\r\f\v]*+\n[ \t\r\f\v]*+")
_WORD_END = re.compile(r"[^ \t\n][ \t\n]")
MIN_PARAGRAPH = 100


@dataclass
class TilingParams:
    w: int = 20                 # words per pseudo-sentence
    k: int = 10                 # pseudo-sentences per block
    smoothing_width: int = 2    # flat window of width + 1 gaps
    smoothing_rounds: int = 1
    cutoff: str = "hc"          # hc: mean - std/2; lc: mean - std
    stopwords: frozenset = field(default=ENGLISH)
    ascii_only: bool = False    # True: NLTK's a-z only tokens


def gap_depths(word_list: list[str], params: TilingParams) -> np.ndarray:
    """Depth score of the gap after each pseudo-sentence (all zeros when too short)."""
    from seamline.kernels.topics import block_similarity, depth_scores

    w = params.w
    stop = params.stopwords
    vocab = Vocabulary()
    terms: list[int] = []
    seq_start = [0]
    for first in range(0, len(word_list), w):
        terms.extend(vocab.id(t) for t in word_list[first:first + w] if t not in stop)
        seq_start.append(len(terms))
    gaps = block_similarity(np.asarray(terms, dtype=np.int64), np.asarray(seq_start, dtype=np.int64), params.k)
    smoothed = gaps
    for _ in range(params.smoothing_rounds):
        smoothed = smooth(smoothed, params.smoothing_width + 1)
    clip = min(max(len(smoothed) // 10, 2), 5)
    return depth_scores(np.ascontiguousarray(smoothed, dtype=np.float64), clip)


def smooth(x: np.ndarray, window: int) -> np.ndarray:
    """Moving average over `window` gaps, the ends padded by reflection through the end values.

    The padding takes x[window:1:-1] on the left as NLTK (the SciPy cookbook) does,
    so that the numbers, and therefore the boundaries, are the same as NLTK's.
    Too short a sequence is returned unchanged (NLTK raises there).
    """
    if window < 3 or x.size < window:
        return x
    padded = np.r_[2 * x[0] - x[window:1:-1], x, 2 * x[-1] - x[-1:-window:-1]]
    kernel = np.ones(window, "d")
    return np.convolve(kernel / kernel.sum(), padded, mode="same")[window - 1:-window + 1]


def pick_gaps(depth: np.ndarray, cutoff_policy: str = "hc") -> list[int]:
    """NLTK's choice: gaps deeper than the cutoff, deepest first, none within 3 gaps of another."""
    if depth.size == 0:
        return []
    total = 0.0
    for v in depth:  # a plain left-to-right sum, like NLTK's sum(), for the same last bit
        total += float(v)
    avg = total / depth.size
    std = float(np.std(depth))
    cutoff = avg - std if cutoff_policy == "lc" else avg - std / 2.0
    order = sorted(((float(d), i) for i, d in enumerate(depth) if d > cutoff), reverse=True)
    chosen: list[int] = []
    for _, i in order:
        if all(abs(i - j) >= 4 for j in chosen):
            chosen.append(i)
    return sorted(chosen)


def paragraph_breaks(text: str) -> list[int]:
    """Offsets of blank-line breaks at least MIN_PARAGRAPH characters apart, with 0 first."""
    out, last = [0], 0
    for m in _PARA.finditer(text):
        if m.start() - last >= MIN_PARAGRAPH:
            out.append(m.start())
            last = m.start()
    return out


def nltk_boundaries(text: str, params: TilingParams | None = None) -> list[int]:
    """Offsets where NLTK's TextTilingTokenizer would start a new segment (0 left out)."""
    params = params or TilingParams(ascii_only=True)
    depth = gap_depths(words(text, ascii_only=params.ascii_only), params)
    chosen = set(pick_gaps(depth, params.cutoff))
    breaks = paragraph_breaks(text)
    # NLTK walks the text counting words split on " \t\n" and handles gap g at the
    # first character after the one where that count passes max(g * w, w).
    word_ends = [m.start() + 1 for m in _WORD_END.finditer(text)]
    out: list[int] = []
    at = -1
    best_break = None
    for g in range(len(depth)):
        need = max(g * params.w, params.w) + 1  # the word count must exceed max(g w, w)
        if need > len(word_ends):
            break
        at = max(at + 1, word_ends[need - 1])
        if at >= len(text):
            break
        if g in chosen:
            char_count = at + 1
            best_fit = len(text)
            for br in breaks:
                if best_fit > abs(br - char_count):
                    best_fit, best_break = abs(br - char_count), br
                else:
                    break
            if best_break not in out:
                out.append(best_break)
    return [b for b in out if b]


class TilingScorer:
    """Depth scores of TextTiling gaps, each given to the nearest unit start."""

    name = "tiling"

    def __init__(self, w: int = 20, k: int = 10, **_options):
        self.params = TilingParams(w=w, k=k)

    def score(self, texts: list[str]) -> Scores:
        n = len(texts)
        word_list: list[str] = []
        unit_word_start = np.zeros(n, dtype=np.int64)
        for i, t in enumerate(texts):
            unit_word_start[i] = len(word_list)
            word_list.extend(words(t))
        result = Scores.empty(n)
        if n < 2 or len(word_list) <= self.params.w:
            return result
        # Blocks of k pseudo-sentences cannot see a change in a document of a few
        # blocks; short documents get k down to a quarter of their pseudo-sentences.
        n_seq = -(-len(word_list) // self.params.w)
        params = replace(self.params, k=max(2, min(self.params.k, n_seq // 4)))
        depth = gap_depths(word_list, params)
        starts = unit_word_start[1:]
        for g, d in enumerate(depth):
            unit = nearest_start(starts, (g + 1) * self.params.w) + 1
            result.candidates[unit] = True
            result.values[unit] = max(result.values[unit], min(float(d) / 2.0, 1.0))
        result.cutoff = mean_minus_half_std(result.values, result.candidates)
        return result


def nearest_start(starts: np.ndarray, pos: int) -> int:
    """Index of the entry of sorted `starts` nearest to pos; ties go to the earlier one."""
    j = int(np.searchsorted(starts, pos))
    if j == 0:
        return 0
    if j == len(starts):
        return len(starts) - 1
    return j - 1 if pos - starts[j - 1] <= starts[j] - pos else j
