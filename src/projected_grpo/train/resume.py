"""`pgrpo train --resume RUN_DIR [--steps N] [--stop-at S]`: what continuing a run means.

    no checkpoint yet   the run was killed before its first one: it starts again from step 1
                        (its logs are cleared; the config is the saved one), and says so
    a checkpoint        it continues from the last one (checkpoint.py; runlog truncates the logs)
    --steps N, larger   extends the run, finished or not. The problem schedule, teacher choice and
                        sampling seeds are functions of (seed, step), so the steps already taken
                        are unchanged and the new ones continue the same permutation. The
                        warm-up + cosine learning rate is recomputed over the new total (the
                        scheduler keeps only its step count): the lr rises again from where the
                        old cosine was to the new curve's value, printed as a one-line notice.
                        A finished run's final-adapter/ and summary.json are kept under
                        final-adapter-step-N/ and summary-step-N.json; its final evaluation
                        stays in eval.jsonl as an ordinary evaluation at step N.
"""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path

from projected_grpo.errors import UserError
from projected_grpo.train import checkpoint
from projected_grpo.train.config import TrainConfig
from projected_grpo.train.optim import lr_factor
from projected_grpo.train.runlog import check_wandb


def checkpoint_step(folder: Path) -> int:
    return int(folder.name.split("-")[1])


def predates_id_split(saved: dict) -> bool:
    """A config written before the default held-out split hashed the problem id alone (and before
    --overwrite existed, which is how it is recognised), that relied on that split."""
    return "overwrite" not in saved and not saved.get("eval_problems") and saved.get("problems") != "organism"


def plan(run_dir: Path, stop_at: int = 0, steps: int = 0) -> tuple[TrainConfig, list[str]]:
    """The config a resumed run continues with, and the notices to print before it starts."""
    run_dir = Path(run_dir)
    path = run_dir / "config.json"
    if not path.is_file():
        raise UserError(f"--resume {run_dir}: no config.json (not a run directory, or a run killed before its "
                        f"setup finished: start it again without --resume)")
    try:
        saved = json.loads(path.read_text())["config"]
    except (json.JSONDecodeError, KeyError, TypeError) as e:
        raise UserError(f"{path}: not a run's config.json ({type(e).__name__}: {e}); was it edited?") from None
    old_steps, notes = int(saved["steps"]), []
    if predates_id_split(saved):
        notes.append(f"warning: {run_dir} was started before the held-out split stopped depending on --seed: "
                     f"its train/held-out problems now differ from the ones it started with")
    if steps < 0:
        raise UserError(f"--steps must be >= 1, got {steps}")
    saved.update(stop_at=stop_at, steps=steps or old_steps, overwrite=False)
    cfg = TrainConfig.from_dict(saved)
    if cfg.wandb:
        check_wandb()
    if cfg.run_dir().resolve() != run_dir.resolve():  # the run was moved: follow it
        cfg = dataclasses.replace(cfg, out=run_dir.parent, run_name=run_dir.name)
    ckpt = checkpoint.latest(run_dir)
    done_at = checkpoint_step(ckpt) if ckpt else 0
    finished = (run_dir / "summary.json").exists()
    if cfg.steps < done_at:
        raise UserError(f"--steps {cfg.steps}: {run_dir} is already checkpointed at step {done_at}; "
                        f"--steps can only extend a run")
    if finished and cfg.steps == old_steps:
        raise UserError(f"{run_dir} finished all {old_steps} steps (summary.json): extend it with "
                        f"--resume {run_dir} --steps N (N > {old_steps}), or start another run")
    if ckpt is None:
        notes.append(f"{run_dir}: no checkpoint (killed before step {cfg.checkpoint_every}?): starting it again "
                     f"from step 1 with its saved config")
    if cfg.steps != old_steps:
        before = cfg.lr * lr_factor(done_at - 1, cfg.warmup_steps, old_steps) if done_at else 0.0
        after = cfg.lr * lr_factor(done_at, cfg.warmup_steps, cfg.steps)
        notes.append(f"--steps {old_steps} -> {cfg.steps}: the problem schedule continues unchanged; warm-up + "
                     f"cosine lr recomputed over {cfg.steps} steps (step {done_at}: {before:.3g}, step "
                     f"{done_at + 1}: {after:.3g})")
    if finished:
        for name in ("final-adapter", "summary.json"):
            stem, dot, ext = name.partition(".")
            src, dst = run_dir / name, run_dir / f"{stem}-step-{old_steps}{dot}{ext}"
            if src.exists():
                os.replace(src, dst)
        notes.append(f"extending a finished run: its step-{old_steps} final-adapter/ and summary.json are kept "
                     f"as final-adapter-step-{old_steps}/ and summary-step-{old_steps}.json")
    return cfg, notes
