"""The sentence kernel's `find_starts`, vectorized with NumPy (no Numba).

It gives exactly the starts of `seamline.kernels.sentences.find_starts`: the
same candidates, the same 24 hashed features, the same sum of weights. Instead
of walking the text once per candidate, it works on whole arrays:

- every character's class, lower case and shape symbol by table look-up;
- candidates from vectorized comparisons of neighbouring classes;
- token and line bounds by binary search over the positions of spaces,
  newlines and word characters (each capped as the kernel caps its loops);
- each token hash column by column: candidates are sorted by token length,
  so at character offset j the tokens still running are a prefix of that
  order and one NumPy step advances all of them;
- `mix` in uint32 arithmetic, where wrapping multiplication is the kernel's
  `& 0xFFFFFFFF`.

Long texts are cut into blocks (with enough context on both sides that every
candidate sees what the kernel would see), which bounds the temporary arrays
and keeps them in cache.
"""
from __future__ import annotations

import numpy as np

from seamline.kernels.sentences import (CLOSE, DIGIT, FEATURES, LETTER, LOWER, MAX_LINE, MAX_TOKEN, NEWLINE,
                                        OPEN, TERM, UPPER)

BLOCK = 1 << 16            # candidates per block are those whose left token ends in one block of characters
_BEFORE = MAX_LINE + 8     # context a candidate reads before its gap (line length: 240 characters back)
_AFTER = MAX_TOKEN + 2     # context after its next token's first character
_PRIME = np.uint32(16777619)
_BMP = 0x10000
_U32 = np.uint32


class Tables:
    """A model's character tables and weights, prepared once for the vectorized path."""

    def __init__(self, classes: np.ndarray, lower: np.ndarray, weights: np.ndarray, threshold: float):
        cls = np.asarray(classes, np.uint8)
        self.classes = np.append(cls, np.uint8(LETTER))                  # index _BMP: beyond the BMP
        self.lower = np.append(np.asarray(lower, np.uint32), _U32(0))    # beyond the BMP: fixed up per text
        self.is_space = self.classes <= NEWLINE
        word = np.zeros(256, bool)
        word[[LOWER, UPPER, DIGIT, LETTER]] = True
        self.word_of_class = word
        self.weights = np.asarray(weights, np.float32)
        self.mask = _U32(self.weights.shape[0] - 1)
        self.threshold = float(threshold)


def find_starts(codes: np.ndarray, tables: Tables) -> np.ndarray:
    """Offsets where a sentence starts (int64, ascending), as the kernel's `find_starts` gives them."""
    n = codes.shape[0]
    if n <= BLOCK + _BEFORE + _AFTER:
        return _block_starts(codes, tables, 0, n)
    parts = []
    a = 0
    while a < n:
        b = min(n, a + BLOCK)
        t = _first_non_space(codes, tables, b)      # every candidate with e < b has s <= t
        w0, w1 = max(0, a - _BEFORE), min(n, t + _AFTER)
        found = _block_starts(codes[w0:w1], tables, a - w0, b - w0)
        parts.append(found + w0)
        a = b
    return np.concatenate(parts)


def _first_non_space(codes, tables, pos):
    n = codes.shape[0]
    while pos < n:
        window = codes[pos:pos + 4096]
        space = tables.is_space[np.minimum(window, _BMP)]
        hits = np.flatnonzero(~space)
        if hits.size:
            return pos + int(hits[0])
        pos += window.shape[0]
    return n


def _block_starts(codes, tables, lo, hi):
    """Starts of the candidates whose left token ends in [lo, hi) of `codes` (a window of the text)."""
    n = codes.shape[0]
    if n < 2:
        return np.zeros(0, np.int64)
    idx = codes if int(codes.max()) < _BMP else np.minimum(codes, _BMP)
    cls = tables.classes[idx]
    e, s = _candidates(cls, lo, hi)
    if e.size == 0:
        return np.zeros(0, np.int64)
    feats = _features(codes, idx, cls, tables, e, s)
    score = tables.weights[feats[0]].astype(np.float64)
    for row in feats[1:]:
        score += tables.weights[row]
    return s[score > tables.threshold].astype(np.int64)


