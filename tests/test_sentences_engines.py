"""Sentence engines wrapped from other packages, tested for real when installed."""
from __future__ import annotations

import importlib.util

import pytest
from conftest import assert_tiles, records, run_cli, to_jsonl

from seamline.segmenters import REGISTRY, get_segmenter, tile

TEXT = "Mr. Smith went to Washington. He sued under 42 U.S.C. § 1983. It failed!  Then what?"
EXPECTED = ["Mr. Smith went to Washington.", "He sued under 42 U.S.C. § 1983.", "It failed!", "Then what?"]


def installed(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


@pytest.mark.parametrize("engine, module", [("spacy-senter", "spacy"), ("nupunkt", "nupunkt"),
                                            ("charboundary", "charboundary"), ("learned", "numpy"),
                                            ("learned-cascade", "numpy")])
def test_engine_splits_and_tiles(engine, module):
    if not installed(module):
        pytest.skip(f"{module} is not installed (optional extra)")
    seg = get_segmenter("sentence", engine)
    spans = tile(TEXT, seg.starts(TEXT))
    assert "".join(TEXT[s:e] for s, e in spans) == TEXT
    assert [TEXT[s:e].strip() for s, e in spans] == EXPECTED


def test_registry_keeps_the_required_engines():
    names = list(REGISTRY["sentence"])
    assert names[0] == "learned"
    for name in ["learned-cascade", "rules", "pysbd", "spacy", "spacy-senter", "nupunkt", "charboundary"]:
        assert name in names


def test_spacy_senter_is_the_shipped_pipeline():
    if not installed("spacy"):
        pytest.skip("spacy is not installed")
    seg = get_segmenter("sentence", "spacy-senter")
    assert seg.nlp.pipe_names == ["senter"]
    assert seg.nlp.meta["name"] == "seamline_senter"


@pytest.mark.parametrize("engine", ["nupunkt", "charboundary", "spacy-senter"])
def test_cli_engine(engine):
    module = {"spacy-senter": "spacy"}.get(engine, engine)
    if not installed(module):
        proc = run_cli("segment", "--by", "sentence", "--engine", engine, stdin=to_jsonl([{"id": "a", "text": TEXT}]))
        assert proc.returncode == 2 and b"pip install" in proc.stderr
        return
    proc = run_cli("segment", "--by", "sentence", "--engine", engine,
                   stdin=to_jsonl([{"id": "a", "text": TEXT}]), check=True)
    assert_tiles(TEXT, records(proc.stdout))


def test_unknown_engine_is_a_usage_error():
    proc = run_cli("segment", "--by", "sentence", "--engine", "nope", stdin=to_jsonl([{"id": "a", "text": TEXT}]))
    assert proc.returncode == 2 and b"Traceback" not in proc.stderr
