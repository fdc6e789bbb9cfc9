"""`topictiling`: TopicTiling (Riedl & Biemann 2012), TextTiling over LDA topic IDs.

Every content word gets a topic ID from an LDA model (Gibbs inference with the
topics fixed; the mode of the last sweeps). A sentence becomes the counts of
its topic IDs; the coherence at the gap before sentence i is the cosine between
the summed vectors of the `window` sentences on either side; the depth of a gap
is half the climb to the highest coherence on each side (as long as it rises),
so it lies in [0, 1] and is the score. Local minima of coherence are the
proposed boundaries; the cut-off is mean - std/2 of their depths (TopicTiling's
rule). Documents are inferred in blocks of BLOCK sentences, each an LDA document.

The model is the shipped one (100 topics fitted on public-domain Gutenberg
books, seamline/models/topics/lda-gutenberg.npz) unless `--model PATH` names a
model fitted with `python -m seamline.topics.lda fit` (in-domain text works far
better; see docs/topics.md).
"""
from __future__ import annotations

import numpy as np

from seamline.topics.scores import Scores, mean_minus_half_std

WINDOW = 3
BLOCK = 200


class TopicTilingScorer:
    name = "topictiling"

    def __init__(self, model: str | None = None, window: int = WINDOW, iterations: int = 60,
                 keep: int = 30, **_options):
        self.model_path = model
        self.window, self.iterations, self.keep = window, iterations, keep
        self._model = None

    @property
    def model(self):
        if self._model is None:
            from seamline.topics.lda import load_model
            self._model = load_model(self.model_path)
        return self._model

    def topic_counts(self, texts: list[str]) -> np.ndarray:
        """sentences x topics: how many of each sentence's words took each topic."""
        from seamline.topics.lda import infer

        model = self.model
        ids = model.encode(texts)
        out = np.zeros((len(texts), model.n_topics))
        for lo in range(0, len(texts), BLOCK):
            part = ids[lo:lo + BLOCK]
            sizes = [len(x) for x in part]
            doc = np.concatenate(part) if sum(sizes) else np.zeros(0, dtype=np.int64)
            (topics,) = infer(model, [doc], self.iterations, self.keep)
            rows = np.repeat(np.arange(lo, lo + len(part)), sizes)
            np.add.at(out, (rows, topics), 1.0)
        return out

    def score(self, texts: list[str]) -> Scores:
        n = len(texts)
        result = Scores.empty(n)
        if n < 2:
            return result
        values, minima = depth_curve(self.topic_counts(texts), self.window)
        result.values[1:] = values
        result.candidates[1:] = minima
        # A depth equal to the cut-off counts as a boundary (decide keeps values above it), so
        # minima of equal depth are all kept rather than all dropped.
        result.cutoff = max(mean_minus_half_std(result.values, result.candidates) - 1e-9, 0.0)
        return result


def coherence(vectors: np.ndarray, window: int) -> np.ndarray:
    """Cosine between the summed `window` sentence vectors before and after each of the n - 1 gaps."""
    n = vectors.shape[0]
    csum = np.vstack([np.zeros((1, vectors.shape[1])), np.cumsum(vectors, axis=0)])
    gaps = np.arange(1, n)
    left = csum[gaps] - csum[np.maximum(gaps - window, 0)]
    right = csum[np.minimum(gaps + window, n)] - csum[gaps]
    dot = (left * right).sum(axis=1)
    norm = np.sqrt((left * left).sum(axis=1) * (right * right).sum(axis=1))
    # No known word on one side: no evidence of a change, so treat it as coherent.
    return np.where(norm > 0, dot / np.where(norm > 0, norm, 1.0), 1.0)


def depth_curve(vectors: np.ndarray, window: int) -> tuple[np.ndarray, np.ndarray]:
    """(depth / 2 of each gap in [0, 1], whether the gap is a local minimum of coherence)."""
    from seamline.kernels.topics import depth_scores

    c = coherence(vectors, window)
    depth = np.clip(depth_scores(np.ascontiguousarray(c), 0) / 2.0, 0.0, 1.0)
    left = np.concatenate(([np.inf], c[:-1]))
    right = np.concatenate((c[1:], [np.inf]))
    minima = (c <= left) & (c <= right) & (depth > 0)
    return depth, minima
