"""LDA topic models for TopicTiling: fitting by collapsed Gibbs sampling, inference, .npz files.

Words are the topic methods' stemmed content words (seamline.topics.text). A
model keeps its vocabulary (the commonest terms of the corpus, capped) and the
topic-term counts of the last Gibbs sweep, stored sparsely in a compressed
.npz, so a 100-topic model of a few hundred thousand tokens is about 1 MB.

Inference on new text follows TopicTiling (Riedl & Biemann 2012): Gibbs
sampling with the topics fixed, and each word keeps the topic it was given
most often over the last sweeps (the mode), which is steadier than one sample.

Fit a model on your own corpus (text files are cut at blank lines and the
paragraphs grouped into documents of about --doc-words content words; JSONL
files give one document per line, or one per gold segment with --by segments):

    python -m seamline.topics.lda fit my_corpus/*.txt -o my-topics.npz
    seamline segment my.txt | seamline score --method topictiling --model my-topics.npz

The shipped model was made with `python -m seamline.topics.lda fit` and the
arguments stored in its `recipe` field (see docs/topics.md).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from seamline.topics.text import content_words

MODEL_PATH = Path(__file__).resolve().parent.parent / "models" / "topics" / "lda-gutenberg.npz"
TOPICS = 100
ALPHA = None        # None: 50 / topics (Griffiths & Steyvers)
BETA = 0.01
SEED = 13


@dataclass
class LdaModel:
    vocab: list[str]
    topic_term: np.ndarray      # topics x terms, counts of the last training sweep
    alpha: float
    beta: float
    recipe: str = ""

    @property
    def n_topics(self) -> int:
        return int(self.topic_term.shape[0])

    def term_ids(self) -> dict[str, int]:
        ids = getattr(self, "_ids", None)
        if ids is None:
            ids = self._ids = {w: i for i, w in enumerate(self.vocab)}
        return ids

    def phi_t(self) -> np.ndarray:
        """p(term | topic), terms x topics, smoothed by beta (what inference reads)."""
        phi = getattr(self, "_phi_t", None)
        if phi is None:
            counts = self.topic_term.astype(np.float64) + self.beta
            phi = self._phi_t = np.ascontiguousarray((counts / counts.sum(axis=1, keepdims=True)).T)
        return phi

    def encode(self, texts: list[str]) -> list[np.ndarray]:
        """Term ids of each text's content words that the model knows (others are dropped)."""
        ids = self.term_ids()
        out = []
        for text in texts:
            row = [ids[w] for w in content_words(text) if w in ids]
            out.append(np.asarray(row, dtype=np.int64))
        return out

    def save(self, path: str | Path) -> None:
        rows, cols = np.nonzero(self.topic_term)
        np.savez_compressed(
            path, vocab=np.array("\n".join(self.vocab)), rows=rows.astype(np.int16),
            cols=cols.astype(np.int32), counts=self.topic_term[rows, cols].astype(np.int32),
            shape=np.array(self.topic_term.shape, dtype=np.int64),
            alpha=np.array(self.alpha), beta=np.array(self.beta), recipe=np.array(self.recipe))

    @classmethod
    def load(cls, path: str | Path) -> "LdaModel":
        from seamline.errors import InputError

        try:
            with np.load(path, allow_pickle=False) as z:
                shape = tuple(int(x) for x in z["shape"])
                topic_term = np.zeros(shape, dtype=np.int64)
                topic_term[z["rows"].astype(np.int64), z["cols"].astype(np.int64)] = z["counts"]
                vocab = str(z["vocab"]).split("\n")
                return cls(vocab, topic_term, float(z["alpha"]), float(z["beta"]), str(z["recipe"]))
        except (OSError, KeyError, ValueError) as e:
            raise InputError(f"{path}: not a seamline LDA model ({e}); fit one with "
                             "`python -m seamline.topics.lda fit CORPUS... -o MODEL.npz`") from None


_LOADED: dict[str, LdaModel] = {}


