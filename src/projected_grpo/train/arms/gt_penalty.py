"""gt_penalty (oracle upper bound): r' = r - gt_penalty_value on oracle-flagged rollouts."""

from dataclasses import dataclass
from typing import ClassVar

from projected_grpo.train.arms.oracle import OracleArm


@dataclass(frozen=True)
class PenaltyOptions:
    about: ClassVar[str] = "is the oracle penalty"
    lacks: ClassVar[str] = "penalises nothing"

    gt_penalty_value: float = 3.0
    """gt_penalty: reward subtracted from flagged rollouts"""


class GTPenalty(OracleArm):
    name = "gt_penalty"
    summary = "oracle upper bound: penalise oracle-flagged rollouts"
    options = (PenaltyOptions,)
    metric_columns = ("shaping/penalty", "shaping/flagged")

    def shape_rewards(self, rewards, batch, beh, step, oracle):
        flags = self.flags(oracle, step)
        v = self.cfg.gt_penalty_value
        return rewards - v * flags, {"penalty": float(v * flags.mean()), "flagged": float(flags.mean())}
