"""Token counts of a document without encoding all of it, for tiktoken's cl100k_base.

An *anchor* is a byte position t where the pre-tokenizer of cl100k_base always
starts a new piece, whatever comes before or after:

- a space after an ASCII character that is not whitespace ("end. Next", "a b");
- a tab, newline, carriage return, vertical tab or form feed after an ASCII
  letter or digit ("word\\nnext").

Why: a piece that holds a non-space character never continues with a space,
and a piece that holds a letter or digit never continues with any whitespace
(letters, digits and the contraction suffixes are runs of their own); the only
lookarounds are a look-ahead of one character after a run of whitespace, and
the end of the text after such a run, so the pieces before t are the same
whether or not the text ends at t. (After punctuation a newline may join it:
".\\n" is one piece, so that is no anchor.)

So the anchors cut a document into *segments* whose counts add up:
count(text[a:b]) is the sum of the counts of the segments between anchors a
and b. A segment is typically a word with its leading space (" the", " said,")
and natural text repeats them endlessly: counting each distinct segment once
and looking the others up gives the exact counts while encoding about a quarter
of the text. Segments are grouped by their exact bytes (up to 15 bytes, two
64-bit keys that hold them whole), never by a hash alone; longer ones are
encoded as they are.

The distinct segments are encoded together, joined: each starts with a space
(or, if it starts with other whitespace, after a separator " a"), and each ends
with a character after which the next one's first character makes an anchor,
so the joins are anchors too and every token falls inside one segment.
"""
from __future__ import annotations

import re

import numpy as np

# Characters treated as whitespace: the union of Python's str.isspace and
# Unicode White_Space (plus zero-width ones), so an anchor's left character is
# non-whitespace under any of these definitions.
WS_CODES = (list(range(9, 14)) + list(range(28, 33)) + [0x85, 0xA0, 0x1680, 0x180E]
            + list(range(0x2000, 0x200C)) + [0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF])
_SOLID = np.zeros(256, dtype=bool)        # ASCII, not whitespace: a space after it is an anchor
_SOLID[[c for c in range(128) if c not in WS_CODES]] = True
_ALNUM = np.zeros(256, dtype=bool)        # ASCII letters and digits: any ASCII whitespace after them is an anchor
_ALNUM[[ord(c) for c in "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"]] = True
_BREAK = np.zeros(256, dtype=bool)        # tab, newline, vertical tab, form feed, carriage return
_BREAK[9:14] = True

ENCODE_BLOCK = 1 << 18  # characters per piece when encoding is split over two threads
COUNT_BLOCK = 1 << 20   # documents are counted in blocks of about this many characters, two at a time
KEY_BYTES = 15          # segments up to this long are grouped by exact keys
_SEPARATOR = b" a"
# An anchor between two characters: a space after solid ASCII (a subset of the anchors, enough to cut blocks).
_SPACE_ANCHOR = re.compile("[" + "".join(re.escape(chr(c)) for c in range(128) if c not in WS_CODES) + "] ")
_MASKS = np.array([(1 << (8 * n)) - 1 for n in range(8)] + [(1 << 64) - 1], dtype=np.uint64)
_LENGTHS: dict[int, np.ndarray] = {}


def anchor_bytes(raw: np.ndarray) -> np.ndarray:
    """Byte offsets of the anchors of UTF-8 text, with 0 and len(raw) (no cut happens there)."""
    n = len(raw)
    if n < 2:
        return np.array([0, n] if n else [0], dtype=np.int64)
    cand = np.flatnonzero(raw[1:] <= 32) + 1  # whitespace and control characters: few, and every anchor is one
    right, left = raw[cand], raw[cand - 1]
    inner = cand[((right == 32) & _SOLID[left]) | (_BREAK[right] & _ALNUM[left])]
    return np.concatenate([[0], inner, [n]]).astype(np.int64)


