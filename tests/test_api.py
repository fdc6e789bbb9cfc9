"""The Python API, `seamline pipe` and the CLI give the same records for the same input.

Samples of every shared corpus (the head of each file, so the suite stays fast)
go through each command and each API function, and through each chain of stages
as a shell pipeline (JSON between the stages) and as `seamline pipe` (records in
memory); the bytes must match.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from conftest import FIXTURES, ROOT, SHARED_DATA, records, run_cli

# (corpus, file, how much of it): one file of every shared corpus
CORPORA = {
    "gutenberg": ("corpus/gutenberg/austen_emma.txt", 60_000),
    "eu-acts": ("corpus/legal/EU_DORA_2022.md", 80_000),
    "sentences": ("sentences/ud_en_ewt.dev.jsonl", 30),
    "sentences-de": ("sentences/ud_de_gsd.dev.jsonl", 20),
    "legal-sbd": ("sentences/legal_sbd_alea_sample.dev.jsonl", 10),
    "topics": ("topics/choi.dev.jsonl", 8),
    "legal": ("legal/gdpr_articles.dev.jsonl", 6),
    "retrieval": ("retrieval/cuad_qa.dev.docs.jsonl", 2),
    "pdf": ("pdf/grasshopper_fable.pdf", None),
}


@pytest.fixture(scope="module")
def samples(tmp_path_factory) -> dict[str, Path]:
    """The head of one file per corpus, written under a temporary directory (ids are its path)."""
    out = {}
    folder = tmp_path_factory.mktemp("corpora")
    for name, (rel, size) in CORPORA.items():
        src = SHARED_DATA / rel
        if not src.exists():
            continue
        dst = folder / f"{name}{''.join(src.suffixes[-1:])}"
        if size is None:
            dst.write_bytes(src.read_bytes())
        elif src.suffix == ".jsonl":
            with open(src, "rb") as f:
                dst.write_bytes(b"".join(line for _, line in zip(range(size), f)))
        else:
            text = src.read_text(encoding="utf-8")[:size]
            dst.write_text(text, encoding="utf-8")
        out[name] = dst
    return out


def sample(samples, name: str) -> Path:
    if name not in samples:
        pytest.skip(f"{SHARED_DATA / CORPORA[name][0]} is not here (shared data absent)")
    return samples[name]


def api_bytes(recs) -> bytes:
    return b"".join(orjson.dumps(r) + b"\n" for r in recs)


def cli(*args: str, stdin: bytes | None = None) -> bytes:
    return run_cli(*args, stdin=stdin, check=True).stdout


@pytest.mark.parametrize("corpus", list(CORPORA))
def test_every_api_function_writes_what_its_command_writes(samples, corpus):
    import seamline

    path = sample(samples, corpus)
    units = cli("segment", str(path))
    assert units and api_bytes(seamline.segment(path)) == units
    scored = cli("score", stdin=units)
    assert api_bytes(seamline.score(records(units))) == scored
    chunks = cli("chunk", "--max-tokens", "128", str(path))
    assert api_bytes(seamline.chunk(path, max_tokens=128)) == chunks
    assert api_bytes(seamline.chunk(records(units), max_tokens=128)) == cli("chunk", "--max-tokens", "128", stdin=units)
    merged = cli("merge", "--max-tokens", "512", stdin=chunks)
    assert api_bytes(seamline.merge(records(chunks), max_tokens=512)) == merged
    pred = path.parent / f"{corpus}.chunks.jsonl"
    pred.write_bytes(chunks)
    stats = cli("eval", str(pred), "--max-tokens", "128", "--format", "jsonl")
    assert api_bytes(seamline.evaluate(pred, max_tokens=128)) == stats


CHAINS = [
    "segment | chunk --max-tokens 256",
    "segment --by paragraph | score --method tiling | chunk --strategy optimal --max-tokens 200 --min-tokens 20",
    "segment --engine rules | chunk --max-tokens 64 | merge --max-tokens 256 --min-tokens 100",
    "chunk --strategy recursive --max-tokens 120 --overlap 20",
]


@pytest.mark.parametrize("chain", CHAINS)
@pytest.mark.parametrize("corpus", list(CORPORA))
def test_pipe_equals_the_shell_pipeline(samples, corpus, chain):
    path = sample(samples, corpus)
    stages = [part.split() for part in chain.split("|")]
    data = cli(*stages[0], str(path))
    for stage in stages[1:]:
        data = cli(*stage, stdin=data)
    assert data and cli("pipe", chain, str(path)) == data


def test_legal_chain_and_python_pipeline_object(samples):
    import seamline

    path = sample(samples, "eu-acts")
    chain = "segment --by legal | chunk --strategy legal --with-headings --max-tokens 300"
    shell = cli("chunk", "--strategy", "legal", "--with-headings", "--max-tokens", "300",
                stdin=cli("segment", "--by", "legal", str(path)))
    assert cli("pipe", chain, str(path)) == shell
    run = seamline.pipeline([("segment", {"by": "legal"}),
                             ("chunk", {"strategy": "legal", "with_headings": True, "max_tokens": 300})])
    assert api_bytes(run(path)) == shell
    # the same object maps any iterable of documents, again and again (a cluster worker's batches)
    docs = [{"id": "a", "text": "Article 1\n\nScope\n\n1. This applies."}, {"id": "b", "text": "Article 2\n\nNone."}]
    first, again = list(run(docs)), list(run(iter(docs)))
    assert first == again and {r.doc for r in first} == {"a", "b"}


def test_pipe_as_a_real_shell_pipeline_with_a_directory(tmp_path):
    """Real processes, a directory input and -o; the files of tests/fixtures/chunk."""
    folder = FIXTURES / "chunk"
    shell = subprocess.run(f"{sys.executable} -m seamline segment {folder} | {sys.executable} -m seamline chunk "
                           "--max-tokens 100 | {0} -m seamline merge --max-tokens 300".format(sys.executable),
                           shell=True, capture_output=True, cwd=ROOT, timeout=600, check=True).stdout
    out = tmp_path / "out.jsonl"
    proc = subprocess.run([sys.executable, "-m", "seamline", "pipe",
                           "segment | chunk --max-tokens 100 | merge --max-tokens 300", str(folder), "-o", str(out)],
                          capture_output=True, cwd=ROOT, timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert shell and out.read_bytes() == shell


@pytest.mark.parametrize("spec, words", [
    ("segment | frobnicate", b"unknown stage 'frobnicate'"),
    ("segment | chunk --max-tokens", b"needs a value"),
    ("segment | chunk --max-tokens many", b"takes a int"),
    ("segment || chunk", b"empty stage"),
    ("chunk --strategy nope", b"nope"),
    ("chunk --strategy legal --overlap 10", b"--overlap"),
    ("segment --jobs 2", b"no option '--jobs'"),
])
def test_pipe_refuses_bad_stages_before_reading(spec, words):
    proc = run_cli("pipe", spec, str(FIXTURES / "chunk"))
    assert proc.returncode == 2 and words in proc.stderr and not proc.stdout


def test_record_attributes_and_json():
    import seamline

    chunks = list(seamline.chunk("A first sentence here. A second one follows it. " * 20, max_tokens=32))
    assert len(chunks) > 1 and all(c.tokens <= 32 for c in chunks)
    c = chunks[1]
    assert (c.doc, c.seq, c.kind) == ("0", 1, "chunk")
    assert c.text == c["text"] and c.start == chunks[0].end and c.path is None and c.score is None
    assert json.loads(c.to_json()) == c.to_dict() and isinstance(c, dict)
    with pytest.raises(AttributeError):
        c.nonsense  # noqa: B018


def test_inputs_a_python_user_has():
    import seamline

    text = "One. Two."
    as_str = [u.to_dict() for u in seamline.segment(text, engine="rules")]
    as_doc = [u.to_dict() for u in seamline.segment({"id": "0", "text": text}, engine="rules")]
    as_list = [u.to_dict() for u in seamline.segment([text, text], engine="rules")]
    assert as_str == as_doc and [u["text"] for u in as_str] == ["One. ", "Two."]
    assert [u["doc"] for u in as_list] == ["0", "0", "1", "1"]
    doc = {"id": "x", "text": text}
    list(seamline.score(seamline.segment(doc, engine="rules")))
    assert doc == {"id": "x", "text": text}  # the caller's dicts are not changed


def test_errors_are_library_errors():
    import seamline

    with pytest.raises(seamline.UsageError, match="unknown chunk strategy 'nope'; known: pack"):
        seamline.chunk("text", strategy="nope")  # at the call, before any input
    with pytest.raises(seamline.UsageError, match="unknown sentence engine"):
        seamline.segment("text", engine="nope")
    with pytest.raises(seamline.InputError, match="no 'text' field"):
        list(seamline.chunk([{"id": "a"}]))
    # the library names options by keyword; the CLI says the flag a user typed
    with pytest.raises(seamline.UsageError, match="`overlap` must be at least 0 and less than `max_tokens`"):
        seamline.chunk("text", max_tokens=8, overlap=8)
    proc = run_cli("chunk", "--max-tokens", "8", "--overlap", "8", stdin="x")
    assert proc.returncode == 2 and b"--overlap must be at least 0 and less than --max-tokens (8)" in proc.stderr


def test_import_seamline_is_cheap():
    code = ("import sys, seamline; seamline.chunk; "
            "print(sorted(m for m in ('numpy', 'numba', 'spacy', 'typer', 'tiktoken', 'rich') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_a_pipeline_pickles_as_its_spec_for_cluster_workers():
    import pickle

    import seamline

    run = seamline.pipeline("segment --engine rules | chunk --max-tokens 16")
    data = pickle.dumps(run)
    assert len(data) < 500  # the stage list, not the loaded models
    again = pickle.loads(data)
    docs = [{"id": "a", "text": "One sentence here. Another one follows it. And a third."}]
    assert [r.to_dict() for r in again(docs)] == [r.to_dict() for r in run(docs)]
    assert again.spec == [("segment", {"engine": "rules"}), ("chunk", {"max_tokens": 16})]
