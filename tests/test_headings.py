"""Headings a reader records (Markdown here) become whole units with a heading path."""
from __future__ import annotations

from conftest import assert_tiles, records, run_cli


def test_markdown_heading_is_one_unit_even_with_a_numbered_title(tmp_path):
    md = tmp_path / "policy.md"
    text = ("# Notice\n\nIntro text here.\n\n## 2. What we collect\n\nWe collect names. We keep them.\n\n"
            "### 2.1. Details\n\nMore text.\n")
    md.write_text(text, encoding="utf-8")
    units = records(run_cli("segment", str(md), check=True).stdout)
    assert_tiles(text, units)
    heads = [u["text"].strip() for u in units if u["text"].startswith("#")]
    assert heads == ["# Notice", "## 2. What we collect", "### 2.1. Details"]
    last = units[-1]
    assert last["path"] == ["Notice", "2. What we collect", "2.1. Details"]
