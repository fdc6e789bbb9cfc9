"""LDA Gibbs kernels against plain-Python references, on random inputs (same uniforms, same topics)."""
from __future__ import annotations

import numpy as np
import pytest

pytestmark = pytest.mark.kernels


def ref_draw(weights, total, u):
    target = u * total
    acc = 0.0
    for k in range(len(weights) - 1):
        acc += weights[k]
        if target < acc:
            return k
    return len(weights) - 1


def ref_train_sweep(words, docs, z, ndk, nkw, nk, alpha, beta, uniforms):
    n_topics, vocab = len(nkw), len(nkw[0])
    for i in range(len(words)):
        w, d, old = int(words[i]), int(docs[i]), int(z[i])
        ndk[d][old] -= 1
        nkw[old][w] -= 1
        nk[old] -= 1
        weights = [(ndk[d][k] + alpha) * (nkw[k][w] + beta) / (nk[k] + vocab * beta) for k in range(n_topics)]
        total = 0.0
        for p in weights:
            total += p
        new = ref_draw(weights, total, uniforms[i])
        z[i] = new
        ndk[d][new] += 1
        nkw[new][w] += 1
        nk[new] += 1


def ref_infer_sweep(words, docs, z, ndk, phi_t, alpha, uniforms):
    n_topics = len(phi_t[0])
    for i in range(len(words)):
        w, d, old = int(words[i]), int(docs[i]), int(z[i])
        ndk[d][old] -= 1
        weights = [(ndk[d][k] + alpha) * phi_t[w][k] for k in range(n_topics)]
        total = 0.0
        for p in weights:
            total += p
        new = ref_draw(weights, total, uniforms[i])
        z[i] = new
        ndk[d][new] += 1


def random_state(rng, n_docs, n_topics, vocab, n_tokens):
    words = rng.integers(0, vocab, n_tokens).astype(np.int64)
    docs = np.sort(rng.integers(0, n_docs, n_tokens)).astype(np.int64)
    z = rng.integers(0, n_topics, n_tokens).astype(np.int64)
    ndk = np.zeros((n_docs, n_topics), dtype=np.int64)
    nkw = np.zeros((n_topics, vocab), dtype=np.int64)
    np.add.at(ndk, (docs, z), 1)
    np.add.at(nkw, (z, words), 1)
    return words, docs, z, ndk, nkw, nkw.sum(axis=1)


@pytest.mark.parametrize("seed", range(6))
def test_train_sweep_matches_reference(seed):
    from seamline.kernels.lda import train_sweep

    rng = np.random.default_rng(seed)
    n_topics = int(rng.integers(2, 7))
    words, docs, z, ndk, nkw, nk = random_state(rng, int(rng.integers(1, 5)), n_topics, int(rng.integers(3, 20)),
                                                int(rng.integers(1, 200)))
    alpha, beta = float(rng.uniform(0.05, 2)), float(rng.uniform(0.001, 0.5))
    r = [z.copy(), ndk.copy(), nkw.copy(), nk.copy()]
    rz, rndk, rnkw, rnk = [a.tolist() for a in r]
    for sweep in range(3):
        u = rng.random(len(words))
        train_sweep(words, docs, z, ndk, nkw, nk, alpha, beta, u)
        ref_train_sweep(words, docs, rz, rndk, rnkw, rnk, alpha, beta, u)
        assert z.tolist() == rz and ndk.tolist() == rndk and nkw.tolist() == rnkw and nk.tolist() == rnk
    # counts stay consistent with the assignments
    check = np.zeros_like(nkw)
    np.add.at(check, (z, words), 1)
    assert (check == nkw).all() and nk.sum() == len(words)


@pytest.mark.parametrize("seed", range(6))
def test_infer_sweep_matches_reference(seed):
    from seamline.kernels.lda import infer_sweep

    rng = np.random.default_rng(100 + seed)
    n_topics, vocab = int(rng.integers(2, 8)), int(rng.integers(3, 30))
    words, docs, z, ndk, _nkw, _nk = random_state(rng, int(rng.integers(1, 4)), n_topics, vocab,
                                                  int(rng.integers(1, 150)))
    phi = rng.random((n_topics, vocab)) + 1e-3
    phi_t = np.ascontiguousarray((phi / phi.sum(axis=1, keepdims=True)).T)
    alpha = float(rng.uniform(0.05, 1))
    rz, rndk = z.tolist(), ndk.tolist()
    for sweep in range(3):
        u = rng.random(len(words))
        infer_sweep(words, docs, z, ndk, phi_t, alpha, u)
        ref_infer_sweep(words, docs, rz, rndk, phi_t.tolist(), alpha, u)
        assert z.tolist() == rz and ndk.tolist() == rndk


def test_draw_follows_weights():
    from seamline.kernels.lda import draw

    w = np.array([1.0, 0.0, 3.0])
    assert draw(w, 4.0, 0.0) == 0 and draw(w, 4.0, 0.2499) == 0
    assert draw(w, 4.0, 0.25) == 2 and draw(w, 4.0, 0.9999) == 2
