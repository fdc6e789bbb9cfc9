"""Topic segmentation: boundary scores between units, and decisions over them.

A method scores the boundary before each unit (sentence) in [0, 1]; a decision
(`seamline.topics.decide`) turns scores into segments. Methods:

  tiling      TextTiling (Hearst 1997), NLTK's numbers, no paragraph breaks needed
  c99         Choi (2000): similarity matrix, rank transform, divisive clustering
  embedding   cosine between windows of sentence vectors (TF-IDF + LSA by default)
  perplexity  Meta-Chunking: sentence perplexity under a language model, minima
              (the shipped n-gram model, or --model smollm2|FILE.gguf: a real causal LM)
  margin      Meta-Chunking margin sampling: a causal LM asked whether two units belong together
  bayes       Utiyama & Isahara (2001) likelihood + C99 density, best segmentation by DP
  topictiling Riedl & Biemann (2012): LDA topic per word, TopicTiling depth scores

Modules are imported only when a method is used, so the CLI starts fast.
"""
from __future__ import annotations

from seamline import registry

METHODS = registry.BUILTINS["scorers"]  # the built-ins; plugins: registry.names("scorers")
DEFAULT_METHOD = "tiling"   # `seamline score`: fast, no document-wide optimisation needed
# `segment --by topic`: the method whose own decision is best on the DEV topic sets and never
# worse there than no boundary at all (benchmarks/accuracy.py); tiling's own threshold keeps
# every local dip and cuts books into segments of one or two sentences.
TOPIC_DEFAULT = "bayes"


def get_scorer(method: str | None = None, **options):
    return registry.load("scorers", method or DEFAULT_METHOD)(**options)


__all__ = ["METHODS", "DEFAULT_METHOD", "TOPIC_DEFAULT", "get_scorer"]
