"""A plugin as a third party would write it: it imports only seamline's public names."""
from __future__ import annotations

import re

_BANG = re.compile(r"!+\s*")


class BangSentences:
    """Sentences end only at exclamation marks."""

    name = "bang"
    kind = "sentence"

    def __init__(self, lang: str = "en"):
        self.lang = lang

    def starts(self, text: str) -> list[int]:
        return [m.end() for m in _BANG.finditer(text)]


class CrashOnce(BangSentences):
    """For fault tests: the process dies the first time it sees a document holding
    `CRASH-ONCE:<path>` (the file at <path> records that it happened); after that,
    it is BangSentences."""

    name = "crashonce"
    thread_safe = False

    def starts(self, text: str) -> list[int]:
        import os

        found = re.search(r"CRASH-ONCE:(\S+)", text)
        if found and not os.path.exists(found.group(1)):
            with open(found.group(1), "w") as f:
                f.write(str(os.getpid()))
            os._exit(1)
        return super().starts(text)


def whole_strategy(group, tokenizer, options):
    """The whole document as one chunk when it fits the budget; seamline's `pack` otherwise."""
    from seamline import registry
    from seamline.records import make_unit

    text = group.text
    tokens = tokenizer.count(text)
    if tokens > options.max_tokens or not group.units:
        return registry.load("chunkers", "pack")(group, tokenizer, options)
    first = group.units[0]
    extra = {"meta": first["meta"]} if "meta" in first else {}
    return [make_unit(group.doc, 0, "chunk", first["start"], first["start"] + len(text), text,
                      tokens=tokens, **extra)]


class VowelTokenizer:
    """One token per vowel (a toy; real plugins would wrap a real tokenizer)."""

    name = "vowels"

    def count(self, text: str) -> int:
        return sum(text.count(v) for v in "aeiouAEIOU")


def read_csvtext(path: str):
    """Each line of a file is a document `id,text`."""
    from seamline.formats import Item

    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            doc_id, _, text = line.rstrip("\n").partition(",")
            yield Item({"id": doc_id, "text": text}, path, number)
