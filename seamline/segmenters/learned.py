"""seamline's default sentence engine: the learned boundary classifier.

Candidates are every gap between tokens and every letter glued to a sentence
end; a hashed logistic regression over the characters and words around each
candidate (abbreviations, citation shapes, initials, numbers, quotes and
brackets, line layout, capitalisation of what follows) decides. The weights
ship in seamline/models/sentences.npz and are rebuilt with
`python -m seamline.sbd.train`.
"""
from __future__ import annotations

from seamline.errors import UsageError


class LearnedSentences:
    name = "learned"
    kind = "sentence"
    thread_safe = True  # starts() keeps no state between calls: `chunk` may call it on a worker thread

    def __init__(self, model: str | None = None, **_options):
        from seamline.sbd.model import SentenceModel, shared_model
        try:
            self.model = SentenceModel.load(model) if model else shared_model()
        except (OSError, KeyError, ValueError) as exc:
            raise UsageError(f"cannot load sentence model {model or 'seamline/models/sentences.npz'}: {exc}")

    def starts(self, text: str):
        return self.model.starts(text).tolist()

    def starts_many(self, texts: list[str]) -> list[list[int]]:
        """`starts` of each of several short texts, in one pass (the same starts, tested)."""
        return [found.tolist() for found in self.model.starts_many(texts)]
