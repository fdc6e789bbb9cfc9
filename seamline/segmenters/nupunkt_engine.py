"""nupunkt (an unsupervised Punkt variant tuned for legal text) behind the segmenter protocol.

nupunkt ships its model in the package, so it runs offline. Install it with
`pip install 'seamline[nupunkt]'`.
"""
from __future__ import annotations

from seamline.errors import MissingExtra


class NupunktSentences:
    name = "nupunkt"
    kind = "sentence"
    languages = ("en",)  # trained on English legal and financial text

    def __init__(self, **_options):
        try:
            import nupunkt
        except ImportError:
            raise MissingExtra("nupunkt", "nupunkt", "the nupunkt engine") from None
        self._spans = nupunkt.sent_spans

    def starts(self, text: str) -> list[int]:
        return [start for start, _ in self._spans(text)]
