"""Many inputs at once: directories, globs, parallel workers, output in input order.

`seamline.formats.expand_inputs` turns the command line's DIR_OR_GLOB arguments into a list of
files (missing ones are usage errors, found before any output). `run_files`
processes them with a `work` function that turns one file into encoded output
pieces, one per document:

- with one job, in this process, streaming: each document's output is
  yielded as soon as it is ready, so the first record leaves before the input
  ends and memory holds one document;
- with N jobs, in N worker processes, a few files ahead of the writer; each
  file's output comes back whole and is yielded in input order, so the output
  bytes are the same whatever N is.

A failing file raises its error after every earlier file's output (and the
failing file's good documents before the bad one) has been yielded. With
keep_going the failure is recorded instead and the run goes on; the caller
lists the failures at the end.
"""
from __future__ import annotations

import os
from collections import deque
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator

from seamline.errors import InputError, SeamlineError, UsageError
from seamline.formats import expand_inputs  # noqa: F401  (kept for callers of batch.expand_inputs)

# One file's output: the encoded records of each of its documents.
Work = Callable[[str], Iterator[bytes]]


@dataclass
class Piece:
    """Output of (part of) one input file, in input order."""

    path: str
    data: bytes
    done: bool  # the file is finished (its last piece)
    size: int = 0  # the file's size in bytes, on its last piece
    error: SeamlineError | None = None


@dataclass
class Failures:
    """Errors of files that failed under --keep-going."""

    messages: list[str] = field(default_factory=list)
    files: int = 0

    def error(self) -> InputError:
        listed = "\n".join(f"  {m}" for m in self.messages)
        return InputError(f"{len(self.messages)} of {self.files} inputs failed (--keep-going):\n{listed}")


def check_output(output: str | None, inputs: Iterable[str]) -> None:
    """Refuse an output path that is one of the inputs, before anything is opened for writing.

    Opening it would empty the file before it is read. Files are compared, not
    names: a relative or absolute spelling, a symlink or a hard link of an input,
    a file found by walking a directory or matching a glob, or the file standard
    input is redirected from are all the same file.
    """
    if output in (None, "-"):
        return
    try:
        target = os.stat(output)
    except OSError:
        return  # it does not exist yet (or cannot be reached): it is no input
    for path in expand_inputs(inputs):
        try:
            found = os.fstat(0) if path == "-" else os.stat(path)
        except OSError:
            continue
        if (found.st_dev, found.st_ino) == (target.st_dev, target.st_ino):
            which = "standard input's file" if path == "-" else f"the input {path!r}"
            raise UsageError(f"--output {output!r} is {which}; writing it would destroy the input "
                             "before it is read: choose another output path")


def file_size(path: str) -> int:
    try:
        return 0 if path == "-" else os.path.getsize(path)
    except OSError:
        return 0


# ---------------------------------------------------------------- running

def run_files(paths: list[str], work: Work, jobs: int = 1, keep_going: bool = False,
              failures: Failures | None = None) -> Iterator[Piece]:
    """Pieces of output in input order; see the module docstring for errors and keep_going."""
    failures = failures if failures is not None else Failures()
    failures.files = len(paths)
    if jobs <= 1 or len(paths) <= 1 or "-" in paths:
        source = _serial(paths, work)
    else:
        source = _parallel(paths, work, jobs)
    for piece in source:
        if piece.error is not None:
            if not keep_going or not isinstance(piece.error, InputError):
                yield Piece(piece.path, piece.data, False)
                raise piece.error
            failures.messages.append(str(piece.error))
            piece = Piece(piece.path, piece.data, True, piece.size)
        yield piece


def _serial(paths: list[str], work: Work) -> Iterator[Piece]:
    for path in paths:
        try:
            for data in work(path):
                yield Piece(path, data, False)
        except SeamlineError as err:
            yield Piece(path, b"", True, file_size(path), err)
            continue
        yield Piece(path, b"", True, file_size(path))


# Set before the worker processes fork, so they inherit the work function
# (a segmenter with a loaded model) without pickling it.
_WORK: Work | None = None


def _work_in_child(path: str) -> tuple[bytes, str | None, int]:
    """One whole file in a worker: (output, error message, exit status)."""
    parts: list[bytes] = []
    try:
        for data in _WORK(path):
            parts.append(data)
    except SeamlineError as err:
        return b"".join(parts), str(err), err.exit_status
    except Exception as err:  # a bug of ours: still reported, in one line
        return b"".join(parts), f"{path}: internal error: {type(err).__name__}: {err}", 1
    return b"".join(parts), None, 0


