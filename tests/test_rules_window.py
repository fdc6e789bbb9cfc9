"""The rules engine answers for a window of text exactly as it does for the whole text.

The reference is the engine's plain loop over every candidate of the whole text.
"""
from __future__ import annotations

from hypothesis import given, settings, strategies as st

from seamline.segmenters.rules import _CANDIDATE, RuleSentences

SEG = RuleSentences()
PIECES = st.sampled_from(["alpha", "Beta", "e.g.", "Mr.", "end.", "Why?", "yes!", "x", "1.5", "déjà", "東京。",
                          "\u00a0", "—", ")", "Dr. Who", "e.g. the", "x" * 90, '."', "?!", "\u2026 ", "U.S. The",
                          "....", ".\n\n\n\n", '"""', "\n\n", "\n\u00a0\n", "\r\n\r\n", ". \n\n", "  \n  \n",
                          " ", "\n", "", "  ", "\t"])
TEXTS = st.lists(PIECES, max_size=80).map("".join)


def reference_starts(text: str) -> list[int]:
    out = []
    for m in _CANDIDATE.finditer(text):
        if m.end() >= len(text):
            break
        if SEG._is_boundary(text, m.start(), m.group(), m.end()):
            out.append(m.end())
    return out


@settings(max_examples=400, deadline=None)
@given(TEXTS, st.data())
def test_windows_agree_with_the_whole_text(text, data):
    full = reference_starts(text)
    assert SEG.starts(text) == full
    n = len(text)
    lo = data.draw(st.integers(0, n + 1))
    hi = data.draw(st.integers(lo, n + 2))
    floor = data.draw(st.sampled_from([0] + [s for s in full if s < lo]))
    assert SEG.starts_between(text, lo, hi, floor) == [s for s in full if lo <= s < hi]
    q = data.draw(st.integers(0, n))
    floor = data.draw(st.sampled_from([0] + [s for s in full if s <= q]))
    assert SEG.last_start(text, q, floor) == max([s for s in full if floor < s <= q], default=floor)
    assert SEG.next_start(text, q, floor) == min([s for s in full if s > q], default=n)
