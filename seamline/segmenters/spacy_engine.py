"""spaCy's rule-based `sentencizer` in a real (blank) spaCy pipeline.

A blank pipeline needs no downloaded model, so this runs offline. Sentence
offsets come from spaCy's own character indices, so no alignment is needed;
texts are fed in pieces below spaCy's max_length.
"""
from __future__ import annotations

from seamline.errors import MissingExtra, UsageError
from seamline.segmenters.base import pieces

PIECE_CHARS = 100_000


class SpacySentences:
    name = "spacy"
    kind = "sentence"

    def __init__(self, lang: str = "en", **_options):
        try:
            import spacy
        except ImportError:
            raise MissingExtra("spacy", None, "the spacy engine") from None
        try:
            self.nlp = spacy.blank(lang)
        except (ImportError, KeyError, ValueError) as err:
            raise UsageError(f"spaCy has no language {lang!r} ({err})") from None
        self.nlp.add_pipe("sentencizer")

    def starts(self, text: str) -> list[int]:
        parts = [(o, p) for o, p in pieces(text, PIECE_CHARS) if p.strip()]
        out: list[int] = []
        for (offset, _), doc in zip(parts, self.nlp.pipe(p for _, p in parts)):
            out.extend(offset + sent.start_char for sent in doc.sents)
        return out
