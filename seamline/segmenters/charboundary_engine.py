"""CharBoundary (a character-level random forest for legal text) behind the segmenter protocol.

Only the small model ships inside the charboundary package; the larger ones
would be downloaded, so this engine loads the small one and never downloads.
Install it with `pip install 'seamline[charboundary]'`.
"""
from __future__ import annotations

import warnings

from seamline.errors import MissingExtra, UsageError


class CharBoundarySentences:
    name = "charboundary"
    kind = "sentence"
    languages = ("en",)  # its shipped models are trained on English (legal) text

    def __init__(self, **_options):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")   # it warns that its optional ONNX support is absent
                import charboundary
                from charboundary import TextSegmenter
        except ImportError:
            raise MissingExtra("charboundary", "charboundary", "the charboundary engine") from None
        path = charboundary.get_model_path("small", use_onnx=False, download=False)
        if path is None:
            raise UsageError("charboundary's small model is missing from its package; reinstall charboundary")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")   # scikit-learn warns about the version the model was saved with
            self._seg = TextSegmenter.load(path, trust_model=True)

    def starts(self, text: str) -> list[int]:
        return [start for start, _ in self._seg.get_sentence_spans(text)]