def _batch_in_child(paths: list[str]) -> list[tuple[bytes, str | None, int]]:
    return [_work_in_child(path) for path in paths]


# A task is a batch of files: one inter-process round trip per file costs about
# as much as segmenting a small file, so small files travel together.
BATCH_BYTES = 512 * 1024
BATCH_FILES = 64


def batches(paths: list[str]) -> Iterator[list[str]]:
    batch: list[str] = []
    size = 0
    for path in paths:
        batch.append(path)
        size += file_size(path)
        if size >= BATCH_BYTES or len(batch) >= BATCH_FILES:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def _parallel(paths: list[str], work: Work, jobs: int) -> Iterator[Piece]:
    import multiprocessing
    import signal

    global _WORK
    _WORK = work
    warm = getattr(work, "warm", None)
    if warm is not None:
        # Load models and compile kernels once, here, so the forked workers
        # inherit them instead of each paying for it again.
        warm()
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    # Workers ignore Ctrl-C: the parent handles it and ends them.
    pool = context.Pool(jobs, initializer=signal.signal, initargs=(signal.SIGINT, signal.SIG_IGN))
    try:
        pending: deque = deque()
        queue = batches(paths)
        ahead = 2 * jobs  # batches in flight: enough to keep workers busy, few enough to bound memory
        for batch in queue:
            pending.append((batch, pool.apply_async(_batch_in_child, (batch,))))
            if len(pending) >= ahead:
                break
        while pending:
            batch, result = pending.popleft()
            outcomes = result.get()
            nxt = next(queue, None)
            if nxt is not None:
                pending.append((nxt, pool.apply_async(_batch_in_child, (nxt,))))
            for path, (data, message, status) in zip(batch, outcomes):
                error = None
                if message is not None:
                    error = (InputError if status == 1 else UsageError)(message)
                yield Piece(path, data, True, file_size(path), error)
    finally:
        pool.terminate()
        pool.join()
        _WORK = None


# ---------------------------------------------------------------- segment

def is_regular_file(path: str) -> bool:
    """Whether an input is all there already (a file, or stdin redirected from one), not a pipe."""
    import stat
    try:
        mode = os.fstat(0).st_mode if path == "-" else os.stat(path).st_mode
    except OSError:
        return False
    return stat.S_ISREG(mode)


def may_block(args: Iterable[str]) -> bool:
    """Whether reading the inputs can wait on a writer (standard input or a named pipe, not a file)."""
    return any(not is_regular_file(path) for path in expand_inputs(args))


def segment_work(stage, forced: str | None, encode: Callable[[dict], bytes]) -> Work:
    """The work of `seamline segment` (a seamline.stages.Segment) on one file: its documents' units, encoded."""
    from seamline.formats import format_for, read_one

    segmenter, meta_mode = stage.segmenter, stage.meta

    def work(path: str) -> Iterator[bytes]:
        items = read_one(path, format_for(path, forced), stage.keep_boilerplate)
        for units in stage.groups(items, batch=is_regular_file(path)):
            yield b"".join(encode(unit) for unit in units)

    def warm() -> None:
        from seamline.streams import segment_document
        from seamline.records import Document

        # A short text: enough to load the engine's model once, here, so forked
        # workers inherit it. Each worker then runs exactly the code a serial
        # run would (engines that compile kernels decide that per document).
        text = "Warm the engine up. It loads its model here.\n\nA second paragraph, Dr. Smith said. " * 4
        try:
            segment_document(Document("warm-up", text), segmenter, meta_mode)
        except Exception:
            pass  # a warm-up only: the real run reports any problem with the real input

    work.warm = warm
    return work


def stage_work(stage, forced: str | None, encode: Callable[[dict], bytes]) -> Work:
    """The work of chunk, score or merge (a seamline.stages stage) on one file: each document's records, encoded.

    Each file is a stream of its own (a document's units never span two files).
    """
    from seamline.formats import format_for, read_one

    def work(path: str) -> Iterator[bytes]:
        items = read_one(path, format_for(path, forced))
        extra = {"prefetch": not is_regular_file(path)} if stage.name == "chunk" else {}
        for records in stage.groups(items, **extra):
            yield b"".join(encode(rec) for rec in records)

    return work
