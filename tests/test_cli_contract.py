"""The command line as the contract fixes it: errors, exit statuses, pipes, carried fields."""
from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import time

import pytest

from conftest import FIXTURES, ROOT, assert_tiles, read_jsonl, records, run_cli, to_jsonl

GOOD = to_jsonl([{"id": "a", "text": "One sentence. Two sentences."},
                 {"id": "b", "text": "Another document here."}])


def one_line_error(proc: subprocess.CompletedProcess) -> str:
    err = proc.stderr.decode()
    assert "Traceback" not in err
    assert err.strip(), "no message on standard error"
    assert len(err.strip().splitlines()) <= 2, err
    return err


@pytest.mark.parametrize("payload,needle", [
    (GOOD + b"{this is not json\n", "<stdin>:3"),
    (b'{"id": "x"}\n', "'text'"),
    (b'{"id": "x", "text": 42}\n', "string"),
    (b'[1, 2, 3]\n', "object"),
    (b'{"text": "no id"}\n', "'id'"),
    (b'{"id": "x", "text": "abc \xff\xfe def"}\n', "UTF-8"),
    (GOOD + b'{"id": "y", "text": "unfinis', "cut short"),
    (b'{"id": "x", "text": "t", "meta": [1]}\n', "'meta'"),
])
def test_bad_documents_exit_1_with_file_and_line(payload, needle):
    proc = run_cli("segment", stdin=payload)
    assert proc.returncode == 1
    err = one_line_error(proc)
    assert needle in err
    assert "<stdin>" in err


def test_good_records_before_a_bad_line_are_written():
    proc = run_cli("segment", stdin=GOOD + b"not json\n" + GOOD)
    assert proc.returncode == 1
    assert {r["doc"] for r in records(proc.stdout)} == {"a", "b"}
    assert ":3:" in proc.stderr.decode()


def test_good_records_before_a_bad_line_are_written_from_a_file(tmp_path):
    """Files are segmented a few short documents at a time: those before a bad line still come out."""
    path = tmp_path / "docs.jsonl"
    path.write_bytes(GOOD + b"not json\n" + GOOD)
    for args, stdin in (([str(path)], None), ([], path.read_bytes())):
        proc = run_cli("segment", *args, stdin=stdin)
        assert proc.returncode == 1
        assert {r["doc"] for r in records(proc.stdout)} == {"a", "b"}
        assert ":3:" in proc.stderr.decode()


def test_error_names_the_file(tmp_path):
    bad = tmp_path / "docs.jsonl"
    bad.write_bytes(GOOD + b'{"id": "z"}\n')
    proc = run_cli("segment", str(bad))
    assert proc.returncode == 1
    assert f"{bad}:3" in one_line_error(proc)


@pytest.mark.parametrize("stage", ["chunk", "merge"])
@pytest.mark.parametrize("change,needle", [
    (lambda u: u[1].update(start=u[1]["start"] + 1, end=u[1]["end"] + 1), "gap"),
    (lambda u: u[1].update(seq=5), "seq 5"),
    (lambda u: u[1].update(text=u[1]["text"] + "x"), "characters"),
    (lambda u: u[1].pop("kind"), "'kind'"),
])
def test_broken_unit_streams_exit_1(stage, change, needle):
    units = records(run_cli("segment", stdin=GOOD, check=True).stdout)
    change(units)
    proc = run_cli(stage, stdin=to_jsonl(units))
    assert proc.returncode == 1
    assert needle in one_line_error(proc)


@pytest.mark.parametrize("args", [
    ["segment", "/nonexistent/file.jsonl"],
    ["segment", "--no-such-option"],
    ["segment", "--by", "nonsense"],
    ["segment", "--engine", "nonsense"],
    ["segment", "--meta", "some"],
    ["chunk", "--max-tokens", "0"],
    ["chunk", "--tokenizer", "not-a-tokenizer"],
    ["merge", "--max-tokens", "10", "--min-tokens", "20"],
])
def test_usage_errors_exit_2(args):
    proc = run_cli(*args, stdin=GOOD)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr.decode()


def test_debug_shows_a_traceback():
    proc = run_cli("--debug", "segment", stdin=b'{"id": "x"}\n', process=True)  # a real traceback on a real stderr
    assert proc.returncode == 1
    assert "Traceback" in proc.stderr.decode()


def test_empty_and_blank_input():
    assert run_cli("segment", stdin=b"").stdout == b""
    proc = run_cli("segment", stdin=b"\n\n" + GOOD + b"\n  \n")
    assert proc.returncode == 0
    assert [r["doc"] for r in records(proc.stdout)] == ["a", "a", "b"]


def test_help_has_examples_for_every_command():
    for cmd in ["segment", "score", "chunk", "merge", "eval"]:
        proc = run_cli(cmd, "--help")
        assert proc.returncode == 0
        assert b"Example" in proc.stdout and b"seamline " + cmd.encode() in proc.stdout


