"""Load the shipped sentence model and find sentence starts with it.

Three implementations give the same starts:
- `seamline.sbd.vectorized` (NumPy, no Numba): the default for every document
  below JIT_FROM_CHARS; about 10 million characters per second with no
  start-up cost, and memory beyond the text bounded (it reads blocks of 65,536
  characters);
- the Numba kernel `seamline.kernels.sentences.find_starts`: a little faster
  per character, but Numba's fixed costs are large (about 1.3 s and 150 MB
  of resident memory, mostly LLVM, even with a warm cache), so it runs only on
  a single document long enough to win back that second (or on any document
  once the kernel is compiled in this process);
- the same kernel as plain Python (slow): the reference in tests.
The choice is per document, not per stream, so a stream of small documents
keeps the small footprint the contract asks for (memory bounded by the
largest document). JIT_FROM_CHARS comes from measurement, see docs/sentences.md.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import numpy as np

from seamline.kernels import sentences as K
from seamline.sbd import cascade, vectorized
from seamline.sbd.vectorized import codes_of  # noqa: F401  (part of this module's interface)

MODEL_FILE = "sentences.npz"
# A document this long runs compiled. Measured in fresh processes on Bleak House
# repeated (docs/sentences.md): the compiled run, with Numba's one-off 0.5-1.3 s
# and +120 MB, only breaks even at about 20 million characters; from 50 million
# it saves over half a second.
JIT_FROM_CHARS = 50_000_000


@dataclass
class SentenceModel:
    weights: np.ndarray          # float32, a power-of-two length
    classes: np.ndarray          # uint8 class per BMP code point
    lower: np.ndarray            # uint16 lower case per BMP code point
    threshold: float = 0.0       # logit above which a candidate is a boundary
    info: dict = field(default_factory=dict)
    compiled: bool | None = None  # None: by document size; True/False: always/never compiled
    second: cascade.SecondStage | None = None   # decides the candidates whose logit is near the threshold
    # How much text a decision reads: whether a sentence starts at s depends only on
    # text[e - context_before : s + context_after], e the end of the token before the
    # whitespace gap that ends at s (the gap itself is whitespace of any length). A
    # windowed caller that keeps this much context on both sides gets the same starts.
    context_before: int = vectorized.CONTEXT_BEFORE
    context_after: int = vectorized.CONTEXT_AFTER
    _plain_tables: tuple | None = None
    _vector_tables: object = None
    _float16: bool = False       # the weights were read from float16 values: their sums are exact in any order

    @classmethod
    def load(cls, path: str | Path | None = None, cascade_on: bool = False) -> "SentenceModel":
        """The model in `path` (default: the shipped one); with `cascade_on`, its second stage too.

        The shipped file holds both stages; without `cascade_on` the linear model decides
        every candidate (the `learned` engine), with it the close calls go to the second
        stage (the `learned-cascade` engine; docs/sentences.md says why it is not the default).
        """
        if path is None:
            path = resources.files("seamline") / "models" / MODEL_FILE
        with resources.as_file(path) if not isinstance(path, (str, Path)) else _nullcontext(path) as p:
            data = _read_arrays(p)
            info = {k[5:]: str(data[k]) for k in data if k.startswith("info_")}
            model = cls(data["weights"].astype(np.float32), data["classes"], data["lower"],
                        float(data["threshold"]), info,
                        second=cascade.SecondStage.from_arrays(data) if cascade_on else None)
            model._float16 = data["weights"].dtype == np.float16
            return model

    def save(self, path: str | Path) -> None:
        np.savez_compressed(path, weights=self.weights.astype(np.float16), classes=self.classes,
                            lower=self.lower, threshold=np.float64(self.threshold),
                            **(self.second.arrays() if self.second is not None else {}),
                            **{f"info_{k}": np.str_(v) for k, v in self.info.items()})

    def starts(self, text: str) -> np.ndarray:
        """Offsets where a sentence starts (never 0), ascending."""
        if len(text) < 2:
            return np.zeros(0, np.int64)
        if not self._use_compiled(len(text)):
            return self._starts_vectorized(text)
        kernels = K.jitted()
        codes = codes_of(text)
        if self.second is not None:
            return self._cascade(kernels.find_scored, codes, self.classes, self.lower, self.weights)
        out = np.empty(len(text), np.int64)
        count = kernels.find_starts(codes, self.classes, self.lower, self.weights, self.threshold, out)
        return out[:count].copy()

    def _cascade(self, find_scored, codes, *tables) -> np.ndarray:
        """Starts by the cascade: the kernel scores every candidate, the second stage decides the band's."""
        n = len(codes)
        e, s, score = np.empty(n, np.int64), np.empty(n, np.int64), np.empty(n, np.float64)
        count = find_scored(codes, *tables, self.threshold - self.second.band, e, s, score)
        e, s, score = e[:count], s[:count], score[:count]
        accepted = cascade.decide_in_windows(self.second, np.asarray(codes, np.uint32), self.vector_tables(),
                                             e, s, score, self.threshold)
        return s[accepted].copy()

    def starts_many(self, texts: list[str]) -> list[np.ndarray]:
        """`starts` of each text; short texts share one vectorized pass (its fixed cost is about 0.2 ms)."""
        if self.compiled or (self.compiled is None and K.is_compiled()):
            return [self.starts(t) for t in texts]
        tables = self.vector_tables()
        out: list = [None] * len(texts)
        group: list[int] = []
        size = 0

        def flush():
            for k, found in zip(group, vectorized.find_starts_many([texts[k] for k in group], tables)):
                out[k] = found
            group.clear()

        for k, text in enumerate(texts):
            if len(text) > vectorized.BLOCK // 8:  # long enough to pay its own way
                out[k] = self.starts(text)
                continue
            if size + len(text) > vectorized.BLOCK:  # one pass reads one block of the joined texts
                flush()
                size = 0
            group.append(k)
            size += len(text) + vectorized.SEPARATOR
        flush()
        return out

    def _use_compiled(self, size: int) -> bool:
        if self.compiled is not None:
            return self.compiled
        return K.is_compiled() or size >= JIT_FROM_CHARS

    def vector_tables(self) -> vectorized.Tables:
        """The tables of the vectorized path, made on first use."""
        if self._vector_tables is None:
            self._vector_tables = vectorized.Tables(self.classes, self.lower, self.weights, self.threshold,
                                                    exact_sums=True if self._float16 else None, second=self.second)
        return self._vector_tables

    def _starts_vectorized(self, text: str) -> np.ndarray:
        return vectorized.find_starts(text, self.vector_tables())

    def _starts_plain(self, text: str) -> np.ndarray:
        """The kernel as plain Python (slow): the reference the other two paths are tested against."""
        if len(text) < 2:
            return np.zeros(0, np.int64)
        if self._plain_tables is None:
            # float64 weights: a score adds up in double precision, as in the compiled kernel
            self._plain_tables = (self.classes.tolist(), self.lower.tolist(), self.weights.astype(np.float64))
        classes, lower, weights = self._plain_tables
        codes = codes_of(text).tolist()
        if self.second is not None:
            return self._cascade(K.plain("find_scored"), codes, classes, lower, weights)
        out = [0] * len(text)
        count = K.plain("find_starts")(codes, classes, lower, weights, self.threshold, out)
        return np.asarray(out[:count], np.int64)


