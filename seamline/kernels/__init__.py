"""Small Numba kernels, one module per area; each has a plain-Python reference in tests/.

The kernels of metrics, dp and sentences are plain Python written in the subset
Numba compiles; they are compiled only when a run is large enough to repay
Numba's import and first call (about 1.3 s and 150 MB once per process), by the
one helper below, and each area decides "large enough" with a `JitPolicy`.
(topics and lda import numba when they are imported; their callers import them
only when a document needs them.)
"""
from __future__ import annotations

import types

_COMPILED: dict[tuple[str, str], object] = {}


def compiled(fn):
    """`numba.njit(cache=True)(fn)`, compiled once per process (and cached on disk)."""
    key = _key(fn)
    if key not in _COMPILED:
        from numba import njit

        _COMPILED[key] = njit(cache=True)(fn)
    return _COMPILED[key]


def compiled_together(functions: list, module_globals: dict) -> types.SimpleNamespace:
    """Kernels that call one another, compiled as a set (callees first in `functions`).

    Each is compiled from a copy whose globals name the compiled callees, so the
    plain functions of the module stay plain Python for the small-input path.
    """
    key = _key(functions)
    if key not in _COMPILED:
        from numba import njit

        namespace = dict(module_globals)
        for f in functions:
            copy = types.FunctionType(f.__code__, namespace, f.__name__, f.__defaults__, f.__closure__)
            copy.__qualname__, copy.__module__ = f.__qualname__, f.__module__
            namespace[f.__name__] = njit(cache=True)(copy)
        _COMPILED[key] = types.SimpleNamespace(**{f.__name__: namespace[f.__name__] for f in functions})
    return _COMPILED[key]


def _key(fn) -> tuple[str, str]:
    if isinstance(fn, (list, tuple)):
        return (fn[0].__module__, "+".join(f.__name__ for f in fn))
    return (fn.__module__, fn.__qualname__)


def is_compiled(fn) -> bool:
    """Whether a kernel (or a list given to compiled_together) has been compiled in this process."""
    return _key(fn) in _COMPILED


class JitPolicy:
    """When to compile: `auto` once the work seen reaches `threshold` (per call, or summed over
    the run with `cumulative`), `always`, or `never`."""

    MODES = ("auto", "always", "never")

    def __init__(self, threshold: int, mode: str = "auto", cumulative: bool = False):
        if mode not in self.MODES:
            from seamline.errors import UsageError
            raise UsageError(f"jit mode must be auto, always or never, got {mode!r}")
        self.threshold, self.mode, self.cumulative = threshold, mode, cumulative
        self.seen = 0

    def wants(self, size: int) -> bool:
        """Whether a call with `size` units of work should run compiled."""
        self.seen = self.seen + size if self.cumulative else size
        return self.mode == "always" or (self.mode == "auto" and self.seen >= self.threshold)

    def pick(self, fn, size: int):
        """The compiled kernel or the plain one, for a call with `size` units of work."""
        return compiled(fn) if self.wants(size) else fn
