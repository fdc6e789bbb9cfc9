"""Segmentation metrics over boundary positions: P/R/F1, Pk, WindowDiff, B, edit distance.

A segmentation of n units is given by its boundaries: the sorted, distinct
indices u (0 < u < n) of the units that start a new segment. Every metric here
takes two such lists (reference from the gold, hypothesis from a prediction).

Conventions (docs/eval.md has the long version):

- "segeval" (the default), as in Fournier's segeval 2.0.11 and Pevzner & Hearst
  (2002): k is half the mean reference segment length, rounded half to even,
  at least 2; there are n - k windows, each spanning k + 1 units.
- "nltk", as nltk.metrics.segmentation: the segmentation is a string of one
  character per unit, "1" when a boundary follows the unit (the last unit is
  always "0"); k = round(n / (2 * number of reference boundaries)); there are
  n - k + 1 windows of k characters. NLTK divides by n - k + 1, the formula of
  the paper by n - k; that is the disputed denominator.
- B and boundary edit distance follow segeval: one boundary type, near misses
  (transpositions) span at most n_t - 1 = 1 position and weigh half.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from seamline.errors import UsageError
from seamline.kernels import JitPolicy, metrics as kernels

CONVENTIONS = ("segeval", "nltk")
# Past this many boundaries in one call, the compiled kernels beat the
# interpreter by more than numba's start-up costs (~1.3 s once per process).
JIT_FROM = 200_000


def jit_policy(mode: str = "auto") -> JitPolicy:
    """A run's policy: compile once it has seen JIT_FROM boundaries (auto), always, or never."""
    return JitPolicy(JIT_FROM, mode, cumulative=True)


def _kernel(fn, size: int, policy: JitPolicy | None):
    # A call given no policy compiles when it alone has JIT_FROM boundaries or more;
    # an evaluation passes its own, which counts the whole run (`seamline eval --jit`).
    return (policy or JitPolicy(JIT_FROM, "auto")).pick(fn, size)


def _arrays(*seqs: Sequence[int]):
    import numpy as np

    return [np.asarray(s, dtype=np.int64) for s in seqs]


def _run(fn, size: int, ref, hyp, *args, policy: JitPolicy | None = None):
    kernel = _kernel(fn, size, policy)
    if kernel is fn:  # the interpreter is fastest on plain lists
        return fn(list(ref), list(hyp), *args)
    r, h = _arrays(ref, hyp)
    return kernel(r, h, *args)


# -- window sizes -----------------------------------------------------------

def window_size(n: int, ref: Sequence[int], convention: str = "segeval") -> int:
    """k from the reference, by the convention's own rule."""
    if convention == "segeval":
        segments = len(ref) + 1
        # n / (2 * segments), rounded half to even as Python's round(Decimal) does
        q, r = divmod(n, 2 * segments)
        if 2 * r > 2 * segments or (2 * r == 2 * segments and q % 2 == 1):
            q += 1
        return q if q > 1 else 2
    if convention == "nltk":
        return int(round(n / (max(len(ref), 1) * 2.0)))
    raise UsageError(f"unknown convention {convention!r}; choose {' or '.join(CONVENTIONS)}")


def window_count(n: int, k: int, convention: str = "segeval") -> int:
    return n - k if convention == "segeval" else n - k + 1


# -- window metrics ---------------------------------------------------------

@dataclass
class WindowScore:
    errors: int
    windows: int
    k: int

    @property
    def value(self) -> float:
        return self.errors / self.windows if self.windows > 0 else 0.0


def _window(mode: int, n: int, ref, hyp, k, convention, policy: JitPolicy | None = None) -> WindowScore:
    if k is None:
        k = window_size(n, ref, convention)
    m = window_count(n, k, convention)
    if m <= 0:
        return WindowScore(0, 0, k)
    gaps_ref = [u - 1 for u in ref]
    gaps_hyp = [u - 1 for u in hyp]
    errors = _run(kernels.window_errors, len(ref) + len(hyp), gaps_ref, gaps_hyp, k, m, mode, policy=policy)
    return WindowScore(int(errors), m, k)


def pk(n: int, ref: Sequence[int], hyp: Sequence[int], k: int | None = None,
       convention: str = "segeval", policy: JitPolicy | None = None) -> WindowScore:
    """Pk (Beeferman et al. 1999): share of windows whose two ends one side puts
    in the same segment and the other does not."""
    return _window(kernels.PK, n, ref, hyp, k, convention, policy)


