"""Meta-Chunking's perplexity chunking with a language model the project builds and ships.

Each sentence gets its perplexity given the sentences before it. A boundary
follows sentence i when i is a local minimum (PPL(i) < PPL(i-1) and PPL(i) <
PPL(i+1), or equal to the right with a drop on the left), as Meta-Chunking
puts it; its strength is the larger drop, in log-perplexity, mapped to [0, 1)
by 1 - exp(-drop).

The default model is a Kneser-Ney bigram model (absolute discount, continuation
unigrams) over the commonest English words, trained by `python -m
seamline.topics.perplexity build CORPUS...` on public-domain books and shipped
in seamline/models/topics/. The context enters through a cache: each word's
probability is mixed with its frequency in the preceding sentences, so a
sentence that continues the topic is less perplexing. Any causal language
model in a local Hugging Face directory can replace it (`--model DIR`, the `hf`
extra: torch and transformers).
"""
from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np

from seamline.topics.scores import Scores, mean_minus_half_std
from seamline.topics.text import words

MODEL_PATH = Path(__file__).resolve().parent.parent / "models" / "topics" / "ngram-en.npz"
UNK, BOS = 0, 1


class NgramModel:
    """Interpolated Kneser-Ney bigram probabilities from the arrays of a built model."""

    def __init__(self, path: Path = MODEL_PATH):
        from seamline.errors import InputError

        try:
            arrays = np.load(path, allow_pickle=False)
        except OSError:
            raise InputError(f"the perplexity model {path} is missing; rebuild it with "
                             "`python -m seamline.topics.perplexity build CORPUS...`") from None
        self.vocab = {w: i for i, w in enumerate(str(arrays["vocab"]).split("\n"))}
        self.size = len(self.vocab)
        self.continuation = arrays["continuation"].astype(np.float64)
        self.context_total = arrays["context_total"].astype(np.float64)
        self.context_types = arrays["context_types"].astype(np.float64)
        self.keys = arrays["keys"].astype(np.int64)
        self.counts = arrays["counts"].astype(np.float64)
        self.discount = float(arrays["discount"])

    def ids(self, tokens: list[str]) -> np.ndarray:
        get = self.vocab.get
        return np.fromiter((get(t, UNK) for t in tokens), dtype=np.int64, count=len(tokens))

    def probabilities(self, ids: np.ndarray) -> np.ndarray:
        """p(w_t | w_{t-1}) for each token, the sentence starting after <s>."""
        prev = np.concatenate(([BOS], ids[:-1]))
        key = prev * self.size + ids
        at = np.searchsorted(self.keys, key)
        at_ok = np.minimum(at, len(self.keys) - 1)
        pair = np.where(self.keys[at_ok] == key, self.counts[at_ok], 0.0)
        total = self.context_total[prev]
        cont = self.continuation[ids]
        seen = total > 0
        safe = np.where(seen, total, 1.0)
        backoff = self.discount * self.context_types[prev] / safe
        p = np.maximum(pair - self.discount, 0.0) / safe + backoff * cont
        return np.where(seen, p, cont)


class PerplexityScorer:
    name = "perplexity"

    def __init__(self, context: int = 5, cache_weight: float = 0.3, model: str | None = None,
                 drop: float | str = 0.0, **_options):
        self.context = context
        self.cache_weight = cache_weight
        self.meta = None
        if model and (model == "smollm2" or model.lower().endswith(".gguf")):
            from seamline.topics.metachunking import LMPerplexityScorer

            self.meta = LMPerplexityScorer(model, drop)  # Meta-Chunking's own rule under a real LM
        self.lm = HFCausalLM(model, context) if model and self.meta is None else None

    def log_perplexities(self, texts: list[str]) -> np.ndarray:
        """Mean negative log-probability per word of each sentence given the ones before (NaN: no words)."""
        if self.lm is not None:
            return self.lm.log_perplexities(texts)
        model = shared_model()
        tokens = [words(t) for t in texts]
        out = np.full(len(texts), np.nan)
        window: list[dict] = []
        for i, toks in enumerate(tokens):
            counts = {}
            for t in toks:
                counts[t] = counts.get(t, 0) + 1
            if toks:
                p = model.probabilities(model.ids(toks))
                cache_total = sum(sum(c.values()) for c in window)
                if cache_total:
                    cached = np.array([sum(c.get(t, 0) for c in window) for t in toks], dtype=np.float64)
                    p = (1 - self.cache_weight) * p + self.cache_weight * cached / cache_total
                out[i] = float(-np.log(np.maximum(p, 1e-12)).mean())
            window.append(counts)
            if len(window) > self.context:
                window.pop(0)
        return out

    def score(self, texts: list[str]) -> Scores:
        if self.meta is not None:
            return self.meta.score(texts)
        n = len(texts)
        result = Scores.empty(n)
        ppl = self.log_perplexities(texts)
        have = np.flatnonzero(~np.isnan(ppl))
        seq = ppl[have]
        for j in range(1, len(seq) - 1):
            left, right = seq[j - 1] - seq[j], seq[j + 1] - seq[j]
            if left > 0 and right >= 0:
                unit = have[j + 1]  # the boundary follows sentence j: before the next one with words
                drop = max(left, right)
                result.candidates[unit] = True
                result.values[unit] = 1.0 - math.exp(-drop)
        result.cutoff = mean_minus_half_std(result.values, result.candidates)
        return result


