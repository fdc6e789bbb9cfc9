"""The documents of a unit stream rebuilt from their units (what eval and view read)."""
from __future__ import annotations

import pytest

from seamline.errors import InputError
from seamline.formats import Item
from seamline.streams import rebuilt_documents


def unit(doc, seq, start, end, text):
    return {"doc": doc, "seq": seq, "kind": "chunk", "start": start, "end": end, "text": text}


def rebuilt(records):
    items = [Item(rec, "s.jsonl", line) for line, rec in enumerate(records, 1)]
    return list(rebuilt_documents(items, "give me units"))


def test_overlapping_chunks_give_the_text_back_once():
    text = "One two. Three four."
    docs = rebuilt([unit("a", 0, 0, 9, text[:9]), unit("a", 1, 4, 20, text[4:]), unit("b", 0, 0, 3, "Hi.")])
    assert [(d.id, d.text, len(d.units), d.line) for d in docs] == [("a", text, 2, 1), ("b", "Hi.", 1, 3)]


@pytest.mark.parametrize("records, message, line", [
    ([unit("a", 0, 0, 3, "One"), unit("a", 1, 4, 7, "two")], "leaves a gap after offset 3", 2),
    ([unit("a", 0, 0, 5, "One t"), unit("a", 1, 2, 4, "e ")], "goes back in the text", 2),
    ([unit("a", 0, 1, 3, "ne")], "starts at 1, not 0", 1),
    ([unit("a", 0, 0, 1, "x"), unit("b", 0, 0, 1, "y"), unit("a", 1, 1, 2, "z")], "not consecutive", 3),
    ([{"id": "a", "text": "A document."}], "this is a document, not a unit; give me units", 1),
])
def test_broken_streams_are_named_errors(records, message, line):
    with pytest.raises(InputError) as err:
        rebuilt(records)
    assert message in str(err.value) and f"s.jsonl:{line}:" in str(err.value)
