"""Meta-Chunking (Zhao et al., 2024) with a real causal language model: perplexity and margin sampling.

Perplexity chunking. Each unit (sentence) gets its log-perplexity, the mean
negative log-probability of its tokens given the text before it, as the
reference code computes it over a whole text with a KV cache. Long documents go
through the model in windows of at most `window` tokens, each preceded by the
last `context` tokens before it, so memory stays bounded and every sentence is
still read in context. A chunk ends after sentence i when i is a local minimum
(`find_minima`: lower than both neighbours with either drop at least the
threshold, or lower than the left one, equal to the right one, with the left
drop at least the threshold). The dynamic variant (`DynamicThreshold`) records
the smaller drop of every accepted minimum and, once 100 are known, uses the
smallest of them as the threshold, carried from one document to the next as the
reference code carries it.

Margin sampling. For two consecutive units the model is asked, in the reference
code's words, whether to split them or keep them together, and answers 1
(split) or 2 (keep); the margin is P("2") - P("1"). They stay together when the
margin is above the threshold, which starts at 0 and, once five margins of the
document are known, is the mean of the last five (`margin_splits`).

Both return `Scores` whose candidates are exactly the decided boundaries (so
every selection rule sees them) and whose values say how strong each is.
"""
from __future__ import annotations

import math

import numpy as np

from seamline.topics.scores import Scores

MARGIN_PROMPT = (
    "This is a text chunking task. You are a text analysis expert. Please choose one of the following "
    "two options based on the logical structure and semantic content of the provided sentence:\n"
    "1. Split \"{both}\" into \"{first}\" and \"{second}\" two parts;\n"
    "2. Keep \"{both}\" unsplit in its original form;\n"
    "Please answer 1 or 2."
)
CHAT = "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\n{}<|im_end|>\n<|im_start|>assistant\n"
PIECE_CHARS = 300  # longer pieces are cut (the end of the first, the start of the second) to bound each prompt
DYNAMIC_AFTER = 100
MARGIN_HISTORY = 5


def find_minima(values: list[float], threshold: float) -> list[int]:
    """Indices i after which a chunk ends (the reference rule, one pass, fixed threshold)."""
    out = []
    for i in range(1, len(values) - 1):
        left, right = values[i - 1] - values[i], values[i + 1] - values[i]
        if left > 0 and right > 0:
            if left >= threshold or right >= threshold:
                out.append(i)
        elif left > 0 and right == 0 and left >= threshold:
            out.append(i)
    return out


class DynamicThreshold:
    """The dynamic variant: the threshold becomes the smallest recorded drop once 100 are known."""

    def __init__(self, threshold: float = 0.0):
        self.threshold = threshold
        self.drops: list[float] = []

    def find_minima(self, values: list[float]) -> list[int]:
        out = []
        for i in range(1, len(values) - 1):
            left, right = values[i - 1] - values[i], values[i + 1] - values[i]
            if left > 0 and right > 0:
                if left >= self.threshold or right >= self.threshold:
                    out.append(i)
                    self.drops.append(min(left, right))
            elif left > 0 and right == 0 and left >= self.threshold:
                out.append(i)
                self.drops.append(left)
            if len(self.drops) >= DYNAMIC_AFTER:
                self.threshold = min(self.drops)
        return out


def margin_splits(margins: list[float]) -> list[bool]:
    """For each consecutive pair, whether to split: margin at or below the running threshold."""
    threshold = 0.0
    out = []
    for k, margin in enumerate(margins):
        out.append(not margin > threshold)
        if k + 1 >= MARGIN_HISTORY:
            threshold = sum(margins[k + 1 - MARGIN_HISTORY:k + 1]) / MARGIN_HISTORY
    return out


