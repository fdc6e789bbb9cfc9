"""Every shell example in README.md and docs/*.md runs as written, on small inputs made here.

Examples are the lines of ```sh/```bash blocks and of indented code blocks that
start with a command (seamline, cat, jq, python, a VAR=value prefix); lines
that continue (a trailing backslash, an indented `| ...`, an open quote) join
the line before. Each runs with `bash -o pipefail` in a folder holding every
file the examples name, and must exit 0. The few that cannot run here are
listed in SKIPPED with the reason.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, to_jsonl
from test_formats_pdfmaker import legal_pdf

DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
COMMAND = re.compile(r"^(seamline |cat |jq |python |\.venv/bin/python |[A-Z_]+=\S+ seamline )")
# Examples that cannot run in a test, by the start of their command, with the reason.
SKIPPED = {
    "python -m seamline.topics.lda fit ../shared/data": "fits the shipped topic model on the shared corpus (minutes)",
    ".venv/bin/python -m seamline.sbd.train": "retrains a shipped model (minutes); tests/test_sentences.py trains on held-out halves",
    'seamline pipe "segment --by legal | chunk --strategy legal --max-tokens 512" /mnt/archive/':
        "joins a Ray cluster at HEAD:6379 (docs/scale.md); tests/test_ray.py joins a local one with --address",
    # (each Ray example starts a local Ray, about 15 s: this one is commands.md's without --num-cpus)
    'seamline pipe "segment --by sentence | chunk --max-tokens 512" docs/ reports/ --executor ray -o chunks.jsonl':
        "the same run as the --num-cpus 2 example in docs/commands.md, which runs",
    'seamline pipe "segment --by sentence | chunk --max-tokens 512" docs/ reports/ --executor ray -o shards/':
        "tests/test_ray.py writes shards through the command line on its local Ray "
        "(test_shards_are_written_in_input_order_and_read_back)",
    "python -m seamline.sbd.train": "retrains the shipped sentence model (minutes); tests/test_sentences.py trains on held-out halves",
}


def blocks(text: str) -> list[list[str]]:
    """Lines of shell code blocks: fenced sh/bash, or indented by four spaces after a blank line."""
    out, current, fence, prev_blank = [], None, None, True
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("```"):
            if current is not None and fence is None:  # an indented block ends at a fence
                out.append(current)
                current = None
            if fence is None:
                fence = stripped[3:].strip() or "text"
                current = [] if fence in ("sh", "bash", "shell") and not line.startswith(" ") else None
            else:
                if current is not None:
                    out.append(current)
                fence, current = None, None
            prev_blank = False
            continue
        if fence is not None:
            if current is not None:
                current.append(line)
            continue
        if current is not None and (line.startswith("    ") or not stripped):
            current.append(line[4:])
        elif current is None and line.startswith("    ") and prev_blank:
            current = [line[4:]]
        elif current is not None:
            out.append(current)
            current = None
        prev_blank = not stripped
    if current:
        out.append(current)
    return out


def commands(lines: list[str]) -> list[str]:
    """Whole commands: continuation lines joined, comments and prompts left out."""
    found: list[str] = []
    pending = ""
    for line in lines:
        if pending:
            pending += "\n" + line
        elif COMMAND.match(line.strip()) and line == line.lstrip():
            pending = line
        else:
            continue
        if pending.rstrip().endswith("\\") or pending.count("'") % 2 or pending.count('"') % 2:
            continue
        found.append(pending)
        pending = ""
    return found


def examples() -> list:
    params = []
    for path in DOCS:
        text = path.read_text(encoding="utf-8")
        for block in blocks(text):
            lines = []
            for line in block:  # indented continuation lines of fenced blocks (`  | seamline chunk ...`)
                if lines and line.startswith((" ", "\t")) and line.strip() and not line.strip().startswith("#"):
                    lines[-1] += "\n" + line
                else:
                    lines.append(line)
            for cmd in commands(lines):
                if "[OPTIONS]" in cmd or "FILE..." in cmd or "PRED..." in cmd:
                    continue  # a synopsis, not an example
                marks = [pytest.mark.skip(reason=why) for start, why in SKIPPED.items() if cmd.startswith(start)]
                if "--executor ray" in cmd:  # one local Ray at a time: with the Ray tests, on one test worker
                    marks.append(pytest.mark.xdist_group("ray"))
                params.append(pytest.param(cmd, id=f"{path.name}:{cmd.splitlines()[0][:70]}", marks=marks))
    return params


def legal_docs() -> bytes:
    return to_jsonl([{"id": p.stem, "text": p.read_text(encoding="utf-8")}
                     for p in sorted((FIXTURES / "legal").glob("*.txt"))])


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    """A folder with every file the examples name, made from the repository's fixtures."""
    root = tmp_path_factory.mktemp("inputs")
    examples_dir = ROOT / "examples"
    # The examples' PDFs: three pages of legal text with a running header and page numbers (the
    # real contracts' PDFs take seconds each to parse; tests/test_formats_*.py read them).
    pdf = tmp_path_factory.mktemp("pdf") / "made.pdf"
    paragraphs = [p for name in ("contract.txt", "statute.txt") for p in
                  (FIXTURES / "legal" / name).read_text(encoding="utf-8").split("\n\n") if p.strip()]
    pdf.write_bytes(legal_pdf(paragraphs * 3, per_page=30))
    copies = {
        "report.pdf": pdf, "rule.pdf": pdf, "pdfs/contract.pdf": pdf, "scans/a/scan.pdf": pdf,
        "notes.md": examples_dir / "policy.md", "report.md": FIXTURES / "formats" / "guide.md",
        "report.txt": examples_dir / "harbour.txt", "doc.txt": examples_dir / "harbour.txt",
        "book.txt": FIXTURES / "topics" / "three_topics.txt",
        "title17.txt": FIXTURES / "legal" / "statute.txt", "act.txt": FIXTURES / "legal" / "statute.txt",
        "gdpr.txt": FIXTURES / "legal" / "eu.txt", "contracts/jda.txt": FIXTURES / "legal" / "contract.txt",
        "letters/2024/offer.html": FIXTURES / "formats" / "article.html",
        "reports/harbour.txt": examples_dir / "harbour.txt",
        "docs.jsonl": examples_dir / "notes.jsonl", "notes.jsonl": examples_dir / "notes.jsonl",
        "docs/notes.jsonl": examples_dir / "notes.jsonl",
        "gold.jsonl": FIXTURES / "eval" / "gold.jsonl", "pred.jsonl": FIXTURES / "eval" / "perfect.jsonl",
        "questions.jsonl": FIXTURES / "eval" / "questions.jsonl",
        "tokenizer.json": FIXTURES / "chunk" / "tokenizer.json",
    }
    for name, source in copies.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, target)
    (root / "uscode.jsonl").write_bytes(legal_docs())
    (root / "contracts.jsonl").write_bytes(legal_docs())
    made = {  # files that are the output of an earlier stage
        "sentences.jsonl": "seamline segment gold.jsonl report.pdf",
        "rules.jsonl": "seamline segment --engine rules gold.jsonl",
        "pysbd.jsonl": "seamline segment --engine pysbd gold.jsonl",
        # chunks of the gold documents (for eval's questions) and of a PDF (pages in meta)
        "chunks.jsonl": "seamline segment gold.jsonl report.pdf | seamline chunk --max-tokens 128",
    }
    for name, cmd in made.items():
        out = run(cmd, root)
        assert out.returncode == 0, out.stderr
        (root / name).write_bytes(out.stdout)
    fit = run("python -m seamline.topics.lda fit corpus.txt -o my-topics.npz --topics 5 --iterations 20",
              root, setup=lambda: shutil.copy(FIXTURES / "topics" / "lda" / "corpus.txt", root / "corpus.txt"))
    assert fit.returncode == 0, fit.stderr
    return root


