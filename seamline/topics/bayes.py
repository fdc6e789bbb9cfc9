"""`bayes`: Utiyama & Isahara (2001) segment likelihood plus C99's inside density, by DP.

Each span of sentences is charged minus the log-likelihood of its words under a
word distribution fitted to that span (Dirichlet-multinomial: symmetric prior of
total weight BETA over the document's vocabulary), scaled to sentences
(times n / number of tokens), less LAMBDA times C99's length-weighted inside
density of the span (rank-matrix block sum / length ** POWER, the quantity the
`c99` method maximises). The segmentation minimising the summed charge plus a
description-length prior of MU * log(tokens) (same scaling) per segment is
found by dynamic programming; with `--segments K` the prior is dropped and
exactly K segments are placed.

Utiyama & Isahara's prior grows only as log(tokens), but the likelihood a
spurious split gains grows with the words on each side of it, so short
documents got too few segments and long ones too many. The prior is therefore
also scaled by (tokens / LENGTH_REF) ** LENGTH_POWER, with the tokens counted up
to LENGTH_CAP (a few pages): below it a shorter document needs less evidence per
topic, above it the prior is Utiyama & Isahara's again, so a book is not pushed
towards a handful of topics. MU, RHO, LENGTH_POWER and LENGTH_CAP were chosen
by cross-validation over the DEV documents of the three topic sets
(benchmarks/accuracy.py); BETA, LAMBDA, POWER and the mask were tuned on the
whole Choi DEV set (docs/topics.md).

Line units (verse, or text cut with `--engine newline`): when fewer than half
of the units end a sentence, a topic does not start in the middle of a
sentence: a boundary after a unit that does not end a sentence costs one more
prior. In verse (lines that run on start with a capital, few list markers) a
boundary after a unit that ends a sentence is also RHO priors cheaper: at
RHO = 1 every sentence end of a poem is a boundary and the likelihood only adds
strongly marked ones elsewhere. Prose cut into sentences is unaffected.

Scores: a boundary of the optimum scores 0.5 + 0.5 (1 - exp(-r / prior)), r the
rise in charge if it were removed; any other sentence start 0.5 exp(-a / prior),
a the rise if it were added. The cut-off is 0.5, so the default threshold keeps
exactly the optimum, and `place` re-solves for the number of boundaries a
decision kept (and for --min-units / --max-units).
"""
from __future__ import annotations

import math
import re

import numpy as np

from seamline.topics.scores import Scores
from seamline.topics.text import Vocabulary, content_words, is_heading

BETA = 1000.0   # total Dirichlet prior weight per span (alpha = BETA / vocabulary size)
LAMBDA = 0.5    # weight of C99's inside density against the likelihood
POWER = 0.8     # length exponent of the density
RADIUS = 3      # C99 rank mask radius (7 x 7)
MU = 1.8        # segments cost MU * log(tokens) each (Utiyama & Isahara use 1 on raw likelihoods)
RHO = 1.0       # line units: a boundary at a sentence end is RHO priors cheaper (cross-validated, docs/topics.md)
LENGTH_POWER = 0.4   # the prior grows as (tokens / LENGTH_REF) ** LENGTH_POWER (cross-validated)
LENGTH_REF = 1000    # content tokens at which that factor is 1
LENGTH_CAP = 2000    # tokens beyond this do not raise it further (cross-validated)
WINDOW = 2000   # longer documents are scored in windows of this many sentences


def segment_prior(mu: float, tokens: int, units: int, power: float = LENGTH_POWER,
                  cap: float = LENGTH_CAP) -> float:
    """The charge of one more segment, in the charges' units (a unit's share of the tokens)."""
    tokens = max(tokens, 2)
    return mu * math.log(tokens) * units / tokens * (min(tokens, cap) / LENGTH_REF) ** power


def token_arrays(texts: list[str]) -> tuple[np.ndarray, np.ndarray, int]:
    """(term ids of all content tokens in order, start offset of each text, vocabulary size)."""
    vocab = Vocabulary()
    ids = [[vocab.id(w) for w in content_words(t)] for t in texts]
    start = np.zeros(len(ids) + 1, dtype=np.int64)
    for i, row in enumerate(ids):
        start[i + 1] = start[i] + len(row)
    terms = np.fromiter((t for row in ids for t in row), dtype=np.int64, count=int(start[-1]))
    return terms, start, max(len(vocab), 1)


# a unit ends a sentence: final punctuation, then perhaps closing quotes or brackets
_SENTENCE_END = re.compile(r"[.!?\u2026\u3002\uff01\uff1f][\"'\u2019\u201d)\]]*\s*$")


_MARKER = re.compile(r"^\s*(?:[-*\u2022#>]|\(?[0-9ivxlcIVXLC]{1,4}[.)]|\(?[a-zA-Z][.)]\s)")


def end_weights(texts: list[str], rho: float = RHO) -> np.ndarray | None:
    """Extra cost, in priors, of a boundary after each unit; None when the units are sentences.

    Units are taken for lines when fewer than half of them end a sentence. A
    boundary inside a sentence costs one more prior. The discount of RHO priors
    at sentence ends is given only to verse (`is_verse`): in hard-wrapped prose
    cut into lines, or in lists, a sentence end is no sign of a new topic.
    """
    ends = np.array([bool(_SENTENCE_END.search(t)) for t in texts])
    if len(texts) < 2 or ends.mean() >= 0.5:
        return None
    return np.where(ends, -(rho if is_verse(texts, ends) else 0.0), 1.0)


