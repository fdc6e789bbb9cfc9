"""pysbd (Pragmatic Segmenter rules) behind the segmenter protocol.

pysbd's run time grows faster than linearly with its input and it may alter
characters, so it gets bounded pieces and its sentences are aligned back onto
the original text (see base.align).
"""
from __future__ import annotations

from seamline.errors import MissingExtra, UsageError
from seamline.segmenters.base import align, pieces

PIECE_CHARS = 4000


class PysbdSentences:
    name = "pysbd"
    kind = "sentence"

    def __init__(self, lang: str = "en", **_options):
        try:
            import pysbd
        except ImportError:
            raise MissingExtra("pysbd", None, "the pysbd engine") from None
        try:
            self._seg = pysbd.Segmenter(language=lang, clean=False)
        except ValueError as err:
            raise UsageError(f"pysbd does not support `lang` {lang!r} ({err})") from None

    def starts(self, text: str) -> list[int]:
        out: list[int] = []
        for offset, piece in pieces(text, PIECE_CHARS):
            if piece.strip():
                out.extend(offset + s for s in align(piece, self._seg.segment(piece)))
        return out
