"""One column spec for the per-step console table, metrics.jsonl and TensorBoard.

Each column names a namespaced metric key; a metric an arm does not produce prints blank, so
tables of different arms align. The legend prints once, at the start of a run.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from projected_grpo.env.modes import LOOPHOLE_MODES

MODE_ABBREV = {"run_tests": "rt", "stdout_marker": "so", "sentinel": "se", "file_marker": "fm",
               "eq_override": "eq", "exit_code": "xc"}


@dataclass(frozen=True)
class Col:
    head: str
    key: str
    width: int
    fmt: str
    legend: str


COLUMNS: tuple[Col, ...] = (
    Col("step", "step", 5, "d", "optimizer step"),
    Col("N", "rollout/n", 4, "d", "rollouts this step (students + teachers)"),
    Col("rew", "rollout/reward", 5, ".2f", "mean reward over all rows"),
    Col("rew_s", "rollout/reward_s", 5, ".2f", "mean student reward: the learning signal"),
    Col("std", "rollout/group_std", 5, ".2f", "mean within-group reward std"),
    Col("sprd", "rollout/spread", 4, ".2f", "share of groups with non-zero reward variance (the ones that teach)"),
    Col("gt_s", "oracle/solve_s", 5, ".2f", "student strict-oracle solve rate (audit only: never fed back)"),
    Col("hack_s", "oracle/hack_s", 6, ".3f", "HEADLINE: student hack rate (a channel paid a wrong answer)"),
    Col("hack_t", "oracle/hack_t", 6, ".2f", "teacher hack rate (a cache check)"),
    *(Col(f"hk_{a}", f"oracle/hack_s/{m}", 5, ".2f", f"student hack rate on {m} prompts (blank: none this step)")
      for m, a in MODE_ABBREV.items()),
    Col("lp_s", "policy/lp_s", 6, ".3f", "mean token log-prob of student completions (NaN: collapse)"),
    Col("lp_t", "policy/lp_t", 6, ".3f", "mean token log-prob of teacher completions (off-policy drift)"),
    Col("rho", "policy/ratio", 5, ".3f", "mean importance ratio over student tokens"),
    Col("clip", "policy/clip_frac", 5, ".3f", "share of tokens where the PPO clip was active"),
    Col("loss", "loss/total", 8, ".4f", "loss (policy + β·KL)"),
    Col("kl", "loss/kl", 7, ".4f", "k3 KL to the adapter-disabled model (token mean)"),
    Col("gn", "optim/grad_norm", 7, ".3g", "global gradient norm before clipping (after any projection)"),
    Col("lr", "optim/lr", 8, ".2e", "learning rate"),
    Col("cin_s", "intervene/cin_s", 6, ".3f", "|relu(V g)|/|g| of the student-only gradient"),
    Col("cin_t", "intervene/cin_t", 6, ".3f", "the same on the teacher-only gradient (expect > cin_s)"),
    Col("cout", "intervene/cout", 6, ".3f", "after projection (one_sided: 0 by identity, not efficacy)"),
    Col("fired", "intervene/fired", 5, ".2f", "share of projected modules with any hack-ward component"),
    Col("keep", "gate/keep", 5, ".2f", "routeA: share of rollouts kept (quarantine out, deployed learns)"),
    Col("rout", "gate/route", 5, ".2f", "routeA: share routed (only the quarantine learns); absorb = rest"),
    Col("tlo", "gate/t_lo", 7, ".3g", "routeA: low cut (buffer q-quantile)"),
    Col("thi", "gate/t_hi", 7, ".3g", "routeA: high cut (buffer 1-q quantile)"),
    Col("auroc", "gate/auroc_pos", 5, ".2f", "gate score vs oracle hack label on A>0 rollouts (audit only)"),
    Col("pen", "shaping/penalty", 5, ".2f", "advmod / gt_*: mean reward removed by the baseline"),
    Col("qmass", "optim/qmass", 5, ".2f", "|g_quar| / (|g_dep| + |g_quar|)"),
    Col("Bq", "adapter/quar_norm", 7, ".3g", "quarantine's distance from its init"),
    Col("ovl", "direction/basis_overlap", 5, ".2f", "overlap of a refreshed direction with the previous (near 1)"),
    Col("gen", "time/gen", 5, ".1f", "seconds: generation"),
    Col("grade", "time/grade", 5, ".1f", "seconds: grading (sandbox; overlaps the behaviour pass)"),
    Col("fb", "time/fb", 5, ".1f", "seconds: behaviour pass + forward/backward + optimizer"),
    Col("sec", "time/step", 6, ".1f", "seconds: the whole step"),
)
assert set(MODE_ABBREV) == set(LOOPHOLE_MODES)


def _cell(c: Col, v) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return " " * c.width
    s = format(v, c.fmt)
    return s.rjust(c.width) if len(s) <= c.width else format(v, ".2g").rjust(c.width)


def header() -> str:
    return " ".join(c.head.rjust(c.width) for c in COLUMNS)


def row(metrics: dict) -> str:
    return " ".join(_cell(c, metrics.get(c.key)) for c in COLUMNS)


def legend() -> str:
    return "columns:\n" + "\n".join(f"  {c.head:<6} {c.legend}  [{c.key}]" for c in COLUMNS)
