"""Read run directories (the files train/runlog.py and eval/deploy.py write).

    runs = find_runs([Path("runs/sweep")])     # run dirs, or folders holding them (one level down)
    r = runs[0]; r.cfg["arm"]; r.metrics[-1]["oracle/hack_s"]; r.final_eval()["cells"]["test"]

A run directory holds config.json ({"config": every TrainConfig field, "reads_oracle", ...}),
metrics.jsonl (one row per step), rollouts.jsonl (one row per rollout, with the oracle's label
under "audit" and, for routeA, "gate_score"), eval.jsonl + eval/step-N.json (schema in
eval/deploy.py) and, when finished, summary.json.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from projected_grpo.errors import UserError
from projected_grpo.train.arms import resolve_variant
from projected_grpo.util import read_jsonl

# fields that name a run rather than configure it: runs differing only here are replicates
IDENTITY_FIELDS = ("seed", "run_name", "out", "cache_dir", "stop_at", "workers", "device", "log_rollouts",
                   "tensorboard", "checkpoint_every", "keep_checkpoints", "direction_seed")


@dataclass
class Run:
    dir: Path
    meta: dict = field(repr=False)  # config.json
    label: str = ""  # how tables name it: the folder's name, with parent folders where find_runs found two of one name

    def __post_init__(self):
        self.label = self.label or self.dir.name

    @cached_property
    def cfg(self) -> dict:
        """The run's TrainConfig fields, `variant: auto` resolved to the adapter the arm got:
        under the defaults vanilla trains lora2r and erase/route frozen_a, and a comparison
        between them must name that difference (and pair each arm with a vanilla of its own
        adapter where one was run)."""
        cfg = dict(self.meta["config"])
        cfg["variant"] = resolve_variant(cfg.get("variant", "auto"), cfg["arm"])
        return cfg

    @property
    def name(self) -> str:
        return self.dir.name

    @property
    def last_step(self) -> int:
        """The last step metrics.jsonl holds (0 before the first)."""
        return max((m.get("step", 0) for m in self.metrics), default=0)

    @property
    def finished(self) -> bool:
        return (self.dir / "summary.json").exists()

    @property
    def reads_oracle(self) -> bool:
        return bool(self.meta.get("reads_oracle"))

    @cached_property
    def metrics(self) -> list[dict]:
        return read_jsonl(self.dir / "metrics.jsonl")

    @cached_property
    def evals(self) -> list[dict]:
        """eval.jsonl rows (flat keys like "test/deployed/hack"), training's own first."""
        return read_jsonl(self.dir / "eval.jsonl")

    @cached_property
    def _rollouts(self) -> list[dict]:
        return read_jsonl(self.dir / "rollouts.jsonl")

    def rollouts(self) -> list[dict]:
        """rollouts.jsonl's rows (every sampled completion: the largest file), read once per Run."""
        return self._rollouts

    def final_eval(self) -> dict | None:
        """The end-of-training evaluation artifact (schema 2), or None."""
        path = self.dir / "eval" / f"step-{self.cfg['steps']:06d}.json"
        return json.loads(path.read_text()) if path.exists() else None

    def config_key(self, ignore: tuple[str, ...] = IDENTITY_FIELDS) -> str:
        """The configuration without the fields that only name a replicate."""
        return json.dumps({k: v for k, v in sorted(self.cfg.items()) if k not in ignore}, sort_keys=True)


def load_run(path: Path) -> Run:
    cfg = path / "config.json"
    if not cfg.is_file():
        raise UserError(f"{path}: not a run directory (no config.json)")
    try:
        meta = json.loads(cfg.read_text())
    except json.JSONDecodeError as e:
        raise UserError(f"{cfg}: bad JSON ({e})") from None
    if not isinstance(meta, dict) or not isinstance(meta.get("config"), dict) or "arm" not in meta["config"]:
        raise UserError(f"{cfg}: no config.arm (not written by `pgrpo train`)")
    return Run(path, meta)


def find_runs(paths: list[Path]) -> list[Run]:
    """Each path is a run directory or a folder whose subfolders are; sorted by name."""
    runs = []
    for p in paths:
        p = Path(p)
        if (p / "config.json").is_file():
            runs.append(load_run(p))
        elif p.is_dir():
            runs += [load_run(d) for d in sorted(p.iterdir()) if (d / "config.json").is_file()]
        else:
            raise UserError(f"{p}: no such run directory")
    if not runs:
        raise UserError(f"no run directories under {', '.join(map(str, paths))}")
    runs = list({r.dir.resolve(): r for r in runs}.values())  # one folder given twice is one run
    for run, label in zip(runs, distinct_labels([r.dir.resolve() for r in runs])):
        run.label = label
    return sorted(runs, key=lambda r: str(r.dir))


def distinct_labels(dirs: list[Path]) -> list[str]:
    """Each folder's name, lengthened by parent folders only where two would read alike: replicate
    folders of two attempts (a/runs/F-s0, b/runs/F-s0) must not look like one seed twice."""
    depth = [1] * len(dirs)
    for _ in range(max((len(d.parts) for d in dirs), default=0)):  # whole paths differ: ends by then
        labels = ["/".join(d.parts[-k:]) for d, k in zip(dirs, depth)]
        clash = {lab for lab in labels if labels.count(lab) > 1}
        if not clash:
            break
        depth = [k + (lab in clash) for k, lab in zip(depth, labels)]
    return ["/".join(d.parts[-k:]) for d, k in zip(dirs, depth)]
