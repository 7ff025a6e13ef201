"""gt_penalty (oracle upper bound): r' = r - gt_penalty_value on oracle-flagged rollouts."""

from projected_grpo.train.arms.base import Option
from projected_grpo.train.arms.oracle import OracleArm


class GTPenalty(OracleArm):
    name = "gt_penalty"
    summary = "oracle upper bound: penalise oracle-flagged rollouts"
    options = {"gt_penalty_value": Option("is the oracle penalty", "penalises nothing")}
    metric_columns = ("shaping/penalty", "shaping/flagged")

    def shape_rewards(self, rewards, batch, beh, step, oracle):
        flags = self.flags(oracle, step)
        v = self.cfg.gt_penalty_value
        return rewards - v * flags, {"penalty": float(v * flags.mean()), "flagged": float(flags.mean())}
