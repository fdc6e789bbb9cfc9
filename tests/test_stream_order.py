"""Every stage writes every good document before a bad line, and writes a complete
document without waiting for the next one (the contract's streaming rules)."""
from __future__ import annotations

import json
import os
import select
import subprocess
import sys

import pytest

from conftest import ROOT, records, run_cli, to_jsonl

# Long enough that chunk tokenizes them ahead on its second thread.
DOCS = [{"id": f"d{i}", "text": f"Document {i} opens here. " + "It says one more thing. " * 40} for i in range(6)]
BAD = b'{"id": "d5", "text": \n'  # line 6: not valid JSON
STAGES = {
    "segment": ["segment"],
    "score": ["score"],
    "chunk": ["chunk", "--max-tokens", "64"],
    "chunk-fixed": ["chunk", "--strategy", "fixed", "--max-tokens", "64"],
    "chunk-optimal": ["chunk", "--strategy", "optimal", "--max-tokens", "64"],
    "merge": ["merge", "--max-tokens", "64"],
}


def units_of(docs: list[dict]) -> bytes:
    return run_cli("segment", stdin=to_jsonl(docs), check=True).stdout


@pytest.mark.parametrize("stage", STAGES)
@pytest.mark.parametrize("source", ["file", "stdin"])
def test_documents_before_a_bad_line_are_written(tmp_path, stage, source):
    """Six lines, the sixth invalid: d0 to d4 come out whole, then the error names line 6."""
    payload = to_jsonl(DOCS[:5]) + BAD
    if stage == "merge":  # merge reads units; make them from the documents
        payload = units_of(DOCS[:5]) + BAD
    path = tmp_path / "bad6.jsonl"
    path.write_bytes(payload)
    args = [*STAGES[stage], str(path)] if source == "file" else STAGES[stage]
    proc = run_cli(*args, stdin=None if source == "file" else payload)
    assert proc.returncode == 1, proc.stderr.decode()
    err = proc.stderr.decode()
    where = ":" if source == "file" else "<stdin>:"
    line = 6 if stage != "merge" else payload.count(b"\n")
    assert f"{where}{line}:" in err, err
    out = records(proc.stdout)
    assert [d for d in dict.fromkeys(r["doc"] for r in out)] == [d["id"] for d in DOCS[:5]]
    for doc in DOCS[:5]:  # each whole: its records give its text back
        assert "".join(r["text"] for r in out if r["doc"] == doc["id"]) == doc["text"]


@pytest.mark.parametrize("stage", ["chunk", "score", "merge"])
def test_units_interrupted_by_a_bad_line_are_written_as_far_as_they_came(stage):
    """A bad line inside a document's units ends that document: the units before it still count."""
    units = units_of(DOCS[:2]).splitlines(keepends=True)
    cut = len(units) - 2
    proc = run_cli(*STAGES[stage], stdin=b"".join(units[:cut]) + b"not json\n")
    assert proc.returncode == 1
    assert f"<stdin>:{cut + 1}:" in proc.stderr.decode()
    kept = records(b"".join(units[:cut]))
    out = records(proc.stdout)
    for doc in ("d0", "d1"):
        assert "".join(r["text"] for r in out if r["doc"] == doc) == \
            "".join(u["text"] for u in kept if u["doc"] == doc)


def first_records_while_open(args: list[str], payload: bytes, wait: float = 120) -> list[dict]:
    """Write payload, keep standard input open, and return the records that come out.

    Reads until a record of every document before the last open one has come, or
    `wait` seconds pass (a deadline against a hang, not a timing assertion).
    """
    proc = subprocess.Popen([sys.executable, "-m", "seamline", *args], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    out = b""
    try:
        proc.stdin.write(payload)
        proc.stdin.flush()
        import time
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            ready, _, _ = select.select([proc.stdout], [], [], 1)
            if ready:
                data = os.read(proc.stdout.fileno(), 1 << 16)
                if not data:
                    break
                out += data
                if b'"doc":"d1"' in out.replace(b" ", b"") and out.endswith(b"\n"):
                    break
            if proc.poll() is not None:
                break
    finally:
        proc.stdin.close()
        proc.wait(timeout=120)
    return [json.loads(line) for line in out.splitlines() if line.endswith(b"}")]


@pytest.mark.parametrize("stage", ["chunk", "chunk-fixed", "chunk-optimal", "score"])
def test_complete_documents_come_out_while_input_stays_open(stage):
    """Two documents written, the pipe left open: the records of both come out."""
    got = first_records_while_open(STAGES[stage], to_jsonl(DOCS[:2]))
    assert {r["doc"] for r in got} == {"d0", "d1"}, f"records of {sorted({r['doc'] for r in got})} only"


@pytest.mark.parametrize("stage", ["chunk", "chunk-fixed", "score", "merge"])
def test_units_of_a_finished_document_come_out_while_input_stays_open(stage):
    """Units of d0 and d1, then the first unit of d2 (which ends d1): d0 and d1 come out."""
    units = units_of(DOCS[:3]).splitlines(keepends=True)
    first_of_d2 = next(i for i, u in enumerate(units) if json.loads(u)["doc"] == "d2")
    got = first_records_while_open(STAGES[stage], b"".join(units[:first_of_d2 + 1]))
    assert {r["doc"] for r in got} == {"d0", "d1"}, f"records of {sorted({r['doc'] for r in got})} only"


@pytest.mark.parametrize("args", [
    ["segment", "-j", "2"], ["chunk", "-j", "2", "--max-tokens", "64"], ["score", "-j", "2"],
    ["pipe", "segment | chunk --max-tokens 64"], ["pipe", "segment | score"],
    ["pipe", "chunk --strategy optimal --max-tokens 64"],
])
def test_bad_line_with_jobs_and_pipe(tmp_path, args):
    """With worker processes (a good file before the bad one) and in `seamline pipe`: d0-d4 come out."""
    (tmp_path / "a.jsonl").write_bytes(to_jsonl([{"id": "first", "text": "A file before. It is fine."}]))
    (tmp_path / "bad6.jsonl").write_bytes(to_jsonl(DOCS[:5]) + BAD)
    proc = run_cli(*args, str(tmp_path / "a.jsonl"), str(tmp_path / "bad6.jsonl"), process=True)
    assert proc.returncode == 1, proc.stderr.decode()
    assert "bad6.jsonl:6:" in proc.stderr.decode()
    out = records(proc.stdout)
    assert list(dict.fromkeys(r["doc"] for r in out)) == ["first", *(d["id"] for d in DOCS[:5])]
