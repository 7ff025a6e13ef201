"""route: masks (1,0); as erase, but the removed part of the gradient (or update) is parked in
the quarantine B_quar, which deployment deletes. The blocks must share A: frozen_a only."""

from projected_grpo.train.arms.base import QuarantineOptions
from projected_grpo.train.arms.erase import Erase


class Route(Erase):
    name = "route"
    in_default_sweep = True
    summary = "as erase; the removed part trains the quarantine, deleted at deployment"
    route = True
    has_quarantine = True
    options = (QuarantineOptions,)
    preset_defaults = {"smoke": dict(gen_deploy_frac=0.25, refresh_every=2)}

    @classmethod
    def check(cls, cfg, variant):
        if variant != "frozen_a":
            return [f"arm route parks the removed gradient in B_quar, which needs --variant frozen_a "
                    f"(got {variant}): the blocks must share A"]
        return []
