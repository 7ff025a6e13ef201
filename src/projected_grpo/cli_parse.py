"""Parsing flags with tyro, and reporting a mistake in one line.

tyro reports a bad flag in a multi-line box (value error, argument help, "for full helptext").
`parse` captures that box and re-raises it as a one-line UserError, so every parse failure
reads like every other bad input: `error: <what>; <hint> (see pgrpo CMD --help)`, exit 2.
"""

from __future__ import annotations

import contextlib
import io
import re
import sys

import tyro

from projected_grpo.errors import UserError

_FLAG = re.compile(r"^\s*(--[\w.\-:]+|[A-Z_]+)\b")


def _sections(box: str) -> list[list[str]]:
    """The text lines of a tyro box, split at its horizontal separators. Without a terminal rich
    draws it in ASCII: no side borders, the title on a line of its own, dashes for separators."""
    out: list[list[str]] = [[]]
    for raw in box.splitlines():
        if raw.lstrip().startswith(("╭", "╰")):
            continue
        line = raw.strip().strip("│").strip()
        if len(line) >= 10 and set(line) <= set("─-"):
            out.append([])
        elif line:
            out[-1].append(line)
    sections = [s for s in out if s]
    ascii_title = not box.lstrip().startswith("╭") and len(sections) > 1 and len(sections[0]) == 1
    return sections[1:] if ascii_title else sections


def _tidy(text: str) -> str:
    """tyro's internal names out: `Error parsing __tyro-dummy-inner__.limits: X` -> `--limits.*: X`."""
    text = text.replace("__tyro-dummy-inner__.", "")
    m = re.match(r"Error parsing ([\w.]+): (.*)", text)
    if m and m.group(1)[0].isupper():  # the whole config (its __post_init__): the message names the flags
        return m.group(2)
    if m:
        return f"--{m.group(1).replace('_', '-')}.*: {m.group(2)}"
    return text


def condense(box: str) -> str:
    """One line from a tyro error box: the error itself, plus the flags it suggests or misses."""
    parts, see = [], ""
    for sec in _sections(box):
        head, text = sec[0].strip(), " ".join(line.strip() for line in sec)
        if head.startswith("For full helptext"):
            see = text.split("run", 1)[-1].split("see", 1)[-1].strip(" :")
            continue
        if head.startswith("Argument helptext"):
            continue
        flags = list(dict.fromkeys(m.group(1) for line in sec[1:] if (m := _FLAG.match(line))
                                   and m.group(1).startswith("--")))
        if head.startswith("Missing from"):
            parts.append(f"missing {', '.join(flags)}" if flags else text)
        elif head.startswith(("Perhaps you meant", "Similar arguments")):
            if flags:
                parts.append(f"did you mean {' or '.join(flags[:3])}?")
        else:
            parts.append(_tidy(text))
    return "; ".join(parts) + (f" (see {see})" if see else "")


def repeated_flag(args: list[str]) -> str | None:
    """The first flag given twice. argparse keeps only the last, so `--set a=1 --set b=2` would
    silently drop a=1 (a sweep's Haar control without the organism's overrides)."""
    seen: set[str] = set()
    for a in args:
        if a == "--":
            break
        name = a.split("=", 1)[0]
        if name.startswith("--") and name in seen:
            return name
        seen.add(name)
    return None


def parse(cls, args: list[str], prog: str, **kw):
    """tyro.cli with a one-line UserError for a bad flag (`--help` still prints and exits 0)."""
    if (flag := repeated_flag(args)) is not None:
        raise UserError(f"{flag} is given twice: the second would replace the first; give it once, "
                        f"with every value after it (see {prog} --help)")
    err = io.StringIO()
    try:
        with contextlib.redirect_stderr(err):
            parsed = tyro.cli(cls, args=args, prog=prog, **kw)
        sys.stderr.write(err.getvalue())  # warnings of a successful parse still reach the user
        return parsed
    except SystemExit as e:
        if not e.code:
            raise
        raise UserError(condense(err.getvalue()) or f"bad flags (see {prog} --help)") from None