def _candidates(cls, lo, hi):
    """(e, s) of every candidate with lo <= e < hi, in order (see the kernel's `next_candidate`)."""
    space = cls <= NEWLINE
    prev = cls[:-1]
    cur = cls[1:]
    # a run of whitespace starts at i: the gap between two tokens (index i - 1)
    is_cand = space[1:] & ~space[:-1]
    # a capital, other letter or opening mark right after sentence-final punctuation: "end.The"
    glued = ((cur == UPPER) | (cur == LETTER) | (cur == OPEN)) & ((prev == TERM) | (prev == CLOSE))
    g = np.flatnonzero(glued) + 1
    if g.size:
        # the punctuation before may be up to three closing marks, then it must reach a terminal
        j = g - 1
        for _ in range(3):
            j -= (j > 0) & (cls[j] == CLOSE) & (g - j < 4)
        is_cand[g[cls[j] == TERM] - 1] = True
    e = np.flatnonzero(is_cand[max(lo, 1) - 1:max(hi - 1, 0)]) + max(lo, 1)
    non_space = np.flatnonzero(~space)
    k = np.searchsorted(non_space, e)
    inside = k < non_space.shape[0]           # a gap at the very end of the text is no candidate
    if not inside.all():
        e, k = e[inside], k[inside]
    s = non_space[k]
    return e, s