def load_model(path: str | Path | None = None) -> LdaModel:
    """A model file, loaded once per process: `path`, else $SEAMLINE_LDA_MODEL, else the shipped one.

    The variable lets `seamline segment --by topic --method topictiling` (which has no
    --model option) use a model of your own.
    """
    key = str(Path(path or os.environ.get("SEAMLINE_LDA_MODEL") or MODEL_PATH).resolve())
    if key not in _LOADED:
        _LOADED[key] = LdaModel.load(key)
    return _LOADED[key]


def flatten(docs: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """(term of every token, document of every token)."""
    words = np.concatenate(docs).astype(np.int64) if docs else np.zeros(0, dtype=np.int64)
    which = np.repeat(np.arange(len(docs), dtype=np.int64), [len(d) for d in docs])
    return words, which


def fit(texts: list[str], topics: int = TOPICS, vocab_size: int = 20000, iterations: int = 300,
        alpha: float | None = ALPHA, beta: float = BETA, seed: int = SEED, min_count: int = 2,
        recipe: str = "", log=None) -> LdaModel:
    """Fit an LDA model on documents (texts) by collapsed Gibbs sampling."""
    from seamline.kernels.lda import train_sweep

    tokens = [content_words(t) for t in texts]
    counts = Counter(w for row in tokens for w in row)
    kept = [w for w, c in counts.most_common(vocab_size) if c >= min_count]
    ids = {w: i for i, w in enumerate(kept)}
    docs = [np.asarray([ids[w] for w in row if w in ids], dtype=np.int64) for row in tokens]
    docs = [d for d in docs if len(d)]
    words, which = flatten(docs)
    alpha = 50.0 / topics if alpha is None else alpha
    rng = np.random.default_rng(seed)
    z = rng.integers(0, topics, size=len(words)).astype(np.int64)
    ndk = np.zeros((len(docs), topics), dtype=np.int64)
    nkw = np.zeros((topics, len(kept)), dtype=np.int64)
    np.add.at(ndk, (which, z), 1)
    np.add.at(nkw, (z, words), 1)
    nk = nkw.sum(axis=1)
    for it in range(iterations):
        train_sweep(words, which, z, ndk, nkw, nk, alpha, beta, rng.random(len(words)))
        if log and (it + 1) % 50 == 0:
            log(f"sweep {it + 1}/{iterations}")
    return LdaModel(kept, nkw, alpha, beta, recipe)


def infer(model: LdaModel, docs: list[np.ndarray], iterations: int = 60, keep: int = 30,
          seed: int = SEED) -> list[np.ndarray]:
    """Topic of every token of each document: the mode over the last `keep` of `iterations` sweeps."""
    from seamline.kernels.lda import infer_sweep

    words, which = flatten(docs)
    topics = model.n_topics
    if len(words) == 0:
        return [np.zeros(0, dtype=np.int64) for _ in docs]
    rng = np.random.default_rng(seed)
    z = rng.integers(0, topics, size=len(words)).astype(np.int64)
    ndk = np.zeros((len(docs), topics), dtype=np.int64)
    np.add.at(ndk, (which, z), 1)
    phi_t = model.phi_t()
    tally = np.zeros((len(words), topics), dtype=np.int32)
    rows = np.arange(len(words))
    keep = max(1, min(keep, iterations))
    for it in range(iterations):
        infer_sweep(words, which, z, ndk, phi_t, model.alpha, rng.random(len(words)))
        if it >= iterations - keep:
            tally[rows, z] += 1
    mode = tally.argmax(axis=1)
    bounds = np.cumsum([0] + [len(d) for d in docs])
    return [mode[a:b] for a, b in zip(bounds, bounds[1:])]


# ---- corpora ---------------------------------------------------------------------------------

def paragraphs(text: str) -> list[str]:
    return [p for p in (q.strip() for q in text.replace("\r\n", "\n").split("\n\n")) if p]


def group(pieces: list[str], doc_words: int) -> list[str]:
    """Consecutive pieces joined until each document has about doc_words content words."""
    out, buf, size = [], [], 0
    for p in pieces:
        buf.append(p)
        size += len(content_words(p, stemmed=False))
        if size >= doc_words:
            out.append("\n\n".join(buf))
            buf, size = [], 0
    if buf:
        out.append("\n\n".join(buf))
    return out


def read_corpus(paths: list[str], by: str = "paragraphs", doc_words: int = 150) -> list[str]:
    """Documents from text files (paragraph groups) and JSONL files (lines, or gold segments)."""
    from seamline.errors import InputError

    docs: list[str] = []
    for path in paths:
        p = Path(path)
        try:
            if p.suffix == ".jsonl":
                with open(p, encoding="utf-8") as f:
                    for n, line in enumerate(f, 1):
                        if not line.strip():
                            continue
                        try:
                            rec = json.loads(line)
                            text = rec["text"]
                        except (ValueError, KeyError, TypeError):
                            raise InputError(f"{p}:{n}: expected a JSON object with \"text\"") from None
                        if by == "segments" and rec.get("segments"):
                            docs.extend(text[s:e] for s, e in rec["segments"])
                        elif by == "lines":
                            docs.append(text)
                        else:
                            docs.extend(group(paragraphs(text), doc_words))
            else:
                docs.extend(group(paragraphs(p.read_text(encoding="utf-8", errors="replace")), doc_words))
        except OSError as e:
            raise InputError(f"{p}: cannot read ({e.strerror})") from None
    return docs


def sample(docs: list[str], max_docs: int | None, seed: int = SEED) -> list[str]:
    """At most max_docs documents, drawn evenly at random (keeps every book represented)."""
    if not max_docs or len(docs) <= max_docs:
        return docs
    pick = np.sort(np.random.default_rng(seed).choice(len(docs), size=max_docs, replace=False))
    return [docs[i] for i in pick]


def main(argv: list[str] | None = None) -> int:
    from seamline.errors import InputError

    ap = argparse.ArgumentParser(prog="python -m seamline.topics.lda",
                                 description="Fit an LDA topic model for `--method topictiling`.")
    sub = ap.add_subparsers(dest="command", required=True)
    f = sub.add_parser("fit", help="fit a model on text/JSONL files and save it as .npz",
                       description="Example: python -m seamline.topics.lda fit corpus/*.txt -o topics.npz")
    f.add_argument("paths", nargs="+", help=".txt files (cut at blank lines) or .jsonl files ({\"text\"} per line)")
    f.add_argument("-o", "--output", required=True, help="model file to write (.npz)")
    f.add_argument("--by", choices=("paragraphs", "lines", "segments"), default="paragraphs",
                   help="JSONL documents: paragraph groups of each text (default), whole lines, or gold segments")
    f.add_argument("--doc-words", type=int, default=150, help="content words per paragraph group (default 150)")
    f.add_argument("--max-docs", type=int, default=None, help="use at most this many documents (random, seeded)")
    f.add_argument("--topics", type=int, default=TOPICS, help=f"number of topics (default {TOPICS})")
    f.add_argument("--vocab", type=int, default=20000, help="keep the commonest N terms (default 20000)")
    f.add_argument("--iterations", type=int, default=300, help="Gibbs sweeps (default 300)")
    f.add_argument("--alpha", type=float, default=None, help="document-topic prior (default 50 / topics)")
    f.add_argument("--beta", type=float, default=BETA, help=f"topic-term prior (default {BETA})")
    f.add_argument("--seed", type=int, default=SEED)
    args = ap.parse_args(argv)
    try:
        docs = sample(read_corpus(args.paths, args.by, args.doc_words), args.max_docs, args.seed)
        if not docs:
            raise InputError("no documents in the corpus")
        recipe = " ".join(["python -m seamline.topics.lda", *(argv if argv is not None else sys.argv[1:])])
        model = fit(docs, args.topics, args.vocab, args.iterations, args.alpha, args.beta, args.seed,
                    recipe=recipe, log=lambda m: print(m, file=sys.stderr))
        model.save(args.output)
    except InputError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    print(f"{args.output}: {model.n_topics} topics, {len(model.vocab)} terms, "
          f"{int(model.topic_term.sum())} tokens from {len(docs)} documents", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
