"""Words for topic methods: lower-cased letter runs, stopwords, a light stemmer, term ids.

Tokenising follows NLTK's TextTiling so that our TextTiling can match it
exactly: the text is lower-cased, every character that is not a letter, a
hyphen, an apostrophe, a space, a tab or a newline is deleted (so "U.S." and
"e.g." become one word, and digits vanish), and words are the letter runs
left. NLTK keeps only the ASCII letters a-z; `ascii_only=False` (our default)
keeps every script's letters and makes each CJK character a word of its own,
which is the same thing on ASCII text.
"""
from __future__ import annotations

import re

from seamline.topics.stopwords import ENGLISH

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
_DROP_ASCII = re.compile(r"[^a-z\-' \n\t]+")
_WORDS_ASCII = re.compile(r"[a-z]+")
_DROP = re.compile(r"(?:[^\w\-' \n\t]|[\d_])+")
_WORDS = re.compile(rf"[{_CJK}]|[^\W\d_{_CJK}]+")


def words(text: str, ascii_only: bool = False) -> list[str]:
    """The words of `text`, lower-cased, stopwords included."""
    low = text.lower()
    if ascii_only:
        return _WORDS_ASCII.findall(_DROP_ASCII.sub("", low))
    return _WORDS.findall(_DROP.sub("", low))


_SUFFIXES = (("ational", "ate"), ("ization", "ize"), ("iveness", "ive"), ("fulness", "ful"),
             ("ousness", "ous"), ("nesses", ""), ("ments", ""), ("ement", ""), ("ment", ""),
             ("ness", ""), ("ities", ""), ("ity", ""), ("ingly", ""), ("edly", ""), ("ings", ""),
             ("ing", ""), ("ies", "y"), ("sses", "ss"), ("ied", "y"), ("ed", ""), ("ly", ""),
             ("es", ""), ("s", ""))
_STEMS: dict[str, str] = {}


def stem(word: str) -> str:
    """A light suffix stripper: enough to join plural/verb forms, cheap, and deterministic."""
    hit = _STEMS.get(word)
    if hit is not None:
        return hit
    out = word
    if len(word) > 3 and not word.endswith(("ss", "us", "is")):
        for suffix, repl in _SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                out = word[: len(word) - len(suffix)] + repl
                break
    if len(_STEMS) < 200_000:
        _STEMS[word] = out
    return out


def content_words(text: str, stopwords=ENGLISH, stemmed: bool = True) -> list[str]:
    """Words without stopwords and one-letter words, stemmed when asked."""
    out = [w for w in words(text) if len(w) > 1 and w not in stopwords]
    return [stem(w) for w in out] if stemmed else out


class Vocabulary:
    """Term ids assigned in order of first appearance."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}

    def id(self, term: str) -> int:
        ids = self.ids
        i = ids.get(term)
        if i is None:
            i = ids[term] = len(ids)
        return i

    def __len__(self) -> int:
        return len(self.ids)


# a unit that ends a sentence or a clause: such a line is no heading
_CLOSED = re.compile(r"[.!?,;:\u2026\u3002\uff01\uff1f][\"'\u2019\u201d)\]]*$")


def is_heading(unit: str) -> bool:
    """A heading unit: one short line that ends no sentence and stands on its own, i.e. written
    in Markdown (`## The orchard`) or followed by a blank line (`The orchard` then a paragraph).

    Units cut from text without blank lines (Choi's or the manifestos' one sentence a line, verse)
    never qualify unless they start with `#`, so the cue is silent there.
    """
    text = unit.strip()
    if not text or "\n" in text or len(text) > 80:
        return False
    if text.startswith("#"):
        return True
    tail = unit[len(unit.rstrip()):]
    return (tail.count("\n") >= 2 and not _CLOSED.search(text)
            and (text[0].isupper() or text[0].isdigit()))
