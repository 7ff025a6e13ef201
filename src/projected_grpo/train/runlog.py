"""A run directory and everything written into it.

    RUN_DIR/config.json      every config field, plus argv, git commit, reads_oracle
    RUN_DIR/metrics.jsonl    one row per step (namespaced keys; tablelog.COLUMNS is the spec)
    RUN_DIR/rollouts.jsonl   every rollout: text, reward, channel verdict and, for audit only, the
                             oracle's label (training never reads this file)
    RUN_DIR/tb/              TensorBoard scalars (the same keys)
    RUN_DIR/wandb/           with --wandb: Weights & Biases files (the same scalars; the run id is
                             kept in RUN_DIR/wandb-id so a resumed run continues the same W&B run)
    RUN_DIR/checkpoints/     see checkpoint.py
    RUN_DIR/eval.jsonl, eval/ evaluations (eval/deploy.py)
    RUN_DIR/summary.json     the final BLUF and evaluation

JSONL rows are appended with one write(2) each and fsync'd, so a killed run leaves at most a
partial last line; resume truncates both files back to the checkpoint's step (dropping that
partial line), so no row is ever corrupt or duplicated.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

from tqdm import tqdm

from projected_grpo.errors import UserError
from projected_grpo.train import tablelog
from projected_grpo.util import read_jsonl  # noqa: F401  (re-exported: callers read run logs here)

HEADER_EVERY = 20


def _clean(x):
    """JSON has no NaN: write null."""
    if isinstance(x, float) and (math.isnan(x) or math.isinf(x)):
        return None
    if isinstance(x, dict):
        return {k: _clean(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_clean(v) for v in x]
    return x


def append_jsonl(path: Path, rows: list[dict]):
    if not rows:
        return
    data = "".join(json.dumps(_clean(r), ensure_ascii=False) + "\n" for r in rows).encode()
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)


def truncate_jsonl(path: Path, max_step: int):
    """Keep the complete rows with step <= max_step (atomic rewrite)."""
    if not path.exists():
        return
    keep = [r for r in read_jsonl(path) if r.get("step", 0) <= max_step]
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in keep), encoding="utf-8")
    os.replace(tmp, path)


def git_commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, timeout=5,
                              cwd=Path(__file__).parent).stdout.strip() or "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def check_wandb():
    """--wandb needs the wandb package (an optional extra, never a dependency)."""
    try:
        import wandb  # noqa: F401
    except ImportError:
        raise UserError("--wandb needs the wandb package: pip install wandb (or drop --wandb; TensorBoard "
                        "scalars are always under RUN_DIR/tb)") from None


class RunLog:
    def __init__(self, run_dir: Path, tensorboard: bool, log_rollouts: bool, quiet: bool = False,
                 resumed_at: int | None = None, wandb: bool = False):
        self.dir = run_dir
        self.dir.mkdir(parents=True, exist_ok=True)
        self.metrics_path, self.rollouts_path = run_dir / "metrics.jsonl", run_dir / "rollouts.jsonl"
        self.log_rollouts, self.quiet = log_rollouts, quiet
        self.printed = 0
        self.tb = None
        if tensorboard:
            from torch.utils.tensorboard import SummaryWriter

            # purge_step: a resumed run drops the scalars it logged after its checkpoint
            self.tb = SummaryWriter(str(run_dir / "tb"), purge_step=None if resumed_at is None else resumed_at + 1)
        self.want_wandb, self.wb = wandb, None
        if wandb:
            check_wandb()

    def _start_wandb(self, config: dict):
        import wandb

        id_file = self.dir / "wandb-id"
        if not id_file.exists():
            id_file.write_text(wandb.util.generate_id() + "\n")
        # mode, project and entity come from WANDB_MODE / WANDB_PROJECT / WANDB_ENTITY when set
        self.wb = wandb.init(project=os.environ.get("WANDB_PROJECT", "projected-grpo"), name=self.dir.name,
                             id=id_file.read_text().strip(), resume="allow", dir=str(self.dir), config=config)

    def write_config(self, config: dict, extra: dict):
        path = self.dir / "config.json"
        body = dict(config=config, argv=sys.argv, git_commit=git_commit(), **extra)
        path.write_text(json.dumps(_clean(body), indent=2) + "\n")
        if self.want_wandb and self.wb is None:
            self._start_wandb(_clean(config))

    def say(self, text: str):
        if not self.quiet:
            tqdm.write(text)  # above the step progress bar, when there is one
            sys.stdout.flush()  # a log piped to a file sees each row as it happens

    def start(self):
        self.say(tablelog.legend())

    def step(self, metrics: dict, rollouts: list[dict]):
        append_jsonl(self.metrics_path, [metrics])
        if self.log_rollouts:
            append_jsonl(self.rollouts_path, rollouts)
        if self.tb is not None:
            for k, v in metrics.items():
                if isinstance(v, (int, float)) and not isinstance(v, bool) and k != "step" and math.isfinite(v):
                    self.tb.add_scalar(k, v, metrics["step"])
            self.tb.flush()
        if self.wb is not None:
            self.wb.log({k: v for k, v in metrics.items() if isinstance(v, (int, float)) and not isinstance(v, bool)
                         and k != "step" and math.isfinite(v)}, step=metrics["step"])
        if self.printed % HEADER_EVERY == 0:
            self.say(tablelog.header())
        self.say(tablelog.row(metrics))
        self.printed += 1

    def resume_to(self, step: int):
        truncate_jsonl(self.metrics_path, step)
        truncate_jsonl(self.rollouts_path, step)
        truncate_jsonl(self.dir / "eval.jsonl", step)
        for art in (self.dir / "eval").glob("*step-*.json"):
            if int(art.stem.rsplit("-", 1)[1]) > step:
                art.unlink()

    def close(self):
        if self.tb is not None:
            self.tb.close()
        if self.wb is not None:
            self.wb.finish()
            self.wb = None
