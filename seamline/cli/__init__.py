"""The `seamline` command: a thin typer app over the library.

Each subcommand lives in its own module; `main` turns library errors into
one-line messages and exit statuses (1 bad input, 2 usage), ends quietly when
the reader of standard output goes away, and exits 130 on Ctrl-C.
"""
from __future__ import annotations

import importlib
import os
import re
import sys

import typer

from seamline import __version__
from seamline.cli import coercion
from seamline.cli.common import STATE, silence_stdout
from seamline.errors import SeamlineError, UnknownName

coercion.install()  # option values without importing pydantic

# name -> (module, function, options of app.command), in the order `--help` lists them
COMMANDS = {
    "segment": ("seamline.cli.segment", "segment", {"no_args_is_help": False}),
    "score": ("seamline.cli.score", "score", {}),
    "chunk": ("seamline.cli.chunk", "chunk", {}),
    "merge": ("seamline.cli.merge", "merge", {}),
    "eval": ("seamline.cli.eval", "eval_command", {}),
    "view": ("seamline.cli.view", "view", {}),
    "pipe": ("seamline.cli.pipe", "pipe", {}),
    "plugins": ("seamline.cli.plugins", "plugins", {}),
}


def _version(value: bool) -> None:
    if value:
        print(f"seamline {__version__}")
        raise typer.Exit()


def _root(
    debug: bool = typer.Option(False, "--debug", help="Show Python tracebacks for errors."),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help="Print the version and exit."),
) -> None:
    STATE.debug = debug or STATE.debug


def build_app(only: str | None = None) -> typer.Typer:
    """The typer app with every command, or with the one command a run names.

    typer reads the signature and type hints of every registered command before it
    parses anything, and each command's module imports what its options name; a run
    of one command needs only that one (a fifth of `seamline segment`'s start-up).
    The command itself, its options, help and messages are the same either way.
    """
    made = typer.Typer(
        name="seamline",
        help="Cut documents into sentences, paragraphs, topics, legal provisions and token-bounded "
             "chunks, losslessly, over JSON Lines.\n\n"
             "Example: seamline segment --by sentence book.txt | seamline chunk --max-tokens 512",
        add_completion=False,
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    made.callback()(_root)
    for name in [only] if only else COMMANDS:
        module, function, options = COMMANDS[name]
        made.command(name, **options)(getattr(importlib.import_module(module), function))
    return made


def command_named(argv: list[str]) -> str | None:
    """The command a command line runs: its first word that is not an option, when that is a command.

    The root options (--debug, --version, --help) take no value, so the first
    other word is the command, or a mistake the whole app reports.
    """
    first = next((a for a in argv if not a.startswith("-")), None)
    return first if first in COMMANDS else None


def __getattr__(name: str):
    if name == "app":  # `seamline.cli.app`: the whole app, built when first asked for
        made = globals()["app"] = build_app()
        return made
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# The option that names a component of each registry kind, for messages.
OPTION_OF_KIND = {"segmenters": "--engine", "levels": "--by", "chunkers": "--strategy", "mergers": "--strategy",
                  "scorers": "--method", "tokenizers": "--tokenizer", "readers": "--from"}


# Keyword arguments whose option is spelled otherwise on the command line.
FLAG_OF_KEYWORD = {"input_format": "--from", "target_tokens": "--target-tokens"}


def message(err: SeamlineError) -> str:
    """The library's message in the command line's words: an option the library names by its
    keyword (`max_tokens`, in backquotes) is the flag a user typed (--max-tokens)."""
    if isinstance(err, UnknownName) and err.kind in OPTION_OF_KIND:
        return f"unknown {OPTION_OF_KIND[err.kind]} {err.name!r} (a {err.what}); known: {', '.join(err.known)}"
    return re.sub(r"`([a-z_]+)`", lambda m: FLAG_OF_KEYWORD.get(m.group(1), "--" + m.group(1).replace("_", "-")),
                  str(err))


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and not {"--help", "-h", "--version"} & set(argv):
        from seamline.cli.memory import fewer_malloc_arenas
        fewer_malloc_arenas()  # before any thread starts
    # --debug is accepted anywhere on the line, not only before the subcommand.
    STATE.debug = "--debug" in argv or bool(os.environ.get("SEAMLINE_DEBUG"))
    argv = [a for a in argv if a != "--debug"]
    show_warnings_as_lines()
    try:
        status = build_app(command_named(argv))(args=argv, prog_name="seamline", standalone_mode=False)
        if status == 130:  # typer turns Ctrl-C into a silent return of 130
            raise KeyboardInterrupt
        sys.exit(status if isinstance(status, int) else 0)
    except typer.Exit as err:
        sys.exit(err.exit_code)
    except typer.TyperException as err:  # usage errors from option parsing: status 2, one line too
        if type(err).__name__ == "NoArgsIsHelpError":  # `seamline` alone: the help, as before
            err.show()
        else:
            sys.stderr.write(f"seamline: error: {usage_message(err)}\n")
        sys.exit(getattr(err, "exit_code", 2))
    except (KeyboardInterrupt, typer.Abort):
        sys.stderr.write("seamline: interrupted\n")
        sys.exit(130)
    except BrokenPipeError:
        silence_stdout()
        sys.exit(0)
    except SeamlineError as err:
        if STATE.debug:
            raise
        sys.stderr.write(f"seamline: error: {message(err)}\n")
        sys.exit(err.exit_status)
    except MemoryError:
        if STATE.debug:
            raise
        sys.stderr.write("seamline: error: out of memory; split the largest document or raise the limit\n")
        sys.exit(1)
    except Exception as err:  # a bug of ours: still one line, unless --debug asks for more
        if STATE.debug:
            raise
        sys.stderr.write(f"seamline: internal error: {type(err).__name__}: {err} "
                         "(run again with --debug for a traceback, and please report it)\n")
        sys.exit(1)


def usage_message(err) -> str:
    """click's usage error as one line, in the form of every other error, with where to read more."""
    text = err.format_message() if hasattr(err, "format_message") else str(err)
    text = " ".join(text.split()).rstrip(".")
    ctx = getattr(err, "ctx", None)
    command = ctx.command_path if ctx is not None else "seamline"
    return f"{text} (see '{command} --help')"


def show_warnings_as_lines() -> None:
    """The library's warnings (SeamlineWarning) as one line each on standard error, like errors."""
    import warnings

    from seamline.errors import SeamlineWarning

    shown = warnings.showwarning
    if getattr(shown, "seamline", False):
        return

    def show(message, category, filename, lineno, file=None, line=None):
        if issubclass(category, SeamlineWarning):
            sys.stderr.write(f"seamline: warning: {message}\n")
        else:
            shown(message, category, filename, lineno, file, line)

    show.seamline = True
    warnings.showwarning = show
    warnings.simplefilter("always", SeamlineWarning)
