"""A third-party package (tests/plugin) adds components by entry point only; both faces use them."""
from __future__ import annotations

import importlib
import json
import subprocess
import sys

import pytest

from conftest import ROOT, records, run_cli

PLUGIN_DIR = ROOT / "tests" / "plugin"


@pytest.fixture(scope="module", autouse=True)
def installed_plugin():
    """`make test` installs the plugin; a bare pytest run installs it here (pip, a local directory)."""
    from seamline import registry

    if importlib.util.find_spec("seamline_example_plugin") is None:
        proc = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "-e", str(PLUGIN_DIR)],
                              capture_output=True, timeout=600)
        if proc.returncode != 0:
            pytest.skip(f"the test plugin could not be installed: {proc.stderr.decode()[-300:]}")
        import site
        site.addsitedir(next(p for p in sys.path if p.endswith("site-packages")))  # its .pth, in this process
        importlib.invalidate_caches()
    registry._PLUGINS = None  # scan entry points again
    registry._LOADED.clear()
    yield


def test_plugins_lists_builtins_and_the_plugin_with_its_origin():
    proc = run_cli("plugins", "--json", check=True)
    rows = records(proc.stdout)
    by_name = {(r["kind"], r["name"]): r for r in rows}
    assert by_name[("segmenters", "sentence.learned")]["origin"] == "seamline"
    bang = by_name[("segmenters", "sentence.bang")]
    assert bang["origin"].startswith("seamline-example-plugin") and bang["target"].endswith(":BangSentences")
    for kind, name in (("chunkers", "whole"), ("tokenizers", "vowels"), ("readers", "csvtext")):
        assert (kind, name) in by_name
    table = run_cli("plugins", "segmenters", check=True).stdout.decode()
    assert "sentence.bang" in table and "chunkers" not in table


def test_plugin_engine_through_segment_cli_and_api():
    import seamline

    text = "Stop! Look. Listen! fine"
    cli = records(run_cli("segment", "--engine", "bang", "--from", "text", stdin=text, check=True).stdout)
    assert [u["text"] for u in cli] == ["Stop! ", "Look. Listen! ", "fine"]
    api = list(seamline.segment(text, engine="bang"))
    assert [u.text for u in api] == [u["text"] for u in cli]
    assert api[1].kind == "sentence" and api[1].start == 6


def test_plugin_strategy_and_tokenizer_through_chunk_cli_and_api():
    import seamline

    text = "Stop! Look. Listen! fine"  # 7 vowels
    args = ("chunk", "--strategy", "whole", "--tokenizer", "vowels", "--engine", "bang", "--from", "text")
    whole = records(run_cli(*args, "--max-tokens", "7", stdin=text, check=True).stdout)
    assert [(c["text"], c["tokens"]) for c in whole] == [(text, 7)]
    packed = records(run_cli(*args, "--max-tokens", "4", stdin=text, check=True).stdout)
    assert len(packed) > 1 and all(c["tokens"] <= 4 for c in packed)
    assert "".join(c["text"] for c in packed) == text
    api = list(seamline.chunk(text, strategy="whole", tokenizer="vowels", engine="bang", max_tokens=4))
    assert [(c.text, c.tokens) for c in api] == [(c["text"], c["tokens"]) for c in packed]


def test_plugin_reader_by_extension_and_by_from(tmp_path):
    import seamline

    path = tmp_path / "docs.csvtext"
    path.write_text("a,One. Two.\nb,Three.\n", encoding="utf-8")
    units = records(run_cli("segment", "--engine", "rules", str(path), check=True).stdout)
    assert [(u["doc"], u["text"]) for u in units] == [("a", "One. "), ("a", "Two."), ("b", "Three.")]
    other = tmp_path / "docs.txt"
    other.write_text("c,Four.\n", encoding="utf-8")
    assert records(run_cli("segment", "--from", "csvtext", str(other), check=True).stdout)[0]["doc"] == "c"
    assert [d.id for d in seamline.read(path)] == ["a", "b"]


def test_unknown_names_list_plugins_too():
    proc = run_cli("segment", "--engine", "nope", stdin="x")
    assert proc.returncode == 2 and b"bang" in proc.stderr and b"--engine" in proc.stderr


def test_missing_package_hints_name_extras_that_exist():
    """Every `MissingExtra(package, extra, ...)` in the code names an extra of pyproject.toml (or none, for core)."""
    import re
    import tomllib

    extras = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"])
    named = set()
    for path in (ROOT / "seamline").rglob("*.py"):
        for m in re.finditer(r'MissingExtra\(\s*"[^"]+",\s*(None|"([^"]+)")', path.read_text(encoding="utf-8")):
            if m.group(2):
                named.add(m.group(2))
    assert named and named <= extras, named - extras
