"""`pgrpo smoke`: every arm on the tiny random model, on CPU, through every path, in one table.

    pgrpo smoke                      # all arms, ~3 minutes on 2 cores
    pgrpo smoke --arms erase route   # a subset

Each arm trains to step 2 (a checkpoint), stops, is resumed from its run directory and runs to
the end, then is evaluated as trained and as deployed on held-out problems. The smoke checks
that each arm's paths fired (refresh, gate warm-up, gen_deploy_frac, checkpoint, resume,
periodic and final evaluation) and exits 1 if one did not. The tiny model is random: it never writes code,
so hack and solve rates are ~0 by construction. This proves the plumbing, not the method.
"""

from __future__ import annotations

import json
import math
import shutil
import time
from pathlib import Path

from projected_grpo.train.arms import read_by
from projected_grpo.train.config import ARMS, preset
from projected_grpo.train.runlog import read_jsonl
from projected_grpo.train.trainer import Trainer

STOP_AT = 2


def _last(rows: list[dict], key: str):
    vals = [r.get(key) for r in rows if isinstance(r.get(key), (int, float)) and not math.isnan(r.get(key))]
    return vals[-1] if vals else None


def paths_fired(cfg, run_dir: Path) -> dict[str, bool]:
    rows = read_jsonl(run_dir / "metrics.jsonl")
    saved = json.loads((run_dir / "config.json").read_text())
    fired = {"steps": [r["step"] for r in rows] == list(range(1, cfg.steps + 1)),
             "checkpoint": any((run_dir / "checkpoints").glob("step-*")),
             "resume": saved.get("resumed_from") == STOP_AT,
             "final_eval": (run_dir / "eval" / f"step-{cfg.steps:06d}.json").exists(),
             "teachers": any(r.get("rollout/n_teacher") for r in rows)}
    if cfg.eval_every:
        fired["periodic_eval"] = any(r.get("final") is False for r in read_jsonl(run_dir / "eval.jsonl"))
    if cfg.refresh_every:
        fired["refresh"] = any(r.get("direction/basis_overlap") is not None for r in rows)
    if cfg.gen_deploy_frac:
        fired["gen_deploy_frac"] = any(r.get("policy/ratio_sampled_ablated") is not None for r in rows)
    fired.update(cfg.arm_class.smoke_paths(cfg, rows))  # the arm's own paths (train/arms/)
    return fired


def run_smoke(out: Path, arms: tuple[str, ...] = ARMS, workers: int | None = None, **overrides) -> int:
    """Returns the exit status; `overrides` change the smoke preset (tests use shorter problems)."""
    results = []
    t_all = time.perf_counter()
    for i, arm in enumerate(arms):
        cfg = preset("smoke", arm, **{"out": out, "cache_dir": out / "cache", "stop_at": STOP_AT, "workers": workers,
                                      **read_by(arm, overrides)})
        shutil.rmtree(cfg.run_dir(), ignore_errors=True)  # a smoke run is a fresh demonstration
        t0 = time.perf_counter()
        Trainer(cfg, show_legend=(i == 0)).run()
        summary = Trainer.resume(cfg.run_dir(), show_legend=False).run()
        rows = read_jsonl(cfg.run_dir() / "metrics.jsonl")
        fired = paths_fired(cfg, cfg.run_dir())
        final = summary["final_eval"]
        results.append({"arm": arm, "seconds": time.perf_counter() - t0, "fired": fired,
                        "hack_s": _last(rows, "oracle/hack_s"), "rew_s": _last(rows, "rollout/reward_s"),
                        "lp_s": _last(rows, "policy/lp_s"), "loss": _last(rows, "loss/total"),
                        "cin_s": _last(rows, "intervene/cin_s"), "cin_t": _last(rows, "intervene/cin_t"),
                        "qmass": _last(rows, "optim/qmass"), "routed": _last(rows, "gate/route"),
                        "hack_on": final["cells"]["test"]["as_trained"]["hack"],
                        "hack_dep": final["cells"]["test"]["deployed"]["hack"],
                        "solve_dep": final["cells"]["test"]["deployed"]["solve"], "oracle": cfg.reads_oracle})
        print()
    print(table(results))
    bad = [(r["arm"], k) for r in results for k, ok in r["fired"].items() if not ok]
    print(f"\nsmoke: {len(arms)} arms in {time.perf_counter() - t_all:.0f} s; "
          + ("every path fired" if not bad else f"FAILED paths: {bad}"))
    print("(random tiny model: hack/solve ~0 by construction; this checks plumbing, not the method)")
    return 1 if bad else 0


def table(results: list[dict]) -> str:
    def f(v, spec=".3f"):
        return "-" if v is None else format(v, spec)

    head = (f"{'arm':<11} {'hack_s':>6} {'rew_s':>6} {'lp_s':>7} {'loss':>8} {'cin_s':>6} {'cin_t':>6} "
            f"{'qmass':>6} {'rout':>5} {'hk_on':>6} {'hk_dep':>6} {'slv_dep':>7} {'sec':>5}  paths fired")
    lines = [head, "-" * len(head)]
    for r in results:
        fired = " ".join(k if ok else f"{k}:NO" for k, ok in r["fired"].items())
        name = r["arm"] + ("*" if r["oracle"] else "")
        lines.append(f"{name:<11} {f(r['hack_s']):>6} {f(r['rew_s'], '.2f'):>6} {f(r['lp_s']):>7} {f(r['loss'], '.4f'):>8} "
                     f"{f(r['cin_s']):>6} {f(r['cin_t']):>6} {f(r['qmass'], '.2f'):>6} {f(r['routed'], '.2f'):>5} "
                     f"{f(r['hack_on']):>6} {f(r['hack_dep']):>6} {f(r['solve_dep']):>7} {r['seconds']:>5.0f}  {fired}")
    lines.append("* oracle upper bound (reads oracle labels). hk_on/hk_dep/slv_dep: held-out, as trained / deployed.")
    return "\n".join(lines)
