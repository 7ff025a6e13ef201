"""routeA: per-rollout keep (0,0) / absorb (1,0) / route (1,1) from the v_act score of the
rollout's pooled deployed-bottleneck activations against the buffer's tails (train/gate.py);
the quarantine is deleted at deployment. Two independent blocks: lora2r."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from projected_grpo.train.arms.base import QuarantineOptions, fmt, mean_last, torch
from projected_grpo.train.arms.direction import DirectionArm


@dataclass(frozen=True)
class GateConfig:
    """The gate's settings (train/gate.py applies them)."""

    tail_q: float = 0.1
    """quantile of each tail: the lowest q keep, the highest q route"""
    buffer: int = 8192
    """rollouts the activation buffer holds (larger than a run: the early era anchors the tails)"""
    half_life: float | None = None
    """recency weighting of the quantiles, in rollouts (vGROUT's latest: 96); None: unweighted"""
    warmup: int = 0
    """rollouts in the buffer before gating starts (absorb until then)"""

    def __post_init__(self):
        if not 0.0 < self.tail_q < 0.5:
            raise ValueError(f"tail_q must be in (0, 0.5), got {self.tail_q}")
        if self.buffer < 1 or self.warmup < 0:
            raise ValueError(f"buffer must be >= 1 and warmup >= 0, got {self.buffer}, {self.warmup}")


@dataclass(frozen=True)
class GateOptions:
    about: ClassVar[str] = "configures the routeA gate"
    lacks: ClassVar[str] = "has no gate"

    gate: GateConfig = field(default_factory=GateConfig)
    """routeA / routeV: quantile gate over a run-spanning score buffer"""


class RouteA(DirectionArm):
    name = "routeA"
    in_default_sweep = True
    summary = "activation-gated routing: the hack-ward tail trains only the quarantine"
    direction_kind = "act"
    has_quarantine = True
    wants_pooled = True
    options = (QuarantineOptions, GateOptions)
    # 0.25: the one early working point of gen_deploy_frac and the vGROUT_pub default (brief 7.1)
    # smoke: small buffer and early warm-up, so both tails fill within a few steps of the tiny model
    # smollm2: each group's ablated-sampled rows on their own mean (the preregistered check passed,
    # docs/organism-pretrained.md "The sweep, wave 2"; under one group mean routeA fell apart, wave 0)
    preset_defaults = {"smoke": dict(gen_deploy_frac=0.25, refresh_every=2, gate=dict(tail_q=0.25, buffer=64, warmup=16)),
                       "smollm2": dict(gen_deploy_frac=0.25, advantage_baseline="sampling_mode"),
                       "*": dict(gen_deploy_frac=0.25)}
    metric_columns = ("gate/keep", "gate/route", "gate/t_lo", "gate/t_hi", "gate/dp10", "gate/dp50", "gate/dp90",
                      "gate/warm")

    @classmethod
    def check(cls, cfg, variant):
        if variant != "lora2r":
            return [f"arm {cls.name} gates by output masks over two independent blocks: use --variant lora2r"]
        return []

    @classmethod
    def figures(cls, cfg, rows, k):
        return [(f"gate AUROC on A>0, last-{k} mean", fmt(mean_last(rows, "gate/auroc_pos", k)),
                 "> 0.5, and above the haar band"), *super().figures(cfg, rows, k)]

    @classmethod
    def smoke_paths(cls, cfg, rows):
        warm = [r.get("gate/warm") for r in rows]
        return {"gate_warmup": 0.0 in warm and 1.0 in warm}

    def __init__(self, cfg, adapter, direction):
        from projected_grpo.train.gate import ActivationGate

        super().__init__(cfg, adapter, direction)
        self.gate = ActivationGate(cfg.gate, list(direction.vectors))

    def scored(self, batch, beh) -> tuple[dict, object]:
        """What the gate scores: per-module features [B, r] and the direction they are read along."""
        return beh.pooled, self.direction

    def masks(self, batch, beh):
        feats, direction = self.scored(batch, beh)
        dec = self.gate(feats, direction)
        s = dec.score
        q = torch.quantile(s.double(), torch.tensor([0.1, 0.5, 0.9], dtype=torch.float64)).tolist()
        return dec.m, dec.d, {"keep": float((dec.m == 0).float().mean()), "route": float(dec.d.float().mean()),
                              "t_lo": dec.t_lo, "t_hi": dec.t_hi, "dp10": q[0], "dp50": q[1], "dp90": q[2],
                              "warm": float(dec.warm), "scores": s}

    def state_dict(self):
        return {"gate": self.gate.state_dict()}

    def load_state_dict(self, state):
        self.gate.load_state_dict(state["gate"])
