"""Batch runs: directories and globs, -j N in input order, failures with and without --keep-going."""
from __future__ import annotations

import json

import pytest
from conftest import FIXTURES, records, run_cli

from seamline.batch import Failures, expand_inputs, run_files
from seamline.errors import InputError, UsageError


@pytest.fixture()
def folder(tmp_path):
    """Twelve small files of four formats, with a nested folder and files that are not inputs."""
    (tmp_path / "sub").mkdir()
    (tmp_path / ".hidden").mkdir()
    for i in range(8):
        (tmp_path / f"note{i:02d}.txt").write_text(f"Note {i} starts here. It ends here.\n" * (1 + i % 3))
    (tmp_path / "sub" / "guide.md").write_text((FIXTURES / "formats" / "guide.md").read_text())
    (tmp_path / "sub" / "page.html").write_text((FIXTURES / "formats" / "article.html").read_text())
    (tmp_path / "sub" / "docs.jsonl").write_text(
        json.dumps({"id": "j1", "text": "First doc. Two."}) + "\n" + json.dumps({"id": "j2", "text": "Second."}) + "\n")
    (tmp_path / "manifest.json").write_text('{"not": "a document"}')
    (tmp_path / "image.png").write_bytes(b"\x89PNG")
    (tmp_path / ".hidden" / "secret.txt").write_text("Never read.")
    return tmp_path


def test_directory_walk_is_sorted_and_skips_hidden_json_and_unknown(folder):
    paths = expand_inputs([str(folder)])
    names = [p[len(str(folder)) + 1:] for p in paths]
    assert names == [f"note{i:02d}.txt" for i in range(8)] + ["sub/docs.jsonl", "sub/guide.md", "sub/page.html"]


def test_globs_and_plain_files_keep_argument_order(folder):
    paths = expand_inputs([str(folder / "sub" / "guide.md"), str(folder / "note0[12].txt"), str(folder / "**" / "*.html")])
    assert [p.rsplit("/", 1)[1] for p in paths] == ["guide.md", "note01.txt", "note02.txt", "page.html"]


def test_missing_inputs_are_usage_errors(folder):
    for bad in (str(folder / "nope.txt"), str(folder / "*.pdf"), str(folder / ".hidden" / "empty")):
        with pytest.raises(UsageError):
            expand_inputs([bad])
    (folder / "empty").mkdir()
    with pytest.raises(UsageError):
        expand_inputs([str(folder / "empty")])
    proc = run_cli("segment", str(folder / "*.pdf"))
    assert proc.returncode == 2 and b"no input files match" in proc.stderr and proc.stdout == b""


def test_jobs_give_the_same_bytes_in_input_order(folder):
    one = run_cli("segment", str(folder), check=True).stdout
    two = run_cli("segment", "-j", "2", str(folder), check=True).stdout
    three = run_cli("segment", "-j", "3", "--by", "paragraph", str(folder), check=True).stdout
    assert one == two
    docs = []
    for u in records(one):
        if not docs or docs[-1] != u["doc"]:
            docs.append(u["doc"])
    assert docs == [p for p in expand_inputs([str(folder)]) if not p.endswith(".jsonl")][:8] + \
        ["j1", "j2", str(folder / "sub" / "guide.md"), str(folder / "sub" / "page.html")]
    # the options reach the workers: paragraphs (and guide.md's fenced block, a unit of kind code,
    # and page.html's table, a unit of kind table)
    assert {u["kind"] for u in records(three)} == {"paragraph", "code", "table"}


def _break(folder, name="note03.txt"):
    (folder / name).write_bytes(b"bad \xff\xfe bytes\n")


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_failing_file_stops_the_run_after_earlier_output(folder, jobs):
    _break(folder)
    proc = run_cli("segment", "-j", jobs, str(folder))
    assert proc.returncode == 1
    docs = {u["doc"].rsplit("/", 1)[-1] for u in records(proc.stdout)}
    assert docs == {"note00.txt", "note01.txt", "note02.txt"}
    assert b"note03.txt" in proc.stderr and b"UTF-8" in proc.stderr and b"Traceback" not in proc.stderr


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_keep_going_lists_failures_at_the_end_and_exits_1(folder, jobs):
    _break(folder)
    _break(folder, "note06.txt")
    proc = run_cli("segment", "-j", jobs, "--keep-going", str(folder))
    assert proc.returncode == 1
    docs = {u["doc"].rsplit("/", 1)[-1] for u in records(proc.stdout)}
    assert "note03.txt" not in docs and "note06.txt" not in docs and {"note07.txt", "j1", "page.html"} <= docs
    message = proc.stderr.decode()
    assert "2 of 11 inputs failed" in message
    assert message.index("note03.txt") < message.index("note06.txt")


def test_bad_record_in_jsonl_keeps_the_good_records_before_it(folder):
    (folder / "sub" / "docs.jsonl").write_text(json.dumps({"id": "j1", "text": "Fine."}) + "\n{oops\n")
    proc = run_cli("segment", "--keep-going", str(folder))
    docs = [u["doc"] for u in records(proc.stdout)]
    assert "j1" in docs and docs[-1].endswith("page.html")
    assert b"docs.jsonl:2" in proc.stderr and proc.returncode == 1


def test_run_files_in_process_orders_results_and_reports_failures():
    def work(path):
        if path == "c":
            yield b"c-partial\n"
            raise InputError("broken", path)
        yield f"{path}\n".encode()

    failures = Failures()
    pieces = list(run_files(["a", "b", "c", "d"], work, jobs=1, keep_going=True, failures=failures))
    assert b"".join(p.data for p in pieces) == b"a\nb\nc-partial\nd\n"
    assert failures.messages == ["c: broken"] and "1 of 4 inputs failed" in str(failures.error())
    with pytest.raises(InputError):
        list(run_files(["a", "c", "d"], work, jobs=1))


def test_parallel_workers_keep_order_when_later_files_finish_first():
    import time

    def work(path):
        time.sleep(0.3 if path == "slow" else 0.0)
        yield f"{path}\n".encode()

    pieces = list(run_files(["slow", "x", "y", "z"], work, jobs=2))
    assert [p.data for p in pieces] == [b"slow\n", b"x\n", b"y\n", b"z\n"]
    assert all(p.done for p in pieces)
