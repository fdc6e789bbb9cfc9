"""HTML tags left in a text document (a privacy policy as .txt): units start at blocks, never at a tag's tail."""
from __future__ import annotations

import re

import pytest
from conftest import FIXTURES, assert_tiles, records, run_cli

POLICY = FIXTURES / "formats" / "privacy_policy.txt"
OPENING = re.compile(r"<([a-z][a-z0-9]*)\b[^<>]*>")


FIRST_TAG = re.compile(r"<(/?)([a-z][a-z0-9]*)\b[^<>]*>")


def check_starts(units: list[dict], doc: str) -> None:
    """No unit starts with a closing tag, with an inline tag whose element it does not hold, or
    inside an element that opens and closes on one line (`Contact Us</p>` after `<p>5. `)."""
    for u in units:
        text = u["text"]
        first = FIRST_TAG.search(text)
        if first and first.group(1):
            opened = doc.rfind(f"<{first.group(2)}", 0, u["start"])
            assert opened < 0 or "\n" in doc[opened:u["start"]], u
        assert not text.startswith("</"), u
        assert not re.search(r"<(ul|ol|li|p|strong|b|em)>\s*$", text), u  # an opening tag left at the end
        m = OPENING.match(text)
        if m and m.group(1) in ("strong", "b", "em", "a"):
            assert f"</{m.group(1)}>" in text, u  # a bold heading whole, not "<strong>1. "


@pytest.mark.parametrize("engine", ["learned", "rules"])
def test_policy_with_inline_markup_segments_around_its_tags(engine):
    units = records(run_cli("segment", "--engine", engine, str(POLICY), check=True).stdout)
    text = POLICY.read_text(encoding="utf-8")
    assert_tiles(text, units)
    check_starts(units, text)
    texts = [u["text"] for u in units]
    for heading in ("<strong>1. Information We Collect</strong>\n\n", "<strong>2. How We Use Information</strong>\n\n",
                    "<b>4. Your Choices</b>\n\n"):
        assert heading in texts
    # each list item is a unit of its own, the list's opening tag with the first
    assert any(t.startswith("<ul><li>Your name, email address") and t.endswith("</li>") for t in texts)
    assert any(t.startswith("<li>Payment information") and t.endswith("</li>") for t in texts)
    assert any(t.startswith("<ul>\n<li>Send you technical notices") for t in texts)
    assert "The types of information we may collect include:" in texts


def test_chunks_of_the_policy_start_at_blocks_too():
    chunks = records(run_cli("chunk", "--max-tokens", "40", "--tokenizer", "cl100k_base", str(POLICY),
                             check=True).stdout)
    text = POLICY.read_text(encoding="utf-8")
    assert_tiles(text, chunks)
    check_starts(chunks, text)
    assert all(c["tokens"] <= 40 for c in chunks)


def test_a_lone_angle_bracket_is_not_markup(tmp_path):
    path = tmp_path / "maths.txt"
    path.write_text("We know that a<b holds. Then b>a follows.\n", encoding="utf-8")
    units = records(run_cli("segment", "--engine", "rules", str(path), check=True).stdout)
    assert [u["text"] for u in units] == ["We know that a<b holds. ", "Then b>a follows.\n"]


def test_lines_stay_lines_with_tags_in_them():
    units = records(run_cli("segment", "--by", "line", str(POLICY), check=True).stdout)
    text = POLICY.read_text(encoding="utf-8")
    assert_tiles(text, units)
    assert all("\n" not in u["text"].strip() for u in units)  # one line each, cut at no tag
    # "include:<ul><li>Your name...</li>..." is one line of the file, and one unit
    assert any(u["text"].startswith("We collect information you provide") and "<li>Payment" in u["text"]
               for u in units)