def windowdiff(n: int, ref: Sequence[int], hyp: Sequence[int], k: int | None = None,
               convention: str = "segeval", policy: JitPolicy | None = None) -> WindowScore:
    """WindowDiff (Pevzner & Hearst 2002): share of windows holding different
    numbers of boundaries."""
    return _window(kernels.WINDOWDIFF, n, ref, hyp, k, convention, policy)


# -- boundary similarity ----------------------------------------------------

@dataclass
class BoundaryEdits:
    matches: int
    additions: int
    transpositions: int
    span: int  # sum of the transpositions' spans
    n_t: int

    @property
    def edit_distance(self) -> float:
        """Weighted edits: an addition or deletion 1, a transposition span / n_t."""
        return self.additions + self.span / self.n_t

    @property
    def b(self) -> float:
        """Boundary similarity B = 1 - edits / (additions + transpositions + matches)."""
        total = self.additions + self.transpositions + self.matches
        return (total - self.edit_distance) / total if total else 1.0

    @property
    def edit_operations(self) -> int:
        """Unweighted edits (segeval's weight_a and weight_t): additions/deletions plus near misses."""
        return self.additions + self.transpositions

    @property
    def true_positives(self) -> float:
        """segeval's confusion matrix cell [1][1]: a match counts 1, a near miss span / n_t."""
        return self.matches + self.span / self.n_t

    @property
    def b_precision(self) -> float:
        """segeval's precision(boundary_confusion_matrix(...)), micro-averaged as it does by default.

        The average runs over the classes {boundary, None}; the None class adds the
        full misses of the other side to the denominator, so with one boundary type
        precision and recall are both TP / (TP + full misses).
        """
        tp = self.true_positives
        return tp / (tp + self.additions) if tp else 0.0

    @property
    def b_recall(self) -> float:
        """segeval's recall(boundary_confusion_matrix(...)): equal to b_precision (see there)."""
        return self.b_precision

    @property
    def b_f1(self) -> float:
        """segeval's fmeasure(boundary_confusion_matrix(...)): 2TP / (2TP + full misses)."""
        tp = self.true_positives
        return 2 * tp / (2 * tp + self.additions) if tp else 0.0

    def __add__(self, other: "BoundaryEdits") -> "BoundaryEdits":
        return BoundaryEdits(self.matches + other.matches, self.additions + other.additions,
                             self.transpositions + other.transpositions, self.span + other.span, self.n_t)


def boundary_edits(ref: Sequence[int], hyp: Sequence[int], n_t: int = 2,
                   policy: JitPolicy | None = None) -> BoundaryEdits:
    if n_t < 1:
        raise UsageError(f"n_t must be at least 1, got {n_t}")
    m, a, t, s = _run(kernels.boundary_edits, len(ref) + len(hyp), ref, hyp, n_t, policy=policy)
    return BoundaryEdits(int(m), int(a), int(t), int(s), n_t)


def boundary_similarity(ref: Sequence[int], hyp: Sequence[int], n_t: int = 2) -> float:
    return boundary_edits(ref, hyp, n_t).b


# -- boundary precision / recall --------------------------------------------

@dataclass
class Matching:
    matched: int
    predicted: int
    gold: int

    @property
    def precision(self) -> float:
        if self.predicted == 0:
            return 1.0 if self.gold == 0 else 0.0
        return self.matched / self.predicted

    @property
    def recall(self) -> float:
        if self.gold == 0:
            return 1.0 if self.predicted == 0 else 0.0
        return self.matched / self.gold

    @property
    def f1(self) -> float:
        total = self.predicted + self.gold
        return 2 * self.matched / total if total else 1.0

    def __add__(self, other: "Matching") -> "Matching":
        return Matching(self.matched + other.matched, self.predicted + other.predicted, self.gold + other.gold)


def match(ref: Sequence[int], hyp: Sequence[int], tolerance: int = 0, policy: JitPolicy | None = None) -> Matching:
    """Boundaries paired one to one when at most `tolerance` positions apart."""
    matched = _run(kernels.match_within, len(ref) + len(hyp), ref, hyp, tolerance, policy=policy)
    return Matching(int(matched), len(hyp), len(ref))
