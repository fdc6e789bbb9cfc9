"""`--strategy tight`: its programme against a plain-Python reference, and what it does on a real contract."""
from __future__ import annotations

import itertools
import json
import math
import random

import numpy as np
import pytest

from conftest import shared_path

from seamline.chunkers import get_strategy, tight
from seamline.chunkers.options import ChunkOptions
from seamline.kernels import compiled
from seamline.records import Document, UnitGroup
from seamline.segmenters import get_segmenter
from seamline.streams import segment_document
from seamline.tokenizers import get_tokenizer


def least_cost(f, g, price, budget):
    """Exhaustive search over every tiling of candidates 0..n: chunks plus the prices of their ends."""
    n = len(f) - 1
    best = math.inf
    for k in range(n):
        for inner in itertools.combinations(range(1, n), k):
            cuts = [0, *inner, n]
            if all(f[b] - g[a] <= budget for a, b in zip(cuts, cuts[1:])):
                best = min(best, sum(1.0 + price[b] for b in cuts[1:]))
    return best


@pytest.mark.kernels
@pytest.mark.parametrize("seed", range(40))
def test_programme_finds_the_least_cost(seed):
    rng = random.Random(seed)
    n = rng.randint(1, 11)
    pieces = [rng.randint(1, 6) for _ in range(n)]
    f = np.concatenate([[0], np.cumsum(pieces)]).astype(np.int64)
    price = np.array([rng.choice([-0.1, 0.0, 0.3, 0.5]) for _ in range(n + 1)])
    price[-1] = 0.0
    budget = max(pieces) + rng.randint(0, 10)
    for kernel in (tight.fewest_cuts, compiled(tight.fewest_cuts)):  # as Python, and as Numba compiles it
        best, back = np.zeros(n + 1), np.zeros(n + 1, dtype=np.int64)
        got = kernel(f, f, price, budget, best, back)
        assert got == pytest.approx(least_cost(f, f, price, budget))
        j, total = n, 0.0
        while j > 0:  # the chunks it chose fit and add up to its cost
            assert f[j] - f[back[j]] <= budget
            total += 1.0 + price[j]
            j = int(back[j])
        assert total == pytest.approx(got)


def contract() -> str:
    path = shared_path("retrieval", "cuad_qa.dev.docs.jsonl")
    with path.open(encoding="utf-8") as lines:
        docs = [json.loads(next(lines)) for _ in range(3)]
    return max(docs, key=lambda d: len(d["text"]))["text"][:60_000]


def at_sentence_ends(text: str, chunks: list[dict]) -> float:
    starts = {int(s) for s in get_segmenter("sentence").starts(text)}
    return sum(c["end"] in starts for c in chunks[:-1]) / max(1, len(chunks) - 1)


def test_tight_is_nearly_as_full_as_fill_and_ends_at_sentences_more_often():
    """On a real CUAD contract: fewer chunks than pack, at most 10% more than fill, and many more sentence ends than
    fill (on the CUAD contracts of benchmarks/retrieval.py: 3-8% more chunks than fill, 86% of them ending at
    sentence ends at 256 tokens against fill's 40%)."""
    text = contract()
    group = UnitGroup("d", segment_document(Document("d", text), get_segmenter("sentence")))
    tok = get_tokenizer("cl100k_base")
    for budget in (128, 256, 512):
        made = {name: get_strategy(name)(group, tok, ChunkOptions(max_tokens=budget)) for name in ("pack", "fill", "tight")}
        for name, chunks in made.items():
            assert "".join(c["text"] for c in chunks) == text, name
            assert max(c["tokens"] for c in chunks) <= budget, name
        assert len(made["tight"]) < len(made["pack"])
        assert len(made["tight"]) <= 1.1 * len(made["fill"])
        assert at_sentence_ends(text, made["tight"]) > at_sentence_ends(text, made["fill"]) + 0.2


def test_a_dearer_word_end_buys_more_sentence_ends(monkeypatch):
    """The prices act: pricing a word end at a whole chunk leaves no reason to cut inside a sentence."""
    text = contract()
    group = UnitGroup("d", segment_document(Document("d", text), get_segmenter("sentence")))
    tok = get_tokenizer("cl100k_base")
    cheap = get_strategy("tight")(group, tok, ChunkOptions(max_tokens=256))
    monkeypatch.setattr(tight, "WORD", 1.0)
    monkeypatch.setattr(tight, "CLAUSE", 1.0)
    dear = get_strategy("tight")(group, tok, ChunkOptions(max_tokens=256))
    assert at_sentence_ends(text, dear) > at_sentence_ends(text, cheap)
    assert len(dear) >= len(cheap)


def test_headings_open_their_sections_chunk():
    """A chunk that ends right after a Markdown heading costs as much as a chunk more: none does here."""
    from conftest import ROOT, records, run_cli

    for budget in (24, 48, 72):  # with a heading end priced as a sentence end, 2, 1 and 1 chunks end with a heading
        chunks = records(run_cli("chunk", "--strategy", "tight", "--max-tokens", str(budget),
                                 str(ROOT / "examples" / "policy.md"), check=True).stdout)
        text = "".join(c["text"] for c in chunks)
        heads = chunks[0]["meta"]["headings"]
        assert len(heads) >= 5
        after = {h["end"] + len(text[h["end"]:]) - len(text[h["end"]:].lstrip()) for h in heads}
        assert not after & {c["end"] for c in chunks[:-1]}, budget
        assert max(c["tokens"] for c in chunks) <= budget
