"""Inference and training kernels of the learned sentence-boundary classifier.

A text is an array of code points. A candidate is a place where a sentence
could start: the first non-space character after a run of whitespace, or the
first letter right after sentence-final punctuation ("end.The", "。次").
Each candidate gets FEATURES hashed feature indices (words, word shapes,
punctuation and line layout on either side); its score is the sum of the
weights at those indices, a logistic-regression logit.

The functions are plain Python so that small inputs run without importing
Numba (its import and first call cost about a second). `jitted()` compiles
them with `numba.njit(cache=True)` on first use; compiling rebinds the module
globals so that a compiled function calls the compiled helpers.
"""
from __future__ import annotations

import numpy as np

FEATURES = 24
# character classes (the model ships a table code point -> class for the BMP)
SPACE, NEWLINE, LOWER, UPPER, DIGIT, LETTER, TERM, CLOSE, OPEN, OTHER = range(10)
MAX_TOKEN = 32      # characters of a token that are looked at
MAX_LINE = 240      # how far back the length of a line is measured
_M32 = 0xFFFFFFFF
_PRIME = 16777619


def char_class(table, c):
    if c < len(table):
        return table[c]
    return LETTER


def lower(table, c):
    if c < len(table):
        return table[c]
    return c


def mix(h, x):
    """One FNV-1a style step on 32-bit values; exact in int64 and in Python ints."""
    return (((h ^ (int(x) & _M32)) * _PRIME) & _M32) ^ (h >> 13)


def hash_lower(codes, low, lo, hi, seed):
    h = seed
    for i in range(lo, hi):
        h = mix(h, lower(low, codes[i]))
    return h


def hash_exact(codes, lo, hi, seed):
    h = seed
    for i in range(lo, hi):
        h = mix(h, codes[i])
    return h


def hash_shape(codes, cls, lo, hi, seed):
    """Word shape: letters and digits by class, punctuation as itself, repeats collapsed."""
    h = seed
    prev = -1
    for i in range(lo, hi):
        k = char_class(cls, codes[i])
        sym = codes[i] if k >= TERM else k
        if sym != prev:
            h = mix(h, sym)
            prev = sym
    return h


def is_space(k):
    return k == SPACE or k == NEWLINE


def is_word(k):
    return k == LOWER or k == UPPER or k == DIGIT or k == LETTER


def token_start(codes, cls, end):
    lo = end
    while lo > 0 and end - lo < MAX_TOKEN and not is_space(char_class(cls, codes[lo - 1])):
        lo -= 1
    return lo


def token_end(codes, cls, start):
    n = len(codes)
    hi = start
    while hi < n and hi - start < MAX_TOKEN and not is_space(char_class(cls, codes[hi])):
        hi += 1
    return hi


def line_bucket(codes, cls, end):
    """Length of the line that ends at `end`, in buckets of 20 characters (0..12)."""
    i = end
    while i > 0 and end - i < MAX_LINE and char_class(cls, codes[i - 1]) != NEWLINE:
        i -= 1
    return (end - i) // 20


def fill_features(codes, cls, low, e, s, mask, row):
    """The feature indices of the candidate whose left token ends at e and next token starts at s."""
    lb = token_start(codes, cls, e)
    rb = token_end(codes, cls, s)
    ce = e                                    # the core of the left token: without trailing punctuation
    while ce > lb and not is_word(char_class(cls, codes[ce - 1])):
        ce -= 1
    tl = max(ce, e - 4)                       # its punctuation tail, at most 4 characters
    newlines = 0
    for i in range(e, s):
        if char_class(cls, codes[i]) == NEWLINE:
            newlines += 1
    gap = 3 if s == e else min(newlines, 2)
    r0 = char_class(cls, codes[s])
    r0c = codes[s] if r0 >= TERM else r0
    last = codes[e - 1]
    lines = line_bucket(codes, cls, e) if newlines > 0 else 15
    core_len = min(ce - lb, 6)
    p_end = lb                                # the token before the left one
    while p_end > 0 and lb - p_end < 8 and is_space(char_class(cls, codes[p_end - 1])):
        p_end -= 1
    p_start = token_start(codes, cls, p_end)
    r_end = min(rb, s + 16)

    h_left = hash_lower(codes, low, lb, e, 1)
    h_right = hash_lower(codes, low, s, r_end, 2)
    h_core = hash_lower(codes, low, lb, ce, 3)
    h_tail = hash_exact(codes, tl, e, 4)
    sh_left = hash_shape(codes, cls, lb, e, 5)
    sh_right = hash_shape(codes, cls, s, r_end, 6)
    h_prev = hash_lower(codes, low, p_start, p_end, 7)
    r1 = char_class(cls, codes[s + 1]) if s + 1 < rb else 15
    h_open = hash_exact(codes, s, min(rb, s + 2), 8)   # the next token's first two characters

    row[0] = 0
    row[1] = mix(11, h_left)
    row[2] = mix(12, h_right)
    row[3] = mix(13, h_core)
    row[4] = mix(14, h_tail)
    row[5] = mix(15, sh_left)
    row[6] = mix(16, sh_right)
    row[7] = mix(mix(17, h_tail), r0c)
    row[8] = mix(mix(18, h_core), r0)
    row[9] = mix(mix(mix(19, gap), last), r0)
    row[10] = mix(mix(mix(mix(20, gap), lines), r0), char_class(cls, last))
    row[11] = mix(mix(mix(21, core_len), h_tail), r0)
    row[12] = mix(mix(22, h_right), last)
    row[13] = mix(mix(23, h_core), h_right)
    row[14] = mix(mix(24, h_prev), h_core)
    row[15] = mix(mix(25, sh_left), sh_right)
    row[16] = mix(mix(26, h_tail), h_right)
    row[17] = mix(mix(mix(27, last), r0c), gap)
    row[18] = mix(mix(mix(28, h_core), h_tail), r0)
    row[19] = mix(mix(mix(29, sh_right), gap), h_tail)
    row[20] = mix(mix(mix(mix(30, h_tail), r0), r1), gap)
    row[21] = mix(mix(mix(31, sh_left), gap), r0)
    row[22] = mix(mix(mix(32, h_tail), h_open), gap)
    row[23] = mix(mix(mix(33, h_prev), h_tail), r0)
    for k in range(1, FEATURES):
        row[k] = (row[k] & mask) | 1          # index 0 is the bias alone
    return row


