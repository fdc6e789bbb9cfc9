"""Shared test fixtures: where ../shared/data is, and how to run the CLI."""
from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import settings

# CI runs a fixed set of generated examples, so a red build is reproducible and a
# green one is not luck; locally, hypothesis keeps exploring new ones.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# CI clones the repository beside ../shared; SEAMLINE_SHARED_DATA overrides it.
SHARED_DATA = Path(os.environ.get("SEAMLINE_SHARED_DATA", ROOT.parent / "shared" / "data"))


def shared_path(*parts: str) -> Path:
    """A path under ../shared/data, or a skip when it is absent (a user's fresh clone)."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is not here: the shared data sits beside the repository only in "
                    "the project's CI and dev checkouts")
    return path


def read_jsonl(path: Path) -> list[dict]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def run_cli(*args: str, stdin: bytes | str | None = None, check: bool = False,
            process: bool = False) -> subprocess.CompletedProcess:
    """Run the `seamline` command: in this process (typer's CliRunner isolation around
    `seamline.cli.main`, as fast as a function call), or as a real process with
    `process=True` where exit statuses, signals and pipes of the OS are the point."""
    if isinstance(stdin, str):
        stdin = stdin.encode("utf-8")
    if process:
        proc = subprocess.run([sys.executable, "-m", "seamline", *args], input=stdin, capture_output=True,
                              cwd=ROOT, timeout=600)
    else:
        proc = run_in_process(list(args), stdin)
    if check and proc.returncode != 0:
        raise AssertionError(f"seamline {' '.join(args)} exited {proc.returncode}: {proc.stderr.decode()}")
    return proc


def run_in_process(args: list[str], stdin: bytes | None) -> subprocess.CompletedProcess:
    from typer.testing import CliRunner

    from seamline.cli import main

    runner = CliRunner()
    status = 0
    here = os.getcwd()
    os.chdir(ROOT)
    try:
        with runner.isolation(input=stdin or b"") as (out, err, *_):
            try:
                main(args)
            except SystemExit as exit_:
                code = exit_.code
                status = code if isinstance(code, int) else (0 if code is None else 1)
            sys.stdout.flush()
            sys.stderr.flush()
            stdout, stderr = out.getvalue(), err.getvalue()
    finally:
        os.chdir(here)
    return subprocess.CompletedProcess(["seamline", *args], status, stdout, stderr)


def records(out: bytes) -> list[dict]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def to_jsonl(recs: list[dict]) -> bytes:
    return b"".join(json.dumps(r, ensure_ascii=False).encode("utf-8") + b"\n" for r in recs)


def assert_tiles(text: str, units: list[dict]) -> None:
    """The lossless rule: units are contiguous, cover the text and each is text[start:end]."""
    assert units, "no units"
    assert units[0]["start"] == 0
    for i, unit in enumerate(units):
        assert unit["seq"] == i
        assert text[unit["start"]:unit["end"]] == unit["text"]
    for a, b in zip(units, units[1:]):
        assert a["end"] == b["start"], (a, b)
    assert units[-1]["end"] == len(text)
    assert "".join(u["text"] for u in units) == text


# Under pytest-xdist (`make test` runs `pytest -n auto --dist loadgroup`), tests go one by one to
# whichever worker is free, and a module-scoped fixture is then built on each worker that runs one
# of its tests. These modules' fixtures take seconds (PDFs parsed, models trained or loaded, a
# browser, the docs' input folder): each module runs whole on one worker, so they are built once.
WHOLE_MODULES = {
    "test_docs_examples", "test_formats_pdf", "test_formats_pdf_tables", "test_formats_documents",
    "test_lm_model", "test_sentences", "test_view_page", "test_topic_lda", "test_chunk_fill",
    "test_api", "test_form_lines", "test_plugins", "test_topic_tiling",
}
# The groups that take longest go first, so that no worker is left with one of them at the end.
FIRST_GROUPS = ("ray", "test_docs_examples", "test_formats_pdf")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    if not config.pluginmanager.hasplugin("xdist") or not config.getoption("dist", "no") == "loadgroup":
        return
    for item in items:
        name = item.module.__name__ if item.module is not None else ""
        if name in WHOLE_MODULES and not any(item.iter_markers("xdist_group")):
            item.add_marker(pytest.mark.xdist_group(name))

    def rank(item) -> int:
        groups = [m.args[0] for m in item.iter_markers("xdist_group") if m.args]
        return min((FIRST_GROUPS.index(g) for g in groups if g in FIRST_GROUPS), default=len(FIRST_GROUPS))

    items.sort(key=rank)  # stable: the order within each rank stays as collected