def _read_arrays(path) -> dict:
    """The arrays of a model file, through an uncompressed copy in seamline's cache directory.

    Inflating the shipped file (4 MB of float16 weights) costs 10-30 ms in every
    process; the copy is read back in a few. It is named after the file's path,
    size and modification time; anything unexpected reads the file itself.
    SEAMLINE_CACHE_DIR as for the tokenizer cache (off turns it off).
    """
    import hashlib
    import os

    from seamline.tokenizers import _cache_dir
    directory = _cache_dir()
    if directory is None or not os.path.isfile(path):
        return _arrays(path)
    stat = os.stat(path)
    key = hashlib.sha256(f"{os.path.abspath(path)}|{stat.st_size}|{stat.st_mtime_ns}".encode()).hexdigest()[:24]
    cached = os.path.join(directory, f"sentences-{key}.npz")
    try:
        return _arrays(cached)
    except (OSError, ValueError, KeyError, EOFError):
        pass
    data = _arrays(path)
    try:
        import tempfile
        os.makedirs(directory, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=directory, suffix=".npz")
        with os.fdopen(fd, "wb") as handle:
            np.savez(handle, **data)
        os.replace(tmp, cached)
    except OSError:
        pass
    return data


def _arrays(path) -> dict:
    with np.load(path, allow_pickle=False) as data:
        out = {k: data[k] for k in data.files}
    for k in ("weights", "classes", "lower", "threshold"):
        if k not in out:
            raise KeyError(k)
    return out


class _nullcontext:
    def __init__(self, value):
        self.value = value

    def __enter__(self):
        return self.value

    def __exit__(self, *exc):
        return False


_shared: dict[bool, SentenceModel] = {}


def shared_model(cascade_on: bool = False) -> SentenceModel:
    """The shipped model (with its second stage when `cascade_on`), loaded once per process."""
    if cascade_on not in _shared:
        _shared[cascade_on] = SentenceModel.load(cascade_on=cascade_on)
    return _shared[cascade_on]
