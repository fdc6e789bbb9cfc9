"""The exit-status table of docs/commands.md, and the README's summary of it, match the code.

Every example in the table runs, as a real process, in a folder holding the
files it names; its status must be the row's.
"""
from __future__ import annotations

import re
import signal
import subprocess
import sys
import time

import pytest

from conftest import ROOT, to_jsonl

COMMANDS = ROOT / "docs" / "commands.md"
ROW = re.compile(r"^\| (\d+) \| (.*?) \|(.*?)\|$")


def table() -> dict[int, tuple[str, list[str]]]:
    rows = {}
    for line in COMMANDS.read_text(encoding="utf-8").splitlines():
        match = ROW.match(line)
        if match:
            status, when, examples = match.groups()
            rows[int(status)] = (when, re.findall(r"`(seamline [^`]*)`", examples))
    return rows


def test_the_table_has_every_status():
    assert sorted(table()) == [0, 1, 2, 130]


def examples():
    return [(status, example) for status, (_, found) in table().items() for example in found]


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "docs.jsonl").write_bytes(to_jsonl([{"id": "a", "text": "One sentence. Two sentences."}]))
    (tmp_path / "broken.jsonl").write_bytes(b'{"id": "a", "text": "fine"}\nnot json\n')
    (tmp_path / "empty.jsonl").write_bytes(b"")
    return tmp_path


@pytest.mark.parametrize("status,example", examples())
def test_every_example_exits_with_its_row_status(folder, status, example):
    args = example.split()[1:]
    data = {p: p.read_bytes() for p in folder.iterdir()}
    proc = subprocess.run([sys.executable, "-m", "seamline", *args], cwd=folder, capture_output=True,
                          timeout=300, env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)})
    assert proc.returncode == status, proc.stderr.decode()
    if status:
        err = proc.stderr.decode().strip()
        assert err.startswith("seamline: error: ") and len(err.splitlines()) == 1, err
    assert {p: p.read_bytes() for p in data} == data  # no input was touched


def _interruptible():
    # A job started in the background by a shell (`make test &`, some CI runners) inherits SIGINT
    # ignored, and Python then keeps ignoring it, as a background job should: give the child
    # the default disposition, as a terminal's foreground job has it.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_interrupt_exits_130():
    proc = subprocess.Popen([sys.executable, "-m", "seamline", "segment"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, preexec_fn=_interruptible)
    try:
        proc.stdin.write(b'{"id": "a", "text": "First. Second."}\n')
        proc.stdin.flush()
        proc.stdout.readline()  # running, and waiting for more input
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, err
    assert err.decode().strip() == "seamline: interrupted"


def test_readme_states_the_same_statuses():
    text = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    assert "exit status 1 for bad input, 2 for a usage error" in text
    assert "130 on Ctrl-C" in text
    # the README's examples of a usage error are in the table's row for 2
    when_2 = table()[2][0]
    assert "not installed" in text and "not installed" in when_2
    assert "missing file" in text and "missing input file" in when_2
