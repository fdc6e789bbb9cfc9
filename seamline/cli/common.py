"""What the subcommands share: options, output, progress and run state."""
from __future__ import annotations

import os
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from typing import BinaryIO, Iterable, Iterator, List, Optional, TypeVar

import typer

from seamline.errors import UsageError
from seamline.formats import FORMATS

T = TypeVar("T")


@dataclass
class State:
    debug: bool = False


STATE = State()

FilesArg = typer.Argument(None, metavar="FILE", show_default=False,
                          help="Input files (JSONL, text, Markdown, PDF); none or '-' reads standard input.")
OutputOpt = typer.Option(None, "--output", "-o", metavar="PATH", help="Write records here instead of standard output.")
FromOpt = typer.Option(None, "--from", metavar="FORMAT",
                       help=f"Read inputs as this format instead of guessing from the extension ({', '.join(FORMATS)}).")
InputsArg = typer.Argument(None, metavar="FILE|DIR|GLOB", show_default=False,
                           help="Input files, directories (walked for known extensions) or quoted globs "
                                "('docs/**/*.pdf'); none or '-' reads standard input.")
JobsOpt = typer.Option(1, "--jobs", "-j", min=1, metavar="N",
                       help="Process N files at once in worker processes; output stays in input order.")
KeepGoingOpt = typer.Option(False, "--keep-going",
                            help="Go on after a file fails; list the failures at the end (exit status still 1).")
FormatOpt = typer.Option("jsonl", "--format", metavar="jsonl|text",
                         help="Output: JSON Lines (the stream format), or text: one unit a line, for reading.")
MetaOpt = typer.Option("all", "--meta", metavar="all|first|none",
                       help="Which units carry the document's meta and extra fields: every unit, the first, or none.")


def check_choice(name: str, value: str, choices: Iterable[str]) -> None:
    choices = list(choices)
    if value not in choices:
        raise UsageError(f"{name} must be one of {', '.join(choices)}, got {value!r}")


@contextmanager
def records_output(path: Optional[str], inputs: Iterable[str]) -> Iterator[BinaryIO]:
    """The binary stream records go to; a reader that goes away ends the run quietly.

    An output that is one of `inputs` is refused before it is opened (it would
    be emptied before it is read).

    `seamline ... | head` closing the pipe is a normal end, status 0. It is
    caught here because the option parser underneath would exit 1 on it.
    """
    from seamline.batch import check_output

    check_output(path, inputs)
    stream = open_output(path)
    try:
        yield stream
    except BrokenPipeError:
        silence_stdout()
        raise typer.Exit(0) from None
    finally:
        if stream is not sys.stdout.buffer:
            try:
                stream.close()
            except BrokenPipeError:
                pass


def open_output(path: Optional[str]) -> BinaryIO:
    if path in (None, "-"):
        return sys.stdout.buffer
    try:
        return open(path, "wb")
    except OSError as err:
        raise UsageError(f"cannot write {path!r}: {err.strerror}") from None


def write_groups(groups: Iterable[list[dict]], output: Optional[str], inputs: Iterable[str],
                 fmt: str = "jsonl") -> int:
    """Write each document's records, flushing after each so pipes see them at once."""
    from seamline.formats.writers import encoder

    encode = encoder(fmt)
    count = 0
    with records_output(output, inputs) as stream:
        for records in with_progress(groups):
            for rec in records:
                stream.write(encode(rec))
                count += 1
            stream.flush()
    return count


def write_stage(stage, files: Optional[List[str]], output: Optional[str], input_format: Optional[str],
                out_format: str = "jsonl", jobs: int = 1, keep_going: bool = False) -> None:
    """Run a chunk, score or merge stage over the inputs and write its records.

    One job without --keep-going reads every input as one stream (a pipe is read
    ahead only as far as it has come); more jobs, or --keep-going, run each file
    on its own through seamline.batch, with the output in input order.
    """
    from seamline.batch import Failures, may_block, run_files, stage_work
    from seamline.formats import expand_inputs, format_for, read_inputs
    from seamline.formats.writers import encoder

    encode = encoder(out_format)
    format_for("-", input_format)  # an unknown --from is a usage error before any input is read
    if jobs <= 1 and not keep_going:
        items = read_inputs(files or [], input_format)
        extra = {"prefetch": may_block(files or [])} if stage.name == "chunk" else {}
        write_groups(stage.groups(items, **extra), output, files or [], out_format)
        return
    paths = expand_inputs(files or [])
    failures = Failures()
    write_pieces(run_files(paths, stage_work(stage, input_format, encode), jobs, keep_going, failures),
                 output, paths)
    if failures.messages:
        raise failures.error()


def write_pieces(pieces: Iterable, output: Optional[str], paths: List[str]) -> None:
    """Write batch output (seamline.batch.Piece) as it comes, with a files-and-bytes bar on a terminal."""
    from seamline.batch import file_size

    with records_output(output, paths) as stream, \
            BatchProgress(len(paths), sum(file_size(p) for p in paths)) as progress:
        for piece in pieces:
            if piece.data:
                stream.write(piece.data)
                stream.flush()
            if piece.done:
                progress.advance(piece.size)


class BatchProgress:
    """A rich bar of files and bytes on standard error, only when it is a terminal.

    It appears after `delay` seconds, so short runs stay silent, and is
    removed when the run ends.
    """

    def __init__(self, files: int, total_bytes: int, delay: float = 0.5):
        self.files, self.total_bytes, self.delay = files, total_bytes, delay
        self.done_files = self.done_bytes = 0
        self.enabled = sys.stderr.isatty() and files > 1
        self.started = time.monotonic()
        self.bar = self.task = None

    def __enter__(self) -> "BatchProgress":
        return self

    def advance(self, nbytes: int) -> None:
        self.done_files += 1
        self.done_bytes += nbytes
        if not self.enabled:
            return
        if self.bar is None and time.monotonic() - self.started > self.delay:
            from rich.console import Console
            from rich.progress import (BarColumn, DownloadColumn, Progress, TextColumn, TimeElapsedColumn,
                                       TimeRemainingColumn)

            self.bar = Progress(TextColumn("{task.fields[files]}"), BarColumn(), DownloadColumn(),
                                TimeElapsedColumn(), TimeRemainingColumn(),
                                console=Console(stderr=True), transient=True)
            self.bar.start()
            self.task = self.bar.add_task("files", total=max(self.total_bytes, 1), files="")
        if self.bar is not None:
            self.bar.update(self.task, completed=self.done_bytes,
                            files=f"{self.done_files}/{self.files} files")

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.stop()


def silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's last flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except OSError:
        pass


def with_progress(items: Iterable[T], delay: float = 1.0) -> Iterator[T]:
    """Yield items; after `delay` seconds show a spinner on a terminal's standard error.

    Nothing is shown when standard error is not a terminal (pipes, CI logs) or
    when the run ends within the delay, so short runs stay silent.
    """
    if not sys.stderr.isatty():
        yield from items
        return
    started = time.monotonic()
    progress = task = None
    done = 0
    try:
        for item in items:
            yield item
            done += 1
            if progress is None and time.monotonic() - started > delay:
                from rich.console import Console
                from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

                progress = Progress(SpinnerColumn(), TextColumn("{task.completed} documents"),
                                    TimeElapsedColumn(), console=Console(stderr=True), transient=True)
                progress.start()
                task = progress.add_task("documents", total=None)
            if progress is not None:
                progress.update(task, completed=done)
    finally:
        if progress is not None:
            progress.stop()