def run(cmd: str, cwd: Path, setup=None) -> subprocess.CompletedProcess:
    if setup:
        setup()
    bin_dir = str(Path(sys.executable).parent)
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ.get('PATH', '/usr/bin:/bin')}",
           "PYTHONPATH": str(ROOT), "PAGER": "cat"}
    env.pop("SEAMLINE_DEBUG", None)
    return subprocess.run(["bash", "-o", "pipefail", "-c", cmd], cwd=cwd, env=env, capture_output=True,
                          timeout=600)


@pytest.mark.parametrize("cmd", examples())
def test_example_runs_as_written(cmd, inputs, tmp_path):
    if not shutil.which("python") and re.match(r"(\S+=\S+ )?python ", cmd):
        pytest.skip("no `python` on PATH here (the example assumes an activated environment)")
    for tool in ("jq", "less"):
        if re.search(rf"(^|\| ){tool} ", cmd) and not shutil.which(tool):
            pytest.skip(f"{tool} is not installed here")
    work = tmp_path / "w"
    shutil.copytree(inputs, work)
    proc = run(cmd, work)
    err = proc.stderr.decode()
    if proc.returncode == 2 and "pip install 'seamline[" in err:
        pytest.skip(f"needs an optional extra that is not installed here: {err.strip()}")
    assert proc.returncode == 0, f"{cmd}\nexit {proc.returncode}: {proc.stderr.decode()[-2000:]}"


def test_examples_are_found():
    """The extraction sees the examples (a broken parser would make the test above vacuous)."""
    found = [p.values[0] for p in examples()]
    assert len(found) >= 40
    assert any(c.startswith("jq ") and "page_span" in c for c in found)  # docs/batch.md's page recipe
    assert any("\n" in c and "| seamline chunk" in c for c in found)    # a continued README pipeline
