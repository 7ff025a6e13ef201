"""routeV (method brief sections 3 and 6; the arm that beat its Haar control at 1x pairs in
vGROUT): the routeA gate on v_grad scores of exact per-rollout gradients.

    v_m      = unit(mean(g_hack - g_clean))         per module, the pairs' NLL gradients w.r.t. B_dep
    s(x)     = Σ_m <g_m(x), v_m>                    g_m(x): the rollout's completion-NLL gradient w.r.t.
                                                    B_dep under the quarantine-ablated model, exact per
                                                    rollout (adapter.per_sample: (dL/dy)ᵀ(A x) summed over
                                                    tokens, i.e. an identity probe after A x)
    m, d     = ActivationGate(s)                    the same quantile tails as routeA: keep / absorb / route

Two independent blocks (lora2r) as routeA; the controls (haar, haar_neg, shuffled, null, reverse)
replace v as for every direction arm. The gate buffers per-module scores, not gradients (a
gradient is out x r per module), so unlike routeA's activations they cannot be re-scored against
a refreshed v: an accepted refresh empties the buffer, and the tails start again from the scores
of the new v alone (through the gate's warm-up, if it has one).
"""

from __future__ import annotations

import dataclasses

from projected_grpo.train.arms.base import torch
from projected_grpo.train.arms.route_a import RouteA


class _Ones:
    """The gate reads features along a direction; routeV's features are already per-module scores."""

    def __init__(self, modules):
        self.vectors = {n: torch.ones(1) for n in modules}


class RouteV(RouteA):
    name = "routeV"
    summary = "routeA's gate on per-rollout gradient scores against v_grad (mean)"
    direction_kind = "grad"
    wants_pooled = False  # it scores gradients, not pooled activations
    in_default_sweep = False
    preset_defaults = {"*": dict(gen_deploy_frac=0.25),
                       "smoke": dict(gen_deploy_frac=0.25, gate=dict(tail_q=0.25, buffer=64, warmup=16))}

    @classmethod
    def extract_config(cls, cfg):
        # v = unit(mean(g_hack - g_clean)): one axis per module, whatever --direction-method says
        return dataclasses.replace(cfg.extract_config(cls.direction_kind), method="mean")

    @classmethod
    def smoke_paths(cls, cfg, rows):
        warm = [r for r in rows if r.get("gate/warm") == 1.0]
        return {**super().smoke_paths(cfg, rows),
                "gate_zones": any(r.get("gate/keep", 0) > 0 for r in warm) and any(r.get("gate/route", 0) > 0 for r in warm)}

    @classmethod
    def build(cls, cfg, model, tok, adapter):
        arm, diag = super().build(cfg, model, tok, adapter)
        arm.model = model  # the per-rollout gradients need a forward/backward of their own
        return arm, diag

    def maybe_refresh(self, step, model, tok, say):
        old = self.direction
        overlap = super().maybe_refresh(step, model, tok, say)
        if self.direction is not old:  # accepted: the buffered scores are along the old v
            say(f"step {step}: direction refreshed; the gate's {self.gate.flush()} buffered old-v scores dropped")
        return overlap

    def scored(self, batch, beh):
        from projected_grpo.train.gate import grad_scores

        modules = self.gate.modules
        s = grad_scores(self.model, self.adapter, batch, [self.direction.vectors], modules,
                        self.cfg.token_budget, self.cfg.nll_normalize)[:, 0]  # [B, M]
        return {n: s[:, j:j + 1] for j, n in enumerate(modules)}, _Ones(modules)
