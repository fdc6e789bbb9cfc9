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
THREADS_FROM_CHARS = 8 * BLOCK  # texts this long have their blocks decided on two threads
_BEFORE = MAX_LINE + 8     # context a candidate reads before its gap (line length: 240 characters back)
# context after its next token's first character: the linear features read MAX_TOKEN + 2, the
# second stage (cascade.WINDOW_AFTER) 48
_AFTER = 48
CONTEXT_BEFORE, CONTEXT_AFTER = _BEFORE, _AFTER   # public: SentenceModel.context_before / context_after
_PRIME = np.uint32(16777619)
_BMP = 0x10000
_U32 = np.uint32


class Tables:
    """A model's character tables and weights, prepared once for the vectorized path."""

    def __init__(self, classes: np.ndarray, lower: np.ndarray, weights: np.ndarray, threshold: float,
                 exact_sums: bool | None = None, second=None):
        cls = np.asarray(classes, np.uint8)
        self.classes = np.append(cls, np.uint8(LETTER))                  # index _BMP: beyond the BMP
        self.lower = np.append(np.asarray(lower, np.uint32), _U32(0))    # beyond the BMP: fixed up per text
        self.is_space = self.classes <= NEWLINE
        word = np.zeros(256, bool)
        word[[LOWER, UPPER, DIGIT, LETTER]] = True
        self.word_of_class = word
        self.weights = np.asarray(weights, np.float32)
        self.bias = float(self.weights[0])
        if exact_sums is None:  # (a model read from float16 values says so: the check costs 10-20 ms)
            exact_sums = bool(np.array_equal(self.weights.astype(np.float16).astype(np.float32), self.weights))
        self.exact_sums = exact_sums
        self.mask = _U32(self.weights.shape[0] - 1)
        self.threshold = float(threshold)
        self.second = second                 # the cascade's second stage (cascade.SecondStage) or None


def find_starts(text: str | np.ndarray, tables: Tables) -> np.ndarray:
    """Offsets where a sentence starts (int64, ascending), as the kernel's `find_starts` gives them.

    `text` is a str or its code points (`codes_of`). A long str is read block by
    block, so memory beyond the text itself stays bounded.
    """
    if isinstance(text, str):
        n, window = len(text), (lambda lo, hi: codes_of(text[lo:hi]))
    else:
        n, window = text.shape[0], (lambda lo, hi: text[lo:hi])
    if n <= BLOCK + _BEFORE + _AFTER:
        return _block_starts(window(0, n), tables, 0, n)

    def block(a: int):
        b = min(n, a + BLOCK)
        t = _first_non_space(window, n, tables, b)     # every candidate with e < b has s <= t
        w0, w1 = max(0, a - _BEFORE), min(n, t + _AFTER)
        close: list = []
        starts = _block_accepted(window(w0, w1), tables, a - w0, b - w0, close)[1] + w0
        return starts, [found.moved(w0) for found in close]

    firsts = range(0, n, BLOCK)
    if n < THREADS_FROM_CHARS:
        done = [block(a) for a in firsts]
    else:
        # Blocks are independent (each reads its own context): two threads decide them, since
        # NumPy releases the GIL inside each whole-array step; map keeps them in order.
        from concurrent.futures import ThreadPoolExecutor
        with ThreadPoolExecutor(max_workers=2) as pool:
            done = list(pool.map(block, firsts))
    starts = np.concatenate([found for found, _ in done])
    close = [found for _, parts in done for found in parts]
    if not close:
        return starts
    # the second stage once for the whole text: its fixed cost (about 150 NumPy steps) is paid once
    more = tables.second.accepted(tables, close)
    return np.sort(np.concatenate([starts, more]))


