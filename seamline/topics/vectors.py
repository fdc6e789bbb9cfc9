"""Sentence-term matrices (CSR arrays) for C99 and the embedding method."""
from __future__ import annotations

import math
from collections import Counter

import numpy as np

from seamline.topics.text import Vocabulary, content_words


def term_matrix(texts: list[str], weighting: str = "count"):
    """(indptr, indices, data, vocab size) of stemmed content words per text.

    weighting "count": raw term frequency (C99); "tfidf": (1 + log tf) * idf with
    idf fitted on these texts, so nothing has to be downloaded or trained.
    """
    vocab = Vocabulary()
    rows = [Counter(vocab.id(w) for w in content_words(t)) for t in texts]
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    for i, row in enumerate(rows):
        indptr[i + 1] = indptr[i] + len(row)
    indices = np.zeros(indptr[-1], dtype=np.int64)
    data = np.zeros(indptr[-1], dtype=np.float64)
    idf = None
    if weighting == "tfidf":
        df = Counter(t for row in rows for t in row)
        n = len(rows)
        idf = {t: math.log((1 + n) / (1 + c)) + 1.0 for t, c in df.items()}
    for i, row in enumerate(rows):
        at = indptr[i]
        for t, c in sorted(row.items()):
            indices[at] = t
            data[at] = c if idf is None else (1.0 + math.log(c)) * idf[t]
            at += 1
    return indptr, indices, data, max(len(vocab), 1)
