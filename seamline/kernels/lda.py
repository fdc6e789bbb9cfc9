"""Numba kernels for LDA by collapsed Gibbs sampling (Griffiths & Steyvers 2004).

The random numbers come in as an array of uniforms (one per token and sweep),
so a kernel is a deterministic function of its inputs: the plain-Python
references in tests/test_topic_lda_kernels.py give the same topics exactly.
Importing this module imports numba; callers import it lazily.
"""
from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True)
def draw(weights, total, u):
    """Index k with probability weights[k] / total, by a linear walk of the cumulative sum."""
    target = u * total
    acc = 0.0
    last = weights.shape[0] - 1
    for k in range(last):
        acc += weights[k]
        if target < acc:
            return k
    return last


@njit(cache=True)
def train_sweep(words, docs, z, ndk, nkw, nk, alpha, beta, uniforms):
    """One collapsed Gibbs sweep over every token, updating z and all counts in place.

    words[i], docs[i]: term and document of token i; z[i] its topic.
    ndk: documents x topics, nkw: topics x terms, nk: tokens per topic.
    p(z_i = k | rest) ~ (ndk[d, k] + alpha) (nkw[k, w] + beta) / (nk[k] + V beta),
    every count taken without token i itself.
    """
    n_topics, vocab = nkw.shape
    vbeta = vocab * beta
    weights = np.empty(n_topics, dtype=np.float64)
    for i in range(words.shape[0]):
        w = words[i]
        d = docs[i]
        old = z[i]
        ndk[d, old] -= 1
        nkw[old, w] -= 1
        nk[old] -= 1
        total = 0.0
        for k in range(n_topics):
            p = (ndk[d, k] + alpha) * (nkw[k, w] + beta) / (nk[k] + vbeta)
            weights[k] = p
            total += p
        new = draw(weights, total, uniforms[i])
        z[i] = new
        ndk[d, new] += 1
        nkw[new, w] += 1
        nk[new] += 1


@njit(cache=True)
def infer_sweep(words, docs, z, ndk, phi_t, alpha, uniforms):
    """One Gibbs sweep with the topics fixed: only z and the document counts ndk change.

    phi_t[w, k] is p(term w | topic k) of the fitted model (terms x topics, so one
    token reads one contiguous row).
    """
    n_topics = phi_t.shape[1]
    weights = np.empty(n_topics, dtype=np.float64)
    for i in range(words.shape[0]):
        w = words[i]
        d = docs[i]
        old = z[i]
        ndk[d, old] -= 1
        total = 0.0
        for k in range(n_topics):
            p = (ndk[d, k] + alpha) * phi_t[w, k]
            weights[k] = p
            total += p
        new = draw(weights, total, uniforms[i])
        z[i] = new
        ndk[d, new] += 1
