"""The CLI's option values without pydantic: the same values and the same errors as typer's own coercion."""
from __future__ import annotations

import subprocess
import sys

import pytest
import typer.main
from typer import _coercion
from typer._click.exceptions import BadParameter

from seamline.cli import app
from seamline.cli.coercion import handles

SAMPLES = {
    "str": ["abc", "", " x ", "512", "ünï"],
    "int": ["5", "0", "-3", "007", " 5", "1_000", "5.0", "x", "", "1e3", "٣", 5, 0, -1, True],
    "float": ["0.5", "1e3", ".5", "5.", "-1", "inf", "nan", "x", "", " 2 ", "1_0", 1, 0.25, -0.5, True],
    "bool": [True, False],
    "list": [("a", "b"), [], ["x"], ("",)],
}


def _params():
    command = typer.main.get_command(app)
    for name, sub in command.commands.items():
        for param in sub.params:
            if handles(param.type_descriptor):
                yield name, param


def _kind(annotation) -> str:
    return {str: "str", int: "int", float: "float", bool: "bool"}.get(annotation, "list")


def _outcome(runtime, param, value):
    try:
        out = runtime._coerce_value(value, param=param, ctx=None)
        return "ok", type(out).__name__, repr(out)
    except BadParameter as err:
        return "error", err.format_message()


@pytest.mark.parametrize("command,param", list(_params()), ids=lambda x: getattr(x, "name", x))
def test_plain_coercion_matches_typer(command, param):
    param._runtime_param = None
    plain = param.get_runtime_param()
    assert type(plain).__name__ == "PlainRuntimeParam"
    typers = _coercion.build_runtime_param(param.type_descriptor)
    for value in SAMPLES[_kind(param.type_descriptor.annotation)]:
        assert _outcome(plain, param, value) == _outcome(typers, param, value), (command, param.name, value)


def test_every_option_type_is_handled():
    """A new option of another type would silently fall back to pydantic: name it here when it is meant to."""
    command = typer.main.get_command(app)
    unhandled = [(name, p.name) for name, sub in command.commands.items() for p in sub.params
                 if p.name != "help" and not handles(p.type_descriptor)]
    assert unhandled == []


def test_a_run_does_not_import_pydantic(tmp_path):
    doc = tmp_path / "doc.txt"
    doc.write_text("One sentence here. Another one follows.\n")
    code = ("import sys\nfrom seamline.cli import main\n"
            f"sys.argv = ['seamline', 'chunk', '--max-tokens', '16', '--overlap', '2', {str(doc)!r}]\n"
            "try:\n    main()\nexcept SystemExit as e:\n    assert e.code == 0, e.code\n"
            "sys.stderr.write('pydantic' if 'pydantic' in sys.modules else 'clean')\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stderr.strip().endswith("clean"), done.stderr
    assert '"kind":"chunk"' in done.stdout