def next_candidate(codes, cls, pos):
    """(e, s) of the first candidate with e >= pos: e ends the left token, s starts the next one.

    Returns (n, n) when there is none.
    """
    n = len(codes)
    i = max(pos, 1)
    while i < n:
        k = char_class(cls, codes[i])
        prev = char_class(cls, codes[i - 1])
        if is_space(k) and not is_space(prev):
            j = i + 1
            while j < n and is_space(char_class(cls, codes[j])):
                j += 1
            if j < n:
                return i, j
            return n, n
        if (k == UPPER or k == LETTER or k == OPEN) and (prev == TERM or prev == CLOSE):
            # glued to a sentence end: "end.The", "。次"; the punctuation run must hold a terminal
            j = i - 1
            while j > 0 and char_class(cls, codes[j]) == CLOSE and i - j < 4:
                j -= 1
            if char_class(cls, codes[j]) == TERM:
                return i, i
        i += 1
    return n, n


def find_starts(codes, cls, low, weights, threshold, out):
    """Write the offsets where a sentence starts into `out`; return how many."""
    mask = weights.shape[0] - 1
    row = np.zeros(FEATURES, np.int64)
    n = len(codes)
    count = 0
    e, s = next_candidate(codes, cls, 1)
    while s < n:
        fill_features(codes, cls, low, e, s, mask, row)
        score = 0.0
        for k in range(FEATURES):
            score += weights[row[k]]
        if score > threshold:
            out[count] = s
            count += 1
        e, s = next_candidate(codes, cls, e + 1)
    return count


def find_scored(codes, cls, low, weights, floor, out_e, out_s, out_score):
    """Every candidate whose logit exceeds `floor`: its e, s and logit into the outputs; return how many.

    The cascade (seamline.sbd.cascade) takes those above floor = threshold - band and
    lets its second stage decide the ones within the band. The loop and score sum repeat
    find_starts' on purpose: with a shared `candidate_score` helper the compiled
    find_starts ran a median 0.43 s against 0.41 s on 6 MB of Gutenberg text (five
    alternating runs each, 26 Nov, overlapping ranges), so not clearly free in the
    default engine's hot loop.
    """
    mask = weights.shape[0] - 1
    row = np.zeros(FEATURES, np.int64)
    n = len(codes)
    count = 0
    e, s = next_candidate(codes, cls, 1)
    while s < n:
        fill_features(codes, cls, low, e, s, mask, row)
        score = 0.0
        for k in range(FEATURES):
            score += weights[row[k]]
        if score > floor:
            out_e[count] = e
            out_s[count] = s
            out_score[count] = score
            count += 1
        e, s = next_candidate(codes, cls, e + 1)
    return count


def candidate_features(codes, cls, low, mask, starts, feats):
    """Every candidate's start (into `starts`) and feature indices (into `feats`); return the count."""
    n = len(codes)
    count = 0
    e, s = next_candidate(codes, cls, 1)
    while s < n:
        starts[count] = s
        fill_features(codes, cls, low, e, s, mask, feats[count])
        count += 1
        e, s = next_candidate(codes, cls, e + 1)
    return count


