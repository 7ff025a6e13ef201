"""vanilla: plain GRPO, masks (1,0): both blocks train and both deploy. The reference every
other arm is compared against at matched seeds."""

from projected_grpo.train.arms.base import Arm


class Vanilla(Arm):
    name = "vanilla"
    in_default_sweep = True
