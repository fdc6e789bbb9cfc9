"""`-o` naming an input is refused before anything is opened: the input survives, status 2."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import ROOT, records, run_cli, to_jsonl

DOCS = to_jsonl([{"id": "a", "text": "One sentence. Two sentences."},
                 {"id": "b", "text": "Another document here."}])


def units_of(payload: bytes) -> bytes:
    return run_cli("segment", stdin=payload, check=True).stdout


def run_in(cwd, *args: str, stdin=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "seamline", *args], cwd=cwd, stdin=stdin,
                          capture_output=True, timeout=300,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "in.jsonl").write_bytes(DOCS)
    (tmp_path / "units.jsonl").write_bytes(units_of(DOCS))
    os.symlink(tmp_path / "docs" / "in.jsonl", tmp_path / "link.jsonl")
    os.link(tmp_path / "units.jsonl", tmp_path / "hard.jsonl")
    return tmp_path


@pytest.mark.parametrize("command,source,output", [
    ("segment", "docs/in.jsonl", "docs/in.jsonl"),             # the same string
    ("segment", "docs/in.jsonl", "./docs/../docs/in.jsonl"),   # another spelling
    ("segment", "docs", "docs/in.jsonl"),                      # found by walking a directory
    ("segment", "docs/*.jsonl", "{abs}/docs/in.jsonl"),        # matched by a glob, absolute output
    ("segment", "docs/in.jsonl", "link.jsonl"),                # a symlink to the input
    ("chunk", "units.jsonl", "hard.jsonl"),                    # a hard link of the input
    ("chunk", "docs/in.jsonl", "docs/in.jsonl"),
    ("merge", "units.jsonl", "units.jsonl"),
    ("score", "units.jsonl", "{abs}/units.jsonl"),
    ("eval", "units.jsonl", "units.jsonl"),
])
def test_output_that_is_an_input_is_refused(folder, command, source, output):
    before = {p: p.read_bytes() for p in (folder / "docs" / "in.jsonl", folder / "units.jsonl")}
    proc = run_in(folder, command, source, "-o", output.format(abs=folder))
    assert proc.returncode == 2, proc.stderr.decode()
    err = proc.stderr.decode().strip()
    assert err.startswith("seamline: error: --output") and len(err.splitlines()) == 1, err
    assert "choose another output path" in err
    assert proc.stdout == b""
    for path, data in before.items():
        assert path.read_bytes() == data, f"{path} changed"


def test_output_that_standard_input_reads_is_refused(folder):
    path = folder / "units.jsonl"
    data = path.read_bytes()
    with open(path, "rb") as stdin:
        proc = run_in(folder, "chunk", "-o", "units.jsonl", stdin=stdin)
    assert proc.returncode == 2
    assert "standard input" in proc.stderr.decode()
    assert path.read_bytes() == data


def test_gold_is_an_input_of_eval(folder):
    gold = folder / "gold.jsonl"
    gold.write_bytes(to_jsonl([{"id": "a", "text": "One sentence. Two sentences.", "segments": [[0, 13], [14, 28]]}]))
    data = gold.read_bytes()
    proc = run_in(folder, "eval", "units.jsonl", "--gold", "gold.jsonl", "-o", "gold.jsonl")
    assert proc.returncode == 2
    assert gold.read_bytes() == data


def test_a_new_output_path_is_written(folder):
    proc = run_in(folder, "segment", "docs/in.jsonl", "-o", "docs/out.jsonl")
    assert proc.returncode == 0, proc.stderr.decode()
    assert {r["doc"] for r in records((folder / "docs" / "out.jsonl").read_bytes())} == {"a", "b"}