def train_epoch(feats, labels, sample_weight, order, weights, sq_grad, rate, l2):
    """One Adagrad pass of logistic regression over the candidates in `order`; return the mean loss."""
    total = 0.0
    for t in range(order.shape[0]):
        i = order[t]
        score = 0.0
        for k in range(feats.shape[1]):
            score += weights[feats[i, k]]
        if score > 30.0:
            p = 1.0
        elif score < -30.0:
            p = 0.0
        else:
            p = 1.0 / (1.0 + np.exp(-score))
        y = labels[i]
        total += -sample_weight[i] * (y * np.log(p + 1e-12) + (1 - y) * np.log(1 - p + 1e-12))
        g = sample_weight[i] * (p - y)
        for k in range(feats.shape[1]):
            j = feats[i, k]
            grad = g + l2 * weights[j]
            sq_grad[j] += grad * grad
            weights[j] -= rate * grad / np.sqrt(sq_grad[j] + 1e-8)
    return total / max(order.shape[0], 1)


def train_second_epoch(rows, z, labels, sample_weight, order, table, small, moments, table_moments, touched,
                       grad_table, step, rate, l2, batch):
    """One epoch of Adam over the second stage (seamline.sbd.cascade) in minibatches; return the mean loss.

    small = [b1 (H), u (H), w2 (H), b2]; moments = (2, len(small)) Adam moments; table rows get
    lazy Adam (only the rows a minibatch touches are updated), table_moments (2, rows, H).
    `grad_table` is scratch of the table's shape, all zeros between batches; `touched` a bool per row;
    step[0] counts the updates so far.
    """
    hidden_size = table.shape[1]
    b1, u, w2, b2 = 0, hidden_size, 2 * hidden_size, 3 * hidden_size
    beta1, beta2 = 0.9, 0.999
    h = np.zeros(hidden_size)
    grad = np.zeros(small.shape[0])
    marked = np.zeros(batch * rows.shape[1], np.int64)
    total = 0.0
    for first in range(0, order.shape[0], batch):
        last = min(first + batch, order.shape[0])
        weight_sum = 0.0
        for t in range(first, last):
            weight_sum += sample_weight[order[t]]
        grad[:] = 0.0
        count = 0
        for t in range(first, last):
            i = order[t]
            out = z[i] + small[b2]
            for j in range(hidden_size):
                v = small[b1 + j] + small[u + j] * z[i]
                for k in range(rows.shape[1]):
                    v += table[rows[i, k], j]
                h[j] = v
                if v > 0.0:
                    out += v * small[w2 + j]
            if out > 30.0:
                p = 1.0
            elif out < -30.0:
                p = 0.0
            else:
                p = 1.0 / (1.0 + np.exp(-out))
            y = labels[i]
            total += -sample_weight[i] * (y * np.log(p + 1e-12) + (1 - y) * np.log(1 - p + 1e-12))
            g = sample_weight[i] * (p - y) / weight_sum
            grad[b2] += g
            for j in range(hidden_size):
                if h[j] > 0.0:
                    grad[w2 + j] += g * h[j]
                    d = g * small[w2 + j]
                    grad[b1 + j] += d
                    grad[u + j] += d * z[i]
                    for k in range(rows.shape[1]):
                        grad_table[rows[i, k], j] += d
            for k in range(rows.shape[1]):
                r = rows[i, k]
                if not touched[r]:
                    touched[r] = True
                    marked[count] = r
                    count += 1
        step[0] += 1
        correction = np.sqrt(1.0 - beta2 ** step[0]) / (1.0 - beta1 ** step[0])
        for j in range(small.shape[0]):
            gj = grad[j] + l2 * small[j]
            moments[0, j] = beta1 * moments[0, j] + (1 - beta1) * gj
            moments[1, j] = beta2 * moments[1, j] + (1 - beta2) * gj * gj
            small[j] -= rate * correction * moments[0, j] / (np.sqrt(moments[1, j]) + 1e-8)
        for c in range(count):
            r = marked[c]
            touched[r] = False
            for j in range(hidden_size):
                gj = grad_table[r, j] + l2 * table[r, j]
                grad_table[r, j] = 0.0
                table_moments[0, r, j] = beta1 * table_moments[0, r, j] + (1 - beta1) * gj
                table_moments[1, r, j] = beta2 * table_moments[1, r, j] + (1 - beta2) * gj * gj
                table[r, j] -= rate * correction * table_moments[0, r, j] / (np.sqrt(table_moments[1, r, j]) + 1e-8)
    return total / max(order.shape[0], 1)


_ORDER = ["char_class", "lower", "mix", "hash_lower", "hash_exact", "hash_shape", "is_space", "is_word",
          "token_start", "token_end", "line_bucket", "fill_features", "next_candidate", "find_starts",
          "find_scored", "candidate_features", "train_epoch", "train_second_epoch"]
_PLAIN = {name: globals()[name] for name in _ORDER}


def jitted():
    """The kernels compiled with `numba.njit(cache=True)`, as a namespace (compiled once per process)."""
    from seamline.kernels import compiled_together

    return compiled_together([_PLAIN[name] for name in _ORDER], globals())


def is_compiled() -> bool:
    from seamline import kernels

    return kernels.is_compiled([_PLAIN[name] for name in _ORDER])


def plain(name):
    """The pure-Python version of a kernel (the small-input path)."""
    return _PLAIN[name]
