"""Every option acts or is refused with a message; one error style; help says what options do."""
from __future__ import annotations

import pytest

from conftest import ROOT, records, run_cli, to_jsonl

POLICY = ROOT / "examples" / "policy.md"
LEGAL = to_jsonl([{"id": "act", "text": (
    "TITLE 1. GENERAL PROVISIONS\n\n"
    "Section 1. Definitions\n\n(a) In this title, a word means what it says in the dictionary. "
    "It has no other meaning at all, whatever anyone says about it.\n\n"
    "(b) A rule means a rule made under this title and nothing else.\n\n"
    "Section 2. Scope\n\n(a) This title applies to every person in the land, and to every thing "
    "that a person owns or holds in trust for another person.\n\n"
    "(b) It does not apply to the weather, which nobody owns.\n")}])


def one_line(proc) -> str:
    err = proc.stderr.decode().strip()
    assert "Traceback" not in err and err.startswith("seamline: error: ") and len(err.splitlines()) == 1, err
    return err


# ---------------------------------------------------------------- item 4: --with-headings

@pytest.mark.parametrize("strategy", ["pack", "fill", "tight", "fixed", "recursive", "optimal", "legal"])
def test_with_headings_adds_context_from_reader_headings(strategy):
    """Markdown units: each chunk under a heading it does not contain names that heading in `context`."""
    units = run_cli("segment", str(POLICY), check=True).stdout
    if strategy == "optimal":
        units = run_cli("score", stdin=units, check=True).stdout
    plain = records(run_cli("chunk", "--strategy", strategy, "--max-tokens", "48", stdin=units, check=True).stdout)
    out = records(run_cli("chunk", "--strategy", strategy, "--max-tokens", "48", "--with-headings",
                          stdin=units, check=True).stdout)
    assert out != plain
    assert all("context" in c for c in out)
    assert all("context" not in c for c in plain)
    text = POLICY.read_text(encoding="utf-8")
    assert "".join(c["text"] for c in out) == text  # text unchanged: still tiles
    with_context = [c for c in out if c["context"]]
    assert with_context, "no chunk got a context"
    for chunk in with_context:
        lines = chunk["context"].split("\n")
        assert lines[0] == "Example Service Privacy Notice"
        assert not any(chunk["text"].lstrip("# ").startswith(line) for line in lines)
    from seamline.tokenizers import get_tokenizer
    tok = get_tokenizer("cl100k_base")
    for chunk in out:  # tokens counts context + newline + text, within the budget
        body = chunk["context"] + "\n" + chunk["text"] if chunk["context"] else chunk["text"]
        assert chunk["tokens"] == tok.count(body) <= 48


def test_with_headings_default_strategy_on_legal_units():
    units = run_cli("segment", "--by", "legal", stdin=LEGAL, check=True).stdout
    out = records(run_cli("chunk", "--max-tokens", "30", "--with-headings", stdin=units, check=True).stdout)
    contexts = {c["context"] for c in out}
    assert any("Section 1. Definitions" in c for c in contexts), contexts
    assert all(c["tokens"] <= 30 for c in out)


def test_with_headings_on_documents_without_headings_gives_empty_context():
    out = records(run_cli("chunk", "--with-headings", "--max-tokens", "16",
                          stdin=to_jsonl([{"id": "x", "text": "One sentence here. " * 20}]), check=True).stdout)
    assert out and all(c["context"] == "" for c in out)


def test_legal_strategy_context_from_a_pdf_like_reader():
    """Units with reader headings (Markdown here, as a PDF's) get context under --strategy legal too."""
    units = run_cli("segment", str(POLICY), check=True).stdout
    out = records(run_cli("chunk", "--strategy", "legal", "--with-headings", "--max-tokens", "40",
                          stdin=units, check=True).stdout)
    assert any(c["context"] for c in out)


# ---------------------------------------------------------------- item 5: legal --overlap

def test_legal_overlap_is_refused():
    proc = run_cli("chunk", "--strategy", "legal", "--overlap", "4", stdin=LEGAL)
    assert proc.returncode == 2
    assert "--overlap" in one_line(proc)
    assert proc.stdout == b""


# ---------------------------------------------------------------- item 6: --lang

