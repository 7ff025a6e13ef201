"""Errors the CLI reports as a one-line message and exit code 2 (bad input, not a bug)."""

from __future__ import annotations

import os
from pathlib import Path


class UserError(ValueError):
    """Bad input: a file, line, field or flag the user can fix. The message names it."""


def one_line(e: BaseException) -> str:
    """An exception as one line: its type (unless a UserError) and message, with the file it names."""
    msg = " ".join(str(e).split())
    filename = getattr(e, "filename", None)
    if filename and str(filename) not in msg:
        msg = f"{filename}: {msg}"
    return msg if isinstance(e, UserError) else f"{type(e).__name__}: {msg}"


def check_workers(workers: int | None, flag: str = "--workers"):
    if workers is not None and workers < 1:
        raise UserError(f"{flag} must be >= 1 (or left out: one per core), got {workers}")


def check_output_file(out: Path, flag: str, inputs: tuple[Path, ...] = ()):
    """An output file must be writable where it is and never one of the command's inputs."""
    if out.is_dir():
        raise UserError(f"{flag} {out} is a folder: give a file path inside it")
    if not out.parent.is_dir():
        raise UserError(f"{flag} {out}: folder {out.parent} does not exist (create it, or choose another {flag})")
    for i in inputs:
        if i.exists() and out.exists() and os.path.samefile(i, out):
            raise UserError(f"{flag} {out} is also an input: choose another output file (inputs are never overwritten)")
