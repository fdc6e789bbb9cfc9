"""`seamline view` on a terminal: what rich draws, read back from its recording console."""
from __future__ import annotations

from pathlib import Path

import pytest
from rich.console import Console

from conftest import ROOT, records, run_cli, shared_path, to_jsonl
from seamline.view import Selection, TerminalOptions, aligned, document_view, read_stream
from seamline.view.terminal import SHADES


def stream_file(tmp_path: Path, name: str, *commands: list[str], source: str) -> Path:
    """Run `seamline` commands as a pipeline over `source`; the last one's output is the stream."""
    data = run_cli(*commands[0], source, check=True).stdout
    for command in commands[1:]:
        data = run_cli(*command, stdin=data, check=True).stdout
    path = tmp_path / name
    path.write_bytes(data)
    return path


def recording_console(width: int = 100) -> Console:
    return Console(record=True, width=width, force_terminal=True, color_system="truecolor",
                   highlight=False, file=open("/dev/null", "w"))


def shaded_runs(console: Console, renderables, shades: tuple[str, str]) -> list[tuple[str, str]]:
    """(shade, text) for each run of consecutive segments on the same unit shade, margins skipped."""
    from rich.style import Style

    backgrounds = {Style.parse(s).bgcolor: s for s in shades}
    runs: list[list[str]] = []
    for renderable in renderables:
        for segment in console.render(renderable):
            shade = backgrounds.get(segment.style.bgcolor) if segment.style else None
            if shade is None:
                continue
            if runs and runs[-1][0] == shade:
                runs[-1][1] += segment.text
            else:
                runs.append([shade, segment.text])
    return [(s, t) for s, t in runs]


def squeeze(text: str) -> str:
    return "".join(text.split())


def test_units_alternate_shades_with_their_margins(tmp_path):
    path = stream_file(tmp_path, "chunks.jsonl", ["segment", "--by", "sentence"],
                       ["chunk", "--max-tokens", "40"], source=str(ROOT / "examples" / "policy.md"))
    units = records(path.read_bytes())
    [streams] = list(aligned([read_stream(str(path))], ["chunks"]))
    options = TerminalOptions(["chunks"], max_chars=0, max_tokens=40)
    console = recording_console()
    renderables = list(document_view(streams, options))
    runs = shaded_runs(console, renderables, SHADES["truecolor"])
    # one run per unit, shades alternating, each run holding exactly that unit's text
    assert len(runs) == len(units) > 3
    assert [shade for shade, _ in runs] == [SHADES["truecolor"][u["seq"] % 2] for u in units]
    for (_, shown), unit in zip(runs, units):
        assert squeeze(shown) == squeeze(unit["text"]) or (not unit["text"].strip() and shown.strip() == "⏎")
    for renderable in renderables:
        console.print(renderable)
    plain = console.export_text()
    for unit in units:
        assert f"#{unit['seq']:<4} {str(unit['tokens']) + 't':>6}" in plain
    assert "over --max-tokens 40: 0" in plain
    assert "§ Example Service Privacy Notice › 2. What we collect" in plain


def test_scores_are_bars_in_the_margin(tmp_path):
    path = stream_file(tmp_path, "scored.jsonl", ["segment", "--by", "sentence"], ["score", "--method", "tiling"],
                       source=str(ROOT / "examples" / "harbour.txt"))
    units = records(path.read_bytes())
    [streams] = list(aligned([read_stream(str(path))], ["scored"]))
    console = recording_console()
    for renderable in document_view(streams, TerminalOptions(["scored"], max_chars=0, threshold=0.5)):
        console.print(renderable)
    plain = console.export_text()
    scored = [u for u in units if u["score"] is not None]
    assert scored
    for unit in scored:
        assert f"{unit['score']:.2f}" in plain
    # a boundary over --threshold is marked with a diamond after its bar
    assert plain.count("◆") == sum(u["score"] > 0.5 for u in scored)


def test_long_documents_are_cut_short_with_a_note(tmp_path):
    text = " ".join(f"Sentence number {i} is here." for i in range(400))
    source = tmp_path / "long.txt"
    source.write_text(text)
    path = stream_file(tmp_path, "long.jsonl", ["segment", "--by", "sentence"], source=str(source))
    units = records(path.read_bytes())
    [streams] = list(aligned([read_stream(str(path))], ["long"]))
    console = recording_console()
    renderables = list(document_view(streams, TerminalOptions(["long"], max_chars=1000)))
    runs = shaded_runs(console, renderables, SHADES["truecolor"])
    starts_within = [u for u in units if u["start"] < 1000]
    assert len(runs) == len(starts_within) < len(units)
    for renderable in renderables:
        console.print(renderable)
    plain = console.export_text()
    left = len(units) - len(starts_within)
    assert f"{len(text) - 1000:,} more characters ({left:,} units) not shown" in plain


