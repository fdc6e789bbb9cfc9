"""Errors that the CLI turns into one-line messages and exit statuses.

The library raises these instead of printing, so that callers other than the
CLI can catch them; the CLI maps InputError to status 1 and UsageError to 2.
"""
from __future__ import annotations


class SeamlineError(Exception):
    """Base class: `str(err)` is the whole one-line message."""

    exit_status = 1

    def __init__(self, message: str, source: str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.source = source
        self.line = line

    def __str__(self) -> str:
        where = self.source or ""
        if self.line is not None:
            where = f"{where}:{self.line}" if where else f"line {self.line}"
        return f"{where}: {self.message}" if where else self.message


class InputError(SeamlineError):
    """Bad input data: a record, a file's content, a token budget it cannot meet."""


class UsageError(SeamlineError):
    """The command line asks for something impossible: a missing file, an unknown engine."""

    exit_status = 2


class MissingExtra(UsageError):
    """An optional dependency is absent; the message names the extra to install."""

    def __init__(self, package: str, extra: str | None, feature: str):
        if extra is None:  # a core dependency that is missing: a broken install, not a missing extra
            fix = f"it is a dependency of seamline; install it with: pip install '{package}'"
        else:
            fix = f"install it with: pip install 'seamline[{extra}]'"
        super().__init__(f"{feature} needs the '{package}' package; {fix}")
        self.package, self.extra = package, extra


class UnknownName(UsageError):
    """A name the registry does not hold: "unknown chunk strategy 'x'; known: ..."."""

    def __init__(self, kind: str, what: str, name: str, known: list[str]):
        super().__init__(f"unknown {what} {name!r}; known: {', '.join(known)}")
        self.kind, self.what, self.name, self.known = kind, what, name, known


class SeamlineWarning(UserWarning):
    """Something a user should know that does not stop the run (the CLI prints it as one line)."""
