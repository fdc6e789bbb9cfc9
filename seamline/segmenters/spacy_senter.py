"""A spaCy `senter` pipeline that seamline trains and ships (seamline/models/senter).

spaCy's sentence recogniser, a small hash-embedding CNN tagger, trained on UD
English EWT train by `python -m seamline.sbd.train_senter`. It is loaded from
the package directory, so nothing is downloaded. Texts go in bounded pieces.
"""
from __future__ import annotations

from importlib import resources

from seamline.errors import MissingExtra, UsageError
from seamline.segmenters.base import pieces

PIECE_CHARS = 100_000


class SpacySenterSentences:
    name = "spacy-senter"
    kind = "sentence"
    languages = ("en",)  # the shipped pipeline is trained on UD English EWT

    def __init__(self, **_options):
        try:
            import spacy
        except ImportError:
            raise MissingExtra("spacy", None, "the spacy-senter engine") from None
        path = resources.files("seamline") / "models" / "senter"
        try:
            with resources.as_file(path) as p:
                self.nlp = spacy.load(p)
        except (OSError, ValueError) as err:
            raise UsageError(f"cannot load the shipped senter pipeline at {path}: {err}") from None

    def starts(self, text: str) -> list[int]:
        parts = [(o, p) for o, p in pieces(text, PIECE_CHARS) if p.strip()]
        out: list[int] = []
        for (offset, _), doc in zip(parts, self.nlp.pipe(p for _, p in parts)):
            out.extend(offset + sent.start_char for sent in doc.sents)
        return out
