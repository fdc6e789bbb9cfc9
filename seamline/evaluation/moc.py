"""MoC's chunk-quality metrics (Zhao et al., 2025): boundary clarity and chunk stickiness.

Both ask a causal language model how much one chunk helps to read another,
through perplexity ppl(x) = exp(mean negative log-probability of x's tokens):

- Boundary clarity of two consecutive chunks, d then q: BC(q, d) = ppl(q | d) / ppl(q).
  Near 1, the preceding chunk does not help to read q (a clean boundary); lower
  values mean the boundary cut through something. Reported: the mean over all
  consecutive pairs (higher is better).
- Chunk stickiness: a graph whose nodes are a document's chunks, with an edge
  from q_i to a later q_j when K(q_i, q_j) = (ppl(q_j) - ppl(q_j | q_i)) / ppl(q_j)
  exceeds the threshold K (0.8): q_i makes q_j much less perplexing. Stickiness
  is the structural entropy of that graph, -sum_i (h_i / 2m) log2 (h_i / 2m), with
  h_i the degree of node i and m the number of edges (0 without edges). Reported:
  the mean over documents (lower is better: chunks that stand on their own).

As the paper's text has it, an edge marks strong dependence (K above the
threshold); the authors' script compares 1 - K with 0.8 instead, which keeps the
weakly dependent pairs, and divides mean log-losses rather than perplexities.
The graph is the paper's "incomplete" one, which follows the text's order
(edges only from a chunk to later ones), and, to keep the cost linear in the
document, pairs are taken up to `reach` chunks apart (3 by default); the
paper's documents are short enough for all pairs.

Cost: each chunk is read once alone and, as the later chunk of a pair, once
after each of its `reach` predecessors. A context that does not fit the
model's window with the chunk is cut from the left.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

EDGE_THRESHOLD = 0.8
REACH = 3


def structural_entropy(n: int, edges: list[tuple[int, int]]) -> float:
    if not edges:
        return 0.0
    degree = [0] * n
    for i, j in edges:
        degree[i] += 1
        degree[j] += 1
    total = 2 * len(edges)
    return -sum(h / total * math.log2(h / total) for h in degree if h)


@dataclass
class MoCScores:
    lm: object
    threshold: float = EDGE_THRESHOLD
    reach: int = REACH
    clarity: list[float] = field(default_factory=list)
    stickiness: list[float] = field(default_factory=list)

    def perplexity(self, context: list[int], target: list[int]) -> float:
        return math.exp(self.lm.mean_nll(context, target))

    def add(self, chunks: list[str]) -> dict:
        ids = [self.lm.tokenize(c) for c in chunks]
        keep = [k for k, t in enumerate(ids) if t]  # chunks of whitespace only have no perplexity
        alone = {k: self.perplexity([], ids[k]) for k in keep}
        clarity, edges = [], []
        for b, j in enumerate(keep):
            for a in range(max(0, b - self.reach), b):
                i = keep[a]
                given = self.perplexity(ids[i], ids[j])
                if a == b - 1:
                    clarity.append(given / alone[j])
                if (alone[j] - given) / alone[j] > self.threshold:
                    edges.append((a, b))
        stickiness = structural_entropy(len(keep), edges)
        self.clarity.extend(clarity)
        self.stickiness.append(stickiness)
        return {"boundary_clarity": sum(clarity) / len(clarity) if clarity else None,
                "chunk_stickiness": stickiness, "stickiness_edges": len(edges)}

    def summary(self) -> dict:
        return {"boundary_clarity": sum(self.clarity) / len(self.clarity) if self.clarity else None,
                "chunk_stickiness": sum(self.stickiness) / len(self.stickiness) if self.stickiness else None}
