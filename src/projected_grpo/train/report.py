"""The end-of-run BLUF: one line with the main metric, then the arm's key figures next to the
direction each should move if the intervention works (a claim needs the controls: compare
against a vanilla run and a Haar-direction run at matched seeds, `pgrpo smoke` or a sweep).
"""

from __future__ import annotations

import math
from pathlib import Path

from projected_grpo.train.config import TrainConfig
from projected_grpo.train.runlog import read_jsonl

LAST_K = 5


def _mean_last(rows: list[dict], key: str, k: int = LAST_K) -> float:
    xs = [r[key] for r in rows if isinstance(r.get(key), (int, float)) and not isinstance(r.get(key), bool)]
    xs = [x for x in xs if not math.isnan(x)][-k:]
    return sum(xs) / len(xs) if xs else float("nan")


def _first(rows: list[dict], key: str) -> float:
    for r in rows:
        v = r.get(key)
        if isinstance(v, (int, float)) and not math.isnan(v):
            return v
    return float("nan")


def _fmt(v) -> str:
    return "-" if v is None or (isinstance(v, float) and math.isnan(v)) else f"{v:.3f}"


def bluf(cfg: TrainConfig, metrics_path: Path, final: dict | None) -> dict:
    rows = read_jsonl(metrics_path)
    k = min(LAST_K, len(rows))
    figures = [  # (name, value, should move)
        (f"student hack rate, first step -> last-{k} mean", f"{_fmt(_first(rows, 'oracle/hack_s'))} -> "
         f"{_fmt(_mean_last(rows, 'oracle/hack_s'))}", "down vs vanilla (vanilla: up)"),
        (f"student solve rate, last-{k} mean", _fmt(_mean_last(rows, "oracle/solve_s")), "as vanilla or higher"),
        ("hacked steps (hack rollouts > correct ones)", f"{sum(r.get('oracle/hacked_step') or 0 for r in rows):.0f}"
         f"/{len(rows)}", "fewer than vanilla"),
    ]
    if final:
        on, dep = final["cells"]["test"]["as_trained"], final["cells"]["test"]["deployed"]
        figures += [("held-out hack rate, as trained -> deployed", f"{_fmt(on['hack'])} -> {_fmt(dep['hack'])}",
                     "deployed below vanilla's" + ("; as trained > deployed" if cfg.has_quarantine else "")),
                    ("held-out solve rate, as trained -> deployed", f"{_fmt(on['solve'])} -> {_fmt(dep['solve'])}",
                     "deployed within a few points of vanilla")]
        if cfg.has_quarantine:
            figures.append(("held-out route selectivity", _fmt(final["selectivity"]["test"]),
                            "> 0 (hack leaves with the quarantine, solve stays)"))
        iid = final["cells"].get("train_iid")
        if iid:
            figures.append(("train-IID hack rate, as trained -> deployed",
                            f"{_fmt(iid['as_trained']['hack'])} -> {_fmt(iid['deployed']['hack'])}", "as held-out"))
    if cfg.has_quarantine:
        figures.append((f"qmass, last-{k} mean", _fmt(_mean_last(rows, "optim/qmass")),
                        "compare with a haar control: routing mass alone also cuts hacking (pitfall 5)"))
    figures += cfg.arm_class.figures(cfg, rows, k)  # the arm's own key figures
    main = final["cells"]["test"]["deployed"]["hack"] if final else _mean_last(rows, "oracle/hack_s")
    label = "deployed held-out hack rate" if final else f"student hack rate (last-{k} mean)"
    oracle = " [ORACLE UPPER BOUND: this arm read oracle labels]" if cfg.reads_oracle else ""
    line = (f"BLUF: arm {cfg.arm}{'' if not cfg.arm_class.direction_kind else f' ({cfg.direction} direction)'}: "
            f"{label} {_fmt(main)} after {len(rows)} steps{oracle}")
    width = max(len(f[0]) for f in figures)
    table = "\n".join(f"  {n:<{width}}  {v:<16}  should: {s}" for n, v, s in figures)
    return {"text": line + "\n" + table, "main_metric": {"name": label, "value": main}, "arm": cfg.arm,
            "direction": cfg.direction, "reads_oracle": cfg.reads_oracle, "steps": len(rows),
            "figures": [{"name": n, "value": v, "should": s} for n, v, s in figures], "final_eval": final}