def char_offsets(raw: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """Character offsets of byte offsets (each at a character's first byte) into UTF-8 text `raw`:
    a byte offset less the continuation bytes before it."""
    return offsets - np.searchsorted(np.flatnonzero((raw & 0xC0) == 0x80), offsets)


def blocks(text: str, size: int) -> list[str]:
    """The text cut at anchors into blocks of about `size` characters; their counts add up."""
    edges, n = [0], len(text)
    while n - edges[-1] > size:
        m = _SPACE_ANCHOR.search(text, edges[-1] + size - 1)
        if m is None:
            break
        edges.append(m.start() + 1)
    edges.append(n)
    return [text[a:b] for a, b in zip(edges, edges[1:])]


def on_two_threads(fn, items: list) -> list:
    """fn over the items, on two threads when there are several (tiktoken releases the GIL as it encodes).

    The threads are new for each call: two long-lived threads encoding side by
    side ran at half speed in measurements here (tiktoken 0.14).
    """
    if len(items) == 1:
        return [fn(items[0])]
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(max_workers=2) as pool:
        return list(pool.map(fn, items))


def byte_lengths(enc) -> np.ndarray:
    """Byte length of every token id of an encoding, as an array indexed by id."""
    key = id(enc)
    if key not in _LENGTHS:
        lengths = np.zeros(enc.n_vocab, dtype=np.int64)
        ranks = getattr(enc, "_mergeable_ranks", None)
        if ranks:
            lengths[np.fromiter(ranks.values(), dtype=np.int64, count=len(ranks))] = np.fromiter(
                map(len, ranks), dtype=np.int64, count=len(ranks))
        else:
            for rank in range(enc.n_vocab):
                try:
                    lengths[rank] = len(enc.decode_single_token_bytes(rank))
                except KeyError:
                    pass
        _LENGTHS[key] = lengths
    return _LENGTHS[key]


def encode_array(enc, text: str) -> np.ndarray:
    """Token ids of `text` as a uint32 array, special-token text encoded as ordinary text.

    `encode_to_numpy` with no special tokens allowed and none refused gives the
    ids `encode_ordinary` gives, without building a Python list of ints.
    """
    if hasattr(enc, "encode_to_numpy"):
        return enc.encode_to_numpy(text, allowed_special=set(), disallowed_special=())
    return np.asarray(enc.encode_ordinary(text), dtype=np.uint32)


def token_end_bytes(enc, text: str) -> np.ndarray:
    """Byte offset where each token of the whole text ends (the text encoded in blocks on two threads)."""
    parts = on_two_threads(lambda block: encode_array(enc, block), blocks(text, ENCODE_BLOCK))
    tokens = np.concatenate(parts) if parts else np.zeros(0, dtype=np.uint32)
    return np.cumsum(byte_lengths(enc)[tokens], dtype=np.int64)


def anchors_and_counts(enc, text: str) -> tuple[np.ndarray, np.ndarray]:
    """(anchors as character offsets, tokens of text[:anchor] for each), for the whole text."""
    parts = blocks(text, COUNT_BLOCK)
    last_k = len(parts) - 1
    counted = on_two_threads(lambda kb: _block_counts(enc, kb[1], kb[0] == 0, kb[0] == last_k), list(enumerate(parts)))
    anchors, before, chars, tokens = [], [], 0, 0
    for k, (block, (a, counts)) in enumerate(zip(parts, counted)):
        last = k == last_k
        anchors.append(a[:None if last else -1] + chars)  # a block's last anchor is the next one's first
        cum = np.concatenate([[0], np.cumsum(counts)]) + tokens
        before.append(cum[:None if last else -1])
        chars += len(block)
        tokens = int(cum[-1])
    return np.concatenate(anchors).astype(np.int64, copy=False), np.concatenate(before).astype(np.int64, copy=False)


def _block_counts(enc, block: str, at_start: bool, at_end: bool) -> tuple[np.ndarray, np.ndarray]:
    """Anchors of one block (character offsets, both ends included) and the count of each segment between."""
    raw = np.frombuffer(block.encode("utf-8"), dtype=np.uint8)
    edges = anchor_bytes(raw)
    chars = edges if block.isascii() else char_offsets(raw, edges)
    starts, lens = edges[:-1], np.diff(edges)
    counts = np.zeros(len(starts), dtype=np.int64)
    if not len(starts):
        return chars, counts
    # A document's first segment may start with anything and its last may end with anything:
    # they are counted on their own. Every other segment starts at an anchor and ends at one.
    alone = sorted(set(([0] if at_start else []) + ([len(starts) - 1] if at_end else [])))
    for k in alone:
        counts[k] = len(enc.encode_ordinary(block[chars[k]:chars[k + 1]]))
    keep = np.ones(len(starts), dtype=bool)
    keep[alone] = False
    regular = np.flatnonzero(keep)
    counts[regular] = segment_counts(enc, raw, starts[regular], lens[regular])
    return chars, counts


def segment_counts(enc, raw: np.ndarray, starts: np.ndarray, lens: np.ndarray) -> np.ndarray:
    """Exact counts of segments raw[s:s+l] that start and end at anchors, each distinct one encoded once."""
    counts = np.zeros(len(starts), dtype=np.int64)
    short = np.flatnonzero(lens <= KEY_BYTES)
    k1, k2 = _keys(raw, starts[short], lens[short])
    rep = _representatives(k1, k2)
    own = rep == np.arange(len(short))
    todo = np.concatenate([short[own], np.flatnonzero(lens > KEY_BYTES)])
    counts[todo] = _encode_segments(enc, raw, starts[todo], lens[todo])
    counts[short] = counts[short[rep]]
    return counts


def _keys(raw: np.ndarray, starts: np.ndarray, lens: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Two 64-bit keys that hold a segment of up to 15 bytes whole: bytes 0-7, then bytes 8-14 and the length."""
    padded = np.zeros(len(raw) + 16, dtype=np.uint8)
    padded[:len(raw)] = raw
    # element i of this view is the 8 bytes from offset i, little-endian
    words = np.ndarray((len(raw) + 9,), dtype="<u8", buffer=padded, strides=(1,))
    k1 = words[starts] & _MASKS[np.minimum(lens, 8)]
    k2 = (words[starts + 8] & _MASKS[np.clip(lens - 8, 0, 7)]) | (lens.astype(np.uint64) << np.uint64(56))
    return k1, k2


def _representatives(k1: np.ndarray, k2: np.ndarray) -> np.ndarray:
    """rep[i]: a segment with exactly i's keys, the same one for all of them (rep[rep[i]] == rep[i]).

    Segments go into a hash table by their keys; those whose slot holds a
    segment with other keys try again with another hash, and after three
    rounds stay their own representative (still exact, only less shared).
    """
    m = len(k1)
    rep = np.arange(m)
    if m < 2:
        return rep
    bits = max(10, m.bit_length() + 1)
    mixed = (k1 * np.uint64(0x9E3779B97F4A7C15)) ^ (k2 * np.uint64(0xC2B2AE3D27D4EB4F))
    todo = rep.copy()
    for salt in (0x165667B19E3779F9, 0x27D4EB2F165667C5, 0x94D049BB133111EB):
        slot = ((mixed[todo] ^ np.uint64(salt)) * np.uint64(0xBF58476D1CE4E5B9)) >> np.uint64(64 - bits)
        table = np.empty(1 << bits, dtype=np.int32 if m < 2**31 else np.int64)
        table[slot] = todo  # of several segments in one slot, one is kept: it represents those equal to it
        cand = table[slot]
        same = (k1[cand] == k1[todo]) & (k2[cand] == k2[todo])
        rep[todo[same]] = cand[same]
        todo = todo[~same]
        if not todo.size:
            break
    return rep


def _encode_segments(enc, raw: np.ndarray, starts: np.ndarray, lens: np.ndarray) -> np.ndarray:
    """Exact counts of anchored segments, from one encoding of them joined (see the module's docstring)."""
    m = len(starts)
    if not m:
        return np.zeros(0, dtype=np.int64)
    source = np.concatenate([raw, np.frombuffer(_SEPARATOR, dtype=np.uint8)])
    piece_starts = np.empty(2 * m, dtype=np.int64)
    piece_lens = np.empty(2 * m, dtype=np.int64)
    piece_starts[0::2], piece_starts[1::2] = len(raw), starts
    piece_lens[0::2] = np.where(raw[starts] == 32, 0, len(_SEPARATOR))
    piece_lens[1::2] = lens
    ends = np.cumsum(piece_lens)
    index = np.repeat(piece_starts - (ends - piece_lens), piece_lens) + np.arange(int(ends[-1]))
    joined = source[index].tobytes().decode("utf-8")
    # split for two threads at the joins (anchors), by characters as `blocks` would
    cuts = _join_points(joined, ends[1::2], ENCODE_BLOCK)
    parts = on_two_threads(lambda ab: encode_array(enc, joined[ab[0]:ab[1]]), list(zip(cuts, cuts[1:])))
    token_ends = np.cumsum(byte_lengths(enc)[np.concatenate(parts)], dtype=np.int64)
    after = np.searchsorted(token_ends, ends[1::2], side="right")
    before = np.searchsorted(token_ends, ends[0::2], side="right")
    return (after - before).astype(np.int64)


def _join_points(joined: str, segment_ends: np.ndarray, size: int) -> list[int]:
    """Character offsets in `joined` at segment ends about `size` apart (0 and the end included)."""
    n = len(joined)
    if n <= 2 * size:
        return [0, n]
    ends_chars = segment_ends if joined.isascii() else char_offsets(
        np.frombuffer(joined.encode("utf-8"), dtype=np.uint8), segment_ends)
    picks = np.unique(ends_chars[np.minimum(np.searchsorted(ends_chars, np.arange(size, n, size)),
                                            len(ends_chars) - 1)])
    return [0, *[int(p) for p in picks if 0 < p < n], n]
