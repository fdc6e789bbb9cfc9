"""A run builds only the command it names: the same command, options, help and messages as the whole app."""
from __future__ import annotations

import subprocess
import sys

import pytest
import typer.main
from typer._click import Context

from seamline.cli import COMMANDS, build_app, command_named


def _params(command):
    return [(p.name, p.opts, p.secondary_opts, repr(p.default), p.required, getattr(p, "help", None), p.nargs,
             p.multiple, repr(p.type_descriptor.annotation)) for p in command.params]


@pytest.mark.parametrize("name", list(COMMANDS))
def test_one_command_is_the_same_as_in_the_whole_app(name):
    whole = typer.main.get_command(build_app())
    alone = typer.main.get_command(build_app(name))
    assert list(alone.commands) == [name]
    a, b = whole.commands[name], alone.commands[name]
    assert _params(a) == _params(b)
    assert a.get_help(Context(a, info_name=name)) == b.get_help(Context(b, info_name=name))


def test_the_command_a_line_names():
    assert command_named(["segment", "book.txt"]) == "segment"
    assert command_named(["--debug", "chunk", "--max-tokens", "5"]) == "chunk"
    assert command_named(["--help"]) is None
    assert command_named([]) is None
    assert command_named(["chnk"]) is None  # a mistake: the whole app says which commands there are
    assert command_named(["book.txt", "segment"]) is None


def test_a_segment_run_imports_no_other_command(tmp_path):
    doc = tmp_path / "d.txt"
    doc.write_text("One. Two.\n")
    code = ("import sys\nfrom seamline.cli import main\n"
            f"sys.argv = ['seamline', 'segment', {str(doc)!r}]\n"
            "try:\n    main()\nexcept SystemExit as e:\n    assert e.code == 0, e.code\n"
            "sys.stderr.write(' '.join(sorted(m for m in sys.modules if m.startswith('seamline.cli.'))))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    loaded = set(done.stderr.split())
    assert "seamline.cli.segment" in loaded
    assert not loaded & {f"seamline.cli.{n}" for n in ("chunk", "eval", "view", "pipe", "plugins", "merge", "score")}


def test_typos_and_help_go_to_the_whole_app():
    for argv, expect in ((["chnk"], "Did you mean 'chunk'?"), (["--help"], "plugins")):
        done = subprocess.run([sys.executable, "-m", "seamline", *argv], capture_output=True, text=True)
        assert expect in done.stdout + done.stderr