@pytest.mark.parametrize("args", [
    ["segment", "--lang", "ja"],                       # learned: not one of its languages
    ["segment", "--engine", "rules", "--lang", "de"],  # rules: English only
    ["segment", "--by", "legal", "--lang", "de"],
    ["chunk", "--lang", "ja"],
    ["score", "--lang", "ja"],
])
def test_lang_an_engine_cannot_read_is_refused(args):
    proc = run_cli(*args, stdin=LEGAL)
    assert proc.returncode == 2
    assert "--lang" in one_line(proc)


def test_lang_an_engine_reads_is_accepted():
    doc = to_jsonl([{"id": "de", "text": "Das ist ein Satz. Hier kommt noch einer."}])
    assert run_cli("segment", "--lang", "de", stdin=doc).returncode == 0
    assert run_cli("segment", "--by", "paragraph", "--lang", "ja", stdin=doc).returncode == 0


# ---------------------------------------------------------------- item 9: tokenizers not on the machine

@pytest.mark.parametrize("name", ["gpt2", "o200k_base", "no-such-encoding"])
def test_unavailable_tokenizer_is_a_usage_error(name):
    from seamline.tokenizers import get_tokenizer
    try:
        get_tokenizer(name)
    except Exception:
        pass
    else:
        pytest.skip(f"{name} is on this machine")
    proc = run_cli("chunk", "--tokenizer", name, stdin=LEGAL)
    assert proc.returncode == 2
    assert name in one_line(proc)


# ---------------------------------------------------------------- items 10, 14, 15

def test_chunk_help_names_every_strategy_and_the_context_field():
    from seamline.chunkers import STRATEGIES

    out = run_cli("chunk", "--help", check=True).stdout.decode()
    flat = " ".join(out.split())
    for name in STRATEGIES:
        assert f"{name} (" in flat, f"--help does not describe strategy {name}"
    assert '"context" field' in flat and "Prefix" not in flat


@pytest.mark.parametrize("args", [
    ["segment", "--no-such-option"],
    ["chunk", "--max-tokens", "abc"],
    ["chunk", "--max-tokens", "0"],
    ["no-such-command"],
    ["eval"],
])
def test_usage_errors_from_option_parsing_are_one_line(args):
    proc = run_cli(*args, stdin=b"")
    assert proc.returncode == 2
    err = one_line(proc)
    assert "--help" in err


def test_level_errors_name_levels_a_reader_knows():
    proc = run_cli("segment", "--by", "legal", "--level", "nonsense", stdin=LEGAL)
    assert proc.returncode == 2
    err = one_line(proc)
    assert "section" in err and "article" in err
    for internal in ("dot-digit", "paren-dlower", "rparen-lower", "dot2"):
        assert internal not in err
    proc = run_cli("segment", "--by", "legal", "--family", "eu", "--level", "nonsense", stdin=LEGAL)
    assert "eu family" in one_line(proc) and "article" in proc.stderr.decode()
    from seamline.legal.patterns import ALL_LEVELS
    for level in ALL_LEVELS:  # every listed level is accepted
        assert run_cli("segment", "--by", "legal", "--level", level, stdin=LEGAL).returncode == 0, level


# ---------------------------------------------------------------- item 3: a gate over nothing

def test_gate_over_an_empty_stream_fails(tmp_path):
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"")
    proc = run_cli("eval", str(empty), "--max-tokens", "512", "--fail-under", "over_budget=0")
    assert proc.returncode == 1
    assert "no documents" in one_line(proc)
    proc = run_cli("eval", str(empty), "--max-tokens", "512", "--fail-under", "over_budget=0", "--allow-empty")
    assert proc.returncode == 0, proc.stderr
    assert run_cli("eval", str(empty), "--max-tokens", "512").returncode == 0  # no gate, no failure


def test_gate_over_chunks_still_passes_and_fails_on_values(tmp_path):
    chunks = tmp_path / "chunks.jsonl"
    chunks.write_bytes(run_cli("chunk", "--max-tokens", "20", stdin=LEGAL, check=True).stdout)
    assert run_cli("eval", str(chunks), "--max-tokens", "20", "--fail-under", "over_budget=0").returncode == 0
    proc = run_cli("eval", str(chunks), "--max-tokens", "10", "--fail-under", "over_budget=0")
    assert proc.returncode == 1 and "over_budget" in proc.stderr.decode()


# ---------------------------------------------------------------- item 13: options common to the commands

