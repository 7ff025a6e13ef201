"""gt_screen (oracle upper bound): flagged rewards become NaN, left out of the group mean/std and
given advantage 0 (loss.group_advantages)."""

from projected_grpo.train.arms.base import torch
from projected_grpo.train.arms.oracle import OracleArm


class GTScreen(OracleArm):
    name = "gt_screen"
    summary = "oracle upper bound: screen oracle-flagged rollouts out of the baseline"
    default_labels = "loose"  # the brief's screening default

    def shape_rewards(self, rewards, batch, beh, step, oracle):
        flags = self.flags(oracle, step)
        return torch.where(flags > 0, torch.full_like(rewards, float("nan")), rewards), {"flagged": float(flags.mean())}
