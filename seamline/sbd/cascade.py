"""The second stage of the sentence model: a small neural network for the close calls.

The linear model (hashed logistic regression over one token on each side of a
gap) decides every candidate whose logit z is far from the threshold. A
candidate with |z - threshold| < band goes to this stage, which reads a wider
context: the four words before the gap and the two after it (lower case and
word shape), word pairs across the gap, the last characters of the word before
and the first ones of the word after, and the style of the text around it (how
many sentence-final marks, capitalised words and ". lower" starts there are in
the 96 characters before the gap). Every feature is hashed into a table of
embedding rows; the network is

    h = relu(b1 + sum of the features' rows + u * z')     z' = z - threshold
    logit = z' + w2 . h + b2                               boundary when logit > 0

so it learns a correction to the linear logit (trained in train.py, on
out-of-fold linear logits, with Adam). The error analysis behind it is in
docs/sentences.md: the misses are boundaries without punctuation (sign-offs,
run-on posts, list items) whose cue is two or more words away.

A decision reads only text[e - WINDOW_BEFORE : e] and text[s : s + WINDOW_AFTER]
(e ends the token before the gap, s starts the next one): words are cut at those
edges. The features are computed for many candidates at once with the same
whole-array machinery as the vectorized linear path, and this one function
serves all three paths (vectorized, compiled, plain), so they agree.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from seamline.kernels.sentences import LOWER, MAX_TOKEN, NEWLINE, SPACE, TERM, UPPER
from seamline.sbd import vectorized as V

WINDOW_BEFORE = 96     # the style counts read this far back from e (and two characters more)
WINDOW_AFTER = 48      # and this far from s
WORDS_BEFORE = 40      # words before e are cut here
WORDS_AFTER = 32       # and words after s here
FEATURES = 28
_U32 = np.uint32


@dataclass
class SecondStage:
    table: np.ndarray    # (2^bits, hidden) float32: one row per hashed feature
    b1: np.ndarray       # (hidden,)
    u: np.ndarray        # (hidden,) weight of the linear logit in the hidden layer
    w2: np.ndarray       # (hidden,)
    b2: float
    band: float          # candidates with |z - threshold| < band are decided here

    @property
    def mask(self) -> int:
        return self.table.shape[0] - 1

    def logits(self, rows: np.ndarray, z: np.ndarray) -> np.ndarray:
        """The corrected logits (boundary when > 0) of candidates with feature rows `rows`, linear logits z - threshold."""
        hidden = self.table.take(rows.T.astype(np.intp), axis=0).sum(axis=1, dtype=np.float32)
        hidden += self.b1
        hidden += z.astype(np.float32)[:, None] * self.u
        np.maximum(hidden, 0, out=hidden)
        return z + (hidden @ self.w2).astype(np.float64) + self.b2

    # The vectorized path calls these through the model's tables (it does not import this module,
    # which imports it).
    def split(self, codes, idx, cls, e, s, score, threshold, gap=None):
        return split(self, codes, idx, cls, e, s, score, threshold, gap)

    def accepted(self, tables, parts: list) -> np.ndarray:
        return accepted_near(self, tables, join(parts))

    def arrays(self) -> dict:
        return {"second_table": self.table.astype(np.float16), "second_b1": self.b1, "second_u": self.u,
                "second_w2": self.w2, "second_b2": np.float64(self.b2), "second_band": np.float64(self.band)}

    @classmethod
    def from_arrays(cls, data) -> "SecondStage | None":
        if "second_table" not in data:
            return None
        return cls(np.asarray(data["second_table"], np.float32), np.asarray(data["second_b1"], np.float32),
                   np.asarray(data["second_u"], np.float32), np.asarray(data["second_w2"], np.float32),
                   float(data["second_b2"]), float(data["second_band"]))


assert WINDOW_BEFORE <= V.CONTEXT_BEFORE and WINDOW_AFTER <= V.CONTEXT_AFTER   # the windows callers keep


@dataclass
class Near:
    """Candidates near the threshold, with what the second stage reads of them: their windows
    copied side by side (`_compact`), the newlines in their gaps and the style counts (`_style`)."""
    codes: np.ndarray
    idx: np.ndarray
    cls: np.ndarray
    e: np.ndarray         # positions in the copy
    s: np.ndarray
    first: np.ndarray     # where each candidate's copy starts
    last: np.ndarray      # and where it ends
    gap: np.ndarray
    counts: np.ndarray    # (4, m)
    z: np.ndarray         # linear logit - threshold
    where: np.ndarray     # the caller's name for each candidate (its start in the text, say)

    def moved(self, offset: int) -> "Near":
        """The same candidates, named `where + offset`."""
        return Near(**{**self.__dict__, "where": self.where + offset})


def near(codes, idx, cls, e, s, z, where, gap=None) -> Near:
    """What the second stage reads of candidates (e, s) of `codes` (a text, or a window of it
    holding CONTEXT_BEFORE characters before e and CONTEXT_AFTER after s, or the text's edge).

    `gap`: the newlines in each gap (0-2, 3 when e == s), when the caller has counted them.
    """
    e = np.asarray(e, np.int64)
    s = np.asarray(s, np.int64)
    if gap is None:
        newlines = np.flatnonzero(cls == NEWLINE)
        gap = np.where(s == e, 3, np.minimum(np.searchsorted(newlines, s) - np.searchsorted(newlines, e), 2))
    counts = _style(cls, e, s, np.zeros_like(e), np.full_like(e, cls.shape[0]))
    return Near(*_compact(codes, idx, cls, e, s), gap, counts, np.asarray(z, np.float64), np.asarray(where))


def join(parts: list[Near]) -> Near:
    """Several `Near` as one (their copies end with a separator, so they join as they are)."""
    if len(parts) == 1:
        return parts[0]
    shift = np.cumsum([0] + [p.codes.shape[0] for p in parts[:-1]])
    cat = np.concatenate
    moved = {k: cat([getattr(p, k) + d for p, d in zip(parts, shift)]) for k in ("e", "s", "first", "last")}
    return Near(cat([p.codes for p in parts]), cat([p.idx for p in parts]), cat([p.cls for p in parts]),
                gap=cat([p.gap for p in parts]), counts=cat([p.counts for p in parts], axis=1),
                z=cat([p.z for p in parts]), where=cat([p.where for p in parts]), **moved)


def accepted_near(stage: SecondStage, tables, found: Near) -> np.ndarray:
    """`where` of the candidates in `found` that the second stage takes as boundaries."""
    if found.z.shape[0] == 0:
        return found.where[:0]
    rows = _features(found, tables, stage.mask)
    return found.where[stage.logits(rows, found.z) > 0]


def split(stage: SecondStage | None, codes, idx, cls, e, s, score, threshold, gap=None):
    """(accepted, close): the linear decision outside the band, and the `Near` of the band's candidates
    (named by their index) or None. Without a second stage every candidate is decided linearly."""
    accepted = score > threshold
    if stage is None:
        return accepted, None
    close = np.flatnonzero(np.abs(score - threshold) < stage.band)
    accepted[close] = False
    if close.size == 0:
        return accepted, None
    return accepted, near(codes, idx, cls, e[close], s[close], score[close] - threshold, close,
                          None if gap is None else gap[close])


def decide(stage: SecondStage | None, codes, idx, cls, tables, e, s, score, threshold):
    """Which candidates are boundaries: the linear decision, with the band's candidates decided by `stage`."""
    accepted, close = split(stage, codes, idx, cls, e, s, score, threshold)
    if close is not None:
        accepted[accepted_near(stage, tables, close)] = True
    return accepted


def decide_in_windows(stage: SecondStage, codes, tables, e, s, score, threshold, block: int = 1 << 16):
    """`decide` for candidates anywhere in a long text, reading it one window of about `block` characters at a time.

    The compiled and plain paths score the whole text; this keeps the second
    stage's temporary arrays bounded as the vectorized path does.
    """
    accepted = score > threshold
    close = np.flatnonzero(np.abs(score - threshold) < stage.band)
    accepted[close] = False
    n = codes.shape[0]
    parts = []
    for part in np.split(close, np.flatnonzero(np.diff(e[close] // block)) + 1):
        if part.size == 0:
            continue
        w0 = max(0, int(e[part[0]]) - V.CONTEXT_BEFORE)
        w1 = min(n, int(s[part[-1]]) + V.CONTEXT_AFTER)
        window = np.asarray(codes[w0:w1], np.uint32)
        idx = window if int(window.max()) < 0x10000 else np.minimum(window, 0x10000)
        parts.append(near(window, idx, tables.classes[idx], e[part] - w0, s[part] - w0, score[part] - threshold,
                          part))
    if parts:
        accepted[accepted_near(stage, tables, join(parts))] = True
    return accepted


def features(codes, idx, cls, tables, e, s, mask) -> np.ndarray:
    """The hashed feature rows (FEATURES, m) of candidates (e, s) of `codes` (as for `near`)."""
    return _features(near(codes, idx, cls, e, s, np.zeros(len(e)), np.arange(len(e))), tables, mask)


def _style(cls, e, s, first, last) -> np.ndarray:
    """The style of the text around each gap: sentence-final marks in the WINDOW_BEFORE characters
    before e and the WINDOW_AFTER from s, capitalised words and ". lower" starts before e (capped counts).

    [first, e) and [s, last) of `cls` are the candidate's text (before and after them: spaces).
    Returns a (4, m) array.
    """
    # the classes of text[e - WINDOW_BEFORE - 2 : e], one row a candidate; before the text: spaces
    at = e[:, None] + np.arange(-WINDOW_BEFORE - 2, 0)
    left = np.where(at >= first[:, None], cls[np.maximum(at, 0)], SPACE)
    at = s[:, None] + np.arange(WINDOW_AFTER)
    right = np.where(at < last[:, None], cls[np.minimum(at, cls.shape[0] - 1)], SPACE)
    space = left <= NEWLINE
    body = left[:, 2:]
    words = (~space[:, 2:]) & space[:, 1:-1]
    caps = (words & (body == UPPER)).sum(axis=1)
    lows = ((body == LOWER) & space[:, 1:-1] & (left[:, :-2] == TERM)).sum(axis=1)
    return np.stack([np.minimum((body == TERM).sum(axis=1), 6), np.minimum((right == TERM).sum(axis=1), 3),
                     np.minimum(caps, 8), np.minimum(lows, 4)])


def _compact(codes, idx, cls, e, s):
    """The windows text[e - WORDS_BEFORE : e] + gap + text[s : s + WORDS_AFTER] side by side.

    The gap becomes one space (none when e == s: a glued sentence end), and two
    spaces separate the windows. The word features read inside [first, e) and [s, last)
    (words are cut there), so they read the same characters here as in the text.
    Returns (codes, idx, cls, e, s, first, last) of the copy.
    """
    n = codes.shape[0]
    left = np.maximum(e - WORDS_BEFORE, 0)
    right = np.minimum(s + WORDS_AFTER, n)
    # four pieces a candidate: left context, gap, right context, separator; -1: a space of our own
    src = np.stack([left, np.full_like(e, -1), s, np.full_like(e, -1)], axis=1).reshape(-1)
    size = np.stack([e - left, (s > e).astype(np.int64), right - s, np.full_like(e, 2)], axis=1).reshape(-1)
    out_start = np.zeros(size.shape[0] + 1, np.int64)
    np.cumsum(size, out=out_start[1:])
    total = int(out_start[-1])
    piece = np.repeat(np.arange(size.shape[0]), size)
    pos = np.arange(total) - out_start[piece] + src[piece]
    own = src[piece] < 0
    pos[own] = 0
    c, k, x = codes[pos], idx[pos], cls[pos]
    c[own], k[own], x[own] = 32, 32, SPACE
    starts = out_start[:-1].reshape(-1, 4)
    return c, k, x, starts[:, 0] + (e - left), starts[:, 2], starts[:, 0], starts[:, 2] + (right - s)


def _features(found: Near, tables, mask) -> np.ndarray:
    codes, idx, cls, e, s, gap = found.codes, found.idx, found.cls, found.e, found.s, found.gap
    lo = np.maximum(e - WORDS_BEFORE, found.first)
    hi = np.minimum(s + WORDS_AFTER, found.last)
    counts = found.counts
    space = cls <= NEWLINE
    spaces, non_spaces = V._Marks(space), V._Marks(~space)

    def clip(a, b, floor, ceiling):
        a, b = np.clip(a, floor, ceiling), np.clip(b, floor, ceiling)
        return a, np.maximum(a, b)

    # four words back from e, each cut at the window's start and at MAX_TOKEN characters
    words = []
    end = e
    for _ in range(4):
        start = np.maximum(end - MAX_TOKEN, spaces.last_before(end) + 1)
        words.append(clip(start, end, lo, e))
        end = non_spaces.last_before(start) + 1       # back over the spaces before the word
    # two words from s, cut at the window's end
    r0_end = np.minimum(spaces.first_from(s), s + MAX_TOKEN)
    r1_start = non_spaces.first_from(r0_end)
    r1_end = np.minimum(spaces.first_from(r1_start), r1_start + MAX_TOKEN)
    right = [clip(s, r0_end, s, hi), clip(r1_start, r1_end, s, hi)]
    ranges = words + words + right + right
    # the last 1-5 characters of the word before the gap, the first 1-3 of the next word
    lb = words[0][0]
    ranges += [(np.maximum(lb, e - k), e) for k in range(1, 6)]
    ranges += [(s, np.minimum(right[0][1], s + k)) for k in range(1, 4)]
    kinds = [0] * 4 + [1] * 4 + [0, 0, 1, 1] + [0] * 5 + [2] * 3
    h = _hashes(codes, idx, cls, tables, kinds, ranges)
    # the features: one value each (seed 101 + row), then three pairs across and before the gap
    single = np.concatenate([gap[None, :].astype(np.uint32), h, np.asarray(counts, np.uint32)])
    seeds = np.arange(101, 101 + single.shape[0], dtype=np.uint32)[:, None]
    out = np.empty((FEATURES, e.shape[0]), np.uint32)
    out[:single.shape[0]] = V.mix(seeds, single)
    pairs = np.array([[131, 132, 133]], np.uint32).T
    out[single.shape[0]:] = V.mix(V.mix(pairs, np.stack([h[0], h[1], h[4]])), np.stack([h[8], h[0], h[10]]))
    out[-1] = V.mix(out[-1], gap)
    out &= _U32(mask)
    return out


_BASE = 0x01000193                     # odd, so invertible modulo 2^32
_INVERSE = pow(_BASE, -1, 1 << 32)
_POWERS: list = [np.ones(1, np.uint32), np.ones(1, np.uint32)]


def _powers(size: int) -> tuple[np.ndarray, np.ndarray]:
    """BASE^k and BASE^-k modulo 2^32 for k < size (kept, grown by doubling: threads may share them)."""
    powers, inverse = _POWERS
    if powers.shape[0] < size:
        size = max(size, 2 * powers.shape[0], 1 << 16)
        powers, inverse = np.empty(size, np.uint32), np.empty(size, np.uint32)
        powers[0] = inverse[0] = 1
        powers[1:], inverse[1:] = _BASE, _INVERSE
        np.cumprod(powers, out=powers)
        np.cumprod(inverse, out=inverse)
        _POWERS[:] = [powers, inverse]
    return powers, inverse


def _hashes(codes, idx, cls, tables, kinds, ranges) -> np.ndarray:
    """Polynomial hashes (modulo 2^32) of text ranges, a (len(ranges), m) uint32 array.

    Kind 0 hashes lower case, kind 1 the word shape (letters and digits by class,
    punctuation as itself, repeats collapsed), kind 2 the characters as they are.
    A hash is sum v[k] * BASE^(k - a) over the range [a, b), from prefix sums, so
    a few whole-array steps hash every range (the range's length is mixed in).
    """
    n = codes.shape[0]
    low = tables.lower.take(idx)
    beyond = codes >= 0x10000                  # beyond the BMP a character is its own lower case
    if beyond.any():
        low[beyond] = codes[beyond]
    symbols = codes.astype(np.uint32)
    np.copyto(symbols, cls, where=cls < TERM)
    run_start = np.ones(n, bool)
    np.not_equal(symbols[1:], symbols[:-1], out=run_start[1:])
    rank = np.cumsum(run_start) - 1            # the run of each position
    powers, inverse = _powers(n + 1)
    # prefix sums of each kind: (lower, shape over run starts, exact)
    prefix = np.zeros((3, n + 1), np.uint32)
    terms = np.empty((3, n), np.uint32)
    np.multiply(low, powers[:n], out=terms[0], casting="unsafe")
    np.multiply(symbols, powers.take(rank), out=terms[1])
    terms[1][~run_start] = 0
    np.multiply(codes, powers[:n], out=terms[2], casting="unsafe")
    np.cumsum(terms, axis=1, dtype=np.uint32, out=prefix[:, 1:])
    kind = np.repeat(np.asarray(kinds), ranges[0][0].shape[0])
    a = np.concatenate([r[0] for r in ranges])
    b = np.concatenate([r[1] for r in ranges])
    empty = b <= a
    a = np.minimum(a, n - 1)
    b = np.maximum(a, b)
    h = (prefix[kind, b] - prefix[kind, a]) * inverse[a]
    # a shape starts with the run that holds a, whether or not it starts there
    shape = kind == 1
    first = np.where(run_start[a], 0, symbols[a])
    h[shape] = ((prefix[1, b] - prefix[1, a]) * inverse[rank[a]] + first)[shape]
    h[empty] = 0                                # "no word here"
    h = V.mix(V.mix(h, 0), np.where(empty, 0, b - a))
    return h.reshape(len(ranges), -1)
