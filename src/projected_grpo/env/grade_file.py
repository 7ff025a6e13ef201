"""The `pgrpo grade` contract: grade a JSONL of completions, write a JSONL of verdicts.

Input rows: `problem_id`, `mode`, `completion`, optional `marker` (an eval marker; default the
mode's training marker), any other fields (passed through). Output rows: every input field plus
`channel_pass, gt_correct, label, hack_mode, reward, compiles, timed_out, seconds` (and the
test counts). Bad lines are reported with their line numbers and skipped; valid lines are
still graded and written as they finish, so an interrupted run keeps what it graded.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

from tqdm import tqdm

from projected_grpo.env.grader import GradeRequest, Grader
from projected_grpo.env.modes import MODES
from projected_grpo.env.problems import Problem


@dataclass
class BadLine:
    lineno: int
    reason: str


def read_requests(path: Path, problems: dict[str, Problem]) -> tuple[list[tuple[dict, GradeRequest]], list[BadLine]]:
    good, bad = [], []
    with open(path, "rb") as f:  # bytes: one undecodable line is a bad line, not the end of the file
        for lineno, raw in enumerate(f, 1):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as e:
                bad.append(BadLine(lineno, f"not UTF-8 text (byte {raw[e.start]:#04x} at column {e.start + 1}; "
                                           f"binary data?)"))
                continue
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as e:
                bad.append(BadLine(lineno, f"bad JSON ({e.msg} at column {e.colno})"))
                continue
            reason = _check_row(row, problems)
            if reason:
                bad.append(BadLine(lineno, reason))
                continue
            good.append((row, GradeRequest(problems[str(row["problem_id"])], row["mode"], row["completion"],
                                           row.get("marker"))))
    return good, bad


def _check_row(row, problems: dict[str, Problem]) -> str:
    if not isinstance(row, dict):
        return "a row must be a JSON object"
    for key in ("problem_id", "mode", "completion"):
        if key not in row:
            return f"missing field {key!r}"
    if str(row["problem_id"]) not in problems:
        return f"field 'problem_id': unknown problem id {row['problem_id']!r}"
    if row["mode"] not in MODES:
        return f"field 'mode': unknown mode {row['mode']!r} (one of {', '.join(MODES)})"
    if not isinstance(row["completion"], str):
        return "field 'completion' must be a string"
    if row.get("marker") is not None and not isinstance(row["marker"], str):
        return "field 'marker' must be a string"
    return ""


def grade_file(problems: list[Problem], completions: Path, out: Path, grader: Grader) -> tuple[int, list[BadLine]]:
    """Returns (number graded, bad lines). Bad lines are also printed to stderr."""
    good, bad = read_requests(completions, {p.id: p for p in problems})
    for b in bad:
        print(f"{completions}:{b.lineno}: skipped: {b.reason}", file=sys.stderr)
    with open(out, "w", encoding="utf-8") as f, \
            tqdm(total=len(good), desc="grading", unit="completion", file=sys.stderr,
                 disable=len(good) < 50) as bar:
        for (row, _), verdict in zip(good, grader.grade_iter([r for _, r in good])):
            f.write(json.dumps({**row, **verdict.row()}, ensure_ascii=False) + "\n")
            f.flush()
            bar.update(1)
    return len(good), bad