def _features(codes, idx, cls, tables, e, s):
    """The FEATURES index rows (uint32, one array per feature) of the candidates (e, s)."""
    n = codes.shape[0]
    # sorted positions with sentinels -1 and n, so that every search has an answer
    space_pos = _positions(cls <= NEWLINE)
    newline_pos = _positions(cls == NEWLINE)
    word_pos = _positions(tables.word_of_class[cls])
    non_space_pos = _positions(cls > NEWLINE)

    # the left token [lb, e): back to a space, at most MAX_TOKEN characters
    lb = np.maximum(e - MAX_TOKEN, _last_before(space_pos, e) + 1)
    # the next token [s, rb)
    rb = np.minimum(space_pos[np.searchsorted(space_pos, s)], s + MAX_TOKEN)
    # the core of the left token, without trailing punctuation, and its punctuation tail
    ce = np.maximum(lb, _last_before(word_pos, e) + 1)
    tl = np.maximum(ce, e - 4)
    # newlines in the gap, and the length of the line before it
    k_e = np.searchsorted(newline_pos, e)
    newlines = np.searchsorted(newline_pos, s) - k_e
    gap = np.where(s == e, 3, np.minimum(newlines, 2)).astype(np.uint32)
    line_start = np.maximum(e - MAX_LINE, newline_pos[k_e - 1] + 1)
    lines = np.where(newlines > 0, (e - line_start) // 20, 15).astype(np.uint32)
    core_len = np.minimum(ce - lb, 6).astype(np.uint32)
    # the token before the left one: back over at most 8 spaces, then back to a space
    p_end = np.maximum(lb - 8, _last_before(non_space_pos, lb) + 1)
    p_start = np.maximum(p_end - MAX_TOKEN, _last_before(space_pos, p_end) + 1)
    r_end = np.minimum(rb, s + 16)

    r0 = cls[s].astype(np.uint32)
    code_s = codes[s]
    r0c = np.where(r0 >= TERM, code_s, r0).astype(np.uint32)
    last = codes[e - 1].astype(np.uint32)
    last_cls = cls[e - 1].astype(np.uint32)
    s1 = s + 1
    r1 = np.where(s1 < rb, cls[np.minimum(s1, n - 1)], 15).astype(np.uint32)

    low = tables.lower[idx]
    beyond = codes >= _BMP
    if beyond.any():
        low[beyond] = codes[beyond]
    sym = np.where(cls >= TERM, codes, cls).astype(np.uint32)
    change = np.empty(n, bool)
    change[0] = True
    np.not_equal(sym[1:], sym[:-1], out=change[1:])
    codes32 = codes.astype(np.uint32, copy=False)

    left = _Ranges(lb, e - lb)
    right = _Ranges(s, r_end - s)
    h_left = left.hash(low, 1)
    sh_left = left.hash(sym, 5, change)
    h_right = right.hash(low, 2)
    sh_right = right.hash(sym, 6, change)
    h_core = _Ranges(lb, ce - lb).hash(low, 3)
    h_tail = _Ranges(tl, e - tl).hash(codes32, 4)
    h_prev = _Ranges(p_start, p_end - p_start).hash(low, 7)
    h_open = _Ranges(s, np.minimum(rb, s + 2) - s).hash(codes32, 8)

    rows = [
        mix(11, h_left),
        mix(12, h_right),
        mix(13, h_core),
        mix(14, h_tail),
        mix(15, sh_left),
        mix(16, sh_right),
        mix(mix(17, h_tail), r0c),
        mix(mix(18, h_core), r0),
        mix(mix(mix(19, gap), last), r0),
        mix(mix(mix(mix(20, gap), lines), r0), last_cls),
        mix(mix(mix(21, core_len), h_tail), r0),
        mix(mix(22, h_right), last),
        mix(mix(23, h_core), h_right),
        mix(mix(24, h_prev), h_core),
        mix(mix(25, sh_left), sh_right),
        mix(mix(26, h_tail), h_right),
        mix(mix(mix(27, last), r0c), gap),
        mix(mix(mix(28, h_core), h_tail), r0),
        mix(mix(mix(29, sh_right), gap), h_tail),
        mix(mix(mix(mix(30, h_tail), r0), r1), gap),
        mix(mix(mix(31, sh_left), gap), r0),
        mix(mix(mix(32, h_tail), h_open), gap),
        mix(mix(mix(33, h_prev), h_tail), r0),
    ]
    for row in rows:
        row &= tables.mask
        row |= _U32(1)                        # index 0 is the bias alone
    return [np.zeros(e.shape[0], np.uint32)] + rows


def _positions(mask):
    """The indices where mask holds, between the sentinels -1 and len(mask)."""
    found = np.flatnonzero(mask)
    out = np.empty(found.shape[0] + 2, np.int64)
    out[0], out[-1] = -1, mask.shape[0]
    out[1:-1] = found
    return out


def _last_before(positions, x):
    """For each x, the largest of the `positions` (with sentinels) below it: -1 when there is none."""
    return positions[np.searchsorted(positions, x) - 1]


def mix(h, x):
    """The kernel's `mix` on uint32 arrays (an int h is a seed): wrapping multiplication is its `& 0xFFFFFFFF`."""
    if isinstance(h, int):
        h = _U32(h)
    x = np.asarray(x, np.uint32)
    out = np.bitwise_xor(x, h)
    out *= _PRIME
    out ^= h >> _U32(13)
    return out


class _Ranges:
    """Character ranges [lo, lo + length) hashed column by column, longest first."""

    def __init__(self, lo, length):
        self.length = length
        self.order = np.argsort(length.astype(np.int8), kind="stable")[::-1]
        counts = np.bincount(length, minlength=MAX_TOKEN + 1)
        self.running = length.shape[0] - np.cumsum(counts)     # running[j]: ranges longer than j
        self.lo = lo[self.order]

    def hash(self, values, seed, change=None):
        """The kernel's hash_lower / hash_exact (values per character) or hash_shape (with `change`)."""
        m = self.lo.shape[0]
        h = np.full(m, seed, np.uint32)
        pos = self.lo.copy()
        for j in range(MAX_TOKEN):
            k = int(self.running[j])
            if k == 0:
                break
            hk = h[:k]
            p = pos[:k]
            x = values[p]
            x ^= hk
            x *= _PRIME
            x ^= hk >> _U32(13)
            if change is not None and j > 0:
                # hash_shape mixes a symbol only when it differs from the one before
                np.copyto(hk, x, where=change[p])
            else:
                hk[...] = x
            p += 1
        out = np.empty(m, np.uint32)
        out[self.order] = h
        return out
