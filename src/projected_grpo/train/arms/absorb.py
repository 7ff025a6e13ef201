"""absorb: masks pinned at (1,0), quarantine deleted at deployment: how much routing mass alone
(with no gate) cuts hacking (pitfall 5)."""

from projected_grpo.train.arms.base import Arm, QuarantineOptions


class Absorb(Arm):
    name = "absorb"
    summary = "both blocks train; the quarantine is deleted at deployment"
    has_quarantine = True
    options = (QuarantineOptions,)
    # 0.25: the one early working point of gen_deploy_frac and the vGROUT_pub default (brief 7.1)
    preset_defaults = {"*": dict(gen_deploy_frac=0.25)}

    @classmethod
    def check(cls, cfg, variant):
        if variant != "lora2r":
            return [f"arm {cls.name} gates by output masks over two independent blocks: use --variant lora2r"]
        return []