def sentence_log_ppl(lm, texts: list[str], window: int = 512, context: int = 128) -> np.ndarray:
    """Mean negative log-probability of each text's tokens given the texts before it (NaN: no tokens).

    Windows of about `window` target tokens, each with the `context` tokens before it.
    """
    ids = [lm.tokenize(t) if t.strip() else [] for t in texts]
    out = np.full(len(texts), np.nan)
    i = 0
    history: list[int] = []
    while i < len(texts):
        j, size = i, 0
        while j < len(texts) and (j == i or size + len(ids[j]) <= window):
            size += len(ids[j])
            j += 1
        target = [t for k in range(i, j) for t in ids[k]]
        if target:
            lp = lm.logprobs(history[-context:] if context else [], target)
            at = 0
            for k in range(i, j):
                n = len(ids[k])
                if n:
                    out[k] = float(-lp[at:at + n].mean())
                at += n
        history = (history + target)[-max(context, 1):]
        i = j
    return out


def minima_scores(ppl: np.ndarray, minima_of) -> Scores:
    """Scores with a candidate after each accepted minimum (units without tokens skipped)."""
    n = len(ppl)
    result = Scores.empty(n)
    have = np.flatnonzero(~np.isnan(ppl))
    seq = [float(v) for v in ppl[have]]
    for j in minima_of(seq):
        if j + 1 >= len(have):
            continue
        unit = int(have[j + 1])  # the chunk ends after sentence j: the next one with tokens starts a new one
        drop = max(seq[j - 1] - seq[j], seq[j + 1] - seq[j])
        result.candidates[unit] = True
        result.values[unit] = -math.expm1(-drop)  # 1 - e^-drop, above 0 for the smallest drop
    result.cutoff = 0.0  # every accepted minimum is a boundary
    return result


class LMPerplexityScorer:
    """Meta-Chunking perplexity chunking under a GGUF language model (`--model smollm2|PATH`)."""

    name = "perplexity"

    def __init__(self, model: str = "smollm2", threshold: float | str = 0.0, window: int = 512,
                 context: int = 128):
        from seamline import lm

        self.lm = lm.load(model)
        self.window, self.context = window, context
        self.dynamic = DynamicThreshold(0.0) if threshold == "dynamic" else None
        self.threshold = 0.0 if threshold == "dynamic" else float(threshold)

    def log_perplexities(self, texts: list[str]) -> np.ndarray:
        return sentence_log_ppl(self.lm, texts, self.window, self.context)

    def score(self, texts: list[str]) -> Scores:
        ppl = self.log_perplexities(texts)
        if self.dynamic is not None:
            return minima_scores(ppl, self.dynamic.find_minima)
        return minima_scores(ppl, lambda seq: find_minima(seq, self.threshold))


def margin_prompt(first: str, second: str) -> str:
    first, second = first.strip()[-PIECE_CHARS:], second.strip()[:PIECE_CHARS]
    return CHAT.format(MARGIN_PROMPT.format(both=f"{first} {second}", first=first, second=second))


class MarginScorer:
    """Meta-Chunking margin sampling between consecutive units (`--method margin`)."""

    name = "margin"

    def __init__(self, model: str = "smollm2", **_options):
        from seamline import lm

        self.lm = lm.load(model)

    def margins(self, texts: list[str]) -> tuple[np.ndarray, list[float]]:
        """Units with text, and the margin P(keep) - P(split) between each and the one before."""
        have = np.asarray([k for k, t in enumerate(texts) if t.strip()], dtype=np.int64)
        out = []
        for a, b in zip(have[:-1], have[1:]):
            p_split, p_keep = self.lm.next_token_probs(margin_prompt(texts[a], texts[b]), ["1", "2"])
            out.append(p_keep - p_split)
        return have, out

    def score(self, texts: list[str]) -> Scores:
        result = Scores.empty(len(texts))
        have, margins = self.margins(texts)
        threshold = [0.0] + [sum(margins[max(0, k + 1 - MARGIN_HISTORY):k + 1]) / MARGIN_HISTORY
                             if k + 1 >= MARGIN_HISTORY else 0.0 for k in range(len(margins))]
        for k, split in enumerate(margin_splits(margins)):
            unit = int(have[k + 1])
            result.values[unit] = min(1.0, max(0.0, 0.5 + (threshold[k] - margins[k]) / 4))
            result.candidates[unit] = split
        result.cutoff = 0.0  # the candidates are the decisions
        return result
