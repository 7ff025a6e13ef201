"""`pgrpo eval RUN_DIR`: the 2 x 2 evaluation of a finished (or checkpointed) run.

    pgrpo eval runs/fast-route-real-s0 --samples-per-problem 8
    pgrpo eval runs/fast-route-real-s0 --problems data/leetcode/test.jsonl --checkpoint step-000050

Loads the run's model and adapter (final-adapter/, or a checkpoint), rebuilds the run's
train/held-out split from its config, and writes RUN_DIR/eval/offline-step-N.json plus its
eval.jsonl row (kind "offline"; schema in eval/deploy.py). --problems replaces the held-out set (the `test` cell).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from projected_grpo.env.grader import Grader
from projected_grpo.env.problems import build_split, load_problems
from projected_grpo.errors import UserError
from projected_grpo.eval import deploy
from projected_grpo.train import setup
from projected_grpo.train.config import TrainConfig
from projected_grpo.train.resume import predates_id_split
from projected_grpo.train.rollout import make_engine


def eval_run(run_dir: Path, problems: str = "", samples: int = 0, checkpoint: str = "", max_problems: int = -1,
             workers: int | None = None) -> dict:
    run_dir = Path(run_dir)
    if samples < 0:
        raise UserError(f"--samples-per-problem must be >= 1 (or 0: the run's eval_samples), got {samples}")
    if max_problems < -1:
        raise UserError(f"--max-problems must be >= 0 (0: all; -1: the run's eval_max_problems), got {max_problems}")
    if workers is not None and workers < 1:
        raise UserError(f"--workers must be >= 1 (or left out: one per core), got {workers}")
    cfg_path = run_dir / "config.json"
    if not cfg_path.is_file():
        raise UserError(f"{run_dir}: no config.json (not a run directory)")
    try:
        saved = json.loads(cfg_path.read_text())["config"]
        cfg = TrainConfig.from_dict(saved)
    except (json.JSONDecodeError, KeyError, TypeError) as e:
        raise UserError(f"{cfg_path}: not a run's config.json ({type(e).__name__}: {e})") from None
    if predates_id_split(saved) and not problems:
        print(f"warning: {run_dir} was trained before the held-out split stopped depending on --seed: its own "
              f"held-out problems differ from the ones rebuilt now; pass --problems with a held-out file", file=sys.stderr)
    if checkpoint:
        folder = run_dir / "checkpoints" / checkpoint
        if not (folder / "state.pt").is_file():
            have = sorted(p.name for p in (run_dir / "checkpoints").glob("step-*") if p.is_dir())
            raise UserError(f"--checkpoint {checkpoint}: no {folder / 'state.pt'} (checkpoints here: "
                            f"{', '.join(have) or 'none'})")
        import torch

        step = int(torch.load(folder / "state.pt", weights_only=False)["step"])
    else:
        folder = run_dir / "final-adapter"
        step = cfg.steps
    if not (folder / "adapter.safetensors").is_file():
        raise UserError(f"{folder}: no adapter (finished runs have final-adapter/; checkpoints are under "
                        f"{run_dir / 'checkpoints'})")
    model, tok, placement = setup.load(cfg)
    adapter = setup.attach_adapter(cfg, model, tok)
    adapter.load(folder)
    train, held = setup.problems(cfg)
    if problems:
        held = load_problems(build_split(problems, "test", "--problems"))
    n = cfg.eval_max_problems if max_problems < 0 else max_problems
    n = n or None
    with Grader(workers=workers or cfg.workers, limits=cfg.limits, weights=cfg.weights) as grader:
        engine = make_engine(cfg.engine, model, tok, adapter, max_batch=cfg.gen_batch, bucket=cfg.engine_bucket,
                             compile=cfg.engine_compile)
        art = deploy.evaluate(engine, tok, grader, {"train_iid": train[:n], "test": held[:n]},
                              step=step, final=not checkpoint, samples=samples or cfg.eval_samples or 4,
                              sampling=cfg.sampling, seed=cfg.seed, modes=tuple(cfg.modes),
                              deployed_differs=cfg.has_quarantine, gen_batch=cfg.gen_batch)
    art["kind"] = "offline"
    art["reads_oracle"] = cfg.reads_oracle
    art["source"] = {"adapter": str(folder), "problems": problems or "the run's held-out split",
                     "placement": placement.reason}
    deploy.write(run_dir, art)
    print(deploy.table(art))
    return art