def test_closed_pipe_ends_quietly():
    payload = to_jsonl([{"id": f"d{i}", "text": "A sentence. " * 50} for i in range(20000)])
    proc = subprocess.Popen([sys.executable, "-m", "seamline", "segment"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    import threading
    feeder = threading.Thread(target=lambda: _feed(proc.stdin, payload), daemon=True)
    feeder.start()
    proc.stdout.read(500)
    proc.stdout.close()
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert err == b"", err


def _feed(pipe, payload: bytes) -> None:
    try:
        pipe.write(payload)
        pipe.close()
    except (BrokenPipeError, ValueError):
        pass


def test_first_record_comes_before_input_ends():
    proc = subprocess.Popen([sys.executable, "-m", "seamline", "segment"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    try:
        proc.stdin.write(b'{"id": "a", "text": "First. Second."}\n')
        proc.stdin.flush()
        ready, _, _ = select.select([proc.stdout], [], [], 30)
        assert ready, "no output while standard input stayed open"
        line = proc.stdout.readline()
        assert json.loads(line)["doc"] == "a"
    finally:
        proc.stdin.close()
        proc.wait(timeout=30)


def test_fields_are_carried_through_every_stage():
    doc = {"id": "x", "text": "First sentence here. Second one follows. " * 20, "lang": "en",
           "source_url": "file:///x", "meta": {"title": "T"}}
    units = records(run_cli("segment", stdin=to_jsonl([doc]), check=True).stdout)
    assert all(u["meta"] == {"lang": "en", "source_url": "file:///x", "title": "T"} for u in units)
    for u in units:
        u["label"] = f"L{u['seq']}"  # a field no stage owns
    chunks = records(run_cli("chunk", "--max-tokens", "30", stdin=to_jsonl(units), check=True).stdout)
    assert all(c["meta"]["source_url"] == "file:///x" and c["label"].startswith("L") for c in chunks)
    merged = records(run_cli("merge", "--max-tokens", "80", stdin=to_jsonl(chunks), check=True).stdout)
    assert all(m["meta"]["title"] == "T" and "label" in m for m in merged)
    assert_tiles(doc["text"], merged)


def test_meta_first_and_none():
    doc = {"id": "x", "text": "One. Two. Three.", "lang": "en"}
    first = records(run_cli("segment", "--meta", "first", stdin=to_jsonl([doc]), check=True).stdout)
    assert "meta" in first[0] and all("meta" not in u for u in first[1:])
    none = records(run_cli("segment", "--meta", "none", stdin=to_jsonl([doc]), check=True).stdout)
    assert all("meta" not in u for u in none)


def test_files_text_and_jsonl_and_output(tmp_path):
    txt = tmp_path / "a.txt"
    txt.write_bytes("Caf\u00e9.\r\nSecond line. Third!\n".encode())
    out = tmp_path / "out.jsonl"
    proc = run_cli("segment", str(txt), str(FIXTURES / "stream" / "mini.jsonl"), "-o", str(out))
    assert proc.returncode == 0 and proc.stdout == b""
    units = records(out.read_bytes())
    assert_tiles(txt.read_bytes().decode(), [u for u in units if u["doc"] == str(txt)])
    assert [d["id"] for d in read_jsonl(FIXTURES / "stream" / "mini.jsonl")] == \
        list(dict.fromkeys(u["doc"] for u in units if u["doc"] != str(txt)))


def test_python_dash_m_and_determinism():
    payload = (FIXTURES / "stream" / "mini.jsonl").read_bytes()
    a = run_cli("chunk", "--max-tokens", "16", stdin=payload, check=True).stdout
    b = run_cli("chunk", "--max-tokens", "16", stdin=payload, check=True).stdout
    assert a == b and a


@pytest.mark.skipif(not os.path.exists(ROOT / ".venv" / "bin" / "seamline"), reason="console script not installed")
def test_console_script_runs():
    proc = subprocess.run([str(ROOT / ".venv" / "bin" / "seamline"), "--version"], capture_output=True)
    assert proc.returncode == 0 and proc.stdout.startswith(b"seamline ")


def test_chunk_and_score_take_directories_and_globs(tmp_path):
    (tmp_path / "a.txt").write_text("First file. Two sentences.\n", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.md").write_text("# Title\n\nSecond file here.\n", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("Never read.\n", encoding="utf-8")
    chunks = records(run_cli("chunk", "--max-tokens", "50", str(tmp_path), check=True).stdout)
    assert list(dict.fromkeys(c["doc"] for c in chunks)) == [str(tmp_path / "a.txt"), str(tmp_path / "sub" / "b.md")]
    scored = records(run_cli("score", str(tmp_path / "**" / "*.md"), check=True).stdout)
    assert {u["doc"] for u in scored} == {str(tmp_path / "sub" / "b.md")}
    assert run_cli("merge", str(tmp_path / "nothing-*.jsonl")).returncode == 2
