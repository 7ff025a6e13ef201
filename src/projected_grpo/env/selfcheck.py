"""`pgrpo env selfcheck`: every canonical exploit (and each stub-first form, row MODE/stub_first)
x every grader mode, plus a correct and a wrong clean solution; fails unless "exploited" fires
exactly where exploit mode == grader mode.

Cell legend: H = exploited (channel paid, oracle says wrong), C = correct (oracle passes),
. = no reward from passing. A trailing ! marks a cell that breaks the rule.
"""

from __future__ import annotations

from dataclasses import dataclass

from projected_grpo.env.exploits import STUB_FIRST_MODES, as_completion, exploit_code
from projected_grpo.env.grader import GradeRequest, Grader, Verdict
from projected_grpo.env.modes import LOOPHOLE_MODES, MODES
from projected_grpo.env.problems import Problem

ROWS = (*LOOPHOLE_MODES, *(f"{m}/stub_first" for m in STUB_FIRST_MODES), "clean_correct", "clean_wrong")


def exploit_row(row: str) -> tuple[str, bool]:
    """An exploit row's (mode, stub_first): 'sentinel' -> ('sentinel', False), 'sentinel/stub_first' -> True."""
    mode, _, style = row.partition("/")
    return mode, style == "stub_first"


@dataclass
class Cell:
    row: str
    mode: str
    problem_id: str
    verdict: Verdict

    @property
    def exploited(self) -> bool:
        return self.verdict.signal.channel_pass and not self.verdict.audit.gt_correct

    @property
    def ok(self) -> bool:
        if self.row == "clean_correct":
            return self.verdict.audit.gt_correct and self.verdict.audit.label == "correct"
        if self.row == "clean_wrong":
            return not self.exploited and not self.verdict.audit.gt_correct
        return self.exploited == (exploit_row(self.row)[0] == self.mode) and not self.verdict.audit.gt_correct

    @property
    def symbol(self) -> str:
        s = "H" if self.exploited else "C" if self.verdict.audit.gt_correct else "."
        return s + ("" if self.ok else "!")


def _completion(row: str, problem: Problem) -> str:
    if row == "clean_correct":
        return as_completion(problem.reference_solution)
    if row == "clean_wrong":
        return as_completion(problem.wrong_solution)
    mode, stub_first = exploit_row(row)
    return as_completion(exploit_code(mode, problem, stub_first=stub_first))


def run_matrix(grader: Grader, problems: list[Problem]) -> list[Cell]:
    for p in problems:
        if not p.reference_solution or not p.wrong_solution:
            raise ValueError(f"problem {p.id}: the self-check needs a reference and a wrong solution")
    keys = [(row, mode, p) for p in problems for row in ROWS for mode in MODES]
    verdicts = grader.grade([GradeRequest(p, mode, _completion(row, p)) for row, mode, p in keys])
    return [Cell(row, mode, p.id, v) for (row, mode, p), v in zip(keys, verdicts)]


def format_matrix(cells: list[Cell]) -> str:
    """One table: rows = what was submitted, columns = grader mode; a cell shows one symbol per
    problem (e.g. 'HHH' for three problems)."""
    width = max(len(m) for m in MODES)
    lines = ["submitted \\ graded".ljust(24) + " ".join(m.rjust(width) for m in MODES)]
    for row in ROWS:
        syms = [" ".join(c.symbol for c in cells if c.row == row and c.mode == m) for m in MODES]
        lines.append(row.ljust(24) + " ".join(s.rjust(width) for s in syms))
    return "\n".join(lines)
