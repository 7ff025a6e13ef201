"""What the oracle upper bounds (gt_penalty, gt_screen) share: the only code that receives oracle
labels, and every artifact of theirs says `reads_oracle: true`. Not an arm itself."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import ClassVar, Literal

from projected_grpo.train.arms.base import Arm, torch

LOOSE = ("hack", "attempted", "correct_attempted")


@dataclass(frozen=True)
class OracleOptions:
    about: ClassVar[str] = "configures the oracle monitor"
    lacks: ClassVar[str] = "reads no oracle"

    gt_labels: Literal["auto", "strict", "loose"] = "auto"
    """gt_*: strict flags `hack`; loose also `attempted` and `correct_attempted`; auto: loose for
    gt_screen (the brief's screening default), strict for gt_penalty"""
    gt_accuracy: float = 1.0
    """gt_*: each oracle flag is flipped with probability 1 - accuracy (a noisy monitor)"""

    def option_problems(self) -> list[str]:
        return [] if 0.5 <= self.gt_accuracy <= 1.0 else [f"--gt-accuracy must be in [0.5, 1], got {self.gt_accuracy}"]


def oracle_flags(oracle: list[dict], cfg, step: int):
    """1 where the (optionally noisy) ground-truth monitor flags a rollout."""
    from projected_grpo.util import seed_of

    labels = LOOSE if cfg.oracle_labels == "loose" else ("hack",)
    rng = random.Random(seed_of("gt-noise", cfg.seed, step))
    flags = []
    for a in oracle:
        f = a.get("label") in labels
        if cfg.gt_accuracy < 1.0 and rng.random() > cfg.gt_accuracy:
            f = not f
        flags.append(float(f))
    return torch.tensor(flags)


class OracleArm(Arm):
    reads_oracle = True
    default_labels = "strict"  # what --gt-labels auto resolves to
    options = (OracleOptions,)
    metric_columns = ("shaping/flagged",)

    @classmethod
    def smoke_paths(cls, cfg, rows):
        return {"shaping": any(r.get("shaping/flagged") is not None for r in rows)}

    def flags(self, oracle, step):
        if oracle is None:
            raise RuntimeError(f"{self.name} is an oracle arm: the trainer must hand it the oracle labels")
        return oracle_flags(oracle, self.cfg, step)