def codes_of(text: str) -> np.ndarray:
    """The text as an array of code points (lone surrogates kept as they are)."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")


def _first_non_space(window, n, tables, pos):
    while pos < n:
        codes = window(pos, pos + 4096)
        hits = np.flatnonzero(~tables.is_space[np.minimum(codes, _BMP)])
        if hits.size:
            return pos + int(hits[0])
        pos += codes.shape[0]
    return n


def find_starts_many(texts: list[str], tables: Tables) -> list[np.ndarray]:
    """`find_starts` of each text, from one pass over the texts joined (many short texts cost one call).

    The texts are joined with SEPARATOR newlines between them. A candidate
    belongs to the text that holds its left token's last character, and counts
    only if its start is inside that text too; everything a candidate reads
    around it then matches what it reads in the text alone: newlines look like
    the text's edges to the line, gap and previous-token features (the tests
    compare the two on every DEV text).
    """
    bounds, total = [], 0
    for text in texts:
        bounds.append((total, total + len(text)))
        total += len(text) + SEPARATOR
    joined = ("\n" * SEPARATOR).join(texts)
    e, s = _block_accepted(codes_of(joined), tables, 0, len(joined)) if len(joined) >= 2 else (np.zeros(0, np.int64),) * 2
    firsts = np.array([a for a, _ in bounds], np.int64)
    owner = np.searchsorted(firsts, e - 1, side="right") - 1
    out = []
    for k, (a, b) in enumerate(bounds):
        lo, hi = np.searchsorted(owner, [k, k + 1])
        mine = s[lo:hi]
        out.append((mine[mine < b] - a).astype(np.int64))
    return out


SEPARATOR = _BEFORE + _AFTER  # newlines between texts in find_starts_many: more than any feature reads


def _block_starts(codes, tables, lo, hi):
    """Starts of the candidates whose left token ends in [lo, hi) of `codes` (a window of the text)."""
    return _block_accepted(codes, tables, lo, hi)[1]


def _block_accepted(codes, tables, lo, hi, defer=None):
    """(e, s) of the candidates whose left token ends in [lo, hi) of `codes` and that the model accepts.

    With a list `defer`, the candidates for the cascade's second stage are not decided
    here: their `cascade.Near` (named by start) is appended to it.
    """
    n = codes.shape[0]
    if n < 2:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    idx = codes if int(codes.max()) < _BMP else np.minimum(codes, _BMP)
    cls = tables.classes[idx]
    space = cls <= NEWLINE
    spaces, non_spaces = _Marks(space), _Marks(~space)
    e, s = _candidates(cls, space, non_spaces, lo, hi)
    if e.size == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    rows, gap = _features(codes, idx, cls, tables, spaces, non_spaces, e, s)
    weights = tables.weights.take(rows)
    if tables.exact_sums:
        # the shipped weights are float16 values: sums of 24 of them are exact in float64, in any order
        score = weights.sum(axis=0, dtype=np.float64)
        score += tables.bias
    else:
        # other weights: add in the kernel's order (bias, then features 1..23), in double precision
        score = np.full(e.shape[0], tables.bias)
        for k in _KERNEL_ORDER:
            score += weights[k]
    if tables.second is None:
        accepted = score > tables.threshold
    else:
        # the cascade: candidates near the threshold go to the second stage, now or (defer) once per text
        accepted, close = tables.second.split(codes, idx, cls, e, s, score, tables.threshold, gap)
        if close is not None and defer is None:
            accepted[tables.second.accepted(tables, [close])] = True
        elif close is not None:
            close.where = s[close.where].astype(np.int64)
            defer.append(close)
    return e[accepted].astype(np.int64), s[accepted].astype(np.int64)


def _candidates(cls, space, non_spaces, lo, hi):
    """(e, s) of every candidate with lo <= e < hi, in order (see the kernel's `next_candidate`)."""
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
    s = non_spaces.first_from(e)
    inside = s < cls.shape[0]                  # a gap at the very end of the text is no candidate
    if not inside[-1:].all():
        e, s = e[inside], s[inside]
    return e, s


# The kernel's features 1..23 (`fill_features`): a seed, then the values mixed into it in order.
FEATURE_MIXES = [
    (11, "h_left"), (12, "h_right"), (13, "h_core"), (14, "h_tail"), (15, "sh_left"), (16, "sh_right"),
    (17, "h_tail", "r0c"), (18, "h_core", "r0"), (19, "gap", "last", "r0"),
    (20, "gap", "lines", "r0", "last_cls"), (21, "core_len", "h_tail", "r0"), (22, "h_right", "last"),
    (23, "h_core", "h_right"), (24, "h_prev", "h_core"), (25, "sh_left", "sh_right"), (26, "h_tail", "h_right"),
    (27, "last", "r0c", "gap"), (28, "h_core", "h_tail", "r0"), (29, "sh_right", "gap", "h_tail"),
    (30, "h_tail", "r0", "r1", "gap"), (31, "sh_left", "gap", "r0"), (32, "h_tail", "h_open", "gap"),
    (33, "h_prev", "h_tail", "r0"),
]
HASHES = ["h_left", "h_right", "h_core", "h_tail", "sh_left", "sh_right", "h_prev", "h_open"]
OPERANDS = HASHES + ["r0c", "r0", "gap", "last", "lines", "last_cls", "core_len", "r1"]
assert len(FEATURE_MIXES) == FEATURES - 1


def _mix_plan():
    """Features sorted by how many values they mix, longest first, so that step t updates a prefix."""
    order = sorted(range(len(FEATURE_MIXES)), key=lambda k: -len(FEATURE_MIXES[k]))
    seeds = np.array([FEATURE_MIXES[k][0] for k in order], np.uint32)
    steps = []
    for t in range(1, max(len(f) for f in FEATURE_MIXES)):
        rows = [k for k in order if len(FEATURE_MIXES[k]) > t]
        steps.append(np.array([OPERANDS.index(FEATURE_MIXES[k][t]) for k in rows], np.intp))
    return seeds, steps


_SEEDS, _STEPS = _mix_plan()
# the row of each kernel feature 1..23 in the depth-sorted plan
_KERNEL_ORDER = sorted(range(len(FEATURE_MIXES)), key=lambda k: -len(FEATURE_MIXES[k]))
_KERNEL_ORDER = [_KERNEL_ORDER.index(k) for k in range(len(FEATURE_MIXES))]


def _features(codes, idx, cls, tables, spaces, non_spaces, e, s):
    """The feature indices of the candidates (e, s), a (FEATURES - 1, m) uint32 array (the bias aside),
    and the newlines in each gap (0-2; 3 for a glued sentence end), which the cascade reuses."""
    n = codes.shape[0]
    m = e.shape[0]
    newlines_at = _Marks(cls == NEWLINE)
    words = _Marks(tables.word_of_class[cls])

    # the left token [lb, e): back to a space, at most MAX_TOKEN characters
    lb = np.maximum(e - MAX_TOKEN, spaces.last_before(e) + 1)
    # the next token [s, rb)
    rb = np.minimum(spaces.first_from(s), s + MAX_TOKEN)
    # the core of the left token, without trailing punctuation, and its punctuation tail
    ce = np.maximum(lb, words.last_before(e) + 1)
    tl = np.maximum(ce, e - 4)
    # the token before the left one: back over at most 8 spaces, then back to a space
    p_end = np.maximum(lb - 8, non_spaces.last_before(lb) + 1)
    p_start = np.maximum(p_end - MAX_TOKEN, spaces.last_before(p_end) + 1)
    r_end = np.minimum(rb, s + 16)

    ops = np.empty((len(OPERANDS), m), np.uint32)
    _hash_ranges(codes, idx, cls, tables, ops, [
        (0, lb, e), (0, s, r_end), (0, lb, ce), (2, tl, e),
        (1, lb, e), (1, s, r_end), (0, p_start, p_end), (2, s, np.minimum(rb, s + 2))])
    h = len(HASHES)
    # newlines in the gap, and the length of the line before it
    k_e = newlines_at.before[e]
    newlines = newlines_at.before[s] - k_e
    line_start = np.maximum(e - MAX_LINE, newlines_at.positions[k_e] + 1)
    r0 = cls[s]
    ops[h + 0] = np.where(r0 >= TERM, codes[s], r0)                      # r0c
    ops[h + 1] = r0
    ops[h + 2] = np.where(s == e, 3, np.minimum(newlines, 2))            # gap
    ops[h + 3] = codes[e - 1]                                             # last
    ops[h + 4] = np.where(newlines > 0, (e - line_start) // 20, 15)      # lines
    ops[h + 5] = cls[e - 1]                                               # last_cls
    ops[h + 6] = np.minimum(ce - lb, 6)                                   # core_len
    s1 = s + 1
    ops[h + 7] = np.where(s1 < rb, cls[np.minimum(s1, n - 1)], 15)       # r1

    rows = np.empty((_SEEDS.shape[0], m), np.uint32)
    rows[...] = _SEEDS[:, None]
    for t, operands in enumerate(_STEPS):
        head = rows[:operands.shape[0]]
        head[...] = mix(head, ops[operands])
    rows &= tables.mask
    rows |= _U32(1)                        # index 0 is the bias alone
    return rows, ops[h + 2]


def _hash_ranges(codes, idx, cls, tables, out, ranges, seeds=None):
    """out[k] = hash k of `ranges`: (kind, lo, hi) with kind 0 hash_lower, 1 hash_shape, 2 hash_exact.

    The seeds are the kernel's (_HASH_SEEDS) unless `seeds` names one per range. All hashes advance together, one
    character offset j at a time: ordered by length, the ranges still running
    at offset j are a prefix of that order.
    """
    n = codes.shape[0]
    # hash_shape mixes a symbol only when it differs from the one before: it is an exact
    # hash over the symbols where a run starts, so those are stored apart ("runs")
    symbols = codes.astype(np.uint32)
    np.copyto(symbols, cls, where=cls < TERM)   # letters and digits by class, punctuation as itself
    run_start = np.empty(n, bool)
    run_start[0] = True
    np.not_equal(symbols[1:], symbols[:-1], out=run_start[1:])
    runs = _Marks(run_start)
    run_symbols = symbols[run_start]
    # one array holding the three kinds of values: lower case, run symbols, exact code points
    r = run_symbols.shape[0]
    values = np.empty(2 * n + r, np.uint32)
    low = values[:n]
    tables.lower.take(idx, out=low)
    if idx is not codes:                         # beyond the BMP a character is its own lower case
        beyond = codes >= _BMP
        low[beyond] = codes[beyond]
    values[n:n + r] = run_symbols
    values[n + r:] = codes
    m = ranges[0][1].shape[0]
    lo = np.empty((len(ranges), m), np.int64)
    length = np.empty((len(ranges), m), np.int64)
    for k, (kind, a, b) in enumerate(ranges):
        if kind == 1:
            # the run holding a, then every run that starts before b
            first = runs.before[a + 1] - 1
            np.add(first, n, out=lo[k])
            np.subtract(runs.before[b], first, out=length[k])
        else:
            np.add(a, 0 if kind == 0 else n + r, out=lo[k])
            np.subtract(b, a, out=length[k])
    lo, length = lo.reshape(-1), length.reshape(-1)

    order = np.argsort(-length.astype(np.int8), kind="stable")
    running = (length.shape[0] - np.cumsum(np.bincount(length, minlength=MAX_TOKEN + 1))).tolist()
    h = np.empty((len(ranges), m), np.uint32)
    h[...] = np.array(_HASH_SEEDS if seeds is None else seeds, np.uint32)[:, None]
    h = h.reshape(-1).take(order)
    pos = lo.take(order)
    x = np.empty_like(h)
    t = np.empty_like(h)
    for j in range(MAX_TOKEN):
        k = running[j]
        if k == 0:
            break
        hk, xk, tk = h[:k], x[:k], t[:k]
        np.right_shift(hk, _U32(13), out=tk)
        values[j:].take(pos[:k], out=xk)          # the j-th character of each running range
        hk ^= xk
        hk *= _PRIME
        hk ^= tk
    out[:len(ranges)].reshape(-1)[order] = h


_HASH_SEEDS = [1, 2, 3, 4, 5, 6, 7, 8]      # h_left, h_right, h_core, h_tail, sh_left, sh_right, h_prev, h_open


class _Marks:
    """The positions where a mask holds, for "last one before x" and "first one from x" look-ups."""

    def __init__(self, mask):
        found = np.flatnonzero(mask)
        # sentinels -1 and len(mask), so that every look-up has an answer
        self.positions = np.empty(found.shape[0] + 2, np.int64)
        self.positions[0], self.positions[-1] = -1, mask.shape[0]
        self.positions[1:-1] = found
        # before[x]: how many marks lie below x
        self.before = np.zeros(mask.shape[0] + 1, np.int32)
        np.cumsum(mask, out=self.before[1:])

    def last_before(self, x):
        """The last marked position below each x, or -1."""
        return self.positions[self.before[x]]

    def first_from(self, x):
        """The first marked position at or after each x, or len(mask)."""
        return self.positions[self.before[x] + 1]


def mix(h, x):
    """The kernel's `mix` on uint32 arrays (an int h is a seed): wrapping multiplication is its `& 0xFFFFFFFF`."""
    if isinstance(h, int):
        h = _U32(h)
    x = np.asarray(x, np.uint32)
    out = np.bitwise_xor(x, h)
    out *= _PRIME
    out ^= h >> _U32(13)
    return out