_MODEL: NgramModel | None = None


def shared_model() -> NgramModel:
    global _MODEL
    if _MODEL is None:
        _MODEL = NgramModel()
    return _MODEL


class HFCausalLM:
    """Sentence perplexities from a causal LM in a local Hugging Face directory (no download)."""

    def __init__(self, path: str, context_sentences: int = 5, max_context_tokens: int = 512):
        from seamline.errors import MissingExtra, UsageError

        try:
            import torch  # noqa: F401
            from transformers import AutoModelForCausalLM, AutoTokenizer
        except ImportError:
            raise MissingExtra("transformers", "hf", "a model for the perplexity method") from None
        if not Path(path).is_dir():
            raise UsageError(f"`model` {path!r}: not a local model directory")
        self.tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
        self.model = AutoModelForCausalLM.from_pretrained(path, local_files_only=True).eval()
        self.context_sentences = context_sentences
        self.max_context_tokens = max_context_tokens

    def log_perplexities(self, texts: list[str]) -> np.ndarray:
        import torch

        encoded = [self.tokenizer(t, add_special_tokens=False)["input_ids"] for t in texts]
        out = np.full(len(texts), np.nan)
        for i, ids in enumerate(encoded):
            if not ids or not texts[i].strip():
                continue
            context = [t for prev in encoded[max(0, i - self.context_sentences):i] for t in prev]
            context = context[-self.max_context_tokens:]
            bos = self.tokenizer.bos_token_id if self.tokenizer.bos_token_id is not None else \
                self.tokenizer.eos_token_id
            prefix = context or ([bos] if bos is not None else [])
            if not prefix:  # no way to predict the first token: score from the second on
                prefix, ids = ids[:1], ids[1:]
                if not ids:
                    continue
            inputs = torch.tensor([prefix + ids])
            with torch.no_grad():
                logits = self.model(inputs).logits[0]
            logp = torch.log_softmax(logits[len(prefix) - 1:-1].float(), dim=-1)
            target = torch.tensor(ids)
            out[i] = float(-logp[torch.arange(len(ids)), target].mean())
        return out


def build(corpus_files: list[str], out: Path = MODEL_PATH, vocab_size: int = 20000, min_pair: int = 3) -> None:
    """Count a corpus and write the model: vocabulary, continuation unigrams, pruned bigrams."""
    from collections import Counter

    counts: Counter = Counter()
    sentences: list[list[str]] = []
    for path in corpus_files:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
        for line in text.split("\n\n"):
            toks = words(line)
            if toks:
                sentences.append(toks)
                counts.update(toks)
    vocab = ["<unk>", "<s>"] + [w for w, _ in counts.most_common(vocab_size - 2)]
    index = {w: i for i, w in enumerate(vocab)}
    size = len(vocab)
    seqs = [np.array([BOS] + [index.get(t, UNK) for t in s], dtype=np.int64) for s in sentences]
    prev = np.concatenate([s[:-1] for s in seqs])
    nxt = np.concatenate([s[1:] for s in seqs])
    keys, pair_counts = np.unique(prev * size + nxt, return_counts=True)
    left, right = keys // size, keys % size
    context_total = np.bincount(left, weights=pair_counts, minlength=size)
    context_types = np.bincount(left, minlength=size)
    continuation = np.bincount(right, minlength=size).astype(np.float64)
    continuation[BOS] = 0.0
    continuation = (continuation + 0.5) / (continuation + 0.5).sum()  # no word gets probability 0
    n1 = int((pair_counts == 1).sum())
    n2 = int((pair_counts == 2).sum())
    discount = n1 / (n1 + 2 * n2) if n1 + n2 else 0.75
    keep = pair_counts >= min_pair
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out, vocab=np.array("\n".join(vocab)), continuation=continuation.astype(np.float32),
                        context_total=context_total.astype(np.uint32), context_types=context_types.astype(np.uint32),
                        keys=keys[keep].astype(np.uint32), counts=np.minimum(pair_counts[keep], 65535).astype(np.uint16),
                        discount=np.float64(discount))
    print(f"wrote {out}: {size} words, {int(keep.sum())} bigrams, discount {discount:.3f}", file=sys.stderr)


if __name__ == "__main__":
    if len(sys.argv) < 3 or sys.argv[1] != "build":
        sys.exit("usage: python -m seamline.topics.perplexity build CORPUS_FILE...")
    build(sys.argv[2:])