@pytest.fixture
def unit_files(tmp_path):
    folder = tmp_path / "units"
    folder.mkdir()
    for i in range(3):
        doc = {"id": f"f{i}", "text": f"File {i} begins. " + "It goes on for a while, sentence by sentence. " * (5 + i)}
        (folder / f"{i}.jsonl").write_bytes(run_cli("segment", stdin=to_jsonl([doc]), check=True).stdout)
    return folder


@pytest.mark.parametrize("stage", [["chunk", "--max-tokens", "24"], ["score"], ["merge", "--max-tokens", "48"]])
def test_jobs_give_the_same_bytes_as_one_job(unit_files, stage):
    one = run_cli(*stage, str(unit_files), check=True).stdout
    two = run_cli(*stage, "-j", "2", str(unit_files), check=True, process=True).stdout
    assert one == two and one


@pytest.mark.parametrize("stage", [["chunk", "--max-tokens", "24"], ["score"], ["merge", "--max-tokens", "48"]])
def test_keep_going_lists_a_failing_file_and_goes_on(unit_files, stage):
    (unit_files / "1.jsonl").write_bytes(b"not json\n")
    proc = run_cli(*stage, "--keep-going", str(unit_files))
    assert proc.returncode == 1
    assert "1 of 3 inputs failed" in proc.stderr.decode() and "1.jsonl:1" in proc.stderr.decode()
    assert {r["doc"] for r in records(proc.stdout)} == {"f0", "f2"}


@pytest.mark.parametrize("stage", [["chunk", "--max-tokens", "24"], ["score"], ["merge", "--max-tokens", "48"]])
def test_format_text_writes_one_record_a_line(unit_files, stage):
    jsonl = records(run_cli(*stage, str(unit_files), check=True).stdout)
    text = run_cli(*stage, "--format", "text", str(unit_files), check=True).stdout.decode()
    assert len(text.splitlines()) == len(jsonl)
    assert text.splitlines()[0].startswith("File 0 begins.")


# ---------------------------------------------------------------- items 11, 12: standard input, ids

def test_plain_text_on_standard_input_gets_a_hint():
    text = (ROOT / "examples" / "harbour.txt").read_bytes()
    proc = run_cli("segment", stdin=text)
    assert proc.returncode == 1
    err = one_line(proc)
    assert "<stdin>:1" in err and "--from text" in err and "JSON Lines" in err
    out = records(run_cli("segment", "--from", "text", stdin=text, check=True).stdout)
    assert "".join(u["text"] for u in out) == text.decode("utf-8")


def test_a_bad_later_line_keeps_the_plain_hint():
    proc = run_cli("segment", stdin=b'{"id": "a", "text": "x"}\nnot json\n')
    assert "--from text" not in proc.stderr.decode() and "<stdin>:2" in proc.stderr.decode()


def test_missing_id_says_how_to_add_one(tmp_path):
    path = tmp_path / "noid.jsonl"
    path.write_bytes(b'{"text": "x"}\n')
    proc = run_cli("segment", str(path))
    assert proc.returncode == 1
    err = one_line(proc)
    assert "'id'" in err and "input_line_number" in err
    import shutil
    import subprocess
    if shutil.which("jq"):  # the suggested command works
        fix = err[err.index("jq -c"):].rstrip(")")
        fixed = subprocess.run(["bash", "-c", fix], cwd=tmp_path, capture_output=True, check=True).stdout
        out = records(run_cli("segment", stdin=fixed, check=True).stdout)
        assert out[0]["doc"] == f"{path}:1"


def test_duplicate_ids_are_warned_about_once_with_a_count():
    docs = to_jsonl([{"id": i, "text": f"Text {n}."} for n, i in enumerate(["a", "b", "a", "b", "b"])])
    proc = run_cli("segment", stdin=docs)
    assert proc.returncode == 0
    lines = proc.stderr.decode().strip().splitlines()
    assert lines[0] == ("seamline: warning: <stdin>:3: duplicate id 'a': an earlier document of this input "
                        "has it; later stages and eval will mix the two up")
    assert "3 documents repeat" in lines[1] and len(lines) == 2
    assert len({r["doc"] for r in records(proc.stdout)}) == 2
    unique = to_jsonl([{"id": i, "text": "x"} for i in "abc"])
    assert run_cli("segment", stdin=unique).stderr == b""
