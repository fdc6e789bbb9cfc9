"""The character tables the model ships: class and lower case of every BMP code point.

They are built once, at training time, from `unicodedata`, and saved with the
weights, so that inference needs no per-character Python calls and the model
file alone fixes how text is read.
"""
from __future__ import annotations

import unicodedata

import numpy as np

from seamline.kernels.sentences import CLOSE, DIGIT, LETTER, LOWER, NEWLINE, OPEN, OTHER, SPACE, TERM, UPPER

TERMINALS = set(".!?\u2026\u203d\u037e\u0589\u061f\u06d4\u0700\u0701\u0702\u0964\u0965\u1362\u1367"
                "\u166e\u1803\u1809\u203c\u2047\u2048\u2049\u2e2e\u2e3c\u3002\ua4ff\ua60e\ua60f"
                "\ufe12\ufe15\ufe16\ufe52\ufe56\ufe57\uff01\uff0e\uff1f\uff61")
CLOSERS = set("\"')]}\u00bb\u2019\u201d\u203a\u300d\u300f\u3011\uff09\uff63")
NEWLINES = set("\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


def char_class(c: str) -> int:
    if c in NEWLINES:
        return NEWLINE
    if c.isspace():
        return SPACE
    if c in TERMINALS:
        return TERM
    if c in CLOSERS:
        return CLOSE
    cat = unicodedata.category(c)
    if cat in ("Pe", "Pf"):
        return CLOSE
    if cat in ("Ps", "Pi") or c in "\u00a1\u00bf":
        return OPEN
    if c.isdigit() or cat == "Nd":
        return DIGIT
    if cat == "Lu" or cat == "Lt":
        return UPPER
    if cat == "Ll":
        return LOWER
    if cat[0] in "LM" or cat in ("Nl", "No"):
        return LETTER
    return OTHER


def tables() -> tuple[np.ndarray, np.ndarray]:
    """(class table uint8, lower-case table uint16) over the BMP; surrogates are OTHER."""
    cls = np.empty(0x10000, np.uint8)
    low = np.arange(0x10000, dtype=np.uint16)
    for i in range(0x10000):
        c = chr(i)
        if 0xD800 <= i < 0xE000:
            cls[i] = OTHER
            continue
        cls[i] = char_class(c)
        lc = c.lower()
        if len(lc) == 1 and ord(lc) < 0x10000:
            low[i] = ord(lc)
    return cls, low