def test_view_command_on_a_pipe(tmp_path):
    path = stream_file(tmp_path, "chunks.jsonl", ["segment"], ["chunk", "--max-tokens", "64"],
                       source=str(ROOT / "examples" / "notes.jsonl"))
    units = records(path.read_bytes())
    docs = list(dict.fromkeys(u["doc"] for u in units))
    assert len(docs) >= 2
    proc = run_cli("view", str(path), "--max-docs", "1", check=True)
    out = proc.stdout.decode()
    assert "\x1b[" not in out  # no colour codes through a pipe unless --color always
    assert docs[0] in out and docs[1] not in out
    coloured = run_cli("view", "--color", "always", "--doc", docs[1], str(path), check=True).stdout.decode()
    assert "\x1b[" in coloured and docs[1] in coloured and docs[0] not in coloured
    # standard input works the same
    assert run_cli("view", "--max-docs", "1", stdin=path.read_bytes(), check=True).stdout.decode() == out


@pytest.mark.parametrize("args, stdin, status, message", [
    (["--doc", "nope"], None, 1, "no document 'nope'"),
    (["--color", "pink"], None, 2, "--color must be one of"),
    (["--html", "SELF"], None, 2, "is the input"),
    (["-", "-"], b"", 2, "standard input ('-') can be read once only"),
])
def test_view_command_errors(tmp_path, args, stdin, status, message):
    path = stream_file(tmp_path, "units.jsonl", ["segment"], source=str(ROOT / "examples" / "harbour.txt"))
    args = [str(path) if a == "SELF" else a for a in args]
    proc = run_cli("view", *([str(path)] if "-" not in args else []), *args, stdin=stdin)
    assert proc.returncode == status, proc.stderr
    err = proc.stderr.decode()
    assert message in err and err.count("\n") == 1


def test_documents_and_broken_streams_are_named_errors(tmp_path):
    doc = tmp_path / "docs.jsonl"
    doc.write_bytes(to_jsonl([{"id": "a", "text": "One. Two."}]))
    proc = run_cli("view", str(doc))
    assert proc.returncode == 1 and f"{doc}:1: this is a document, not a unit" in proc.stderr.decode()
    gap = tmp_path / "gap.jsonl"
    gap.write_bytes(to_jsonl([{"doc": "a", "seq": 0, "kind": "sentence", "start": 0, "end": 4, "text": "One."},
                              {"doc": "a", "seq": 1, "kind": "sentence", "start": 5, "end": 9, "text": "Two."}]))
    proc = run_cli("view", str(gap))
    assert proc.returncode == 1 and f"{gap}:2:" in proc.stderr.decode() and "gap" in proc.stderr.decode()


def test_streams_side_by_side_must_hold_the_same_documents(tmp_path, monkeypatch):
    a = stream_file(tmp_path, "a.jsonl", ["segment"], source=str(ROOT / "examples" / "notes.jsonl"))
    units = records(a.read_bytes())
    first = units[0]["doc"]
    b = tmp_path / "b.jsonl"
    b.write_bytes(to_jsonl([u for u in units if u["doc"] != first]))
    proc = run_cli("view", str(a), str(b))
    assert proc.returncode == 1
    assert "same documents in the same order" in proc.stderr.decode()
    # chosen with --doc, the shared ones are shown together
    second = next(u["doc"] for u in units if u["doc"] != first)
    shown = run_cli("view", str(a), str(b), "--doc", second, "--color", "never", check=True).stdout.decode()
    assert second in shown and first not in shown
    monkeypatch.setenv("COLUMNS", "400")  # the header shortens a long path to the width of the terminal
    both = run_cli("view", str(b), str(b), "--color", "never", check=True).stdout.decode()
    assert both.count(str(b)) >= 2


def test_shared_legal_document_shows_its_paths(tmp_path):
    source = shared_path("legal", "gdpr_articles.dev.jsonl")
    one = tmp_path / "one.jsonl"
    one.write_text(source.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    path = stream_file(tmp_path, "legal.jsonl", ["segment", "--by", "legal"], source=str(one))
    units = records(path.read_bytes())
    [streams] = list(aligned([read_stream(str(path))], ["legal"], Selection(limit=1)))
    console = recording_console(120)
    for renderable in document_view(streams, TerminalOptions(["legal"], max_chars=0)):
        console.print(renderable)
    plain = console.export_text()
    paths = {" › ".join(u["path"]) for u in units if u.get("path")}
    assert paths
    for p in paths:
        assert squeeze(f"§ {p}") in squeeze(plain)


@pytest.mark.parametrize("system", ["truecolor", "256"])
def test_terminal_shades_set_both_colours_with_high_contrast(system):
    """Each shade names its foreground too, so the terminal's own theme (light or dark) cannot undo it."""
    from rich.color import ColorSystem
    from rich.style import Style

    def luminance(colour) -> float:
        r, g, b = (c / 255 for c in colour.get_truecolor())
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    lights = []
    for shade in SHADES[system]:
        style = Style.parse(shade)
        assert style.color is not None and style.bgcolor is not None
        if system == "256":
            assert style.bgcolor.system == ColorSystem.EIGHT_BIT
        fg, bg = luminance(style.color), luminance(style.bgcolor)
        assert (max(fg, bg) + 0.05) / (min(fg, bg) + 0.05) >= 7.0
        lights.append(bg)
    # the two shades differ in lightness, not in hue alone
    assert (max(lights) + 0.05) / (min(lights) + 0.05) >= 1.1
