"""TextTiling places exactly NLTK's boundaries with NLTK's parameters, and needs no paragraph breaks."""
from __future__ import annotations

import os
import re

import pytest

from conftest import FIXTURES, read_jsonl, shared_path
from seamline.topics.decide import decide
from seamline.topics.stopwords import ENGLISH
from seamline.topics.tiling import TilingParams, TilingScorer, nltk_boundaries
from seamline.topics.text import words

nltk_tt = pytest.importorskip("nltk.tokenize.texttiling")


def nltk_corpus_stopwords() -> frozenset:
    """NLTK's English stopword corpus, from ../shared/data/nltk_data (never downloaded)."""
    data = shared_path("nltk_data")
    os.environ["NLTK_DATA"] = str(data)
    import nltk

    if str(data) not in nltk.data.path:
        nltk.data.path.insert(0, str(data))
    from nltk.corpus import stopwords

    return frozenset(stopwords.words("english"))


# NLTK's TextTilingTokenizer takes any stopword list. Its own list is a data package
# that a fresh clone does not have, so the comparison also runs with seamline's own
# list, given to both sides: the fresh clone still checks the algorithm against NLTK.
@pytest.fixture(scope="module", params=["own", "nltk"])
def stopwords(request) -> frozenset:
    return ENGLISH if request.param == "own" else nltk_corpus_stopwords()


def nltk_offsets(text: str, stop: frozenset) -> list[int]:
    pieces = nltk_tt.TextTilingTokenizer(stopwords=stop).tokenize(text)
    out, pos = [], 0
    for piece in pieces[:-1]:
        pos += len(piece)
        out.append(pos)
    return out


def as_paragraphs(doc: dict) -> str:
    """NLTK needs blank lines: one gold sentence (or poem line) a paragraph."""
    return "\n\n".join(doc["text"][s:e] for s, e in doc["meta"]["sentence_spans"])


def dev_texts() -> list[str]:
    choi = read_jsonl(shared_path("topics", "choi.dev.jsonl"))[::23]
    fournier = read_jsonl(shared_path("topics", "multicoder_fournier.dev.jsonl"))
    return [as_paragraphs(d) for d in choi + fournier]


def fixture_texts() -> list[str]:
    """The suite's own topic, legal and prose fixtures, one sentence a paragraph, in a few orders."""
    names = ["topics/three_topics.txt", "topics/lda/corpus.txt", "topics/lda/three_topics.txt",
             "sentences/hard_wrapped.txt", "legal/statute.txt", "legal/contract.txt", "legal/policy.txt"]
    parts = [(FIXTURES / name).read_text(encoding="utf-8") for name in names]
    joined = ["".join(parts), "".join(parts[::-1]), parts[1] + parts[0] * 2, "\n".join(parts[1:4] * 3)]
    return [re.sub(r"(?<=[.!?]) +", "\n\n", text) for text in joined]


def assert_same_as_nltk(texts: list[str], stop: frozenset) -> None:
    params = TilingParams(stopwords=stop, ascii_only=True)
    placed = 0
    for text in texts:
        want = nltk_offsets(text, stop)
        assert nltk_boundaries(text, params) == want
        placed += len(want)
    assert placed > 2 * len(texts)  # the comparison is about real boundaries, not empty lists


def test_same_boundaries_as_nltk_on_dev_texts(stopwords):
    texts = dev_texts()
    assert len(texts) >= 20
    assert_same_as_nltk(texts, stopwords)


def test_same_boundaries_as_nltk_on_fixture_texts(stopwords):
    assert_same_as_nltk(fixture_texts(), stopwords)


def test_same_boundaries_as_nltk_on_messy_fixture(stopwords):
    base = (FIXTURES / "topics" / "three_topics.txt").read_text()
    text = (base.replace(". ", ".\n\n") + "\n\n") * 2  # messy: odd whitespace, repeated topics
    params = TilingParams(stopwords=stopwords, ascii_only=True)
    assert nltk_boundaries(text, params) == nltk_offsets(text, stopwords)


def test_ascii_tokens_match_unicode_tokens_on_ascii_text():
    text = (FIXTURES / "topics" / "three_topics.txt").read_text() + " U.S. don't e-mail 42nd"
    assert words(text, ascii_only=True) == words(text)
    assert "us" in words(text) and "nd" in words(text)  # punctuation and digits deleted, as NLTK does
    assert words("café 你好") == ["café", "你", "好"]
    assert words("café", ascii_only=True) == ["caf"]


def test_own_stopwords_are_not_nltks_but_cover_function_words():
    assert {"the", "and", "of", "which", "because"} <= ENGLISH
    assert not {"orchard", "harbour", "railway"} & ENGLISH


def test_unit_scores_need_no_paragraph_breaks():
    # one line, no blank lines: NLTK cannot segment this; sentence units can
    text = (FIXTURES / "topics" / "three_topics.txt").read_text().replace("\n", " ")
    sentences = [s + "." for s in text.split(". ") if s.strip()]
    scorer = TilingScorer(w=10, k=3)
    scores = scorer.score(sentences)
    assert scores.values.min() >= 0 and scores.values.max() <= 1
    starts = decide(scores, "best", segments=3)
    # the true topic starts are sentences 6 and 12; each found within one sentence
    assert len(starts) == 2
    assert abs(starts[0] - 6) <= 1 and abs(starts[1] - 12) <= 1