def heading_weights(texts: list[str]) -> np.ndarray | None:
    """Extra cost, in priors, of a boundary after each unit: one prior after a heading (a topic
    does not start between a heading and its text); None when no unit is a heading (see
    `text.is_heading`). Not tuned: no DEV set has headings."""
    heads = np.array([is_heading(t) for t in texts])
    if not heads.any():
        return None
    return heads.astype(np.float64)


def is_verse(texts: list[str], ends: np.ndarray) -> bool:
    """Lines of verse: a line that runs on is followed by one that starts with a capital
    (at least 70% of them), and few lines start with a list or heading marker (under 20%).
    Hard-wrapped prose goes on in lower case; lists and outlines start with markers."""
    following = [texts[i + 1].lstrip() for i in range(len(texts) - 1) if not ends[i]]
    lettered = [t for t in following if t[:1].isalpha()]
    capitals = sum(t[0].isupper() for t in lettered) / max(len(lettered), 1)
    markers = sum(bool(_MARKER.match(t)) for t in texts) / len(texts)
    return bool(lettered) and capitals >= 0.7 and markers < 0.2


class BayesScorer:
    name = "bayes"

    def __init__(self, beta: float = BETA, lam: float = LAMBDA, mu: float = MU, rho: float = RHO, **_options):
        self.beta, self.lam, self.mu, self.rho = beta, lam, mu, rho
        self.charge: np.ndarray | None = None
        self.prior = 0.0

    def charges(self, texts: list[str]) -> tuple[np.ndarray, float]:
        """(n x n charge of every span, prior per segment), both in the same units.

        A segment's charge includes the cost of the boundary after its last unit
        (`end_weights`), so the dynamic programme needs no per-position prior.
        """
        charge, prior = self.cohesion_charges(texts)
        weights = end_weights(texts, self.rho)
        if weights is not None:
            charge = charge + prior * weights[np.newaxis, :]
        heads = heading_weights(texts)
        if heads is not None:
            charge = charge + prior * heads[np.newaxis, :]
        return charge, prior

    def cohesion_charges(self, texts: list[str]) -> tuple[np.ndarray, float]:
        """The charges from the words alone (likelihood less density), and the prior per segment."""
        from seamline.kernels.topics import block_density, cosine_matrix, rank_matrix, segment_costs
        from seamline.topics.vectors import term_matrix

        n = len(texts)
        terms, start, vocab = token_arrays(texts)
        scale = n / max(len(terms), 1)
        charge = segment_costs(terms, start, vocab, self.beta) * scale
        rank = rank_matrix(cosine_matrix(*term_matrix(texts, "count")), RADIUS)
        charge -= self.lam * block_density(rank, POWER)
        return charge, segment_prior(self.mu, len(terms), n)

    def score(self, texts: list[str]) -> Scores:
        n = len(texts)
        result = Scores.empty(n)
        result.cutoff = 0.5
        self.charge = None
        for lo in range(0, n, WINDOW):
            part = texts[lo:lo + WINDOW]
            if len(part) < 2:
                continue
            charge, prior = self.charges(part)
            values, _chosen = strengths(charge, prior)
            result.values[lo + 1:lo + len(part)] = values[1:]
            result.candidates[lo + 1:lo + len(part)] = True  # every sentence start is scored
            if n <= WINDOW:
                self.charge, self.prior = charge, prior
        return result

    def place(self, starts: list[int], min_units: int | None, max_units: int | None) -> list[int]:
        """The optimum with exactly len(starts) + 1 segments within the length limits (one window only)."""
        from seamline.kernels.topics import min_cost_segmentation

        if self.charge is None:
            return starts
        n = self.charge.shape[0]
        placed = min_cost_segmentation(self.charge, 0.0, len(starts) + 1, min_units or 1, max_units or n)
        return [int(i) for i in placed] if len(placed) or not starts else starts


def strengths(charge: np.ndarray, prior: float) -> tuple[np.ndarray, np.ndarray]:
    """Boundary strength before each unit, and which units start a segment of the optimum."""
    from seamline.kernels.topics import min_cost_segmentation

    n = charge.shape[0]
    starts = [int(i) for i in min_cost_segmentation(charge, prior, 0, 1, n)]
    edges = [0, *starts, n]
    values = np.zeros(n)
    chosen = np.zeros(n, dtype=bool)
    unit = max(prior, 1e-9)
    for a, b, c in zip(edges, edges[1:], edges[2:]):  # boundary b between segments a..b-1 and b..c-1
        rise = charge[a, c - 1] - charge[a, b - 1] - charge[b, c - 1] - prior
        values[b] = 0.5 + 0.5 * (1.0 - math.exp(-max(rise, 0.0) / unit)) + 1e-9
        chosen[b] = True
    for a, b in zip(edges, edges[1:]):
        for i in range(a + 1, b):
            rise = charge[a, i - 1] + charge[i, b - 1] + prior - charge[a, b - 1]
            values[i] = 0.5 * math.exp(-max(rise, 0.0) / unit)
    return np.clip(values, 0.0, 1.0), chosen
