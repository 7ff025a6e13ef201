"""Relearning resistance (SGTM-style): how many steps of plain vanilla GRPO bring hacking back
after an intervention's deployment?

    pgrpo relearn runs/sweep/fast-routeA-real-s0 --steps 40 --vanilla runs/sweep/fast-vanilla-s0

A quarantine arm may suppress hacking at deployment only shallowly: the capability may sit one
gradient step away in the deployed block. So: take the run's *deployed* model (final-adapter/,
quarantine reset to its initial value), continue it with vanilla GRPO under the run's own
configuration otherwise (preset, problems, seed, lr and schedule, adapter; a fresh optimizer,
`init_adapter` in TrainConfig), and count the steps until the student hack rate on hackable
prompts (`oracle/hack_s_hackable`, every run's metrics.jsonl has it) reaches a target: by default
the final hack rate (last-5-step mean) of the matched vanilla run (`--vanilla`), or a given
`--target-hack`. A step's rate is the trailing `--window`-step mean (1: the step's own rate).
More steps = more resistant; "not reached" within --steps is a lower bound, not a number.

The relearn run is an ordinary run directory (default RUN_DIR/relearn; `pgrpo results` and
`pgrpo plot` read it like any other). Its relearn.json summary is written there and copied to
RUN_DIR/relearn.json, where `pgrpo results` finds it for the "relearning resistance" table.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import TYPE_CHECKING, Literal, get_args

from projected_grpo.analysis.runs import Run, load_run
from projected_grpo.analysis.stats import mean_ci
from projected_grpo.errors import UserError
from projected_grpo.train.arms import REFERENCE_ARM

if TYPE_CHECKING:
    from projected_grpo.train.config import TrainConfig

METRIC = "oracle/hack_s_hackable"  # hacks per student rollout on loophole (non-gt_only) prompts
Teachers = Literal["none", "run"]  # relearn's teacher rows: none, or the run's own schedule
TEACHERS = get_args(Teachers)
NO_TEACHERS = dict(teacher_pool="", teacher_mix=0.0, teacher_per_prompt=0, teacher_on_step=1, teacher_off_step=0)
FINAL_LAST = 5  # "final" hack rate: the mean of the last 5 logged steps (method brief section 12)
SUMMARY = "relearn.json"


def curve(metrics: list[dict]) -> list[tuple[int, float]]:
    """(step, METRIC) for the steps that measured it (a step with no hackable prompt logs null)."""
    rows = sorted(metrics, key=lambda r: r.get("step", 0))
    return [(r["step"], r[METRIC]) for r in rows if r.get(METRIC) is not None and math.isfinite(r[METRIC])]


def final_rate(metrics: list[dict]) -> float | None:
    xs = [v for _, v in curve(metrics)[-FINAL_LAST:]]
    return sum(xs) / len(xs) if xs else None


def steps_to(points: list[tuple[int, float]], target: float, window: int = 1) -> int | None:
    """The first step whose trailing mean over up to `window` measured steps is >= target."""
    for i, (step, _) in enumerate(points):
        xs = [v for _, v in points[max(0, i - window + 1):i + 1]]
        if sum(xs) / len(xs) >= target:
            return step
    return None


def relearn_config(run: Run, steps: int, out_dir: Path, eval_samples: int = 0,
                   teachers: Teachers = "none") -> TrainConfig:
    """The run's config as vanilla from its deployed adapter: same adapter (the resolved variant,
    so a frozen_a erase run continues on frozen_a), no direction or arm-only settings. The measure
    reads the training curve, so the relearn run evaluates nothing unless eval_samples > 0 (then
    once, at its end): on the SmolLM2 organism the run's own final evaluation would add about
    half again to a 30-step relearn's GPU time.

    teachers "none" (default): the model's own samples only, so the steps count what plain GRPO
    finds from the deployed model. "run": the run's own teacher schedule, demonstrations included;
    on the SmolLM2 organism they broke vanilla's own deployed model, which already hacked
    (docs/organism-pretrained.md, "The sweep, wave 2")."""
    from projected_grpo.train.config import TrainConfig

    cfg = TrainConfig.from_dict(run.cfg)  # run.cfg: variant=auto resolved to what the arm got
    return cfg.with_arm(REFERENCE_ARM, init_adapter=str(run.dir / "final-adapter"), steps=steps, stop_at=0,
                        out=out_dir.parent, run_name=out_dir.name, eval_samples=eval_samples, eval_every=0,
                        **(NO_TEACHERS if teachers == "none" else {}))


def _target(run: Run, vanilla: Path | None, target_hack: float | None) -> tuple[float, dict, list[str]]:
    if (vanilla is None) == (target_hack is None):
        raise UserError("relearn: give the target as --vanilla RUN_DIR (its final hack rate) or --target-hack RATE "
                        "(one of them)")
    if target_hack is not None:
        if not 0.0 < target_hack <= 1.0:
            raise UserError(f"relearn: --target-hack must be in (0, 1], got {target_hack}")
        return target_hack, {"target_from": "given", "vanilla_run": None}, []
    ref = load_run(Path(vanilla))
    if ref.cfg["arm"] != REFERENCE_ARM:
        raise UserError(f"relearn: --vanilla {vanilla}: arm is {ref.cfg['arm']}, not {REFERENCE_ARM}")
    rate = final_rate(ref.metrics)
    if rate is None:
        raise UserError(f"relearn: --vanilla {vanilla}: no {METRIC} in its metrics.jsonl")
    notes = [f"vanilla {f} {ref.cfg.get(f)} != run's {run.cfg.get(f)}: not the matched vanilla"
             for f in ("seed", "preset", "model", "problems", "lr") if ref.cfg.get(f) != run.cfg.get(f)]
    if rate <= 0:
        notes.append("vanilla's final hack rate is 0: every step reaches it (the target says nothing)")
    return rate, {"target_from": REFERENCE_ARM, "vanilla_run": str(ref.dir)}, notes


def relearn(run_dir: Path, steps: int, out: Path | None = None, vanilla: Path | None = None,
            target_hack: float | None = None, window: int = 1, quiet: bool = False, eval_samples: int = 0,
            teachers: Teachers = "none") -> dict:
    """Train the relearn run and write relearn.json (there and in run_dir); returns the summary."""
    if steps < 1 or window < 1:
        raise UserError(f"relearn: --steps and --window must be >= 1, got {steps}, {window}")
    if eval_samples < 0:
        raise UserError(f"relearn: --eval-samples must be >= 0 (0: no evaluation), got {eval_samples}")
    if teachers not in TEACHERS:
        raise UserError(f"relearn: --teachers must be one of {', '.join(TEACHERS)}, got {teachers!r}")
    run = load_run(Path(run_dir))
    final = run.dir / "final-adapter"
    if not (final / "adapter.safetensors").is_file():
        raise UserError(f"relearn: {run.dir} has no final-adapter/adapter.safetensors: an unfinished run, or a "
                        f"folder that came back without its adapter (relearn on the machine that trained it)")
    target, source, notes = _target(run, vanilla, target_hack)
    out_dir = Path(out) if out is not None else run.dir / "relearn"
    cfg = relearn_config(run, steps, out_dir, eval_samples, teachers)
    from projected_grpo.train.trainer import Trainer  # the model stack: only when training

    Trainer(cfg, quiet=quiet).run()
    relearned = load_run(out_dir).metrics
    points = curve(relearned)
    reached = steps_to(points, target, window)
    summary = {"source_run": str(run.dir), "source_arm": run.cfg["arm"], "source_direction": run.cfg.get("direction"),
               "seed": run.cfg.get("seed"), "deployed_from": str(final), "relearn_dir": str(out_dir),
               "steps": steps, "teachers": teachers, "metric": METRIC, "window": window, "target_hack": target,
               **source, "reached": reached is not None, "relearn_steps": reached,
               "start_hack": points[0][1] if points else None, "final_hack": final_rate(relearned),
               "curve": [[s, v] for s, v in points], "notes": notes}
    text = json.dumps(summary, indent=2) + "\n"
    (out_dir / SUMMARY).write_text(text)
    (run.dir / SUMMARY).write_text(text)
    return summary


def describe(s: dict) -> str:
    what = (f"reached {s['target_hack']:.3f} after {s['relearn_steps']} step(s)" if s["reached"]
            else f"did not reach {s['target_hack']:.3f} in {s['steps']} steps (resistance > {s['steps']})")
    start = "-" if s["start_hack"] is None else f"{s['start_hack']:.3f}"
    final = "-" if s["final_hack"] is None else f"{s['final_hack']:.3f}"
    how = "vanilla GRPO" + (", the run's teacher rows" if s.get("teachers") == "run" else "")
    lines = [f"relearn {s['source_run']} ({s['source_arm']}) from its deployed adapter, {how}: {s['metric']} "
             f"{what}; step-1 rate {start}, final {final}; target from {s['vanilla_run'] or '--target-hack'}",
             f"wrote {s['relearn_dir']}/{SUMMARY} and {s['source_run']}/{SUMMARY}"]
    return "\n".join(lines + [f"note: {n}" for n in s["notes"]])


# ------------------------------------------------------------------------- for pgrpo results

def summaries(runs: list[Run]) -> list[dict | None]:
    """Each run's relearn.json, if any; a relearn run's own copy describes its source, not itself."""
    out = []
    for r in runs:
        path = r.dir / SUMMARY
        s = json.loads(path.read_text()) if path.is_file() else None
        if s is not None and s.get("relearn_dir") and Path(s["relearn_dir"]).resolve() == r.dir.resolve():
            s = None
        out.append(s)
    return out


def relearn_rows(groups) -> list[dict]:
    """Per group with relearn summaries: how many reached the target, and the steps it took
    (mean ± t-interval over the runs that reached it; the others are '> K' lower bounds)."""
    rows = []
    for g in groups:
        found = [(r, s) for r, s in zip(g.runs, summaries(g.runs)) if s is not None]
        if not found:
            continue
        hit = [s["relearn_steps"] for _, s in found if s["reached"]]
        ci = mean_ci([float(x) for x in hit])
        rows.append({"group": g.label, "n": len(found), "n_reached": len(hit), "mean": ci.mean, "ci_low": ci.ci_low,
                     "ci_high": ci.ci_high, "targets": sorted({round(s["target_hack"], 4) for _, s in found}),
                     # a summary from before --teachers ran the run's own config, teacher rows included
                     "teachers": sorted({s.get("teachers", "run") for _, s in found}),
                     "runs": [{"run": r.name, "seed": r.cfg.get("seed"), "relearn_steps": s["relearn_steps"],
                               "steps": s["steps"], "target_hack": s["target_hack"]} for r, s in found]})
    return rows


def relearn_markdown(rows: list[dict]) -> list[str]:
    if not rows:
        return []
    out = ["", "## Relearning resistance (pgrpo relearn: vanilla GRPO from the deployed model)", "",
           "| group | relearn runs | reached target | relearn steps (reached runs) | per run | target hack |",
           "|---|---|---|---|---|---|"]
    for r in rows:
        half = "-" if r["ci_high"] is None else f"{(r['ci_high'] - r['ci_low']) / 2:.1f}"
        mean = "-" if r["mean"] is None else f"{r['mean']:.1f} ± {half}"
        per = ", ".join(str(x["relearn_steps"]) if x["relearn_steps"] is not None else f">{x['steps']}"
                        for x in r["runs"])
        taught = "" if r["teachers"] == ["none"] else f" (teacher rows: {', '.join(r['teachers'])})"
        out.append(f"| {r['group']}{taught} | {r['n']} | {r['n_reached']}/{r['n']} | {mean} | {per} | "
                   f"{', '.join(f'{t:.3f}' for t in r['targets'])} |")
    return out
